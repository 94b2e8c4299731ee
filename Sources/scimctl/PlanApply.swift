import ArgumentParser
import Foundation
import GraphHTTP
import GraphSync
import Profiles
import Provisioning

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `plan`'s formats: `markdown` is the text for a pull-request comment.
enum PlanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// The profile a command acts on: PROFILE, `--param`, and optionally one of its applications with `--app`.
struct ProfileSelection: ParsableArguments {
    @Argument(help: "A profile file or bundled profile name.", completion: Completions.profile)
    var profile: String

    @Option(
        name: .customLong("param"), help: ArgumentHelp("A profile parameter.", valueName: "KEY=VALUE"),
        completion: Completions.parameter)
    var parameters: [String] = []

    @Option(name: .customLong("app"), help: "Only this application of the profile.")
    var application: String?

    @OptionGroup var policy: PolicyOptions

    /// The chosen application, or all of them; an unknown `--app` is a usage error.
    func applications(of resolved: ResolvedProfile) throws -> [ResolvedApplication] {
        guard let application else { return resolved.applications }
        let chosen = resolved.applications.filter { $0.name == application }
        guard !chosen.isEmpty else {
            throw ValidationError(
                "profile '\(resolved.profile.name)' has no application '\(application)' (it has: "
                    + resolved.applications.map(\.name).joined(separator: ", ") + ")")
        }
        return chosen
    }
}

/// Options shared by `plan profile` and `apply profile`.
struct ProfileTargetOptions: ParsableArguments {
    @OptionGroup var selection: ProfileSelection

    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp("Use this service principal instead of finding the app by display name.", valueName: "ID"))
    var servicePrincipalID: String?

    @Flag(name: .customLong("update-secrets"), help: "Rewrite the secret token even when the saved settings match.")
    var updateSecrets = false

    func applications(of resolved: ResolvedProfile) throws -> [ResolvedApplication] {
        if servicePrincipalID != nil, selection.application == nil, resolved.applications.count > 1 {
            throw ValidationError(
                "--service-principal-id names one application, but profile '\(resolved.profile.name)' has "
                    + "\(resolved.applications.count); choose one with --app")
        }
        return try selection.applications(of: resolved)
    }
}

/// Where apply keeps what must survive the process: the journal of creates and the locks.
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Where apply journals the objects it creates and keeps its locks (also mirrored per user under "
                + "$XDG_STATE_HOME/scimctl); keep it between runs.", valueName: "DIR"))
    var stateDirectory: String = ".scimctl"

    /// The project's journal, mirrored in a per-user one so that an apply from another folder sees it too.
    func journal(scope: String) -> ApplyJournal {
        ApplyJournal(
            directories: [
                (stateDirectory as NSString).appendingPathComponent("journal"),
                (Self.userStateDirectory as NSString).appendingPathComponent("journal"),
            ],
            scope: scope)
    }

    /// The project's lock directory, and the per-user one, so two applies from different folders still exclude
    /// each other.
    var lockDirectories: [String] {
        [
            (stateDirectory as NSString).appendingPathComponent("locks"),
            (Self.userStateDirectory as NSString).appendingPathComponent("locks"),
        ]
    }

    /// `$XDG_STATE_HOME/scimctl`, else `~/.local/state/scimctl`: the per-user state that outlives a folder.
    static var userStateDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state as NSString).appendingPathComponent("scimctl")
        }
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/state/scimctl")
    }
}

