import ArgumentParser
import Foundation
import GraphHTTP
import Provisioning
import Reports
import VendorProfiles

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the provisioning job state, last run, counts and any quarantine with its remedy (reads only).",
        discussion: """
            A profile names its applications by display name, as plan finds them. The --fail-on states: quarantine \
            (the job is quarantined), failure (the last run failed or runs fail in a row), warning (the last run had \
            entry-level errors or objects wait to be retried). Exit codes: 0 read (and no --fail-on state), 1 error \
            or a --fail-on state, 64 usage error.
            """
    )

    @OptionGroup var target: ApplicationTarget

    @OptionGroup var format: FormatOption<ReportFormat>

    @Option(
        help: ArgumentHelp("Exit 1 when a job is in one of these states: quarantine, failure, warning.", valueName: "STATES"),
        transform: { text throws(JobCondition.UnknownName) in try JobCondition.parseList(text) })
    var failOn: Set<JobCondition> = []

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let chosen = try target.applications()
        let session = try GraphSession.make(graph)
        let reports = try await session.attempt {
            try await StatusReader(graph: session.client).reports(
                servicePrincipalID: target.servicePrincipal.id, displayNames: chosen.map(\.displayName))
        }
        Output.out(format.render(
            json: { DayTwoRendering.statusJSON(reports, words: RemedyWording.job) },
            text: { DayTwoRendering.statusText(reports, applications: chosen, style: $0, words: RemedyWording.job) }))
        let failing = DayTwoRendering.failOnLines(reports, failing: failOn)
        failing.forEach { Output.errLine($0) }
        if !failing.isEmpty { throw ExitCode.failure }
    }
}

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the provisioning log of an application per user: action, status, failure reason and remedy.",
        discussion: """
            Reads GET /auditLogs/provisioning (needs AuditLog.Read.All); Entra keeps 30 days of logs. A profile names \
            its applications by appId or display name, as plan finds them. Exit codes: 0 read (failures are listed, \
            not an error), 1 error, 64 usage error.
            """
    )

    @OptionGroup var target: ApplicationTarget

    @Option(
        help: ArgumentHelp(
            "How far back to read: 30m, 24h, 7d, or an ISO 8601 date or date-time (default: 24h).", valueName: "WHEN"),
        transform: { text throws(ProvisioningLogWindow.InvalidSince) in try ProvisioningLogWindow.start(text, now: Date()) })
    var since: Date?

    @Flag(help: "Only failed entries.")
    var failed = false

    @OptionGroup var format: FormatOption<ReportFormat>

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let start = since ?? Date().addingTimeInterval(-24 * 3_600)
        let chosen = try target.applications()
        let session = try GraphSession.make(graph)
        let logs = try await session.attempt {
            try await ProvisioningLogReader(graph: session.client).read(
                servicePrincipalID: target.servicePrincipal.id, applications: chosen, since: start, failedOnly: failed)
        }
        Output.out(session.redactor.redact(format.render(
            json: { ProvisioningLogRendering.json(logs) }, text: { ProvisioningLogRendering.text(logs, style: $0) })))
    }
}
