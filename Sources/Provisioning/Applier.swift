import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

/// Carries out an `ApplicationPlan`. Every step is safe to repeat: a failure leaves a tenant that the next apply
/// completes, and non-idempotent creates look for what an unclear first attempt may have made before trying again.
public struct Applier: Sendable {
    public var graph: any GraphService
    /// The cloud's non-gallery application template.
    public var applicationTemplateID: String
    public var backups: SchemaBackups
    public var tokens: SecretTokenReader
    public var progress: ProgressSink
    /// How long to wait for a new service principal to become readable.
    public var replicationTimeout: Double
    /// Sleeps between replication polls; injected so tests need not wait.
    public var sleep: @Sendable (Double) async throws -> Void
    /// Registers values that must be masked in traces (the vendor token).
    public var registerSecret: @Sendable (String) -> Void
    /// Where each create is recorded before it is sent and when its answer arrives; nil keeps no record (then a
    /// re-run inside Entra's replication window cannot see what this run created).
    public var journal: ApplyJournal?
    /// New objects of this run, whose stale answers are waited out.
    public let tracker: ReplicationTracker

    public init(
        graph: any GraphService, applicationTemplateID: String, backups: SchemaBackups, tokens: SecretTokenReader,
        progress: @escaping ProgressSink = { _ in }, replicationTimeout: Double = 180,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        registerSecret: @escaping @Sendable (String) -> Void = { _ in }, journal: ApplyJournal? = nil
    ) {
        self.graph = graph
        self.applicationTemplateID = applicationTemplateID
        self.backups = backups
        self.tokens = tokens
        self.progress = progress
        self.replicationTimeout = replicationTimeout
        self.sleep = sleep
        self.registerSecret = registerSecret
        self.journal = journal
        self.tracker = ReplicationTracker()
    }

    /// Every call goes through this: requests about objects created moments ago wait out stale replicas.
    func consistentGraph(application: String) -> ConsistentGraph {
        let progress = self.progress
        return ConsistentGraph(
            graph, tracker: tracker, deadline: replicationTimeout, sleep: sleep,
            onWait: { operation, status, seconds in
                progress(
                    ProgressEvent(
                        application: application, kind: .waiting, step: "\(operation): HTTP \(status) while Entra replicates",
                        detail: "retrying in \(String(format: "%.1f", seconds))s"))
            })
    }

    public struct Outcome: Sendable {
        public var application: String
        public var servicePrincipalID: String
        public var appID: String?
        public var jobID: String
        /// Steps that changed the tenant, in order.
        public var changes: [String]
        public var backupPath: String?
    }

