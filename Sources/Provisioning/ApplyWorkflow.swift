import Diagnostics
import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

/// Where apply keeps what must survive the process (the journal of creates and the locks): a project folder,
/// mirrored in a per-user one so that an apply from another folder sees the same journal and locks.
public struct ApplyStateLocation: Sendable {
    public var projectDirectory: String
    public var userDirectory: String

    public init(projectDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.projectDirectory = projectDirectory
        self.userDirectory = Self.userStateDirectory(environment: environment)
    }

    public func journal(scope: String) -> ApplyJournal {
        ApplyJournal(directories: directories("journal"), scope: scope)
    }

    public var lockDirectories: [String] { directories("locks") }

    private func directories(_ name: String) -> [String] {
        [projectDirectory, userDirectory].map { ($0 as NSString).appendingPathComponent(name) }
    }

    /// `$XDG_STATE_HOME/scimctl`, else `~/.local/state/scimctl`: the per-user state that outlives a folder.
    public static func userStateDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state as NSString).appendingPathComponent("scimctl")
        }
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/state/scimctl")
    }
}

/// `apply`'s workflow: lock, plan, check secrets, confirm, apply every application, and report each outcome.
/// The caller shows the plan, asks for confirmation and renders progress; nothing here prints.
public struct ApplyWorkflow: Sendable {
    public struct Options: Sendable {
        public var servicePrincipalID: String?
        public var startOverride: Bool?
        public var updateSecrets = false
        public var replicationTimeout: Double = 180
        /// Applications planned and applied at once.
        public var parallel = 2
        /// Plan and stop: no locks, no writes.
        public var dryRun = false
        /// Seconds to wait for another apply's lock.
        public var lockWait: Double = 0
        /// Probe the vendors' SCIM endpoints first and stop on an error finding (judged by `probePolicy`).
        public var probe: SCIMProbe.Settings?
        public var probePolicy = DiagnosticPolicy()

        public init(
            servicePrincipalID: String? = nil, startOverride: Bool? = nil, updateSecrets: Bool = false,
            replicationTimeout: Double = 180, parallel: Int = 2, dryRun: Bool = false, lockWait: Double = 0,
            probe: SCIMProbe.Settings? = nil, probePolicy: DiagnosticPolicy = DiagnosticPolicy()
        ) {
            self.servicePrincipalID = servicePrincipalID
            self.startOverride = startOverride
            self.updateSecrets = updateSecrets
            self.replicationTimeout = replicationTimeout
            self.parallel = parallel
            self.dryRun = dryRun
            self.lockWait = lockWait
            (self.probe, self.probePolicy) = (probe, probePolicy)
        }
    }

    /// Why the workflow stopped before writing anything.
    public enum Stop: Error {
        /// The probe could not run.
        case probe(SCIMProbe.RunError)
        /// A vendor's endpoint failed the probe (its reports went to `probed`).
        case probeFailed
        case lock(any Error)
        case plan(any Error)
        /// A secret token the plan needs cannot be read.
        case secretToken(application: String, any Error)
        /// The caller's confirmation declined (it threw this error).
        case declined(any Error)
    }

    public enum Result: Sendable {
        case noChanges([ApplicationPlan])
        case dryRun([ApplicationPlan])
        /// Each application's outcome, in plan order.
        case applied([ApplicationPlan], [Swift.Result<Applier.Outcome, any Error>])

        public var plans: [ApplicationPlan] {
            switch self {
            case .noChanges(let plans), .dryRun(let plans), .applied(let plans, _): plans
            }
        }
    }

    public var graph: any GraphService
    public var applicationTemplateID: String
    public var state: ApplyStateLocation
    /// Which tenant this is, for the journal and lock names.
    public var scope: String
    public var backups: SchemaBackups
    public var tokens: SecretTokenReader
    public var options: Options
    public var registerSecret: @Sendable (String) -> Void
    /// How replication waits pass (tests move a virtual clock instead).
    public var sleep: @Sendable (Double) async throws -> Void

    public init(
        graph: any GraphService, applicationTemplateID: String, state: ApplyStateLocation, scope: String,
        backups: SchemaBackups, tokens: SecretTokenReader, options: Options,
        registerSecret: @escaping @Sendable (String) -> Void = { _ in },
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) {
        self.graph = graph
        self.applicationTemplateID = applicationTemplateID
        self.state = state
        self.scope = scope
        self.backups = backups
        self.tokens = tokens
        self.options = options
        self.registerSecret = registerSecret
        self.sleep = sleep
    }

