import ArgumentParser
import Foundation
import GraphHTTP
import Provisioning
import Reports

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

    @OptionGroup var target: ApplicationTarget

    @Option(help: ArgumentHelp("How far back to read: 30m, 24h, 7d or an ISO 8601 date.", valueName: "WHEN"))
    var since = "24h"

    @Flag(help: "Only failed entries.")
    var failed = false

    @OptionGroup var format: FormatOption<ReportFormat>

    @OptionGroup var graph: GraphOptions

    func validate() throws { _ = try start() }

    func start() throws -> Date {
        do {
            return try ProvisioningLogWindow.start(since, now: Date())
        } catch {
            throw ValidationError("--since: \(error.description)")
        }
    }

    func run() async throws {
        let start = try start()
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