    /// Applies the plan. The token is read before anything is written, so a missing token changes nothing.
    ///
    /// Requests that do not depend on each other run concurrently: once the service principal exists, marking it,
    /// reading it back and listing its templates; once the job exists, saving the secrets (then testing the
    /// connection) beside reading and writing the schema. A fresh apply is 6 round trips after the plan's lookup.
    public func apply(_ plan: ApplicationPlan, live: LiveState) async throws -> Outcome {
        let application = plan.application
        let name = application.name
        let token = plan.secretKeys.isEmpty ? nil : try tokens.token(for: application.secretToken)
        if let token { registerSecret(token.exposedValue) }

        let done = AppliedSteps()
        let step = StepRunner(application: name, progress: progress, done: done)
        let graph = consistentGraph(application: name)
        let displayName = application.displayName
        // Objects an earlier run journaled but nobody has seen listed yet may still be replicating.
        tracker.track(journaled: try journalEntry(displayName))

        // 1. The enterprise application.
        let servicePrincipalID: String
        var appID = live.appID
        switch plan.servicePrincipal {
        case .found(let id):
            servicePrincipalID = id
            if !live.servicePrincipalFromJournal { try confirmServicePrincipal(displayName, id: id) }
        case .create:
            try ExistingApplication.requireFound(application, live: live)
            var found: (servicePrincipalID: String, appID: String?)?
            if let since = live.pendingServicePrincipalIntent {
                // An earlier run may have created it without learning the id: look before creating another.
                found = try await step("look for the application an interrupted run may have created") {
                    try await lookForServicePrincipal(displayName, intendedAt: since, graph: graph)
                }
            }
            if found == nil {
                let created = try await step("create application '\(displayName)'") {
                    try await instantiate(displayName, graph: graph)
                }
                found = (created.servicePrincipalID, created.appID)
                done.append("created application \(created.servicePrincipalID)")
            }
            guard let created = found else { throw ProvisioningError.notFound("the new service principal") }
            servicePrincipalID = created.servicePrincipalID
            appID = created.appID
        }

        // 2. Beside each other: read the new app back, mark it, and list its job templates when a job is created.
        let spID = servicePrincipalID
        let waitsForReplication = plan.servicePrincipal == .create
        let marks = plan.marksServicePrincipal
        let looksForJob = plan.servicePrincipal != .create ? live.pendingJobIntent : nil
        let createsJob = plan.job == .create
        let (_, _, templates) = try await Concurrently.run(
            {
                guard waitsForReplication else { return }
                try await step("wait for the service principal to replicate") {
                    try await waitForServicePrincipal(spID, graph: graph)
                }
            },
            {
                guard marks else { return }
                try await step("mark the application as managed by scimctl") {
                    _ = try await send(.mark(servicePrincipalID: spID, application: application), graph: graph)
                }
            },
            { () async throws -> [String]? in
                guard createsJob, looksForJob == nil else { return nil }
                return try await step("list synchronization templates") {
                    try await listTemplates(spID, graph: graph)
                }
            })

        // 3. The provisioning job.
        let jobID: String
        switch plan.job {
        case .found(let id):
            jobID = id
        case .create:
            var existing: String?
            if let since = looksForJob {
                existing = try await step("look for the job an interrupted run may have created") {
                    guard let found = try await lookForJob(spID, intendedAt: since, graph: graph) else {
                        return nil
                    }
                    try recordInJournal(displayName) { entry in
                        entry.job = JournalEntry.Record(id: found, parentID: spID, intendedAt: since, createdAt: since)
                    }
                    return found
                }
            }
            if let existing {
                jobID = existing
            } else {
                let available: [String]
                if let templates {
                    available = templates
                } else {
                    available = try await step("list synchronization templates") {
                        try await listTemplates(spID, graph: graph)
                    }
                }
                jobID = try await step("create the provisioning job") {
                    try await createJob(spID, templates: available, displayName: displayName, graph: graph)
                }
                done.append("created job \(jobID)")
            }
        }

        // 4. Beside each other: tenant URL, token and scope (then the connection test), and the attribute mappings
        // (read, back up, merge, write only when something changed). Both run to the end before an error is
        // reported, so the error says exactly what reached the tenant.
        let savesSecrets = !plan.secretKeys.isEmpty
        let writesSchema = plan.desiredSchema != nil || plan.job == .create
        let savedSecrets = live.secrets
        let (_, backupPath) = try await Concurrently.run(
            {
                guard savesSecrets else { return }
                try await step("save tenant URL, token and settings") {
                    var body = SecretsBody.make(for: application, token: token, saved: savedSecrets)
                    body = Self.keepingUnownedSettings(body, saved: savedSecrets)
                    _ = try await send(.saveSecrets(servicePrincipalID: spID, body: body), graph: graph)
                }
                done.append("saved credentials")
                try await step("test the connection to the SCIM endpoint") {
                    do {
                        _ = try await send(.testConnection(servicePrincipalID: spID, jobID: jobID), graph: graph)
                    } catch let error as GraphError where error.status.map({ (400..<500).contains($0) }) ?? false {
                        throw ProvisioningError.credentialsRejected(error.message)
                    }
                }
            },
            { () async throws -> String? in
                guard writesSchema else { return nil }
                let result = try await step("update attribute mappings") {
                    try await updateSchema(application, servicePrincipalID: spID, jobID: jobID, graph: graph)
                }
                if result.changed { done.append("updated attribute mappings") }
                return result.backupPath
            })

        // Assignments before the start, so the first cycle already sees who is in scope.
        if plan.assignments?.hasChanges ?? false {
            let assigned = try await step("update user and group assignments") {
                try await applyAssignments(
                    plan.assignments, application: application, servicePrincipalID: servicePrincipalID, graph: graph)
            }
            for change in assigned { done.append(change) }
        }

        if plan.jobState?.hasChanges ?? false {
            let changed = try await step(plan.jobState?.pause == true ? "pause provisioning" : "restart provisioning") {
                try await applyJobState(plan.jobState, servicePrincipalID: servicePrincipalID, jobID: jobID, graph: graph)
            }
            for change in changed { done.append(change) }
        }

        // 5. Start, only when asked and not already running, and only after the connection test passed.
        if plan.start == .start {
            try await step("start provisioning") {
                _ = try await send(.start(servicePrincipalID: spID, jobID: jobID), graph: graph)
            }
            done.append("started provisioning")
        }
        return Outcome(
            application: name, servicePrincipalID: servicePrincipalID, appID: appID, jobID: jobID, changes: done.list,
            backupPath: backupPath)
    }

