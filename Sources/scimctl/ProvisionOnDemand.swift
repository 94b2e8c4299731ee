import ArgumentParser
import GraphHTTP
import GraphModel
import Provisioning
import Reports
import VendorProfiles

/// `scimctl provision-on-demand`: provision one user (or group) now and show every step the service took.
struct ProvisionOnDemandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision-on-demand",
        abstract: "Provision one user or group now and print the steps the provisioning service took.",
        discussion: """
            Graph allows 5 on-demand requests per 10 seconds per job. Exit codes: 0 success or skipped, 1 failure.
            """
    )

    @OptionGroup var target: JobTargetOptions

    @Option(name: .customLong("user"), help: ArgumentHelp("Object id of the Entra ID user (or group with --group).", valueName: "OBJECT_ID"))
    var objectID: String

    @Flag(help: "The object id is a group.")
    var group = false


    @OptionGroup var format: FormatOption<PlanFormat>

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let session = try GraphSession.make(graph)
        let result: OnDemandResult
        do {
            result = try await OnDemandProvisioner(graph: session.client).provision(
                servicePrincipalID: target.servicePrincipalID, objectID: objectID, kind: group ? .group : .user, jobID: target.jobID)
        } catch {
            throw session.failure(error)
        }
        switch format.format {
        case .json:
            let document = DayTwoRendering.onDemandJSON(result)
            Output.out(session.redactor.redact(document.serialized(pretty: true)) + "\n")
        case .text:
            Output.out(session.redactor.redact(DayTwoRendering.onDemandText(result, style: Style(enabled: Output.colorEnabled(forStdout: true)))))
        }
        if result.result == "Failure" { throw ExitCode.failure }
    }
}
