import Diagnostics
import Testing

@testable import VendorProfiles

/// Rules `ProfileValidator` and parameter resolution report on profiles that load cleanly.
@Suite("Validator rules")
struct ValidatorRuleTests {
    // MARK: Tenant URL

    @Test func plainHTTPTenantURL() {
        let diagnostic = expectDiagnostic(
            .tenantURL, .error, message: "must use https, not http",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: 1️⃣http://scim.example.com/scim
                    secretToken: none
                    users: {}
                """)
        #expect(diagnostic?.fixIt?.replacement == "https")
        #expect(diagnostic?.fixIt?.length == 4)
        #expect(diagnostic?.fixIt?.location == diagnostic?.location)
    }

    @Test func relativeTenantURL() {
        expectDiagnostic(
            .tenantURL, .error, message: "tenant URL '/scim/v2' is not an absolute URL",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: 1️⃣/scim/v2
                    secretToken: none
                    users: {}
                """)
    }

    @Test func tenantURLWithAPlaceholderLeftFromTheGuide() {
        expectDiagnostic(
            .tenantURL, .error, message: "still holds a placeholder",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: 1️⃣https://<EXAMPLE-SCIM-DOMAIN>/scim/v1/
                    secretToken: none
                    users: {}
                """)
    }

    @Test func tenantURLWithoutAHost() {
        expectDiagnostic(
            .tenantURL, .error, message: "has no valid host name",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: 1️⃣https://scim..example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func quotedTenantURLPointsInsideTheQuotes() {
        expectDiagnostic(
            .tenantURL, .error, message: "contains spaces or typographic quotes",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: "1️⃣https://scim.example.com/scim v2"
                    secretToken: none
                    users: {}
                """)
    }

    @Test func badURLInALookupTablePointsAtTheEntryAndNamesTheVariant() {
        expectDiagnostic(
            .tenantURL, .error, message: "must use https, not http (with region=de)",
            in: """
                vendor: Example
                parameters:
                  region:
                    description: the region
                    allowed: [us, de]
                applications:
                  - name: example
                    displayName: Example
                    tenantURL:
                      lookup: region
                      table:
                        us: https://us.example.com/scim
                        de: 1️⃣http://de.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func lookupTableMissingAnAllowedValue() {
        let diagnostic = expectDiagnostic(
            .tenantURLLookup, .error, message: "tenant URL table has no entry for region 'jp'",
            in: """
                vendor: Example
                parameters:
                  region:
                    description: the region
                    allowed: [us, de, jp]
                applications:
                  - name: example
                    displayName: Example
                    tenantURL:
                      1️⃣lookup: region
                      table:
                        us: https://us.example.com/scim
                        de: https://de.example.com/scim
                    secretToken: none
                    users: {}
                """)
        #expect(diagnostic?.hint?.contains("add 'jp' to the table") == true)
        // Reported once at the table, not again for the jp variant.
        let marked = MarkedText(
            """
            vendor: Example
            parameters:
              region:
                description: the region
                allowed: [us, de, jp]
            applications:
              - name: example
                displayName: Example
                tenantURL:
                  lookup: region
                  table:
                    us: https://us.example.com/scim
                    de: https://de.example.com/scim
                secretToken: none
                users: {}
            """)
        #expect(findings(for: marked).filter { $0.id == .tenantURLLookup }.count == 1)
    }

    @Test func lookupOfAnUndeclaredParameter() {
        expectDiagnostic(
            .tenantURLLookup, .error, message: "names parameter 'region', which is not declared",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL:
                      1️⃣lookup: region
                      table:
                        us: https://us.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func placeholderNamingNoParameter() {
        let diagnostic = expectDiagnostic(
            .unresolvedPlaceholder, .error, message: "placeholder '{tenant}' names no parameter",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://1️⃣{tenant}.example.com/scim
                    secretToken: none
                    users: {}
                """)
        #expect(diagnostic?.hint == "declare 'tenant' under parameters")
    }

    // MARK: Applications

    @Test func duplicateApplicationName() {
        expectDiagnostic(
            .duplicateApplication, .error, message: "application name 'example' is used twice",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                  - 1️⃣name: example
                    displayName: Example Two
                    tenantURL: https://scim.example.com/scim2
                    secretToken: none
                    users: {}
                """)
    }

    @Test func notificationEmailMustBeAnAddress() {
        expectDiagnostic(
            .notificationEmail, .error, message: "'ops team' is not an e-mail address",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    notificationEmail: 1️⃣ops team
                    users: {}
                """)
    }

    // MARK: Parameters

    static let regionProfile = """
        vendor: Example
        parameters:
          1️⃣region:
            description: the region
            allowed: [us, de]
        applications:
          - name: example
            displayName: Example
            tenantURL: https://{region}.example.com/scim
            secretToken: none
            users: {}
        """

    @Test func unknownParameterSuggestsADeclaredOne() {
        // A --param value has no place in the file, so the finding has no location.
        let diagnostic = expectDiagnostic(
            .unknownParameter, .error, at: nil, message: "unknown parameter 'regoin' for profile 'profile'",
            in: Self.regionProfile, .validate(["regoin": "de"]))
        #expect(diagnostic?.hint == "did you mean 'region'?")
    }