    /// Sends one of apply's writes, as `render` shows it.
    func send(_ request: ApplyRequest, graph: any GraphService) async throws -> JSONValue? {
        guard let method = HTTPMethod(rawValue: request.method) else {
            throw ProvisioningError.notFound("the HTTP method \(request.method)")
        }
        return try await graph.call(
            method, request.path, body: request.body, operation: request.operation, version: .v1,
            idempotent: request.isIdempotent)
    }

    /// Reads the job's schema while Graph compiles the profile's expressions, merges the profile onto the schema
    /// and, when that changed something, backs up what was there and writes it carrying Graph's trees.
    func updateSchema(
        _ application: ResolvedApplication, servicePrincipalID: String, jobID: String, graph: any GraphService
    ) async throws -> (changed: Bool, backupPath: String?) {
        let path = GraphPaths.schema(servicePrincipalId: servicePrincipalID, jobId: jobID)
        async let compiled = compileExpressions(
            GraphExpressionTrees.expressions(of: application), servicePrincipalID: servicePrincipalID, jobID: jobID,
            application: application.name, graph: graph)
        guard let current = try await graph.get(path, "read the job schema") else {
            throw ProvisioningError.notFound("the schema of job \(jobID)")
        }
        let live = SynchronizationSchema(json: current)
        let merged: SynchronizationSchema
        do {
            merged = try SchemaMerge.merge(application, into: live)
        } catch {
            throw ProvisioningError.schemaMerge(String(describing: error))
        }
        let trees = try await compiled
        // Expressions compare by their text, so a tenant holding Graph's tree already is unchanged.
        guard merged.json != live.json else { return (false, nil) }
        let backupPath: String
        do {
            backupPath = try backups.save(live, servicePrincipalID: servicePrincipalID)
        } catch {
            throw ProvisioningError.backupFailed(String(describing: error))
        }
        let written = GraphExpressionTrees.substituting(trees, in: merged)
        _ = try await send(
            .writeSchema(servicePrincipalID: servicePrincipalID, jobID: jobID, schema: written.json), graph: graph)
        return (true, backupPath)
    }

