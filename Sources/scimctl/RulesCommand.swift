import ArgumentParser
import Diagnostics
import Foundation
import GraphSync

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
        case .failure(let refusal): throw ValidationError(Output.escapedForTerminal(refusal.message))
        }
    }
}

/// The wording of rules in every place they appear: the list, `explain`, docs/rules.md and SARIF's help.
enum RuleText {
    static let projectURI = "https://github.com/scimctl/scimctl"

    /// Where docs/rules.md describes the rule (GitHub's heading anchor drops the dots).
    static func documentationURI(for id: DiagnosticID) -> String {
        projectURI + "/blob/main/docs/rules.md#" + id.rawValue.replacingOccurrences(of: ".", with: "")
    }

    static func disabling(_ rule: DiagnosticRule) -> String {
        if let reason = rule.lockedBecause, rule.locksErrorsOnly {
            return "Its warnings can be disabled with `--disable \(rule.id)` or in `.scimctl.yaml`; its errors stay on: "
                + "\(reason)."
        }
        if let reason = rule.lockedBecause { return "Always on: \(reason)." }
        return "Disable it with `--disable \(rule.id)` or in `.scimctl.yaml` (`disable: [\(rule.id)]`)."
    }

    static func list() -> String {
        let width = DiagnosticRegistry.all.map(\.id.rawValue.count).max() ?? 0
        var text = ""
        for (category, title) in DiagnosticRegistry.categories {
            let rules = DiagnosticRegistry.all.filter { $0.category == category }
            guard !rules.isEmpty else { continue }
            text += "\(title):\n"
            for rule in rules {
                let id = rule.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                text += "  \(id)  \(severity)  \(marker(rule))  \(rule.summary)\n"
            }
            text += "\n"
        }
        return text + "! = always on (a policy cannot disable it); ~ = only its warnings can be disabled.\n"
            + "scimctl explain ID describes a rule.\n"
    }

    static func marker(_ rule: DiagnosticRule) -> String {
        rule.lockedBecause == nil ? " " : rule.locksErrorsOnly ? "~" : "!"
    }

    static func json() -> String {
        let rules: [JSONValue] = DiagnosticRegistry.all.map { rule in
            var object: [String: JSONValue] = [
                "id": .string(rule.id.rawValue),
                "category": .string(rule.category),
                "severity": .string(rule.severity.rawValue),
                "summary": .string(rule.summary),
                "explanation": .string(rule.explanation),
                "example": .string(rule.example),
                "canBeDisabled": .bool(rule.canBeDisabled),
            ]
            if let fixed = rule.fixed { object["fixed"] = .string(fixed) }
            if let reason = rule.lockedBecause {
                object["lockedBecause"] = .string(reason)
                object["locksErrorsOnly"] = .bool(rule.locksErrorsOnly)
            }
            return .object(object)
        }
        return JSONValue.object(["rules": .array(rules)]).serialized(pretty: true) + "\n"
    }

    static func explanation(_ rule: DiagnosticRule) -> String {
        var text = "\(rule.id) (\(rule.severity.rawValue)): \(rule.summary)\n\n"
        text += wrapped(rule.explanation, width: 100) + "\n\n"
        text += "Example:\n" + indented(rule.example) + "\n"
        if let fixed = rule.fixed { text += "\nFixed:\n" + indented(fixed) + "\n" }
        text += "\n" + wrapped(disabling(rule).replacingOccurrences(of: "`", with: ""), width: 100) + "\n"
        return text
    }

    /// SARIF `help.text`: the explanation and what to do.
    static func help(_ rule: DiagnosticRule) -> String {
        var text = rule.explanation + "\n\nExample:\n" + indented(rule.example)
        if let fixed = rule.fixed { text += "\nFixed:\n" + indented(fixed) }
        return text + "\n" + disabling(rule).replacingOccurrences(of: "`", with: "")
    }

    static func markdownHelp(_ rule: DiagnosticRule) -> String {
        var text = rule.explanation + "\n\nExample:\n\n" + fenced(rule.example)
        if let fixed = rule.fixed { text += "\nFixed:\n\n" + fenced(fixed) }
        return text + "\n" + disabling(rule)
    }

    /// docs/rules.md: an index table per area, then every rule in full.
    static func markdownDocument() -> String {
        var text = """
            # Diagnostic rules

            <!-- Generated by `scimctl rules --format markdown` (`make rules-doc`); do not edit by hand. -->

            Every finding scimctl prints carries one of these ids. `scimctl explain ID` prints a rule's entry,
            `scimctl rules --format json` lists them for tools. Rules marked **always on** catch what Microsoft Graph
            would reject or what could damage the tenant; a policy cannot disable them (see [policy.md](policy.md)).

            """
        for (category, title) in DiagnosticRegistry.categories {
            let rules = DiagnosticRegistry.all.filter { $0.category == category }
            guard !rules.isEmpty else { continue }
            text += "\n## \(title)\n\n| id | severity | disable | summary |\n|---|---|---|---|\n"
            for rule in rules {
                let anchor = rule.id.rawValue.replacingOccurrences(of: ".", with: "")
                text += "| [`\(rule.id)`](#\(anchor)) | \(rule.severity.rawValue) | "
                    + "\(rule.lockedBecause == nil ? "yes" : rule.locksErrorsOnly ? "warnings only" : "always on") | "
                    + "\(tableCell(rule.summary)) |\n"
            }
            for rule in rules {
                text += "\n### `\(rule.id)`\n\n**\(rule.severity.rawValue)**: \(rule.summary).\n\n"
                text += markdownHelp(rule) + "\n"
            }
        }
        return text
    }

    /// Text for a Markdown table cell: `|` would end the cell and `*` start emphasis.
    static func tableCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*")
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    static func fenced(_ text: String) -> String {
        let fence = text.contains("```") ? "~~~~" : "```"
        return fence + "\n" + text + "\n" + fence + "\n"
    }

    /// Words wrapped at `width` columns (a word longer than that stands on its own line).
    static func wrapped(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
