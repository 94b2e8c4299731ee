import ArgumentParser
import Reports
import Diagnostics

enum RulesFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// `scimctl rules`: every diagnostic id, from the registry.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every diagnostic rule: id, severity, whether a policy may disable it, summary.",
        discussion: """
            `--format markdown` writes docs/rules.md (`make rules-doc`). `scimctl explain ID` prints one rule in full.
            """
    )

    @Option(help: "Output format: text, json or markdown.")
    var format: RulesFormat = .text

    func run() throws {
        switch format {
        case .text: Output.out(RuleText.list())
        case .json: Output.out(RuleText.json())
        case .markdown: Output.out(RuleText.markdownDocument())
        }
    }
}

/// `scimctl explain ID`: one rule in full, as `rustc --explain` does.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one diagnostic rule: why it matters, an example and its fix.",
        discussion: "Exit status: 0, or 64 for an id that is not a rule (with the closest one suggested)."
    )

    @Argument(help: "A rule id such as mapping.unknown-source.")
    var id: String

    func run() throws {
        switch DiagnosticPolicy.rule(named: id) {
        case .success(let rule): Output.out(RuleText.explanation(rule))
        case .failure(let refusal): throw ValidationError(TerminalText.escaped(refusal.message))
        }
    }
}