    /// Each distinct expression compiled once by Graph's `parseExpression`, all at once. An expression Graph
    /// refuses stops the apply before the schema is written.
    func compileExpressions(
        _ expressions: [String], servicePrincipalID: String, jobID: String, application: String, graph: any GraphService
    ) async throws -> [String: JSONValue] {
        let path = GraphPaths.parseExpression(servicePrincipalId: servicePrincipalID, jobId: jobID)
        let trees = try await withThrowingTaskGroup(of: (String, JSONValue).self) { group in
            for expression in expressions {
                group.addTask {
                    let answer = try await graph.call(
                        .post, path, body: GraphExpressionTrees.parseRequest(expression),
                        operation: "compile an expression", version: .v1, idempotent: true)
                    switch GraphExpressionTrees.tree(fromAnswer: answer) {
                    case .success(let tree): return (expression, tree)
                    case .failure(let failure):
                        throw ProvisioningError.schemaMerge("Graph cannot parse the expression \(expression): \(failure.message)")
                    }
                }
            }
            var trees: [String: JSONValue] = [:]
            for try await (expression, tree) in group { trees[expression] = tree }
            return trees
        }
        for difference in GraphExpressionTrees.differences(trees) {
            progress(ProgressEvent(application: application, kind: .detail, step: "expression", detail: difference))
        }
        return trees
    }

    /// A secrets PUT replaces the whole set: re-send saved settings scimctl does not own, unless Graph masked them.
    static func keepingUnownedSettings(_ body: JSONValue, saved: [String: String]?) -> JSONValue {
        guard let saved, var entries = body["value"]?.arrayValue else { return body }
        let owned = Set(entries.compactMap { $0["key"]?.stringValue })
        for key in saved.keys.sorted() where !owned.contains(key) {
            let value = saved[key] ?? ""
            let masked = value.isEmpty || value.allSatisfy { $0 == "*" }
            if masked || key == "SecretToken" { continue }
            entries.append(["key": .string(key), "value": .string(value)])
        }
        return ["value": .array(entries)]
    }

    // MARK: - Creates that never happen twice

    func journalEntry(_ displayName: String) throws -> JournalEntry? {
        try journal?.entry(for: displayName)
    }

    func recordInJournal(_ displayName: String, _ change: (inout JournalEntry) -> Void) throws {
        guard let journal else { return }
        do {
            try journal.update(displayName, change)
        } catch {
            // Without the record a re-run could create a duplicate, so stop before the tenant changes.
            throw ProvisioningError.journal(error.description)
        }
    }

    /// Once a lookup by name shows the app, a later disappearance is a deletion, not replication lag.
    func confirmServicePrincipal(_ displayName: String, id: String) throws {
        guard let entry = try journalEntry(displayName), let record = entry.servicePrincipal, !record.confirmed,
            record.id == id
        else { return }
        try recordInJournal(displayName) { $0.servicePrincipal?.confirmed = true }
    }

    /// `POST instantiate`, journaled before it is sent and as soon as it answers. An answer lost on the way (a
    /// reset, a timeout, a 5xx) is resolved by looking for the app, never by sending the create again.
    func instantiate(_ displayName: String, graph: any GraphService) async throws -> (servicePrincipalID: String, appID: String?) {
        let intendedAt = Date()
        try recordInJournal(displayName) { entry in
            entry.servicePrincipal = JournalEntry.Record(intendedAt: intendedAt)
            entry.job = nil
        }
        let response: JSONValue?
        do {
            response = try await send(
                .instantiate(templateID: applicationTemplateID, displayName: displayName), graph: graph)
        } catch where error.isGraphAmbiguous {
            if let found = try await lookForServicePrincipal(displayName, intendedAt: intendedAt, graph: graph) {
                return found
            }
            throw ProvisioningError.unconfirmedCreate(
                "the request to create '\(displayName)' got no clear answer and the application has not appeared in "
                    + "\(Int(replicationTimeout)) s; it was journaled, so the next apply looks for it again before creating one")
        }
        let created = response.map(InstantiateApplicationResponse.init(json:))
        guard let id = created?.servicePrincipal?.id else {
            throw ProvisioningError.notFound("the new service principal's id in Graph's answer")
        }
        let appID = created?.servicePrincipal?.appId ?? created?.application?.appId
        tracker.track(id)
        try recordInJournal(displayName) { entry in
            entry.servicePrincipal = JournalEntry.Record(id: id, appID: appID, intendedAt: intendedAt, createdAt: Date())
        }
        return (id, appID)
    }

