import Diagnostics
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning

/// The wording of probe results.
public enum ProbeRendering {
    public static func text(_ reports: [SCIMProbeReport], texts: [String: String], style: Style) -> String {
        var output = ""
        for report in reports {
            output += style.bold("\(report.application): \(report.tenantURL)") + "\n"
            let pathWidth = report.exchanges.map(\.path.count).max() ?? 0
            for exchange in report.exchanges {
                let status = exchange.status.map(String.init) ?? "—"
                output += "  GET \(pad(exchange.path, pathWidth)) \(pad(status, 4)) \(exchange.milliseconds) ms"
                if let failure = exchange.failure { output += "  \(failure)" }
                output += "\n"
            }
            if let features = report.features {
                output += "  vendor supports: PATCH \(yesNo(features.patch)), filter \(yesNo(features.filter))"
                output += ", bulk \(yesNo(features.bulk))"
                if !features.authenticationSchemes.isEmpty {
                    output += "; authentication: \(features.authenticationSchemes.joined(separator: ", "))"
                }
                output += "\n"
            }
            if report.schemasChecked {
                for kind in ObjectKind.allCases {
                    let targets = report.targets.filter { $0.object == kind }
                    guard !targets.isEmpty else { continue }
                    let mapped = targets.filter { $0.status == .mapped }.count
                    output += "  \(kind.schemaObjectName): \(mapped) of \(targets.count) targets map onto the vendor's schema\n"
                    let width = min(48, targets.map(\.target.count).max() ?? 0)
                    for target in targets {
                        let mark = target.status == .mapped ? style.green("✓") : style.red("✗")
                        let detail =
                            target.status == .mapped
                            ? "→ " + (target.vendorAttribute ?? "")
                            : target.status.rawValue.replacingOccurrences(of: "-", with: " ")
                        output += "    \(mark) \(pad(target.target, width))  \(detail)\n"
                    }
                }
            } else if report.diagnostics.contains(where: { $0.id == .probeNoSchemas }) {
                output += "  \(report.targets.count) targets not checked (no vendor schema)\n"
            }
        }
        let diagnostics = reports.flatMap(\.diagnostics)
        if !diagnostics.isEmpty { output += "\n" }
        let renderer = TextRenderer(style: style)
        for report in reports {
            for diagnostic in report.diagnostics.sortedForOutput() {
                output += (reports.count > 1 ? "[\(report.application)] " : "") + renderer.line(for: diagnostic, texts: texts)
            }
        }
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        let summary =
            "probe: \(reports.count) application\(reports.count == 1 ? "" : "s"): \(errors) error\(errors == 1 ? "" : "s"), "
            + "\(warnings) warning\(warnings == 1 ? "" : "s")"
        output += (errors > 0 ? style.red(summary) : warnings > 0 ? style.yellow(summary) : style.green(summary)) + "\n"
        return output
    }

    public static func json(_ reports: [SCIMProbeReport]) -> JSONValue {
        let diagnostics = reports.flatMap { report in report.diagnostics.map { (report.application, $0) } }
        return [
            "applications": .array(
                reports.map { report in
                    [
                        "name": .string(report.application),
                        "tenantURL": .string(report.tenantURL),
                        "rounds": .integer(Int64(report.rounds)),
                        "requests": .array(
                            report.exchanges.map { exchange in
                                [
                                    "method": "GET", "path": .string(exchange.path),
                                    "status": exchange.status.map { .integer(Int64($0)) } ?? .null,
                                    "failure": exchange.failure.map(JSONValue.string) ?? .null,
                                    "milliseconds": .integer(Int64(exchange.milliseconds)),
                                ]
                            }),
                        "serviceProvider": report.features.map { features in
                            [
                                "patch": features.patch.map(JSONValue.bool) ?? .null,
                                "filter": features.filter.map(JSONValue.bool) ?? .null,
                                "bulk": features.bulk.map(JSONValue.bool) ?? .null,
                                "authenticationSchemes": .array(features.authenticationSchemes.map(JSONValue.string)),
                            ]
                        } ?? .null,
                        "schemasChecked": .bool(report.schemasChecked),
                        "targets": .array(
                            report.targets.map { target in
                                [
                                    "object": .string(target.object.rawValue), "target": .string(target.target),
                                    "status": .string(target.status.rawValue),
                                    "vendorAttribute": target.vendorAttribute.map(JSONValue.string) ?? .null,
                                    "matchingPriority": .integer(Int64(target.matchingPriority)),
                                ]
                            }),
                    ]
                }),
            "diagnostics": .array(
                diagnostics.map { application, diagnostic in
                    [
                        "application": .string(application),
                        "severity": .string(diagnostic.severity.rawValue), "id": .string(diagnostic.id.rawValue),
                        "message": .string(diagnostic.message),
                        "file": diagnostic.location.map { .string($0.file) } ?? .null,
                        "line": diagnostic.location.map { .integer(Int64($0.line)) } ?? .null,
                        "column": diagnostic.location.map { .integer(Int64($0.column)) } ?? .null,
                        "hint": diagnostic.hint.map(JSONValue.string) ?? .null,
                        "notes": .array(diagnostic.notes.map(JSONValue.string)),
                    ]
                }),
            "summary": [
                "applications": .integer(Int64(reports.count)),
                "errors": .integer(Int64(reports.flatMap(\.diagnostics).errorCount)),
                "warnings": .integer(Int64(reports.flatMap(\.diagnostics).warningCount)),
            ],
        ]
    }

    private static func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "not stated" }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
