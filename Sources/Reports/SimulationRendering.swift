import Diagnostics
import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning

/// `simulate`'s three report formats.
public enum SimulationRendering {
    /// `simulate`'s formats.
    public enum Format: String, CaseIterable, Sendable { case text, json, markdown }

    /// The report in one format; `style` colours text only.
    public static func render(_ report: SimulationReport, as format: Format, context: SimulationContext, style: Style) -> String {
        switch format {
        case .json: json(report).serialized(pretty: true) + "\n"
        case .text: text(report, context: context, style: style)
        case .markdown: markdown(report, context: context)
        }
    }

    /// Examples shown per reason in text and markdown; JSON lists every failing user.
    public static let examplesPerReason = 5

    public static func json(_ report: SimulationReport) -> JSONValue {
        var byReason: [String: JSONValue] = [:]
        for (id, count) in report.byReason { byReason[id.rawValue] = .integer(Int64(count)) }
        return [
            "summary": [
                "users": .integer(Int64(report.users)), "failing": .integer(Int64(report.failing)), "byReason": .object(byReason),
            ],
            "failures": .array(
                report.failures.map { failure in
                    [
                        "user": .string(failure.user), "id": .string(failure.id),
                        "findings": .array(
                            failure.findings.map {
                                ["id": .string($0.id.rawValue), "target": .string($0.target), "message": .string($0.message)]
                            }),
                    ]
                }),
        ]
    }

    /// Reasons by how many users they fail, most first, then by id.
    public static func reasons(_ report: SimulationReport) -> [(DiagnosticID, Int)] {
        report.byReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }

    /// The first few (user, finding) pairs for one reason.
    public static func examples(_ report: SimulationReport, reason: DiagnosticID) -> [(SimulatedUserFailure, SimulationFinding)] {
        var found: [(SimulatedUserFailure, SimulationFinding)] = []
        for failure in report.failures {
            if let finding = failure.findings.first(where: { $0.id == reason }) {
                found.append((failure, finding))
                if found.count == examplesPerReason { break }
            }
        }
        return found
    }

    /// A warning a line for each source attribute Graph cannot give (before the users are read).
    public static func unavailableWarnings(_ context: SimulationContext) -> String {
        context.unavailable.map {
            "warning: source attribute '\($0.name)' cannot be read from Graph (\($0.reason)); it is empty for every user\n"
        }.joined()
    }

    public static func headline(_ report: SimulationReport, context: SimulationContext) -> String {
        var line = "\(context.vendor) app '\(context.application)', scope \(context.scope.rawValue), users from \(context.source): "
            + "\(report.users.formatted()) user\(report.users == 1 ? "" : "s") evaluated"
        if report.skipped > 0 { line += ", \(report.skipped.formatted()) soft-deleted skipped" }
        return line
    }

    public static func text(_ report: SimulationReport, context: SimulationContext, style: Style) -> String {
        var output = headline(report, context: context) + "\n"
        for missing in context.unavailable {
            output += style.yellow("warning") + ": '\(missing.name)' is not readable from Graph (\(missing.reason))\n"
        }
        guard report.failing > 0 else {
            return output + style.green("ok") + ": no user would fail\n"
        }
        output += style.red("\(report.failing.formatted()) of \(report.users.formatted()) users would fail") + "\n"
        let ordered = reasons(report)
        let width = ordered.map(\.0.rawValue.count).max() ?? 0
        for (id, count) in ordered {
            output += "  " + id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(count.formatted()) user\(count == 1 ? "" : "s")\n"
        }
        for (id, count) in ordered {
            output += "\n" + style.bold(id.rawValue) + " (\(count.formatted()) user\(count == 1 ? "" : "s"))\n"
            let shown = examples(report, reason: id)
            for (failure, finding) in shown {
                output += "  \(displayName(failure)): \(finding.message)\n"
            }
            if count > shown.count { output += style.dim("  … and \((count - shown.count).formatted()) more") + "\n" }
        }
        return output
    }

    public static func markdown(_ report: SimulationReport, context: SimulationContext) -> String {
        var output = "## scimctl simulate: \(context.application)\n\n" + headline(report, context: context) + ".\n\n"
        for missing in context.unavailable {
            output += "> **Warning**: `\(missing.name)` is not readable from Graph (\(missing.reason)).\n\n"
        }
        guard report.failing > 0 else { return output + "**No user would fail.**\n" }
        output += "**\(report.failing.formatted()) of \(report.users.formatted()) users would fail.**\n\n"
        output += "| rule | users |\n|---|---:|\n"
        let ordered = reasons(report)
        for (id, count) in ordered { output += "| `\(id.rawValue)` | \(count.formatted()) |\n" }
        for (id, count) in ordered {
            output += "\n### `\(id.rawValue)`\n\n| user | target | finding |\n|---|---|---|\n"
            let shown = examples(report, reason: id)
            for (failure, finding) in shown {
                output += "| \(cell(displayName(failure))) | `\(cell(finding.target))` | \(cell(finding.message)) |\n"
            }
            if count > shown.count { output += "\n…and \((count - shown.count).formatted()) more (see `--format json`).\n" }
        }
        return output
    }

    public static func displayName(_ failure: SimulatedUserFailure) -> String {
        failure.user.isEmpty ? failure.id : "\(failure.user) (\(failure.id))"
    }

    /// Text safe inside a markdown table cell.
    public static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
