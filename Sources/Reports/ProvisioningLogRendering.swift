import GraphModel
import Provisioning

/// `scimctl logs`: the provisioning log per user, as text for people or JSON for scripts.
public enum ProvisioningLogRendering {
    /// `scimctl logs` for several applications: one after the other, a blank line between.
    public static func text(_ logs: [ApplicationProvisioningLog], style: Style) -> String {
        logs.map { text($0.summary, name: $0.name, style: style) }.joined(separator: "\n")
    }

    /// `scimctl logs --format json`: one application's document alone, several under `applications`.
    public static func json(_ logs: [ApplicationProvisioningLog]) -> JSONValue {
        let documents = logs.map { json($0.summary, name: $0.name) }
        return documents.count == 1 ? documents[0] : ["applications": .array(documents)]
    }

    public static func text(_ summary: ProvisioningLogSummary, name: String?, style: Style) -> String {
        var output = style.bold("provisioning log of \(name.map { "\"\($0)\"" } ?? "service principal")")
            + " (service principal \(summary.servicePrincipalID)) since \(ProvisioningLogWindow.timestamp(summary.since))"
            + (summary.failedOnly ? ", failures only" : "") + "\n"
        if summary.subjects.isEmpty {
            output += "  no entries" + (summary.failedOnly ? " that failed" : "")
                + " (the service logs within minutes of a cycle; a new job's first cycle can take longer)\n"
            return output
        }
        let counts = summary.countsByStatus
        let parts = ProvisioningLogEvent.Status.allCases.compactMap { status in
            counts[status].map { "\($0) \(status.rawValue)" }
        }
        output += "  \(summary.eventCount) entries for \(summary.subjects.count) objects: \(parts.joined(separator: ", "))\n"
        if summary.truncated {
            output += style.yellow("  ! stopped after the page limit: older entries were not read; narrow --since") + "\n"
        }
        for subject in summary.subjects {
            guard let latest = subject.latest else { continue }
            let label = subject.displayName.map { "\($0) (\(subject.id))" } ?? subject.id
            output += "  \(subject.type.lowercased()) \(label): \(latest.action.rawValue) \(colored(latest.status, style))"
            output += " at \(latest.time)"
            if subject.events.count > 1 {
                output += " (\(subject.events.count) entries, \(subject.failureCount) failed)"
            }
            output += "\n"
            if let code = latest.errorCode { output += "    error: \(code)\n" }
            if let reason = latest.reason { output += "    reason: \(reason)\n" }
            if let remedy = latest.remedy { output += style.bold("    what to do: ") + remedy + "\n" }
        }
        return output
    }

    static func colored(_ status: ProvisioningLogEvent.Status, _ style: Style) -> String {
        switch status {
        case .success: style.green(status.rawValue)
        case .skipped, .warning: style.yellow(status.rawValue)
        case .failure: style.red(status.rawValue)
        }
    }

    public static func json(_ summary: ProvisioningLogSummary, name: String?) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        let counts = summary.countsByStatus
        return [
            "application": optional(name), "servicePrincipalId": .string(summary.servicePrincipalID),
            "since": .string(ProvisioningLogWindow.timestamp(summary.since)), "failedOnly": .bool(summary.failedOnly),
            "truncated": .bool(summary.truncated), "entries": .integer(Int64(summary.eventCount)),
            "counts": .object(
                Dictionary(uniqueKeysWithValues: ProvisioningLogEvent.Status.allCases.map {
                    ($0.rawValue, JSONValue.integer(Int64(counts[$0] ?? 0)))
                })),
            "subjects": .array(
                summary.subjects.map { subject in
                    [
                        "id": .string(subject.id), "displayName": optional(subject.displayName), "type": .string(subject.type),
                        "events": .array(
                            subject.events.map { event in
                                [
                                    "id": .string(event.id), "time": .string(event.time), "action": .string(event.action.rawValue),
                                    "status": .string(event.status.rawValue), "errorCode": optional(event.errorCode),
                                    "reason": optional(event.reason), "remedy": optional(event.remedy),
                                    "cycleId": optional(event.cycleID), "jobId": optional(event.jobID),
                                    "targetId": optional(event.targetID),
                                    "modifiedProperties": .array(event.modifiedProperties.map(JSONValue.string)),
                                ]
                            }),
                    ]
                }),
        ]
    }
}
