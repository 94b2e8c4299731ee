/// Which rules are off and which report at another severity. validate, render, plan and apply all filter their
/// findings through one policy, so a profile that validates under it is never refused by apply for a rule it
/// disables. Build one with `adding(disabled:)` / `adding(severity:for:)`, which refuse unknown and locked rules.
public struct DiagnosticPolicy: Sendable, Hashable {
    public private(set) var silenced: Set<DiagnosticID> = []
    public private(set) var severities: [DiagnosticID: Severity] = [:]

    public init() {}

    /// Why a policy entry is refused. The executable words it (a usage error); the policy file loader turns it
    /// into a diagnostic at the entry.
    public enum Refusal: Error, Sendable, Hashable {
        /// The id is not in the registry; `suggestion` is the closest one that is.
        case unknownRule(String, suggestion: DiagnosticID?)
        /// The rule may not be disabled or lowered below its default severity.
        case locked(DiagnosticRule)

        /// One line, lower-case, for messages.
        public var message: String {
            switch self {
            case .unknownRule(let text, let suggestion):
                "unknown rule '\(text)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                    + " (scimctl rules lists them)"
            case .locked(let rule):
                rule.canBeDisabled
                    ? "rule '\(rule.id)' cannot be weakened below error: \(rule.lockedBecause ?? "")"
                    : "rule '\(rule.id)' cannot be disabled or weakened: \(rule.lockedBecause ?? "")"
            }
        }
    }

    /// The rule an entry names, or why it is refused.
    public static func rule(named text: String) -> Result<DiagnosticRule, Refusal> {
        if let rule = DiagnosticRegistry.rule(DiagnosticID(text)) { return .success(rule) }
        return .failure(.unknownRule(text, suggestion: DiagnosticRegistry.suggestion(for: text)))
    }

    /// Turns rule `text` off.
    public mutating func disable(_ text: String) throws(Refusal) {
        let rule = try Self.rule(named: text).get()
        guard rule.canBeDisabled else { throw .locked(rule) }
        silenced.insert(rule.id)
    }

    /// Reports rule `text` at `severity`. Raising is always allowed; a locked rule may not go below error.
    public mutating func setSeverity(_ severity: Severity, for text: String) throws(Refusal) {
        let rule = try Self.rule(named: text).get()
        if rule.lockedBecause != nil, severity < .error { throw .locked(rule) }
        severities[rule.id] = severity
    }

    /// This policy with `other`'s entries added (command-line flags on top of the policy file); `other` wins on
    /// severity.
    public func merging(_ other: DiagnosticPolicy) -> DiagnosticPolicy {
        var result = self
        result.silenced.formUnion(other.silenced)
        result.severities.merge(other.severities) { _, new in new }
        return result
    }

    public var isEmpty: Bool { silenced.isEmpty && severities.isEmpty }

    /// The findings the policy keeps, with their severity adjusted. `disable` and `setSeverity` already refuse
    /// locked rules; this checks again per finding (an id missing from the registry counts as locked), so no
    /// policy can let a profile Graph would reject through.
    public func apply(to diagnostics: [Diagnostic]) -> [Diagnostic] {
        if isEmpty { return diagnostics }
        return diagnostics.compactMap { diagnostic in
            let locked = DiagnosticRegistry.rule(diagnostic.id).map { $0.lockedBecause != nil } ?? true
            if silenced.contains(diagnostic.id), !(locked && diagnostic.severity == .error) { return nil }
            guard let severity = severities[diagnostic.id] else { return diagnostic }
            if locked, diagnostic.severity == .error, severity < .error { return diagnostic }
            var adjusted = diagnostic
            adjusted.severity = severity
            return adjusted
        }
    }
}
