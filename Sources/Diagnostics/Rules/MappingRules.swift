// Attribute mappings, copy-paste damage in values, and the vendor's own rules.

extension DiagnosticRegistry {
    static let mappingRules: [DiagnosticRule] = [
        DiagnosticRule(
            "mapping.target-syntax", .error,
            summary: "A target attribute path is malformed",
            explanation: """
                A target is a SCIM attribute path as Entra writes it: `name.givenName`, a schema URN followed by \
                `:attribute`, or a filtered multi-valued path such as `emails[type eq "work"].value`. Anything \
                else (unbalanced brackets, a missing value after `eq`, stray spaces) is not an attribute Graph can \
                map to.
                """,
            example: #"- target: emails[type eq "work".value"#,
            fixed: #"- target: emails[type eq "work"].value"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "mapping.unknown-target", .error,
            summary: "A target attribute the SCIM schema lacks and the profile does not declare",
            explanation: """
                The target is neither in the default SCIM user or group schema of Entra's non-gallery app template \
                nor declared under `customAttributes`. Graph refuses a schema whose mappings point at attributes \
                the target directory does not define. Fix the spelling, or declare the vendor's extension \
                attribute.
                """,
            example: """
                - target: urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge
                  source: employeeId
                """,
            fixed: """
                customAttributes:
                  - name: urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge
                    type: String
                """,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "mapping.unknown-source", .error,
            summary: "A source attribute Entra ID users or groups do not have",
            explanation: """
                The source is not an attribute of Entra ID users (or groups, for the group mapping). Names are \
                case-sensitive: `Mobile` is not `mobile`. The hint offers the closest name and `--fix` applies \
                it. scimctl's attribute list is a snapshot of what the provisioning service reads; if your tenant \
                really has the attribute (a directory extension scimctl does not know), disable this rule in the \
                policy file.
                """,
            example: """
                - target: phoneNumbers[type eq "mobile"].value
                  source: Mobile
                """,
            fixed: """
                - target: phoneNumbers[type eq "mobile"].value
                  source: mobile
                """),
        DiagnosticRule(
            "mapping.duplicate-target", .error,
            summary: "Two mappings write the same target attribute",
            explanation: """
                Entra keeps one mapping per target attribute; two would leave it to chance which value the vendor \
                receives, and Graph rejects the schema. Keep one mapping, combining the sources in an expression \
                if you need both.
                """,
            example: """
                - target: displayName
                  source: displayName
                - target: displayName
                  expression: Join(" ", [givenName], [surname])
                """,
            fixed: """
                - target: displayName
                  expression: Join(" ", [givenName], [surname])
                """,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "mapping.no-matching-attribute", .error,
            summary: "An enabled object mapping has no matching attribute",
            explanation: """
                Entra matches each source object with an existing vendor account through the attributes that have \
                a `matchingPrecedence`. Without one the job cannot decide whether to create or update, and fails. \
                Give the identifying attribute (usually userName, or externalId) precedence 1.
                """,
            example: """
                - target: userName
                  source: userPrincipalName
                """,
            fixed: """
                - target: userName
                  source: userPrincipalName
                  matchingPrecedence: 1
                """,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "mapping.duplicate-precedence", .error,
            summary: "Two matching attributes share one precedence",
            explanation: """
                Matching precedence orders the attributes Entra tries when it looks up a vendor account; two \
                attributes with the same number make the order undefined. In `amend` mode a profile that states \
                any precedence owns matching, so the template's userName precedence no longer counts.
                """,
            example: """
                - target: userName
                  matchingPrecedence: 1
                - target: externalId
                  matchingPrecedence: 1
                """,
            fixed: """
                - target: userName
                  matchingPrecedence: 1
                - target: externalId
                  matchingPrecedence: 2
                """,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "mapping.no-actions", .error,
            summary: "An enabled object mapping with no target object actions",
            explanation: """
                `actions: []` on an enabled mapping means Entra may neither create, update nor delete: the job \
                runs and provisions nothing. List the actions you want, or set `enabled: false`.
                """,
            example: """
                users:
                  enabled: true
                  actions: []
                """,
            fixed: """
                users:
                  enabled: true
                  actions: [create, update, delete]
                """),
        DiagnosticRule(
            "mapping.scoping-filter", .error,
            summary: "A scoping filter clause with an unknown attribute, operator or a value that does not fit",
            explanation: """
                Scoping filter clauses become the object mapping's `scope` in the schema. The attribute must be a \
                source attribute of the object, the operator one of Graph's filter operators, and the value \
                present for binary operators, absent for IS TRUE/FALSE/NULL/NOT NULL, a whole number for \
                Greater_Than and the bit operators, and a valid pattern for REGEX MATCH. Graph rejects anything \
                else. Minor style problems are warnings.
                """,
            example: """
                scopingFilters:
                  - name: Sales only
                    clauses:
                      - attribute: department
                        operator: EQUAL
                        value: Sales
                """,
            fixed: """
                      - attribute: department
                        operator: EQUALS
                        value: Sales
                """,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "text.typographic-quote", .error,
            summary: "Typographic quotes where Entra expects straight quotes",
            explanation: """
                Vendor guides are typeset, so copying from them brings “curly” quotes. In a target path or \
                attribute name Entra only understands straight quotes, so it is an error with a fix-it; in a \
                constant or a description it is a warning, since the curly quote will reach the vendor as typed. \
                `--fix` replaces them.
                """,
            example: "- target: emails[type eq “work”].value",
            fixed: #"- target: emails[type eq "work"].value"#,
            locked: RuleLock.graphRejects, locksErrorsOnly: true),
        DiagnosticRule(
            "vendor.target-not-allowed", .error,
            summary: "The vendor does not accept this target attribute",
            explanation: """
                The profile's `rules.allowedUserTargets` (or group) lists the only attributes the vendor's SCIM \
                service accepts; its guide says others are rejected or ignored. Remove the mapping, or update the \
                rule if the vendor now accepts the attribute.
                """,
            example: """
                rules:
                  allowedUserTargets: [userName, active, name.givenName]
                ...
                - target: title
                  source: jobTitle
                """,
            fixed: "(remove the title mapping)"),
        DiagnosticRule(
            "vendor.required-target", .error,
            summary: "The vendor requires a target attribute the profile does not map",
            explanation: """
                The vendor's guide requires this attribute (`rules.requiredUserTargets`); without a mapping the \
                vendor rejects every create. Map it.
                """,
            example: """
                rules:
                  requiredUserTargets: [userName, externalId]
                """,
            fixed: """
                - target: externalId
                  source: objectId
                """),
        DiagnosticRule(
            "vendor.prerequisite", .note,
            summary: "A step the vendor requires outside Entra ID",
            explanation: """
                Some setup happens outside Entra (single sign-on first, a token created in the vendor's admin \
                page, a ticket to the vendor). The profile lists these under `rules.prerequisites` and validate \
                and apply print them as notes. They never fail a run.
                """,
            example: """
                rules:
                  prerequisites:
                    - SAML single sign-on must work before provisioning is set up
                """),
    ]
}
