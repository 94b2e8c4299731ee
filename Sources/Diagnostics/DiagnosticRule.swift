/// What one diagnostic id means: the entry `scimctl rules` lists and `scimctl explain ID` prints.
public struct DiagnosticRule: Sendable, Hashable {
    public var id: DiagnosticID
    /// The severity the rule usually reports with. A few rules report a milder or harsher severity in some places
    /// (a typographic quote in a description is a warning, in an expression an error); the explanation says where.
    public var severity: Severity
    /// One line, capitalised, no trailing period.
    public var summary: String
    /// Why it matters for Entra provisioning and what to do about it.
    public var explanation: String
    /// A minimal profile snippet or expression that triggers the rule.
    public var example: String
    /// The same snippet, corrected; nil when there is no single fix.
    public var fixed: String?
    /// Why a policy may not disable the rule's errors or lower their severity; nil when it may.
    public var lockedBecause: String?
    /// For a locked rule that also reports warnings (a typographic quote in a description): `disable` is accepted
    /// and silences the warnings and notes, while its errors stay.
    public var locksErrorsOnly: Bool

    public init(
        _ id: DiagnosticID, _ severity: Severity, summary: String, explanation: String, example: String,
        fixed: String? = nil, locked: String? = nil, locksErrorsOnly: Bool = false
    ) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.explanation = explanation
        self.example = example
        self.fixed = fixed
        self.lockedBecause = locked
        self.locksErrorsOnly = locksErrorsOnly
    }

    /// Whether a policy may name the rule in `disable` (for `locksErrorsOnly` rules that silences the warnings).
    public var canBeDisabled: Bool { lockedBecause == nil || locksErrorsOnly }

    /// The part before the first dot: `mapping.unknown-source` → `mapping`.
    public var category: String {
        id.rawValue.split(separator: ".").first.map(String.init) ?? id.rawValue
    }

    /// `mapping.unknown-source` → `MappingUnknownSource` (SARIF's readable rule name).
    public var name: String {
        id.rawValue.split(whereSeparator: { $0 == "." || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }
}

/// Why a rule stays on whatever the policy says. Shared wording keeps `explain` and the usage errors consistent.
public enum RuleLock {
    public static let unreadable =
        "without it scimctl cannot read the profile as written, so what it would apply is not what the file says"
    public static let graphRejects = "Microsoft Graph or the provisioning service rejects what this rule catches"
    public static let tenantDamage = "applying anyway could provision the wrong accounts or overwrite tenant settings"
    public static let usage = "it reports a mistake in the command line or input, not a matter of taste"
    public static let policy = "it reports a broken policy file; a policy cannot switch off its own checks"
}

/// The one list of every diagnostic id scimctl reports. Each area of the tool contributes a table
/// (`Rules/*.swift`); lookups, `scimctl rules`, `scimctl explain`, SARIF rule metadata and the policy's checks all
/// read this list, so an id missing from it is a bug a test catches.
public enum DiagnosticRegistry {
    /// Every rule, ordered by area then id as the tables list them.
    public static let all: [DiagnosticRule] =
        inputRules + mappingRules + expressionRules + previewRules + probeRules + policyRules

    private static let byID: [DiagnosticID: DiagnosticRule] = Dictionary(
        all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    public static func rule(_ id: DiagnosticID) -> DiagnosticRule? { byID[id] }

    /// The registered id closest to `text` (for "did you mean"), or nil when none is close.
    public static func suggestion(for text: String) -> DiagnosticID? {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if let exact = all.first(where: { $0.id.rawValue.lowercased() == trimmed.lowercased() }) { return exact.id }
        if let closest = Suggestions.closest(to: trimmed, in: all.map(\.id.rawValue)) { return DiagnosticID(closest) }
        // `unknown-sorce` for `mapping.unknown-source`: the part after the dot alone, when only one rule has it
        // (not for short words, which come close to too many tails by chance).
        guard trimmed.count >= 6 else { return nil }
        let tails = all.map { String($0.id.rawValue.drop(while: { $0 != "." }).dropFirst()) }
        guard let tail = Suggestions.closest(to: trimmed, in: Set(tails)) else { return nil }
        let matches = all.filter { $0.id.rawValue.hasSuffix("." + tail) }
        return matches.count == 1 ? matches[0].id : nil
    }

    /// The areas in the order the tables list them, with a readable title each.
    public static let categories: [(id: String, title: String)] = [
        ("file", "Input files"), ("yaml", "YAML"), ("profile", "Profile shape"), ("param", "Parameters"),
        ("mapping", "Attribute mappings"), ("text", "Copy-paste damage"), ("vendor", "Vendor rules"),
        ("expression", "Mapping expressions"), ("preview", "Preview"), ("simulate", "Directory simulation"),
        ("probe", "Vendor SCIM endpoint (probe)"), ("policy", "Policy file"),
    ]

    public static func title(ofCategory category: String) -> String {
        categories.first { $0.id == category }?.title ?? category
    }
}
