import ArgumentParser
import Diagnostics
import Reports

enum RulesFormat: String, OutputFormat { case text, json, markdown }

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every diagnostic rule: id, severity, whether a policy may disable it, summary.",
        discussion: """
            `--format markdown` writes docs/rules.md (`make rules-doc`). `scimctl explain ID` prints one rule in full.
            """
    )

    @OptionGroup var format: FormatOption<RulesFormat>

    func run() throws {
        switch format.format {
        case .text: Output.out(RuleText.list())
        case .json: Output.out(RuleText.json())
        case .markdown: Output.out(RuleText.markdownDocument())
        }
    }
}

/// `scimctl explain ID`: one rule in full, as `rustc --explain` does.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
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

/// `scimctl manual`: a man page (roff) built from the same help text `--help` prints, so it never drifts.
/// `make install` writes it to share/man/man1/scimctl.1.
struct Manual: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the scimctl man page (roff).",
        shouldDisplay: false
    )

    func run() async throws {
        Output.out(ManualPage.render())
    }
}

enum ManualPage {
    static func render() -> String {
        let sections = commands(Scimctl.self, path: ["scimctl"]).map { path, command in
            (name: path.joined(separator: " "), help: Scimctl.helpMessage(for: command, includeHidden: false, columns: 100))
        }
        return ManualPageRendering.render(
            version: Scimctl.version, commands: sections,
            exitStatus: "0 success; 1 findings or a failed operation; 2 changes pending (plan --detailed-exitcode); 64 usage error.")
    }

    /// Every subcommand that does something, depth first, with its command path (each name as ArgumentParser parses
    /// it, declared or derived from the type).
    static func commands(_ command: any ParsableCommand.Type, path: [String]) -> [([String], any ParsableCommand.Type)] {
        let subcommands = command.configuration.subcommands
        guard !subcommands.isEmpty else { return [(path, command)] }
        var result: [([String], any ParsableCommand.Type)] = []
        for subcommand in subcommands where subcommand.configuration.shouldDisplay {
            result += commands(subcommand, path: path + [subcommand._commandName])
        }
        return result
    }
}
