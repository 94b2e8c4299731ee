import ArgumentParser
import GraphModel
import Provisioning
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

    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp("The enterprise application's service principal object id.", valueName: "ID"))
    var servicePrincipalID: String

    @Option(name: .customLong("user"), help: ArgumentHelp("Object id of the Entra ID user (or group with --group).", valueName: "OBJECT_ID"))
    var objectID: String

    @Flag(help: "The object id is a group.")
    var group = false

    @Option(name: .customLong("job-id"), help: ArgumentHelp("The job to use (default: the scim job).", valueName: "ID"))
    var jobID: String?

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let session = try GraphSession.make(graph)
        let result: OnDemandResult
        do {
            result = try await OnDemandProvisioner(graph: session.client).provision(
                servicePrincipalID: servicePrincipalID, objectID: objectID, kind: group ? .group : .user, jobID: jobID)
        } catch {
            throw CommandFailure.report(error, session: session)
        }
        switch format {
        case .json:
            let document: JSONValue = [
                "jobId": .string(result.jobID), "ruleId": .string(result.ruleID), "result": .string(result.result),
                "key": result.key, "record": result.record,
            ]
            Output.out(session.redactor.redact(document.serialized(pretty: true)) + "\n")
        case .text:
            Output.out(session.redactor.redact(Self.text(result, style: Style(enabled: Output.colorEnabled(forStdout: true)))))
        }
        if result.result == "Failure" { throw ExitCode.failure }
    }

    static func text(_ result: OnDemandResult, style: Style) -> String {
        let headline: String
        switch result.result {
        case "Success": headline = style.green(result.result)
        case "Skipped": headline = style.yellow(result.result)
        default: headline = style.red(result.result)
        }
        var output = "result: \(headline)"
        if let action = result.action { output += " (action \(action))" }
        output += "\n"
        if let code = result.errorCode { output += "error: \(code)\n" }
        if let reason = result.reason { output += "reason: \(reason)\n" }
        for (index, step) in result.steps.enumerated() {
            let status = step.status == "Success" ? style.green(step.status) : step.status == "Skipped" ? style.yellow(step.status) : style.red(step.status)
            output += "\(index + 1). \(step.type) — \(status): \(step.description)\n"
            for detail in step.details { output += "     \(detail.key): \(detail.value)\n" }
        }
        if !result.modifiedProperties.isEmpty {
            output += "attributes sent:\n"
            for property in result.modifiedProperties {
                output += "  \(property.name): \(property.oldValue.map { "\($0) → " } ?? "")\(property.newValue ?? "(empty)")\n"
            }
        }
        return output
    }
}
