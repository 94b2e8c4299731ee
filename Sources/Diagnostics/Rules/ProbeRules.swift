// `scimctl probe` (and the probe `apply --probe` runs first): the vendor's SCIM endpoint, read-only.

extension DiagnosticRegistry {
    static let probeRules: [DiagnosticRule] = [
        DiagnosticRule(
            "probe.missing-token", .error,
            summary: "The vendor token's variable or file is not there; nothing was sent",
            explanation: """
                The profile reads the vendor's secret token from an environment variable or a file, and it is \
                not set or not readable. The probe sends nothing without it, and apply could not store a token \
                either. Export the variable or create the file.
                """,
            example: """
                secretToken:
                  env: ACME_SCIM_TOKEN      # not exported in this shell
                """,
            fixed: "export ACME_SCIM_TOKEN=…   # from the vendor's admin page",
            locked: RuleLock.usage),
        DiagnosticRule(
            "probe.token-refused", .error,
            summary: "The SCIM endpoint refused the token (401 or 403)",
            explanation: """
                The vendor answered Entra's connection test with 401 or 403: the token is wrong, expired or lacks \
                the SCIM permission. Entra's Test Connection would fail the same way and the job would go into \
                quarantine. Create a new token in the vendor's admin page.
                """,
            example: "GET /Users?filter=userName eq \"…\" → 401 Unauthorized",
            fixed: "a fresh token with SCIM (provisioning) rights"),
        DiagnosticRule(
            "probe.wrong-path", .error,
            summary: "Every SCIM endpoint answered 404: the tenant URL is likely wrong",
            explanation: """
                /Users, /Schemas and /ServiceProviderConfig all answered 404, so the tenant URL is probably \
                missing a path segment (such as /scim/v2) or names the wrong host. Compare it with the vendor's \
                guide.
                """,
            example: "tenantURL: https://acme.example.com/api",
            fixed: "tenantURL: https://acme.example.com/api/scim/v2"),
        DiagnosticRule(
            "probe.tls", .error,
            summary: "The TLS connection to the SCIM endpoint failed",
            explanation: """
                The TLS handshake failed: the certificate is expired, self-signed, or for another host. Entra \
                verifies certificates too, so it would fail the same way. Fix the vendor's certificate, or, for \
                a test endpoint behind a private CA, pass --cacert.
                """,
            example: "tenantURL: https://scim.internal.example (self-signed certificate)",
            fixed: "scimctl probe profile acme.yaml --cacert internal-ca.pem"),
        DiagnosticRule(
            "probe.timeout", .error,
            summary: "The SCIM endpoint did not answer in time",
            explanation: """
                A request got no answer within the probe's timeout. The endpoint may be down or behind a firewall \
                that drops traffic; Entra's provisioning service reaches it from Microsoft's network, not from \
                yours, so also check any IP allow-list.
                """,
            example: "GET /ServiceProviderConfig: no answer in 30 s",
            fixed: "scimctl probe profile acme.yaml --timeout 90   # for a slow endpoint"),
        DiagnosticRule(
            "probe.connection-failed", .error,
            summary: "No connection to the SCIM endpoint could be made",
            explanation: """
                The host name does not resolve or the connection was refused. Check the tenant URL's host (a \
                parameter value such as a customer name is often the culprit).
                """,
            example: "tenantURL: https://contso.acme.example/scim",
            fixed: "tenantURL: https://contoso.acme.example/scim"),
        DiagnosticRule(
            "probe.unexpected-response", .error,
            summary: "The SCIM endpoint answered with something that is not SCIM JSON",
            explanation: """
                The endpoint answered, but with HTML (a login page, a proxy's error page) or JSON that is not a \
                SCIM response. The tenant URL probably points at the vendor's web application rather than its \
                SCIM API.
                """,
            example: "GET /Users → 200 text/html (a sign-in page)",
            fixed: "the SCIM base URL from the vendor's provisioning guide"),
        DiagnosticRule(
            "probe.connection-test", .error,
            summary: "Entra's connection test (a filtered GET /Users) failed",
            explanation: """
                Entra's Test Connection asks for a user that does not exist (`filter=userName eq "<random>"`) and \
                expects 200 with no results. This endpoint answered otherwise, so the portal's test and the job \
                would fail.
                """,
            example: "GET /Users?filter=userName eq \"…\" → 500"),
        DiagnosticRule(
            "probe.filter-ignored", .error,
            summary: "The vendor returned users for a random filter value: it ignores filters",
            explanation: """
                A filter for a random user name returned users. Entra finds existing accounts with such filters, \
                so it would match every Entra user to the first vendor account returned and overwrite it. Report \
                it to the vendor; do not start provisioning.
                """,
            example: "GET /Users?filter=userName eq \"x1y2z3\" → 3 users"),
        DiagnosticRule(
            "probe.no-service-provider-config", .warning,
            summary: "The vendor publishes no /ServiceProviderConfig",
            explanation: """
                Without /ServiceProviderConfig the probe cannot check that the vendor supports PATCH and filters, \
                which Entra relies on. Many small SCIM services omit it and still work; the rest of the probe \
                runs.
                """,
            example: "GET /ServiceProviderConfig → 404"),
        DiagnosticRule(
            "probe.patch-unsupported", .error,
            summary: "The vendor says it does not support PATCH, which Entra needs",
            explanation: """
                Entra updates users and groups with PATCH only. A vendor that declares `patch.supported: false` \
                will receive no updates, and every change after creation fails.
                """,
            example: #"{"patch": {"supported": false}}"#),
        DiagnosticRule(
            "probe.filter-unsupported", .error,
            summary: "The vendor says it does not support filters, which Entra needs",
            explanation: """
                Entra looks up existing accounts with `filter=ATTRIBUTE eq "value"` on the matching attributes. A \
                vendor without filter support cannot be matched, so Entra would create duplicates.
                """,
            example: #"{"filter": {"supported": false}}"#),
        DiagnosticRule(
            "probe.authentication-scheme", .warning,
            summary: "The vendor lists authentication schemes and none is a bearer token",
            explanation: """
                Entra sends the secret token as `Authorization: Bearer`. The vendor's /ServiceProviderConfig \
                lists only other schemes (basic, OAuth client credentials), so the token may not be accepted. \
                Many vendors list schemes loosely; the connection test decides.
                """,
            example: #"{"authenticationSchemes": [{"type": "httpbasic"}]}"#),
        DiagnosticRule(
            "probe.no-schemas", .warning,
            summary: "The vendor publishes no /Schemas; only the connection test could run",
            explanation: """
                Without /Schemas the probe cannot check the mapping's targets against the vendor's attributes. \
                Check them against the vendor's guide by hand, or run `scimctl simulate`.
                """,
            example: "GET /Schemas → 404"),
        DiagnosticRule(
            "probe.resource-type-missing", .error,
            summary: "The vendor lists no User or Group resource type",
            explanation: """
                /ResourceTypes does not list User (or Group, when group provisioning is on), so the vendor does \
                not accept that object. Switch group provisioning off if the vendor has no groups.
                """,
            example: """
                groups:
                  enabled: true      # the vendor has no Group resource type
                """,
            fixed: """
                groups:
                  enabled: false
                """),
        DiagnosticRule(
            "probe.unknown-target", .error,
            summary: "A target attribute the vendor's schema does not declare",
            explanation: """
                The vendor's /Schemas has no such attribute (or sub-attribute, or the extension schema is not one \
                of the resource type's). The vendor rejects or drops the value for every user. Check the name \
                against the vendor's schema (names are case-insensitive in SCIM) or remove the mapping.
                """,
            example: "- target: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
            fixed: "(remove the mapping, or map it to an attribute the vendor declares)"),
        DiagnosticRule(
            "probe.read-only-target", .error,
            summary: "A target attribute the vendor declares read-only",
            explanation: """
                The vendor declares the attribute `mutability: readOnly`: it sets the value itself and rejects or \
                ignores what Entra sends. Remove the mapping.
                """,
            example: "- target: meta.created",
            fixed: "(remove the mapping)"),
        DiagnosticRule(
            "probe.immutable-target", .error,
            summary: "An immutable vendor attribute written on every update",
            explanation: """
                The vendor declares the attribute `mutability: immutable`: it may be set once. A mapping that \
                applies always would send it again on each update, and the vendor rejects the update. Apply it \
                on create only.
                """,
            example: """
                - target: externalId
                  source: objectId
                """,
            fixed: """
                - target: externalId
                  source: objectId
                  apply: on-create
                """),
        DiagnosticRule(
            "probe.required-unmapped", .error,
            summary: "A vendor-required attribute no mapping sends",
            explanation: """
                The vendor's schema marks the attribute `required`, and no mapping sends it, so every create is \
                rejected. Map it.
                """,
            example: "the vendor requires name.familyName; the profile maps only userName",
            fixed: """
                - target: name.familyName
                  source: surname
                """),
        DiagnosticRule(
            "probe.matching-not-unique", .warning,
            summary: "A matching attribute the vendor does not declare unique",
            explanation: """
                Entra finds existing accounts through the matching attribute. If the vendor does not enforce its \
                uniqueness (`uniqueness: none`), a lookup can return several accounts. Prefer an attribute the \
                vendor declares unique, such as userName.
                """,
            example: """
                - target: displayName
                  matchingPrecedence: 1
                """,
            fixed: """
                - target: userName
                  matchingPrecedence: 1
                """),
        DiagnosticRule(
            "probe.filter-value", .warning,
            summary: "A filter value outside the vendor's canonical values",
            explanation: """
                A multi-valued target such as `emails[type eq "office"].value` uses a type the vendor does not \
                list among its canonicalValues. The vendor may store the value under no type or reject it.
                """,
            example: #"- target: emails[type eq "office"].value"#,
            fixed: #"- target: emails[type eq "work"].value"#),
    ]
}