/// Plans every application of a profile, concurrently up to `parallel`.
func planAll(
    _ applications: [ResolvedApplication], planner: Planner, parallel: Int
) async throws -> [(ApplicationPlan, LiveState)] {
    try await withThrowingTaskGroup(of: (Int, ApplicationPlan, LiveState).self) { group in
        var results: [(Int, ApplicationPlan, LiveState)] = []
        var next = 0
        func add() {
            let index = next
            let application = applications[index]
            group.addTask {
                let (plan, live) = try await planner.plan(application)
                return (index, plan, live)
            }
            next += 1
        }
        while next < applications.count && next < parallel { add() }
        while let result = try await group.next() {
            results.append(result)
            if next < applications.count { add() }
        }
        return results.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
    }
}

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
            plan in --format goes to FILE and the text plan to stdout. In GitHub Actions the plan is also appended \
            to the job summary as Markdown.
            """
    )

    @OptionGroup var target: ProfileTargetOptions
    @OptionGroup var graph: GraphOptions

    @Option(help: "Output format: text, json or markdown (for a pull-request comment).")
    var format: PlanOutputFormat = .text

    @Option(help: ArgumentHelp("Write the plan in --format to FILE; stdout then gets the text plan.", valueName: "FILE"))
    var output: String?

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitCode = false

    @Option(help: "Applications planned at once.")
    var parallel: Int = 4

    @OptionGroup var state: StateOptions

    func run() async throws {
        let resolved = try LoadedProfile.resolve(
            target.selection.profile, parameters: target.selection.parameters, policy: target.selection.policy.choice)
        let applications = try target.applications(of: resolved)
        // Each application has up to three independent requests in flight (see `Applier.apply`).
        let session = try GraphSession.make(graph, concurrency: max(1, parallel) * 3)
        let planner = Planner(
            graph: session.client, servicePrincipalID: target.servicePrincipalID, updateSecrets: target.updateSecrets,
            journal: state.journal(scope: await session.tenantScope()), replicationTimeout: graph.timeout)
        let plans: [ApplicationPlan]
        do {
            plans = try await planAll(applications, planner: planner, parallel: max(1, parallel)).map(\.0)
        } catch {
            Output.errLine("error: \(error)")
            throw ExitCode.failure
        }
        let colorText = PlanRendering.text(plans, style: Style(enabled: Output.colorEnabled(forStdout: true)))
        if let output {
            try ReportFiles.write(render(plans, as: format), to: output)
            Output.out(colorText)
        } else {
            Output.out(format == .text ? colorText : render(plans, as: format))
        }
        ReportFiles.appendToStepSummary(PlanRendering.markdown(plans))
        if graph.verbose { Output.errLine("plan: \(session.statisticsLine)") }
        if detailedExitCode && plans.contains(where: \.hasChanges) { throw ExitCode(2) }
    }

    func render(_ plans: [ApplicationPlan], as format: PlanOutputFormat) -> String {
        switch format {
        case .text: PlanRendering.text(plans, style: Style(enabled: false))
        case .json: PlanRendering.json(plans).serialized(pretty: true) + "\n"
        case .markdown: PlanRendering.markdown(plans)
        }
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
            Re-running apply on a tenant that matches the profile makes no writes.
            """
    )

    @OptionGroup var target: ProfileTargetOptions
    @OptionGroup var graph: GraphOptions

    @Flag(help: "Apply without asking.")
    var yes = false

    @Flag(name: .customLong("dry-run"), help: "Plan and stop; write nothing.")
    var dryRun = false

    @Flag(inversion: .prefixedNo, help: "Start provisioning after configuring it (default: as the profile says).")
    var start: Bool?

    @Option(help: "Applications applied at once.")
    var parallel: Int = 2

    @Option(
        name: .customLong("backup-dir"),
        help: ArgumentHelp("Where previous schemas are saved before each change.", valueName: "DIR"))
    var backupDirectory: String = ".scimctl/backups"

    @Option(help: "Output format: text or json (the result, on stdout).")
    var format: PlanFormat = .text

    @OptionGroup var state: StateOptions

    @Option(
        name: .customLong("lock-wait"),
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
        try WritableDirectory.check(backupDirectory, option: "--backup-dir")
    }

    func run() async throws {
        let resolved = try LoadedProfile.resolve(
            target.selection.profile, parameters: target.selection.parameters, policy: target.selection.policy.choice)
        let applications = try target.applications(of: resolved)
        for prerequisite in resolved.profile.rules.prerequisites {
            Output.errLine("note: \(resolved.profile.vendor) prerequisite: \(prerequisite)")
        }
        if probe {
            try await ProbeGate.run(
                applications, settings: ProbeSettings(cacert: graph.cacert), profile: target.selection.profile,
                policy: target.selection.policy.choice)
        }
        // Each application has up to three independent requests in flight (see `Applier.apply`).
        let session = try GraphSession.make(graph, concurrency: parallel * 3)
        let scope = await session.tenantScope()
        let journal = state.journal(scope: scope)
        // One apply at a time per tenant and application: a second one planning while the first creates would
        // not see the new app yet and create another. Held until this process ends.
        var locks: [ApplyLock] = []
        defer { locks.forEach { $0.release() } }
        if !dryRun {
            for displayName in Set(applications.map(\.displayName)).sorted() {
                for directory in state.lockDirectories {
                    do {
                        locks.append(
                            try await ApplyLock.acquire(
                                directory: directory, scope: scope, displayName: displayName, wait: lockWait))
                    } catch {
                        Output.errLine("error: \(error)")
                        throw ExitCode.failure
                    }
                }
            }
        }
        let planner = Planner(
            graph: session.client, servicePrincipalID: target.servicePrincipalID, startOverride: start,
            updateSecrets: target.updateSecrets, journal: journal, replicationTimeout: graph.timeout)
        let planned: [(ApplicationPlan, LiveState)]
        do {
            planned = try await planAll(applications, planner: planner, parallel: parallel)
        } catch {
            Output.errLine("error: \(error)")
            throw ExitCode.failure
        }
        let plans = planned.map(\.0)
        let planText = PlanRendering.text(plans, style: Style(enabled: Output.colorEnabled(forStdout: false)))
        if format == .text { Output.out(planText) } else { Output.err(planText) }

        guard plans.contains(where: \.hasChanges) else {
            ReportFiles.appendToStepSummary(PlanRendering.markdown(plans, title: "scimctl apply"))
            if format == .json { Output.out(resultJSON([], plans: plans, session: session).serialized(pretty: true) + "\n") }
            if graph.verbose { Output.errLine("apply: \(session.statisticsLine), 0 writes") }
            return
        }
        if dryRun {
            ReportFiles.appendToStepSummary(PlanRendering.markdown(plans, title: "scimctl apply --dry-run") + "Dry run: nothing was written.\n")
            Output.errLine("dry run: nothing was written")
            if format == .json { Output.out(resultJSON([], plans: plans, session: session).serialized(pretty: true) + "\n") }
            return
        }
        // Secrets are checked before any write, so a missing token cannot leave a half-applied tenant.
        let tokens = SecretTokenReader(environment: ProcessInfo.processInfo.environment)
        for plan in plans where !plan.secretKeys.isEmpty {
            do {
                _ = try tokens.token(for: plan.application.secretToken)
            } catch {
                Output.errLine("error: \(plan.application.name): \(error); nothing was written")
                throw ExitCode.failure
            }
        }
        if !yes {
            guard Output.stdinIsTerminal else {
                Output.errLine("error: apply needs confirmation: pass --yes (stdin is not a terminal); nothing was written")
                throw ExitCode.failure
            }
            Output.err("Apply these changes? Type 'yes' to continue: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                Output.errLine("cancelled; nothing was written")
                throw ExitCode.failure
            }
        }

        let progress = ProgressPrinter(
            interactive: Output.stderrIsTerminal && ProcessInfo.processInfo.environment["CI"] == nil, verbose: graph.verbose)
        let redactor = session.redactor
        let applier = Applier(
            graph: session.client, applicationTemplateID: session.cloud.nonGalleryTemplateID,
            backups: SchemaBackups(directory: backupDirectory), tokens: tokens,
            progress: { progress.report($0) }, replicationTimeout: graph.timeout, registerSecret: { redactor.register($0) },
            journal: journal)
        let outcomes = await applyAll(planned, applier: applier)
        var failed = false
        var results: [Applier.Outcome] = []
        var summaryRows: [String] = []
        for (plan, outcome) in zip(plans, outcomes) {
            let name = plan.application.name
            switch outcome {
            case .success(let result):
                results.append(result)
                let summary = result.changes.isEmpty ? "no changes" : result.changes.joined(separator: ", ")
                Output.errLine("\(name): done (\(summary)); service principal \(result.servicePrincipalID), job \(result.jobID)")
                if let backup = result.backupPath { Output.errLine("\(name): previous schema saved to \(backup)") }
                summaryRows.append(
                    "| `\(Markdown.code(name))` | ✅ done | \(Markdown.cell(summary)) | `\(result.servicePrincipalID)` | `\(result.jobID)` |")
            case .failure(let error):
                failed = true
                let message = redactor.redact(String(describing: error))
                Output.errLine("error: \(message)")
                summaryRows.append("| `\(Markdown.code(name))` | ❌ failed | \(Markdown.cell(message)) | | |")
            }
        }
        ReportFiles.appendToStepSummary(
            PlanRendering.markdown(plans, title: "scimctl apply") + "| application | result | changes | service principal | job |\n"
                + "|---|---|---|---|---|\n" + summaryRows.joined(separator: "\n") + "\n")
        if graph.verbose { Output.errLine("apply: \(session.statisticsLine)") }
        if format == .json { Output.out(resultJSON(results, plans: plans, session: session).serialized(pretty: true) + "\n") }
        if failed { throw ExitCode.failure }
    }

    func applyAll(_ planned: [(ApplicationPlan, LiveState)], applier: Applier) async -> [Result<Applier.Outcome, Error>] {
        await withTaskGroup(of: (Int, Result<Applier.Outcome, Error>).self) { group in
            var results: [(Int, Result<Applier.Outcome, Error>)] = []
            var next = 0
            func add() {
                let index = next
                let (plan, live) = planned[index]
                group.addTask {
                    do {
                        return (index, .success(try await applier.apply(plan, live: live)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
                next += 1
            }
            while next < planned.count && next < parallel { add() }
            while let result = await group.next() {
                results.append(result)
                if next < planned.count { add() }
            }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func resultJSON(_ results: [Applier.Outcome], plans: [ApplicationPlan], session: GraphSession) -> JSONValue {
        let stats = session.transport.statistics
        return [
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
            "requests": .integer(Int64(stats.requestsSent)),
            "connections": .integer(Int64(stats.connectionsOpened)),
        ]
    }
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

/// Progress on stderr: one line per finished step with its time; plain lines in CI and when not on a terminal.
final class ProgressPrinter: @unchecked Sendable {
    let interactive: Bool
    let verbose: Bool
    private let lock = NSLock()

    init(interactive: Bool, verbose: Bool = false) {
        self.interactive = interactive
        self.verbose = verbose
    }

    func report(_ event: ProgressEvent) {
        lock.withLock {
            switch event.kind {
            case .started:
                if interactive { Output.err("\r\u{1B}[K  … \(event.application): \(event.step)") }
            case .finished:
                let time = event.seconds.map { String(format: " (%.1fs)", $0) } ?? ""
                if interactive { Output.err("\r\u{1B}[K") }
                Output.errLine("  ✓ \(event.application): \(event.step)\(time)")
            case .waiting:
                if interactive { Output.err("\r\u{1B}[K") }
                Output.errLine("  … \(event.application): \(event.step) \(event.detail)")
            case .notice:
                Output.errLine("  ! \(event.application): \(event.step) \(event.detail)")
            case .detail:
                if verbose { Output.errLine("  · \(event.application): \(event.detail)") }
            }
        }
    }
}
