import ArgumentParser
import Foundation
import GraphSync
import Profiles
import Provisioning

/// `scimctl logs`: the provisioning log of an app, per user, with what to do about each failure.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show the provisioning log of an application per user: action, status, failure reason and remedy.",
        discussion: """
            Reads GET /auditLogs/provisioning (needs AuditLog.Read.All). Name the application with a profile (found \
            by appId or displayName as plan does) or with --service-principal-id. --since takes a duration back \
            from now (30m, 24h, 7d) or an ISO 8601 date or date-time; Entra keeps 30 days of logs. Exit codes: 0 read \
            (failures are listed, not an error), 1 error, 64 usage error.
            """
    )

    @Argument(help: "A profile file or bundled profile name (or use --service-principal-id).")
    var profile: String?

    @Option(
        name: .customLong("param"), help: ArgumentHelp("A profile parameter.", valueName: "KEY=VALUE"),
        completion: Completions.parameter)
    var parameters: [String] = []

    @Option(name: .customLong("app"), help: "Only this application of the profile.")
    var application: String?

    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp("The enterprise application's service principal object id.", valueName: "ID"))
    var servicePrincipalID: String?

    @Option(help: ArgumentHelp("How far back to read: 30m, 24h, 7d or an ISO 8601 date.", valueName: "WHEN"))
    var since = "24h"

    @Flag(help: "Only failed entries.")
    var failed = false

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        if profile == nil && servicePrincipalID == nil {
            throw ValidationError("name the application: a profile, or --service-principal-id ID")
        }
        if profile != nil && servicePrincipalID != nil {
            throw ValidationError("give either a profile or --service-principal-id, not both")
        }
        do {
            _ = try ProvisioningLogWindow.start(since, now: Date())
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let start: Date
        do {
            start = try ProvisioningLogWindow.start(since, now: Date())
        } catch {
            throw ValidationError(error.description)
        }
        var chosen: [ResolvedApplication] = []
        if let profile {
            let resolved = try LoadedProfile.resolve(profile, parameters: parameters)
            chosen = resolved.applications.filter { application == nil || $0.name == application }
            guard !chosen.isEmpty else {
                throw ValidationError("profile '\(resolved.profile.name)' has no application '\(application ?? "")'")
            }
        }
        let session = try GraphSession.make(graph)
        let reader = ProvisioningLogReader(graph: session.client)
        var summaries: [(name: String?, summary: ProvisioningLogSummary)] = []
        do {
            if let servicePrincipalID {
                summaries.append((nil, try await reader.read(servicePrincipalID: servicePrincipalID, since: start, failedOnly: failed)))
            }
            for application in chosen {
                let id = try await reader.servicePrincipalID(for: application)
                summaries.append((application.displayName, try await reader.read(servicePrincipalID: id, since: start, failedOnly: failed)))
            }
        } catch {
            throw CommandFailure.report(error, session: session)
        }
        switch format {
        case .json:
            let documents = summaries.map { Self.json($0.summary, name: $0.name) }
            let document: JSONValue = documents.count == 1 ? documents[0] : ["applications": .array(documents)]
            Output.out(session.redactor.redact(document.serialized(pretty: true)) + "\n")
        case .text:
            let style = Style(enabled: Output.colorEnabled(forStdout: true))
            Output.out(
                session.redactor.redact(
                    summaries.map { Self.text($0.summary, name: $0.name, style: style) }.joined(separator: "\n")))
        }
    }

    static func text(_ summary: ProvisioningLogSummary, name: String?, style: Style) -> String {
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

    static func json(_ summary: ProvisioningLogSummary, name: String?) -> JSONValue {
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
