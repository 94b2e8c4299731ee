import ArgumentParser
import Foundation
import GraphHTTP
import GraphModel
import Provisioning
import Reports
import VendorProfiles

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

    @OptionGroup var parameters: ParameterOptions

    @Option(name: .customLong("app"), help: "Only this application of the profile.")
    var application: String?

    @OptionGroup var servicePrincipal: ServicePrincipalOption

    @Option(help: ArgumentHelp("How far back to read: 30m, 24h, 7d or an ISO 8601 date.", valueName: "WHEN"))
    var since = "24h"

    @Flag(help: "Only failed entries.")
    var failed = false

    @OptionGroup var format: FormatOption<PlanFormat>

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        if profile == nil && servicePrincipal.id == nil {
            throw ValidationError("name the application: a profile, or --service-principal-id ID")
        }
        if profile != nil && servicePrincipal.id != nil {
            throw ValidationError("give either a profile or --service-principal-id, not both")
        }
        _ = try start()
    }

    func start() throws -> Date {
        do {
            return try ProvisioningLogWindow.start(since, now: Date())
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let start = try start()
        let chosen =
            try profile.map { try LoadedProfile.resolve($0, parameters: parameters, application: application).applications } ?? []
        let session = try GraphSession.make(graph)
        let logs: [ApplicationProvisioningLog]
        do {
            logs = try await ProvisioningLogReader(graph: session.client).read(
                servicePrincipalID: servicePrincipal.id, applications: chosen, since: start, failedOnly: failed)
        } catch {
            throw session.failure(error)
        }
        let rendered: String
        switch format.format {
        case .json: rendered = ProvisioningLogRendering.json(logs).serialized(pretty: true) + "\n"
        case .text: rendered = ProvisioningLogRendering.text(logs, style: Style(enabled: Output.colorEnabled(forStdout: true)))
        }
        Output.out(session.redactor.redact(rendered))
    }
}