    /// Polls the directory for an app created at `intendedAt` (or a moment later) until the replication window
    /// since then has passed. Returns nil when it never showed up: then it was not created.
    func lookForServicePrincipal(_ displayName: String, intendedAt: Date, graph: any GraphService) async throws
        -> (servicePrincipalID: String, appID: String?)?
    {
        try await pollWithinWindow(since: intendedAt) {
            let found = try await LiveStateReader.findServicePrincipals(named: displayName, graph: graph)
            if found.count > 1 {
                throw ProvisioningError.ambiguousApplication(displayName, ids: found.compactMap { ServicePrincipal(json: $0).id })
            }
            guard let servicePrincipal = found.first.map(ServicePrincipal.init(json:)), let id = servicePrincipal.id
            else { return nil }
            let appID = servicePrincipal.appId
            tracker.track(id, createdAt: intendedAt)
            try recordInJournal(displayName) { entry in
                entry.servicePrincipal = JournalEntry.Record(
                    id: id, appID: appID, intendedAt: intendedAt, createdAt: intendedAt, confirmed: true)
            }
            return (servicePrincipalID: id, appID: appID)
        }
    }

    /// Reads the new service principal once; its replication 404s are waited out by the consistent graph.
    func waitForServicePrincipal(_ id: String, graph: any GraphService) async throws {
        do {
            _ = try await graph.get(GraphPaths.servicePrincipal(id), "read the new service principal")
        } catch where error.isGraphNotFound {
            throw ProvisioningError.replicationTimeout(id)
        }
    }

    /// The ids of the service principal's synchronization templates.
    func listTemplates(_ servicePrincipalID: String, graph: any GraphService) async throws -> [String] {
        let templates = try await graph.get(
            GraphPaths.templates(servicePrincipalId: servicePrincipalID), "list synchronization templates")
        return GraphCollection<SynchronizationTemplate>(json: templates ?? .null).value.compactMap(\.id)
    }

    /// `POST jobs` with the `scim` template, journaled like instantiate; an unclear answer is resolved by listing.
    func createJob(_ servicePrincipalID: String, templates ids: [String], displayName: String, graph: any GraphService)
        async throws -> String
    {
        // Prefer the `scim` template; the legacy `customappsso` is never chosen silently.
        guard ids.contains(GraphPaths.scimJobTemplateId) else { throw ProvisioningError.noScimTemplate(ids) }
        let intendedAt = Date()
        try recordInJournal(displayName) { entry in
            entry.job = JournalEntry.Record(parentID: servicePrincipalID, intendedAt: intendedAt)
        }
        var conflicts = 0
        while true {
            do {
                let job = try await send(.createJob(servicePrincipalID: servicePrincipalID), graph: graph)
                guard let id = job?["id"]?.stringValue else { throw ProvisioningError.notFound("the new job's id") }
                tracker.track(id)
                try recordInJournal(displayName) { entry in
                    entry.job = JournalEntry.Record(
                        id: id, parentID: servicePrincipalID, intendedAt: intendedAt, createdAt: Date())
                }
                return id
            } catch where error.isGraphAmbiguous || (error.graphStatus == 409 && conflicts < 3) {
                // 409 may mean a job exists already (or a replica disagreed); an unclear outcome may have made one.
                if error.graphStatus == 409 { conflicts += 1 }
                if let existing = try await lookForJob(
                    servicePrincipalID, intendedAt: intendedAt, graph: graph, patient: error.isGraphAmbiguous)
                {
                    try recordInJournal(displayName) { entry in
                        entry.job = JournalEntry.Record(
                            id: existing, parentID: servicePrincipalID, intendedAt: intendedAt, createdAt: intendedAt)
                    }
                    return existing
                }
                if error.isGraphAmbiguous {
                    throw ProvisioningError.unconfirmedCreate(
                        "the request to create the provisioning job got no clear answer and no job has appeared in "
                            + "\(Int(replicationTimeout)) s; it was journaled, so the next apply looks again before creating one")
                }
            }
        }
    }