    /// A workflow through `session`: its client, its cloud's non-gallery template and its tenant's journal scope.
    /// Secret tokens come from the environment, and every token read is registered with the session's redactor. A
    /// workflow that only plans never writes a backup, so it needs no backup folder.
    public init(
        session: GraphSession, state: ApplyStateLocation, backups: SchemaBackups = SchemaBackups(),
        options: Options
    ) async {
        let redactor = session.redactor
        self.init(
            graph: session.client, applicationTemplateID: session.cloud.nonGalleryTemplateID, state: state,
            scope: await session.tenantScope(), backups: backups,
            tokens: SecretTokenReader(environment: ProcessInfo.processInfo.environment), options: options,
            registerSecret: { redactor.register($0) })
    }

    /// Each application's plan and the live state it was made from: reads only, no locks (what `scimctl plan` shows).
    public func plan(_ applications: [ResolvedApplication]) async throws(Stop) -> [(ApplicationPlan, LiveState)] {
        let planner = Planner(
            graph: graph, servicePrincipalID: options.servicePrincipalID, startOverride: options.startOverride,
            updateSecrets: options.updateSecrets, journal: state.journal(scope: scope),
            replicationTimeout: options.replicationTimeout, sleep: sleep)
        do {
            return try await planner.plan(applications, parallel: options.parallel)
        } catch {
            throw .plan(error)
        }
    }

    /// Runs the workflow. With `options.probe`, `probed` sees the probe's reports before anything is read from Graph;
    /// `planned` sees the plans once they are made; `confirm` runs before the first write and throws to decline;
    /// `progress` receives every step.
    public func run(
        _ applications: [ResolvedApplication], probed: ([SCIMProbeReport]) -> Void = { _ in },
        planned: ([ApplicationPlan]) -> Void, confirm: ([ApplicationPlan]) async throws -> Void,
        progress: @escaping ProgressSink
    ) async throws(Stop) -> Result {
        if let settings = options.probe {
            let reports: [SCIMProbeReport]
            do {
                reports = try await SCIMProbe.run(applications, settings: settings, tokens: tokens, policy: options.probePolicy)
            } catch {
                throw .probe(error)
            }
            probed(reports)
            if reports.flatMap(\.diagnostics).hasErrors { throw .probeFailed }
        }
        let journal = state.journal(scope: scope)
        // One apply at a time per tenant and application: a second one planning while the first creates would
        // not see the new app yet and create another.
        var locks: [ApplyLock] = []
        defer { locks.forEach { $0.release() } }
        if !options.dryRun {
            for displayName in Set(applications.map(\.displayName)).sorted() {
                for directory in state.lockDirectories {
                    do {
                        locks.append(
                            try await ApplyLock.acquire(
                                directory: directory, scope: scope, displayName: displayName, wait: options.lockWait))
                    } catch {
                        throw .lock(error)
                    }
                }
            }
        }
        let plannedApplications = try await plan(applications)
        let plans = plannedApplications.map(\.0)
        planned(plans)
        guard plans.contains(where: \.hasChanges) else { return .noChanges(plans) }
        if options.dryRun { return .dryRun(plans) }
        // Secrets are checked before any write, so a missing token cannot leave a half-applied tenant.
        for plan in plans where !plan.secretKeys.isEmpty {
            do {
                _ = try tokens.token(for: plan.application.secretToken)
            } catch {
                throw .secretToken(application: plan.application.name, error)
            }
        }
        do {
            try await confirm(plans)
        } catch {
            throw .declined(error)
        }
        let applier = Applier(
            graph: graph, applicationTemplateID: applicationTemplateID, backups: backups, tokens: tokens,
            progress: progress, replicationTimeout: options.replicationTimeout, sleep: sleep,
            registerSecret: registerSecret, journal: journal)
        let work = plannedApplications.map { PlannedApplication(plan: $0.0, live: $0.1) }
        let outcomes = await BoundedConcurrency.results(work, limit: options.parallel) { item in
            try await applier.apply(item.plan, live: item.live)
        }
        return .applied(plans, outcomes)
    }
}

extension Planner {
    /// Plans every application, `parallel` at a time.
    public func plan(_ applications: [ResolvedApplication], parallel: Int) async throws -> [(ApplicationPlan, LiveState)] {
        try await BoundedConcurrency.map(applications, limit: parallel) { application in
            let (plan, live) = try await self.plan(application)
            return PlannedApplication(plan: plan, live: live)
        }.map { ($0.plan, $0.live) }
    }
}

/// A plan with the live state it was made from (what `Applier.apply` needs).
struct PlannedApplication: Sendable {
    var plan: ApplicationPlan
    var live: LiveState
}
