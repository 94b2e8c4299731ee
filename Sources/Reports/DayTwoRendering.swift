import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning

/// Day-2 results as text: `status`, `rollback`'s preview and `provision-on-demand`.
public enum DayTwoRendering {
    /// Phrases a job remedy for a service principal (the executable's commands and options).
    public typealias RemedyWords = (JobRemedy, _ servicePrincipalID: String) -> String

    /// `status --format json`: one report as it is, several under `applications`.
    public static func statusJSON(_ reports: [StatusReport], words: RemedyWords) -> JSONValue {
        reports.count == 1 ? reports[0].json(words: words) : ["applications": .array(reports.map { $0.json(words: words) })]
    }

    /// One `error:` line per job in a `--fail-on` state, in report order.
    public static func failOnLines(_ reports: [StatusReport], failing: Set<JobCondition>) -> [String] {
        reports.flatMap { report in
            report.jobs.flatMap { job in
                JobCondition.conditions(of: job).filter(failing.contains).map { condition in
                    "error: job \(job.id) of \(report.displayName.map { "'\($0)'" } ?? report.servicePrincipalID) is in state "
                        + "'\(condition.rawValue)' (--fail-on)"
                }
            }
        }
    }

    /// `status` as text; `applications` (from a profile, in report order) add a line when the job's run state is not
    /// what the profile asks for.
    public static func statusText(
        _ reports: [StatusReport], applications: [ResolvedApplication], style: Style, words: RemedyWords
    ) -> String {
        reports.enumerated().map { index, report in
            var text = statusText(report, style: style, words: words)
            if index < applications.count, let drift = JobStateDrift.of(applications[index], report: report) {
                text += style.yellow("  ! \(driftText(drift))") + "\n"
            }
            return text
        }.joined(separator: "\n")
    }

    /// `provision-on-demand --format json`.
    public static func onDemandJSON(_ result: OnDemandResult) -> JSONValue {
        [
            "jobId": .string(result.jobID), "ruleId": .string(result.ruleID), "result": .string(result.result),
            "key": result.key, "record": result.record,
        ]
    }

    /// `provision-on-demand --format json` for several requests: one result alone is the document itself, unless the
    /// request was for a group's members (a list then, however many batches it took).
    public static func onDemandJSON(_ outcomes: [OnDemandOutcome], alwaysList: Bool) -> JSONValue {
        let documents = outcomes.map { onDemandJSON($0.result) }
        return !alwaysList && documents.count == 1 ? documents[0] : ["requests": .array(documents)]
    }

    /// `provision-on-demand` text for several requests: each under its label in bold.
    public static func onDemandText(_ outcomes: [OnDemandOutcome], style: Style) -> String {
        outcomes.map { outcome in
            (outcome.label.map { style.bold($0) + "\n" } ?? "") + onDemandText(outcome.result, style: style)
        }.joined(separator: "\n")
    }

    /// The line `status` adds when the job's run state is not what the profile asks for.
    public static func driftText(_ drift: JobStateDrift) -> String {
        switch drift {
        case .runsWhilePaused: "the profile says paused: true, but the job runs; apply pauses it"
        case .pausedWhileStartRequested: "the profile asks for provisioning, but the job is paused; apply starts it again"
        }
    }

    public static func statusText(_ report: StatusReport, style: Style, words: RemedyWords) -> String {
        let id = report.servicePrincipalID
        var output = style.bold("application \(report.displayName.map { "\"\(TerminalText.escaped($0))\"" } ?? "?")")
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
            output += "    \(job.summary { words($0, id) })\n"
            if let run = job.lastExecution {
                var line = "    last run: \(run.state)"
                if let ended = run.ended { line += ", ended \(ended)" }
                var counts: [String] = []
                if let imported = run.imported { counts.append("\(imported) imported") }
                if let exported = run.exported { counts.append("\(exported) exported") }
                if let escrowed = run.escrowed, escrowed > 0 { counts.append("\(escrowed) failed and retried later") }
                if !counts.isEmpty { line += " (\(counts.joined(separator: ", ")))" }
                output += line + "\n"
                if let error = run.errorMessage { output += "    last run error: \(TerminalText.escaped(error))\n" }
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
                if let message = quarantine.errorMessage { output += "      service says: \(TerminalText.escaped(message))\n" }
                if let since = quarantine.since { output += "      since \(since)" }
                if let next = quarantine.nextAttempt { output += (quarantine.since == nil ? "     " : ";") + " next attempt \(next)" }
                if quarantine.since != nil || quarantine.nextAttempt != nil { output += "\n" }
                output += style.bold("    what to do: ") + words(quarantine.remedy, id) + "\n"
            }
        }
        return output
    }

    /// What `rollback` shows before it asks: which backup goes onto which job, then the mapping changes it makes (or
    /// that there is nothing to do).
    public static func rollbackText(_ plan: RollbackPlan) -> String {
        let header = "restore \(plan.backupPath) onto job \(plan.jobID)\n"
        guard plan.hasChanges else { return header + "the job's schema already matches the backup; nothing to do\n" }
        return header + rollbackText(plan.mappingChanges)
    }

    /// What `rollback` says once the backup is back on the job.
    public static func rolledBackText(_ outcome: Rollback.Outcome) -> String {
        (outcome.savedCurrentTo.map { "the replaced schema was saved to \($0)\n" } ?? "")
            + "restored job \(outcome.jobID) from \(outcome.restoredFrom)\n"
    }

    /// The mapping changes a rollback makes.
    public static func rollbackText(_ changes: [ObjectMappingChange]) -> String {
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

    public static func onDemandText(_ result: OnDemandResult, style: Style) -> String {
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