    /// Lists the jobs until a `scim` job shows up or the replication window since `intendedAt` has passed; with
    /// `patient` false it looks once.
    func lookForJob(_ servicePrincipalID: String, intendedAt: Date, graph: any GraphService, patient: Bool = true)
        async throws -> String?
    {
        let jobsPath = GraphPaths.jobs(servicePrincipalId: servicePrincipalID)
        return try await pollWithinWindow(since: intendedAt, patient: patient) {
            let jobs = try await graph.get(jobsPath, "list synchronization jobs")
            guard let existing = (jobs?["value"]?.arrayValue ?? []).compactMap(SynchronizationJobSummary.init(json:))
                .first(where: { $0.templateID == GraphPaths.scimJobTemplateId })
            else { return nil }
            tracker.track(existing.id, createdAt: intendedAt)
            return existing.id
        }
    }

    /// Runs `look` until it finds something or the replication window since `since` has passed (backoff 0.5 s
    /// doubling to 8 s); with `patient` false it looks once. Nil means nothing appeared in the window.
    func pollWithinWindow<T>(since: Date, patient: Bool = true, _ look: () async throws -> T?) async throws -> T? {
        let budget = patient ? max(0, replicationTimeout - Date().timeIntervalSince(since)) : 0
        var waited = 0.0
        var delay = 0.5
        while true {
            if let found = try await look() { return found }
            guard waited < budget else { return nil }
            let wait = min(delay, budget - waited)
            try await sleep(wait)
            waited += wait
            delay = min(delay * 2, 8)
        }
    }
}

/// The steps of one apply that changed the tenant, appended from concurrent branches.
final class AppliedSteps: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [String] = []

    func append(_ step: String) { lock.withLock { steps.append(step) } }
    var list: [String] { lock.withLock { steps } }
}

/// Runs one titled step of an apply: reports it started and finished, and turns a failure into
/// `ProvisioningError.partial` naming what had changed by then.
struct StepRunner: Sendable {
    var application: String
    var progress: ProgressSink
    var done: AppliedSteps

    func callAsFunction<T: Sendable>(_ title: String, _ body: @Sendable () async throws -> T) async throws -> T {
        progress(ProgressEvent(application: application, kind: .started, step: title))
        let started = Date()
        do {
            let result = try await body()
            progress(
                ProgressEvent(application: application, kind: .finished, step: title, seconds: Date().timeIntervalSince(started)))
            return result
        } catch let error as ProvisioningError {
            if case .partial = error { throw error }
            throw ProvisioningError.partial(application: application, step: title, done: done.list, underlying: error.description)
        } catch {
            throw ProvisioningError.partial(
                application: application, step: title, done: done.list, underlying: String(describing: error))
        }
    }
}

/// Independent requests in flight together. Every branch runs to its end before the first error (in argument
/// order) is thrown, so no write is left in flight when the caller reports what happened.
enum Concurrently {
    static func run<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable () async throws -> A, _ second: @escaping @Sendable () async throws -> B
    ) async throws -> (A, B) {
        async let a = outcome(first)
        async let b = outcome(second)
        let (resultA, resultB) = await (a, b)
        return (try resultA.get(), try resultB.get())
    }

    static func run<A: Sendable, B: Sendable, C: Sendable>(
        _ first: @escaping @Sendable () async throws -> A, _ second: @escaping @Sendable () async throws -> B,
        _ third: @escaping @Sendable () async throws -> C
    ) async throws -> (A, B, C) {
        async let a = outcome(first)
        async let b = outcome(second)
        async let c = outcome(third)
        let (resultA, resultB, resultC) = await (a, b, c)
        return (try resultA.get(), try resultB.get(), try resultC.get())
    }

    static func outcome<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}
