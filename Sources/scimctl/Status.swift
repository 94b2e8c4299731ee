import ArgumentParser
import Foundation
import GraphSync
import Profiles
import Provisioning

/// `scimctl status`: where each provisioning job stands, and what to do when it is stuck.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the provisioning job state, last run, counts and any quarantine with its remedy (reads only).",
        discussion: """
            Name the application with --service-principal-id, or with a profile (and its --param values) to find it \
            by display name as plan does. Exit codes: 0 read, 1 error.
            """
    )

    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp("The enterprise application's service principal object id.", valueName: "ID"))
    var servicePrincipalID: String?

    @Argument(help: "A profile file or bundled profile name (instead of --service-principal-id).")
    var profile: String?

    @Option(
        name: .customLong("param"), help: ArgumentHelp("A profile parameter.", valueName: "KEY=VALUE"),
        completion: Completions.parameter)
    var parameters: [String] = []

    @Option(name: .customLong("app"), help: "Only this application of the profile.")
    var application: String?

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        if servicePrincipalID == nil && profile == nil {
            throw ValidationError("name the application: --service-principal-id ID, or a profile")
        }
        if servicePrincipalID != nil && profile != nil {
            throw ValidationError("give either --service-principal-id or a profile, not both")
        }
    }

    func run() async throws {
        var displayNames: [String] = []
        var chosenApplications: [ResolvedApplication] = []
        if let profile {
            let resolved = try LoadedProfile.resolve(profile, parameters: parameters)
            let chosen = resolved.applications.filter { application == nil || $0.name == application }
            guard !chosen.isEmpty else {
                throw ValidationError("profile '\(resolved.profile.name)' has no application '\(application ?? "")'")
            }
            displayNames = chosen.map(\.displayName)
            chosenApplications = chosen
        }
        let session = try GraphSession.make(graph)
        let reader = StatusReader(graph: session.client)
        var reports: [StatusReport] = []
        do {
            if let servicePrincipalID {
                reports.append(try await reader.report(servicePrincipalID: servicePrincipalID))
            } else {
                for name in displayNames { reports.append(try await reader.report(displayName: name)) }
            }
        } catch {
            throw CommandFailure.report(error, session: session)
        }
        switch format {
        case .json:
            let document: JSONValue = reports.count == 1 ? reports[0].json : ["applications": .array(reports.map(\.json))]
            Output.out(document.serialized(pretty: true) + "\n")
        case .text:
            let style = Style(enabled: Output.colorEnabled(forStdout: true))
            Output.out(
                reports.enumerated().map { index, report in
                    var text = Self.text(report, style: style)
                    if index < chosenApplications.count,
                        let drift = LifecycleStatus.drift(chosenApplications[index], report: report)
                    {
                        text += style.yellow("  ! \(drift)") + "\n"
                    }
                    return text
                }.joined(separator: "\n"))
        }
    }

    static func text(_ report: StatusReport, style: Style) -> String {
        var output = style.bold("application \(report.displayName.map { "\"\($0)\"" } ?? "?")")
            + " (service principal \(report.servicePrincipalID))\n"
        if report.jobs.isEmpty {
            output += "  no provisioning job: run scimctl apply profile first\n"
        }
        for job in report.jobs {
            let state: String
            switch job.code {
            case "Quarantine": state = style.red(job.code)
            case "Active": state = style.green(job.code)
            default: state = style.yellow(job.code)
            }
            output += "  job \(job.id) (template \(job.templateID)): \(state), schedule \(job.scheduleState)\n"
            output += "    \(job.summary)\n"
            if let run = job.lastExecution {
                var line = "    last run: \(run.state)"
                if let ended = run.ended { line += ", ended \(ended)" }
                var counts: [String] = []
                if let imported = run.imported { counts.append("\(imported) imported") }
                if let exported = run.exported { counts.append("\(exported) exported") }
                if let escrowed = run.escrowed, escrowed > 0 { counts.append("\(escrowed) failed and retried later") }
                if !counts.isEmpty { line += " (\(counts.joined(separator: ", ")))" }
                output += line + "\n"
                if let error = run.errorMessage { output += "    last run error: \(error)\n" }
            } else {
                output += "    last run: none yet\n"
            }
            if let success = job.lastSuccessfulRun { output += "    last successful run ended \(success)\n" }
            if job.successiveFailures > 0 { output += "    \(job.successiveFailures) failed runs in a row\n" }
            if let quarantine = job.quarantine {
                output += style.red("    quarantine: \(quarantine.explanation)") + "\n"
                output += "      reason \(quarantine.reason)"
                if let code = quarantine.errorCode { output += ", error \(code)" }
                output += "\n"
                if let message = quarantine.errorMessage { output += "      service says: \(message)\n" }
                if let since = quarantine.since { output += "      since \(since)" }
                if let next = quarantine.nextAttempt { output += (quarantine.since == nil ? "     " : ";") + " next attempt \(next)" }
                if quarantine.since != nil || quarantine.nextAttempt != nil { output += "\n" }
                output += style.bold("    what to do: ") + quarantine.remedy + "\n"
            }
        }
        return output
    }
}

/// How the day-2 commands end on a library or Graph error: one redacted line on stderr, exit 1.
enum CommandFailure {
    static func report(_ error: Error, session: GraphSession) -> ExitCode {
        Output.errLine("error: \(session.redactor.redact(String(describing: error)))")
        return ExitCode.failure
    }
}
