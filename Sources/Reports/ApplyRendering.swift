import GraphHTTP
import GraphModel
import ProfileTranslation
import Provisioning
import VendorProfiles

/// What `apply` reports after it ran: the JSON result, the per-application lines and the job-summary table.
public enum ApplyRendering {
    /// What the vendor's guide says must be done before provisioning, a `note:` line each.
    public static func prerequisiteNotes(_ profile: Profile) -> String {
        profile.rules.prerequisites.map { "note: \(profile.vendor) prerequisite: \($0)\n" }.joined()
    }

    /// One application's line after it was applied.
    public static func doneLines(_ result: Applier.Outcome) -> [String] {
        var lines = [
            "\(result.application): done (\(changeSummary(result))); service principal \(result.servicePrincipalID), job \(result.jobID)"
        ]
        if let backup = result.backupPath { lines.append("\(result.application): previous schema saved to \(backup)") }
        return lines
    }

    /// Each application's stderr lines after apply ran (failures already redacted), and the outcomes that succeeded.
    public static func outcomeLines(_ outcomes: [Result<Applier.Outcome, FailureMessage>])
        -> (lines: [String], succeeded: [Applier.Outcome])
    {
        var lines: [String] = []
        var succeeded: [Applier.Outcome] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let done):
                succeeded.append(done)
                lines += doneLines(done)
            case .failure(let failure): lines.append("error: \(failure.message)")
            }
        }
        return (lines, succeeded)
    }

    /// What apply says once it ran: stderr `lines`, the job summary, the applications that succeeded, and what
    /// follows the request counts on the `--verbose` line (nil: no such line).
    public struct Report: Sendable {
        public var lines: [String] = []
        public var summaryMarkdown: String
        public var succeeded: [Applier.Outcome] = []
        public var failed = false
        public var statisticsSuffix: String?
    }

    /// The report of a workflow result; `describe` words (and redacts) an application's failure.
    public static func report(_ result: ApplyWorkflow.Result, describe: (any Error) -> String) -> Report {
        switch result {
        case .noChanges(let plans):
            return Report(summaryMarkdown: PlanRendering.markdown(plans, title: "scimctl apply"), statisticsSuffix: ", 0 writes")
        case .dryRun(let plans):
            return Report(
                lines: ["dry run: nothing was written"],
                summaryMarkdown: PlanRendering.markdown(plans, title: "scimctl apply --dry-run") + "Dry run: nothing was written.\n")
        case .applied(let plans, let outcomes):
            let reported = outcomes.map { outcome in outcome.mapError { FailureMessage(describe($0)) } }
            let shown = outcomeLines(reported)
            return Report(
                lines: shown.lines, summaryMarkdown: summaryMarkdown(plans, outcomes: reported), succeeded: shown.succeeded,
                failed: shown.succeeded.count < reported.count, statisticsSuffix: "")
        }
    }

    /// The stderr line for a workflow that stopped before writing (none when the user declined: they know).
    public static func stopLine(_ stop: ApplyWorkflow.Stop) -> String? {
        switch stop {
        case .probe(.transport(let message)): "error: \(message)"
        case .probe(.tenantURLNeedsOneApplication): "error: a replacement SCIM URL names one endpoint; choose one application"
        case .probeFailed: "error: the vendor's SCIM endpoint failed the probe; nothing was written"
        case .lock(let reason), .plan(let reason): "error: \(RemedyWording.describe(reason))"
        case .secretToken(let application, let reason): "error: \(application): \(reason); nothing was written"
        case .declined: nil
        }
    }

    static func changeSummary(_ result: Applier.Outcome) -> String {
        result.changes.isEmpty ? "no changes" : result.changes.joined(separator: ", ")
    }

    /// The Markdown job summary: the plan, then one row per application (`failure` messages already redacted).
    public static func summaryMarkdown(
        _ plans: [ApplicationPlan], outcomes: [Result<Applier.Outcome, FailureMessage>], title: String = "scimctl apply"
    ) -> String {
        var rows: [String] = []
        for (plan, outcome) in zip(plans, outcomes) {
            let name = Markdown.code(plan.application.name)
            switch outcome {
            case .success(let result):
                rows.append(
                    "| `\(name)` | ✅ done | \(Markdown.cell(changeSummary(result))) | `\(result.servicePrincipalID)` | `\(result.jobID)` |")
            case .failure(let message):
                rows.append("| `\(name)` | ❌ failed | \(Markdown.cell(message.message)) | | |")
            }
        }
        return PlanRendering.markdown(plans, title: title) + "| application | result | changes | service principal | job |\n"
            + "|---|---|---|---|---|\n" + rows.joined(separator: "\n") + "\n"
    }

    /// `apply --format json`: every application with what is known of it, plus the request counts.
    public static func json(_ results: [Applier.Outcome], plans: [ApplicationPlan], statistics: ConnectionStatistics) -> JSONValue {
        [
            "applications": .array(
                plans.map { plan in
                    let result = results.first { $0.application == plan.application.name }
                    return [
                        "name": .string(plan.application.name),
                        "servicePrincipalId": (result?.servicePrincipalID ?? plan.servicePrincipalIDIfKnown).map { .string($0) } ?? .null,
                        "appId": result?.appID.map { .string($0) } ?? .null,
                        "jobId": (result?.jobID ?? plan.jobIDIfKnown).map { .string($0) } ?? .null,
                        "changed": .array((result?.changes ?? []).map { .string($0) }),
                        "backup": result?.backupPath.map { .string($0) } ?? .null,
                    ]
                }),
            "requests": .integer(Int64(statistics.requestsSent)),
            "connections": .integer(Int64(statistics.connectionsOpened)),
        ]
    }
}

/// A failure message as a value (so a failure can sit in a `Result`).
public struct FailureMessage: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension ApplicationPlan {
    var servicePrincipalIDIfKnown: String? {
        if case .found(let id) = servicePrincipal { return id }
        return nil
    }
    var jobIDIfKnown: String? {
        if case .found(let id) = job { return id }
        return nil
    }
}
