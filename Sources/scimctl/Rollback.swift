import ArgumentParser
import GraphHTTP
import Foundation
import Provisioning
import Reports

/// `scimctl rollback`: puts a saved schema back on the job.
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

    @OptionGroup var servicePrincipal: RequiredServicePrincipal

    @Option(name: .customLong("to"), help: ArgumentHelp("The backup file to restore (default: the newest).", valueName: "FILE"))
    var file: String?

    @Option(name: .customLong("job-id"), help: ArgumentHelp("The job to restore (default: the scim job).", valueName: "ID"))
    var jobID: String?

    @Option(
        name: .customLong("backup-dir"),
        help: ArgumentHelp("Where apply saved the previous schemas.", valueName: "DIR"))
    var backupDirectory: String = ".scimctl/backups"

    @Flag(help: "Restore without asking.")
    var yes = false

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let session = try GraphSession.make(graph)
        let rollback = Rollback(graph: session.client, backups: SchemaBackups(directory: backupDirectory))
        let plan: RollbackPlan
        do {
            plan = try await rollback.prepare(servicePrincipalID: servicePrincipal.id, jobID: jobID, file: file)
        } catch {
            throw session.failure(error)
        }
        Output.errLine("restore \(plan.backupPath) onto job \(plan.jobID)")
        guard plan.hasChanges else {
            Output.errLine("the job's schema already matches the backup; nothing to do")
            return
        }
        Output.err(DayTwoRendering.rollbackText(plan.mappingChanges))
        try Confirmation.require("Restore this schema?", command: "rollback", yes: yes)
        do {
            let outcome = try await rollback.execute(plan)
            if let saved = outcome.savedCurrentTo { Output.errLine("the replaced schema was saved to \(saved)") }
            Output.errLine("restored job \(outcome.jobID) from \(outcome.restoredFrom)")
        } catch {
            throw session.failure(error)
        }
    }
}
