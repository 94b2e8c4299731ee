import ArgumentParser
import GraphSync
import Profiles
import Provisioning

/// `scimctl provision-on-demand`: provision one user (or group) now and show every step the service took.
struct ProvisionOnDemandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision-on-demand",
        abstract: "Provision one user or group now and print the steps the provisioning service took.",
        discussion: """
            --user takes an object id, user principal name or mail (with --group: a group's object id or display \
            name). --members-of provisions a group with its direct user members, five members per request (Graph's \
            limit), pausing after every five requests (Graph allows 5 per 10 seconds per job). Exit codes: 0 success \
            or skipped, 1 failure, 64 usage error.
            """
    )

    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp("The enterprise application's service principal object id.", valueName: "ID"))
    var servicePrincipalID: String

    @Option(
        name: .customLong("user"),
        help: ArgumentHelp("The Entra ID user: object id, user principal name or mail (a group with --group).", valueName: "USER"))
    var objectID: String?

    @Flag(help: "--user names a group (object id or display name), provisioned without members.")
    var group = false

    @Option(
        name: .customLong("members-of"),
        help: ArgumentHelp("Provision this group (object id or display name) with its direct user members.", valueName: "GROUP"))
    var membersOf: String?

    @Option(name: .customLong("max-members"), help: ArgumentHelp("With --members-of: refuse groups with more user members.", valueName: "N"))
    var maximumMembers = 50

    @Option(name: .customLong("job-id"), help: ArgumentHelp("The job to use (default: the scim job).", valueName: "ID"))
    var jobID: String?

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        if (objectID == nil) == (membersOf == nil) {
            throw ValidationError("name what to provision: --user USER or --members-of GROUP (one of them)")
        }
        if group && membersOf != nil {
            throw ValidationError("--group goes with --user; --members-of already names a group")
        }
        guard (1...10_000).contains(maximumMembers) else { throw ValidationError("--max-members must be from 1 to 10000") }
    }

    func run() async throws {
        let session = try GraphSession.make(graph)
        let provisioner = OnDemandProvisioner(graph: session.client)
        var results: [(label: String?, result: OnDemandResult)] = []
        do {
            if let membersOf {
                let found = try await provisioner.resolveGroup(membersOf)
                let members = try await provisioner.members(of: found, limit: maximumMembers)
                let batches = try await provisioner.provision(
                    servicePrincipalID: servicePrincipalID, group: found, members: members, jobID: jobID)
                results = batches.map { batch in
                    let names = batch.members.map(\.name).joined(separator: ", ")
                    return ("group \(found.name)" + (names.isEmpty ? " (no user members)" : " with \(names)"), batch.result)
                }
            } else if let objectID {
                let subject = group ? try await provisioner.resolveGroup(objectID) : try await provisioner.resolveUser(objectID)
                let result = try await provisioner.provision(
                    servicePrincipalID: servicePrincipalID, objectID: subject.id, kind: group ? .group : .user, jobID: jobID)
                results = [(subject.name == subject.id ? nil : "\(group ? "group" : "user") \(subject.name) (\(subject.id))", result)]
            }
        } catch {
            throw CommandFailure.report(error, session: session)
        }
        switch format {
        case .json:
            let documents: [JSONValue] = results.map { entry in
                [
                    "jobId": .string(entry.result.jobID), "ruleId": .string(entry.result.ruleID),
                    "result": .string(entry.result.result), "key": entry.result.key, "record": entry.result.record,
                ]
            }
            let document: JSONValue = membersOf == nil && documents.count == 1 ? documents[0] : ["requests": .array(documents)]
            Output.out(session.redactor.redact(document.serialized(pretty: true)) + "\n")
        case .text:
            let style = Style(enabled: Output.colorEnabled(forStdout: true))
            Output.out(
                session.redactor.redact(
                    results.map { entry in
                        (entry.label.map { style.bold($0) + "\n" } ?? "") + Self.text(entry.result, style: style)
                    }.joined(separator: "\n")))
        }
        if results.contains(where: { $0.result.result == "Failure" }) { throw ExitCode.failure }
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
