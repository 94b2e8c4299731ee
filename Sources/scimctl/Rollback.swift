import ArgumentParser
import Foundation
import Provisioning

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

    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp("The enterprise application's service principal object id.", valueName: "ID"))
    var servicePrincipalID: String

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
            plan = try await rollback.prepare(servicePrincipalID: servicePrincipalID, jobID: jobID, file: file)
        } catch {
            throw CommandFailure.report(error, session: session)
        }
        Output.errLine("restore \(plan.backupPath) onto job \(plan.jobID)")
        guard plan.hasChanges else {
            Output.errLine("the job's schema already matches the backup; nothing to do")
            return
        }
        Output.err(Self.text(plan.mappingChanges))
        if !yes {
            guard Output.stdinIsTerminal else {
                Output.errLine("error: rollback needs confirmation: pass --yes (stdin is not a terminal); nothing was written")
                throw ExitCode.failure
            }
            Output.err("Restore this schema? Type 'yes' to continue: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                Output.errLine("cancelled; nothing was written")
                throw ExitCode.failure
            }
        }
        do {
            let outcome = try await rollback.execute(plan)
            if let saved = outcome.savedCurrentTo { Output.errLine("the replaced schema was saved to \(saved)") }
            Output.errLine("restored job \(outcome.jobID) from \(outcome.restoredFrom)")
        } catch {
            throw CommandFailure.report(error, session: session)
        }
    }

    static func text(_ changes: [ObjectMappingChange]) -> String {
        guard !changes.isEmpty else { return "  ~ schema metadata differs (attribute definitions or rule settings)\n" }
        var output = ""
        for change in changes {
            output += "  ~ \(change.object.rawValue) mappings\n"
            if let enabled = change.enabled {
                output += "      provisioning \(enabled.from.map { $0 ? "on" : "off" } ?? "unset") → \(enabled.to ? "on" : "off")\n"
            }
            if let actions = change.actions { output += "      target object actions \(actions.from ?? "unset") → \(actions.to)\n" }
            for mapping in change.added { output += "      + \(mapping)\n" }
            for mapping in change.removed { output += "      - \(mapping)\n" }
            for (from, to) in change.changed { output += "      ~ \(from)\n        → \(to)\n" }
        }
        return output
    }
}