    @Test func missingParameterWhenResolving() {
        let diagnostic = expectDiagnostic(
            .missingParameter, .error, message: "missing value for parameter 'region'",
            in: Self.regionProfile, .resolve([:]))
        #expect(diagnostic?.hint == "pass --param region=VALUE, one of us, de")
    }

    @Test func parameterValueOutsideTheAllowedList() {
        let diagnostic = expectDiagnostic(
            .parameterValue, .error, message: "'fr' is not an allowed value of parameter 'region'",
            in: Self.regionProfile, .validate(["region": "fr"]))
        #expect(diagnostic?.hint == "allowed: us, de")
    }

    @Test func defaultOutsideTheAllowedList() {
        expectDiagnostic(
            .parameterValue, .error, message: "'fr' is not an allowed value of parameter 'region'",
            in: """
                vendor: Example
                parameters:
                  region:
                    description: the region
                    allowed: [us, de]
                    default: 1️⃣fr
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://{region}.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func parameterValueBreakingThePattern() {
        let diagnostic = expectDiagnostic(
            .parameterValue, .error, message: "'two words' does not match the pattern of parameter 'customer'",
            in: """
                vendor: Example
                parameters:
                  1️⃣customer:
                    description: the customer's host label
                    pattern: "[a-z0-9-]+"
                    example: acme
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://{customer}.example.com/scim
                    secretToken: none
                    users: {}
                """, .validate(["customer": "two words"]))
        #expect(diagnostic?.hint == "expected: [a-z0-9-]+")
    }

    @Test func invalidParameterPatternIsReportedOnce() {
        expectDiagnostic(
            .parameterPattern, .error, message: "pattern of parameter 'customer' is not usable",
            in: """
                vendor: Example
                parameters:
                  customer:
                    description: the customer's host label
                    pattern: "1️⃣[a-z"
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://{customer}.example.com/scim
                    secretToken: none
                    users: {}
                """)
        let marked = MarkedText(
            """
            vendor: Example
            parameters:
              customer:
                description: the customer's host label
                pattern: "[a-z"
            applications:
              - name: example
                displayName: Example
                tenantURL: https://{customer}.example.com/scim
                secretToken: none
                users: {}
            """)
        // Found by the static check and again while resolving the example variant; the duplicate is dropped.
        #expect(findings(for: marked).filter { $0.id == .parameterPattern }.count == 1)
    }

    // MARK: Mappings

    @Test func targetSyntaxErrorPointsInsideTheTarget() {
        let diagnostic = expectDiagnostic(
            .targetSyntax, .error, message: "invalid target attribute 'name..givenName': expected an attribute name, found '.'",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: name.1️⃣.givenName
                          source: givenName
                """)
        #expect(diagnostic?.hint?.contains("emails[type eq \"work\"].value") == true)
    }

    @Test func filterValueInSingleQuotes() {
        expectDiagnostic(
            .targetSyntax, .error, message: "filter value must be in straight double quotes",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: "emails[type eq 1️⃣'work'].value"
                          source: mail
                """)
    }

    @Test func unknownTargetWithFixIt() {
        let diagnostic = expectDiagnostic(
            .unknownTarget, .error, message: "target attribute 'usrName' is not in the default SCIM user schema",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: 1️⃣usrName
                          source: userPrincipalName
                """)
        #expect(diagnostic?.hint == "did you mean 'userName'?")
        #expect(diagnostic?.fixIt?.replacement == "userName")
        #expect(diagnostic?.fixIt?.length == 7)
        #expect(diagnostic?.fixIt?.location == diagnostic?.location)
    }

    @Test func declaredCustomTargetIsKnown() {
        let marked = MarkedText(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                users:
                  attributes:
                    - target: badgeNumber
                      source: objectId
                  customAttributes:
                    - name: badgeNumber
            """)
        #expect(findings(for: marked).filter { $0.severity != .note && $0.id != .noAssignments }.isEmpty)
    }

    @Test func unknownSourceIsCaseSensitive() {
        let diagnostic = expectDiagnostic(
            .unknownSource, .error, message: "'Mobile' is not an Entra ID user attribute (names are case-sensitive)",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: externalId
                          source: 1️⃣Mobile
                """)
        #expect(diagnostic?.hint == "did you mean 'mobile'?")
        #expect(diagnostic?.fixIt?.replacement == "mobile")
        #expect(diagnostic?.fixIt?.length == 6)
    }

    @Test func directoryExtensionSourcesAreAccepted() {
        let marked = MarkedText(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                users:
                  attributes:
                    - target: externalId
                      source: extension_0123456789abcdef0123456789abcdef_badge
            """)
        #expect(findings(for: marked).filter { $0.severity != .note && $0.id != .noAssignments }.isEmpty)
    }

    @Test func duplicateTargetNotesTheFirstMapping() {
        let diagnostic = expectDiagnostic(
            .duplicateTarget, .error, message: "target attribute 'externalId' is mapped twice",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: externalId
                          source: objectId
                        - 1️⃣target: externalId
                          source: mail
                """)
        #expect(diagnostic?.notes == ["first mapped at profile.yaml:9:11"])
    }

