import ArgumentParser
import GraphHTTP
import Provisioning
import Reports

struct Restart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restart a provisioning job, resetting the given scopes.",
        discussion: """
            Scopes (comma-separated): \(ResetScope.allCases.map { "\($0.rawValue) — \($0.meaning)" }.joined(separator: "; ")). \
            Example: scimctl restart --service-principal-id ID --reset-scope QuarantineState,Watermark
            """
    )

    @OptionGroup var target: JobTargetOptions

    @Option(
        name: .customLong("reset-scope"),
        help: ArgumentHelp("What to reset: Full, QuarantineState, Watermark, Escrows, ForceDeletes.", valueName: "SCOPES"),
        transform: ResetScope.parse)
    var scopes: [ResetScope]

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let session = try GraphSession.make(graph)
        let job = try await session.attempt {
            try await JobControl(graph: session.client).restart(
                servicePrincipalID: target.servicePrincipalID, jobID: target.jobID, scopes: scopes)
        }
        Output.outLine("restarted job \(job) (reset: \(scopes.map(\.rawValue).joined(separator: ", ")))")
        Output.outLine("check progress with: scimctl status --service-principal-id \(target.servicePrincipalID)")
    }
}

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Restore a job schema saved before an apply (the newest by default); the current one is saved first.",
        discussion: """
            Shows the mapping changes, then asks for confirmation on a terminal unless --yes is given; without a \
            terminal it refuses to write without --yes. Secrets are not part of a backup and are left alone. \
            Exit codes: 0 restored or nothing to do, 1 error or cancelled.
            """
    )

    @OptionGroup var target: JobTargetOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("The backup file to restore (default: the newest).", valueName: "FILE"))
    var file: String?

    @Option(
        name: .customLong("backup-dir"),
        help: ArgumentHelp("Where apply saved the previous schemas.", valueName: "DIR"))
    var backupDirectory: String = ".scimctl/backups"

    @OptionGroup var confirmation: ConfirmationOption

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let session = try GraphSession.make(graph)
        let rollback = Rollback(graph: session.client, backups: SchemaBackups(directory: backupDirectory))
        let plan = try await session.attempt {
            try await rollback.prepare(servicePrincipalID: target.servicePrincipalID, jobID: target.jobID, file: file)
        }
        Output.err(DayTwoRendering.rollbackText(plan))
        guard plan.hasChanges else { return }
        try confirmation.require("Restore this schema?", command: "rollback")
        let outcome = try await session.attempt { try await rollback.execute(plan) }
        Output.err(DayTwoRendering.rolledBackText(outcome))
    }
}
