// The project policy file (`.scimctl.yaml`) itself.

extension DiagnosticRegistry {
    static let policyRules: [DiagnosticRule] = [
        DiagnosticRule(
            "policy.invalid", .error,
            summary: "The policy file does not have the policy's shape",
            explanation: """
                A policy file is a YAML mapping with an optional `disable` list of rule ids and an optional \
                `severity` mapping from rule id to note, warning or error. Anything else (a list at the top, a \
                number where an id belongs) is refused, and the command stops with exit status 64 rather than run \
                under a policy it did not understand.
                """,
            example: "disable: profile.no-assignments",
            fixed: "disable: [profile.no-assignments]",
            locked: RuleLock.policy),
        DiagnosticRule(
            "policy.unknown-key", .error,
            summary: "A key the policy file format does not define",
            explanation: """
                The policy file knows `disable` and `severity`. A misspelt key would silently leave every rule on, \
                so it is an error; the hint names the closest key.
                """,
            example: "disabled: [profile.no-assignments]",
            fixed: "disable: [profile.no-assignments]",
            locked: RuleLock.policy),
        DiagnosticRule(
            "policy.unknown-rule", .error,
            summary: "The policy names a rule id scimctl does not have",
            explanation: """
                Every id in `disable` or `severity` (and every `--disable` on the command line) must be one \
                `scimctl rules` lists, so a typo cannot pass for a silenced rule. The hint names the closest id; \
                `scimctl explain ID` describes one.
                """,
            example: "disable: [profile.no-assignment]",
            fixed: "disable: [profile.no-assignments]",
            locked: RuleLock.policy),
        DiagnosticRule(
            "policy.locked-rule", .error,
            summary: "The policy disables or weakens a rule that must stay an error",
            explanation: """
                Some rules catch what Microsoft Graph would reject, what would make scimctl apply something other \
                than the profile says, or what could provision the wrong accounts. A policy may not disable them \
                or lower their severity; `scimctl rules` marks them and `scimctl explain ID` says why. Fix the \
                profile instead.
                """,
            example: "disable: [yaml.syntax]",
            fixed: "(fix the YAML; remove the entry)",
            locked: RuleLock.policy),
    ]
}