    @Test func exclusiveMappingWithoutMatchingAttribute() {
        expectDiagnostic(
            .noMatchingAttribute, .error, message: "the enabled user mapping has no matching attribute",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      1️⃣mode: exclusive
                      attributes:
                        - target: userName
                          source: userPrincipalName
                """)
    }

    @Test func disabledMappingNeedsNoMatchingAttribute() {
        let marked = MarkedText(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                users: {}
                groups:
                  enabled: false
                  mode: exclusive
            """)
        #expect(findings(for: marked).filter { $0.severity != .note && $0.id != .noAssignments }.isEmpty)
    }

    /// In amend mode a profile that states a matching precedence owns matching (as the schema merge does), so the
    /// template's userName precedence does not collide with it.
    @Test func amendModeProfileOwnsMatchingPrecedence() {
        let marked = MarkedText(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                users:
                  attributes:
                    - target: externalId
                      source: objectId
                      matchingPrecedence: 1
                groups:
                  enabled: false
            """)
        // Only the reminder that scope 'assigned' needs assignments; no precedence finding.
        #expect(findings(for: marked).filter { $0.severity != .note && $0.id != .noAssignments }.isEmpty)
    }

    @Test func duplicatePrecedenceAmongListedMappingsPointsAtTheNumber() {
        let diagnostic = expectDiagnostic(
            .duplicatePrecedence, .error, message: "matching precedence 1 is used by both 'userName' and 'externalId'",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: externalId
                          source: objectId
                          matchingPrecedence: 1️⃣1
                        - target: userName
                          source: userPrincipalName
                          matchingPrecedence: 1
                """)
        #expect(diagnostic?.hint == "each matching attribute needs its own precedence")
    }

    @Test func typographicQuotesInATargetAreErrorsWithFixIts() {
        let marked = MarkedText(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                users:
                  attributes:
                    - target: emails[type eq 1️⃣“work2️⃣”].value
                      source: mail
            """)
        let quotes = findings(for: marked).filter { $0.id == .typographicQuote }
        #expect(quotes.map(\.location) == [marked.location("1️⃣"), marked.location("2️⃣")])
        #expect(quotes.allSatisfy { $0.severity == .error })
        #expect(quotes.map { $0.fixIt?.replacement } == ["\"", "\""])
        #expect(quotes.first?.message.contains("U+201C") == true)
        expectDiagnostic(
            .typographicQuote, .error, message: "typographic quote '“' (U+201C) where Entra expects \"",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: emails[type eq 1️⃣“work”].value
                          source: mail
                """)
    }

    @Test func typographicQuotesInAConstantAreWarnings() {
        let diagnostic = expectDiagnostic(
            .typographicQuote, .warning, message: "typographic quote '”' (U+201D)",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: displayName
                          constant: “Example Manager1️⃣”
                """)
        #expect(diagnostic?.fixIt?.replacement == "\"")
        #expect(diagnostic?.fixIt?.length == 1)
    }

    // MARK: Vendor rules

    @Test func targetOutsideTheVendorsList() {
        let diagnostic = expectDiagnostic(
            .targetNotAllowed, .error,
            message: "Example accepts only its listed user attributes; 'displayName' is not one of them",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      mode: exclusive
                      attributes:
                        - target: userName
                          source: userPrincipalName
                          matchingPrecedence: 1
                        - 1️⃣target: displayName
                          source: displayName
                rules:
                  allowedUserTargets: [userName, externalId]
                """)
        #expect(diagnostic?.hint == "allowed: userName, externalId")
    }

    @Test func templateDefaultsOutsideTheVendorsListAskForExclusiveMode() {
        let diagnostic = expectDiagnostic(
            .targetNotAllowed, .error, message: "'title' is not one of them (kept from the template's defaults)",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      1️⃣attributes:
                        - target: externalId
                          source: objectId
                rules:
                  allowedUserTargets: [userName, externalId, active, displayName]
                """)
        #expect(diagnostic?.hint == "set mode: exclusive so the template's other mappings are removed")
    }

    @Test func requiredVendorTargetMissing() {
        let diagnostic = expectDiagnostic(
            .requiredTargetMissing, .error, message: "Example requires a mapping for 'externalId'",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      1️⃣mode: exclusive
                      attributes:
                        - target: userName
                          source: userPrincipalName
                          matchingPrecedence: 1
                rules:
                  requiredUserTargets: [userName, externalId]
                """)
        #expect(diagnostic?.hint == "add a mapping with target: externalId")
    }

    @Test func prerequisitesBecomeNotes() {
        let diagnostic = expectDiagnostic(
            .vendorPrerequisite, .note, at: nil, message: "Example prerequisite: send the vendor your tenant ID",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                rules:
                  prerequisites:
                    - send the vendor your tenant ID
                """)
        #expect(diagnostic?.fixIt == nil)
    }
}
