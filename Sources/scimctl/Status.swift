import ArgumentParser
import Foundation
import GraphModel
import Provisioning
import VendorProfiles

/// `scimctl status`: where each provisioning job stands, and what to do when it is stuck.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the provisioning job state, last run, counts and any quarantine with its remedy (reads only).",
        discussion: """
            Name the application with --service-principal-id, or with a profile (and its --param values) to find it \
            by display name as plan does. With --fail-on, exit 1 when a job is in one of the named states: \
            quarantine (the job is quarantined), failure (the last run failed or runs fail in a row), warning (the \
            last run had entry-level errors or objects wait to be retried). Exit codes: 0 read (and no --fail-on \
            state), 1 error or a --fail-on state, 64 usage error.
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

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp("Exit 1 when a job is in one of these states: quarantine, failure, warning.", valueName: "STATES"))
    var failOn: String?

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        _ = try JobCondition.parseList(failOn)
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
        let failing = try JobCondition.parseList(failOn)
        let found = reports.flatMap { report in
            report.jobs.flatMap { job in JobCondition.conditions(of: job).filter(failing.contains).map { (report, job, $0) } }
        }
        for (report, job, condition) in found {
            Output.errLine(
                "error: job \(job.id) of \(report.displayName.map { "'\($0)'" } ?? report.servicePrincipalID) is in state "
                    + "'\(condition.rawValue)' (--fail-on)")
        }
        if !found.isEmpty { throw ExitCode.failure }
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

/// The job states `status --fail-on` can fail on.
enum JobCondition: String, CaseIterable {
    case quarantine, failure, warning

    /// `quarantine,failure` → the set; an unknown name is a usage error that lists the valid ones.
    static func parseList(_ text: String?) throws -> Set<JobCondition> {
        guard let text else { return [] }
        var conditions: Set<JobCondition> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let condition = JobCondition(rawValue: name) else {
                throw ValidationError(
                    "--fail-on: unknown state '\(name)'; use a comma-separated list of "
                        + allCases.map(\.rawValue).joined(separator: ", "))
            }
            conditions.insert(condition)
        }
        return conditions
    }

    /// Which of the states a job is in.
    static func conditions(of job: JobStatus) -> [JobCondition] {
        var found: [JobCondition] = []
        if job.code == "Quarantine" || job.quarantine != nil { found.append(.quarantine) }
        if job.lastExecution?.state == "Failed" || job.successiveFailures > 0 { found.append(.failure) }
        if job.lastExecution?.state == "EntryLevelErrors" || (job.lastExecution?.escrowed ?? 0) > 0 {
            found.append(.warning)
        }
        return found
    }
}

/// How the day-2 commands end on a library or Graph error: one redacted line on stderr, exit 1.
enum CommandFailure {
    static func report(_ error: Error, session: GraphSession) -> ExitCode {
        Output.errLine("error: \(session.redactor.redact(String(describing: error)))")
        return ExitCode.failure
    }
}
