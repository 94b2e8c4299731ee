import Diagnostics

/// What each diagnostic id means, for reports that describe their rules (SARIF's `rules`). One line per id; an id
/// added without an entry still gets its category's description, and a CLI test lists ids that lack one.
enum RuleCatalog {
    static let informationURI = "https://github.com/scimctl/scimctl"

    static let summaries: [String: String] = [
        "file.too-large": "The input is larger than a profile can be (1 MiB)",
        "file.binary": "The input is binary or not UTF-8 text",
        "file.unreadable": "The input file cannot be read",
        "file.no-profiles": "A directory holds no profiles (*.yaml or *.yml)",
        "yaml.syntax": "The YAML does not parse",
        "yaml.duplicate-key": "A YAML mapping repeats a key",
        "yaml.too-deep": "The YAML nests deeper than a profile ever needs",
        "yaml.too-complex": "The YAML expands to too many nodes (an alias bomb)",
        "yaml.yaml11-boolean": "A YAML 1.1 boolean word (yes, no, on, off) where a string or true/false is meant",
        "profile.empty": "The profile is empty",
        "profile.unknown-key": "A key the profile format does not define",
        "profile.missing-key": "A required key is missing",
        "profile.type": "A value has the wrong type",
        "profile.value": "A value outside its allowed set",
        "profile.exactly-one": "A mapping needs exactly one of source, constant or expression",
        "profile.tenant-url": "The tenant URL is not an absolute https URL with a valid host",
        "profile.tenant-url-lookup": "The tenant URL lookup table lacks a value for a parameter",
        "profile.placeholder": "A {placeholder} names no parameter",
        "profile.duplicate-application": "Two applications share one name",
        "profile.notification-email": "The notification e-mail address is malformed",
        "param.unknown": "A --param the profile does not declare",
        "param.missing": "A required parameter has no value",
        "param.value": "A parameter value outside its allowed values or pattern",
        "param.pattern": "A parameter's pattern is not a valid regular expression",
        "mapping.target-syntax": "A target attribute path is malformed",
        "mapping.unknown-target": "A target attribute the SCIM schema lacks and the profile does not declare",
        "mapping.unknown-source": "A source attribute Entra ID users or groups do not have",
        "mapping.duplicate-target": "Two mappings write the same target attribute",
        "mapping.no-matching-attribute": "An enabled object mapping has no matching attribute",
        "mapping.duplicate-precedence": "Two matching attributes share one precedence",
        "text.typographic-quote": "Typographic quotes where Entra expects straight quotes",
        "vendor.target-not-allowed": "The vendor does not accept this target attribute",
        "vendor.required-target": "The vendor requires a target attribute the profile does not map",
        "vendor.prerequisite": "A step the vendor requires outside Entra ID",
        "preview.evaluation": "A mapping could not be evaluated for the sample object",
        "preview.format-international-digits": "A phone number with too few or too many digits for international format",
        "preview.format-rfc3966": "A phone number that does not fit the RFC 3966 tel: format",
        "expression.empty": "An empty expression",
        "expression.too-long": "An expression longer than 10,000 characters",
        "expression.unexpected-character": "A character that cannot start a token",
        "expression.unterminated-string": "A string without its closing quote",
        "expression.unknown-escape": "A backslash before something other than a quote or backslash",
        "expression.unterminated-attribute": "An attribute reference without its closing bracket",
        "expression.empty-attribute": "An empty attribute reference []",
        "expression.attribute-whitespace": "Spaces inside an attribute reference",
        "expression.unsupported-operator": "An operator the expression language lacks (&, +, ==, !=)",
        "expression.decimal-number": "A decimal number; only integers are numbers",
        "expression.typographic-quote": "Typographic quotes instead of straight quotes",
        "expression.single-quoted-string": "A single-quoted string",
        "expression.full-width-punctuation": "Full-width punctuation copied from CJK text",
        "expression.markdown-escape": "A Markdown escape copied from rendered documentation",
        "expression.trailing-period": "A sentence's trailing period after the expression",
        "expression.backtick": "Code-span backticks around the expression",
        "expression.non-ascii-whitespace": "A no-break or full-width space",
        "expression.expected-value": "A missing operand or function name",
        "expression.expected-comma": "Two arguments without a comma between them",
        "expression.missing-closing-parenthesis": "A call without its closing parenthesis",
        "expression.unexpected-closing-parenthesis": "A closing parenthesis too many",
        "expression.trailing-input": "Input after a complete expression",
        "expression.bare-identifier": "An unquoted word where a string is meant",
        "expression.space-before-parenthesis": "A space between a function name and its parenthesis",
        "expression.chained-comparison": "A chained comparison such as a = b = c",
        "expression.nesting-too-deep": "Nesting deeper than 128 levels",
        "expression.unknown-function": "A function the provisioning service does not have",
        "expression.function-case": "A function name in the wrong case",
        "expression.function-not-for-provisioning": "A function not documented for app provisioning",
        "expression.argument-count": "Too few or too many arguments",
        "expression.missing-argument": "A required argument left empty",
        "expression.switch-pairs": "Switch with an odd argument count (the default slot is missing)",
        "expression.switch-source-predicate": "A predicate used as the source of Switch",
        "expression.legacy-format-date-time": "The old three-argument FormatDateTime",
        "expression.job-kind": "SelectUniqueValue in a SCIM provisioning job",
        "expression.not-top-level": "A function that must be the whole expression is nested",
        "expression.role-argument": "A role function whose argument is not [appRoleAssignments]",
        "expression.misplaced-comparison": "A comparison outside IIF's condition or CBool's argument",
        "expression.date-interval": "A DateAdd/DateDiff interval other than yyyy m d ww h n s",
        "expression.unknown-attribute": "An attribute not in the source schema",
        "expression.attribute-case": "An attribute name in the wrong case",
        "expression.unavailable-attribute": "An attribute the provisioning service cannot read",
        "expression.too-many-findings": "More findings than are shown; the most severe one hidden decides the exit code",
        "expression.regex": "A Replace regular expression that does not compile or can backtrack catastrophically",
        "profile.duplicate-value": "A list (allowed values, actions) repeats a value",
        "profile.display-name": "A display name that is empty, longer than 256 characters or spans lines",
        "mapping.no-actions": "An enabled object mapping with no target object actions",
        "simulate.evaluation-error": "A mapping could not be evaluated for a user of the directory",
        "simulate.matching-attribute-empty": "A user's matching attribute comes out empty, so Entra cannot match or create it",
        "simulate.required-target-empty": "A target the vendor requires comes out empty for a user",
        "simulate.duplicate-matching-value": "Two users would send the same matching value",
        "simulate.value-too-long": "A value longer than the vendor or SCIM accepts",
        "simulate.value-type": "A value that does not fit the target's type (Boolean, Integer)",
        "probe.missing-token": "The vendor token's variable or file is not there; nothing was sent",
        "probe.token-refused": "The SCIM endpoint refused the token (401 or 403)",
        "probe.wrong-path": "Every SCIM endpoint answered 404: the tenant URL is likely wrong",
        "probe.tls": "The TLS connection to the SCIM endpoint failed",
        "probe.timeout": "The SCIM endpoint did not answer in time",
        "probe.connection-failed": "No connection to the SCIM endpoint could be made",
        "probe.unexpected-response": "The SCIM endpoint answered with something that is not SCIM JSON",
        "probe.connection-test": "Entra's connection test (a filtered GET /Users) failed",
        "probe.filter-ignored": "The vendor returned users for a random filter value: it ignores filters",
        "probe.no-service-provider-config": "The vendor publishes no /ServiceProviderConfig",
        "probe.patch-unsupported": "The vendor says it does not support PATCH, which Entra needs",
        "probe.filter-unsupported": "The vendor says it does not support filters, which Entra needs",
        "probe.authentication-scheme": "The vendor lists authentication schemes and none is a bearer token",
        "probe.no-schemas": "The vendor publishes no /Schemas; only the connection test could run",
        "probe.resource-type-missing": "The vendor lists no User or Group resource type",
        "probe.unknown-target": "A target attribute the vendor's schema does not declare",
        "probe.read-only-target": "A target attribute the vendor declares read-only",
        "probe.immutable-target": "An immutable vendor attribute written on every update",
        "probe.required-unmapped": "A vendor-required attribute no mapping sends",
        "probe.matching-not-unique": "A matching attribute the vendor does not declare unique",
        "probe.filter-value": "A filter value outside the vendor's canonical values",
    ]

    static let categories: [String: String] = [
        "file": "input file", "yaml": "YAML", "profile": "profile shape", "param": "parameters",
        "mapping": "attribute mappings", "text": "copy-paste damage", "vendor": "vendor rules",
        "preview": "preview", "expression": "mapping expressions", "probe": "vendor SCIM endpoint",
        "simulate": "directory simulation",
    ]

    static func category(for id: DiagnosticID) -> String {
        let prefix = id.rawValue.split(separator: ".").first.map(String.init) ?? id.rawValue
        return categories[prefix] ?? prefix
    }

    static func summary(for id: DiagnosticID) -> String {
        summaries[id.rawValue] ?? "A \(category(for: id)) finding (\(id.rawValue))"
    }

    /// `mapping.unknown-source` → `MappingUnknownSource`: SARIF's readable rule name.
    static func name(for id: DiagnosticID) -> String {
        id.rawValue.split(whereSeparator: { $0 == "." || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }
}
