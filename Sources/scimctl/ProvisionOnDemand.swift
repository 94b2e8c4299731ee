import ArgumentParser
import GraphHTTP
import Provisioning
import Reports

struct ProvisionOnDemand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Provision one user or group now and print the steps the provisioning service took.",
        discussion: """
            --members-of sends five members per request (Graph's limit) and pauses after every five requests (Graph \
            allows 5 per 10 seconds per job). Exit codes: 0 success or skipped, 1 failure, 64 usage error.
            """
    )

    @OptionGroup var target: JobTargetOptions

    @Option(
        name: .customLong("user"),
        help: ArgumentHelp("The Entra ID user: object id, user principal name or mail (a group with --group).", valueName: "USER"))
    var objectID: String?

    @Flag(help: "--user names a group (object id or display name), provisioned without members.")
    var group = false

    @Option(help: ArgumentHelp("Provision this group (object id or display name) with its direct user members.", valueName: "GROUP"))
    var membersOf: String?

    @Option(name: .customLong("max-members"), help: ArgumentHelp("With --members-of: refuse groups with more user members.", valueName: "N"))
    var maximumMembers = 50

    @OptionGroup var format: FormatOption<ReportFormat>

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
        // validate() saw exactly one of --user and --members-of.
        let request = membersOf.map { OnDemandRequest.membersOf($0, limit: maximumMembers) }
            ?? .subject(objectID ?? "", kind: group ? .group : .user)
        let outcomes = try await session.attempt {
            try await OnDemandProvisioner(graph: session.client).provision(
                request, servicePrincipalID: target.servicePrincipalID, jobID: target.jobID)
        }
        Output.out(session.redactor.redact(format.render(
            json: { DayTwoRendering.onDemandJSON(outcomes, alwaysList: membersOf != nil) },
            text: { DayTwoRendering.onDemandText(outcomes, style: $0) })))
        if outcomes.contains(where: { $0.result.result == "Failure" }) { throw ExitCode.failure }
    }
}
