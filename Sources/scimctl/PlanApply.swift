import ArgumentParser
import Foundation
import GraphHTTP
import Provisioning
import Reports
import VendorProfiles

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what apply would change in the tenant (reads only).",
        subcommands: [PlanProfile.self]
    )
}

struct PlanProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Read the live tenant and show what apply would change.",
        discussion: """
            With --detailed-exitcode: 0 no changes, 2 changes, 1 error (as terraform does). With --output FILE the \
            plan in --format (markdown: for a pull-request comment) goes to FILE and the text plan to stdout. In \
            GitHub Actions the plan is also appended to the job summary as Markdown.
            """
    )

    @OptionGroup var target: ProfileTargetOptions
    @OptionGroup var format: FormatOption<PlanRendering.Format>
    @OptionGroup var report: ReportFileOption

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitCode = false

    @Option(help: "Applications planned at once.")
    var parallel: Int = 4

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
    }

    func run() async throws {
        let applications = try target.load().applications
        let (session, workflow) = try await target.workflow(parallel: parallel)
        let plans: [ApplicationPlan]
        do {
            plans = try await workflow.plan(applications).map(\.0)
        } catch {
            if let line = ApplyRendering.stopLine(error) { Output.errLine(line) }
            throw ExitCode.failure
        }
        try report.deliver(
            { PlanRendering.render(plans, as: format.format, style: $0) }, terminal: { PlanRendering.text(plans, style: $0) })
        Output.stepSummary(PlanRendering.markdown(plans))
        if target.graph.verbose { Output.errLine("plan: \(session.statisticsLine)") }
        if detailedExitCode && plans.contains(where: \.hasChanges) { throw ExitCode(2) }
    }
}

struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply profiles to the tenant.",
        subcommands: [ApplyProfile.self]
    )
}

struct ApplyProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Validate, plan, confirm, then make the tenant match the profile.",
        discussion: """
            Nothing is written when the profile has an error. The plan is printed first; on a terminal apply asks \
            for confirmation unless --yes is given; without a terminal it refuses to write without --yes. \
            Re-running apply on a tenant that matches the profile makes no writes. With --format json the result \
            goes to stdout and the plan to stderr.
            """
    )

    @OptionGroup var target: ProfileTargetOptions
    @OptionGroup var confirmation: ConfirmationOption

    @Flag(help: "Plan and stop; write nothing.")
    var dryRun = false

    @Flag(inversion: .prefixedNo, help: "Start provisioning after configuring it (default: as the profile says).")
    var start: Bool?

    @Option(help: "Applications applied at once.")
    var parallel: Int = 2

    @Option(
        name: .customLong("backup-dir"),
        help: ArgumentHelp("Where previous schemas are saved before each change.", valueName: "DIR"))
    var backupDirectory: String = ".scimctl/backups"

    @OptionGroup var format: FormatOption<ReportFormat>

    @Option(
        help: ArgumentHelp(
            "Seconds to wait while another apply works on the same application (default: stop at once).",
            valueName: "SECONDS"))
    var lockWait: Double = 0

    @Flag(help: "Probe the vendor's SCIM endpoint first (as `scimctl probe` does) and stop on errors.")
    var probe = false

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard lockWait >= 0, lockWait.isFinite else { throw ValidationError("--lock-wait must be zero or more seconds") }
        // Checked before anything is read or written: a bad backup folder must not surface after the first write.
        try DirectoryOption.check(backupDirectory, option: "--backup-dir")
    }

    func run() async throws {
        let loaded = try target.load()
        Output.err(ApplyRendering.prerequisiteNotes(loaded.resolved.profile))
        let backups = SchemaBackups(directory: backupDirectory)
        let (session, workflow) = try await target.workflow(parallel: parallel, backups: backups) { options in
            (options.startOverride, options.dryRun, options.lockWait) = (start, dryRun, lockWait)
            guard probe else { return }
            options.probe = SCIMProbe.Settings(caCertificatePath: target.graph.cacert, clientVersion: Scimctl.version)
            options.probePolicy = loaded.policy
        }
        let progress = Output.progress(verbose: target.graph.verbose)
        let stderrStyle = Style(enabled: Output.colorEnabled(forStdout: false))
        let result: ApplyWorkflow.Result
        do {
            result = try await workflow.run(
                loaded.applications,
                probed: { reports in
                    // On stderr, so stdout stays the plan.
                    Output.err(ProbeRendering.text(reports, texts: ProfileInput.texts(for: [target.selection.profile]), style: stderrStyle))
                },
                planned: { plans in
                    // The plan is stdout's unless stdout carries the JSON result.
                    let toStdout = format.format == .text
                    let text = PlanRendering.text(plans, style: Style(enabled: Output.colorEnabled(forStdout: toStdout)))
                    if toStdout { Output.out(text) } else { Output.err(text) }
                },
                confirm: { _ in try confirmation.require("Apply these changes?", command: "apply") },
                progress: { progress.report($0) })
        } catch {
            if let line = ApplyRendering.stopLine(error) { Output.errLine(line) }
            throw ExitCode.failure
        }
        let report = ApplyRendering.report(result) { session.redactor.redact(RemedyWording.describe($0)) }
        report.lines.forEach { Output.errLine($0) }
        Output.stepSummary(report.summaryMarkdown)
        if target.graph.verbose, let suffix = report.statisticsSuffix { Output.errLine("apply: \(session.statisticsLine)\(suffix)") }
        if format.format == .json {
            let document = ApplyRendering.json(report.succeeded, plans: result.plans, statistics: session.transport.statistics)
            Output.out(document.serialized(pretty: true) + "\n")
        }
        if report.failed { throw ExitCode.failure }
    }
}
