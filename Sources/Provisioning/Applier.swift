import Foundation
import GraphHTTP
import GraphSync
import Profiles

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
    public func apply(_ plan: ApplicationPlan, live: LiveState) async throws -> Outcome {
        let application = plan.application
        let name = application.name
        let token = plan.secretKeys.isEmpty ? nil : try tokens.token(for: application.secretToken)
        if let token { registerSecret(token.exposedValue) }

        var done: [String] = []
        func step<T>(_ title: String, _ body: () async throws -> T) async throws -> T {
            progress(ProgressEvent(application: name, kind: .started, step: title))
            let started = Date()
            do {
                let result = try await body()
                progress(
                    ProgressEvent(
                        application: name, kind: .finished, step: title, seconds: Date().timeIntervalSince(started)))
                return result
            } catch let error as ProvisioningError {
                if case .partial = error { throw error }
                throw ProvisioningError.partial(application: name, step: title, done: done, underlying: error.description)
            } catch {
                throw ProvisioningError.partial(
                    application: name, step: title, done: done, underlying: String(describing: error))
            }
        }

        let graph = consistentGraph(application: name)
        let displayName = application.displayName
        // Objects an earlier run journaled but nobody has seen listed yet may still be replicating.
        tracker.track(journaled: try journalEntry(displayName))

        // 1. The enterprise application.
        var servicePrincipalID: String
        var appID = live.appID
        switch plan.servicePrincipal {
        case .found(let id):
            servicePrincipalID = id
            if !live.servicePrincipalFromJournal { try confirmServicePrincipal(displayName, id: id) }
        case .create:
            try ExistingApplication.requireFound(application, live: live)
            var found: (servicePrincipalID: String, appID: String?)?
            if let since = plan.pendingCreateSince, live.pendingServicePrincipalIntent != nil {
                // An earlier run may have created it without learning the id: look before creating another.
                found = try await step("look for the application an interrupted run may have created") {
                    try await lookForServicePrincipal(displayName, intendedAt: since, graph: graph)
                }
            }
            if found == nil {
                found = try await step("create application '\(displayName)'") {
                    try await instantiate(displayName, graph: graph)
                }
                done.append("created application \(found?.servicePrincipalID ?? "")")
            }
            guard let created = found else { throw ProvisioningError.notFound("the new service principal") }
            servicePrincipalID = created.servicePrincipalID
            appID = created.appID
            try await step("wait for the service principal to replicate") {
                try await waitForServicePrincipal(servicePrincipalID, application: name, graph: graph)
            }
        }
        if plan.marksServicePrincipal {
            try await step("mark the application as managed by scimctl") {
                _ = try await graph.call(
                    .patch, GraphPaths.servicePrincipal(servicePrincipalID),
                    body: ScimctlMarker.body(for: application),
                    operation: "mark the service principal", version: .v1, idempotent: true)
            }
        }

        // 2. The provisioning job.
        let jobID: String
        switch plan.job {
        case .found(let id):
            jobID = id
        case .create:
            var existing: String?
            if plan.servicePrincipal != .create, let since = live.pendingJobIntent {
                existing = try await step("look for the job an interrupted run may have created") {
                    guard let found = try await lookForJob(servicePrincipalID, intendedAt: since, graph: graph) else {
                        return nil
                    }
                    try recordInJournal(displayName) { entry in
                        entry.job = JournalEntry.Record(
                            id: found, parentID: servicePrincipalID, intendedAt: since, createdAt: since)
                    }
                    return found
                }
            }
            if let existing {
                jobID = existing
            } else {
                jobID = try await step("create the provisioning job") {
                    try await createJob(servicePrincipalID, displayName: displayName, graph: graph)
                }
                done.append("created job \(jobID)")
            }
        }

        // 3. Tenant URL, token and scope.
        if !plan.secretKeys.isEmpty {
            try await step("save tenant URL, token and settings") {
                var body = SecretsBody.make(for: application, token: token)
                body = Self.keepingUnownedSettings(body, saved: live.secrets)
                _ = try await graph.call(
                    .put, GraphPaths.secrets(servicePrincipalId: servicePrincipalID), body: body,
                    operation: "save provisioning credentials", version: .v1, idempotent: true)
            }
            done.append("saved credentials")
            try await step("test the connection to the SCIM endpoint") {
                do {
                    _ = try await graph.call(
                        .post,
                        GraphPaths.jobAction("validateCredentials", servicePrincipalId: servicePrincipalID, jobId: jobID),
                        body: ["useSavedCredentials": true], operation: "test the SCIM connection", version: .v1,
                        idempotent: true)
                } catch let error as GraphError where error.status.map({ (400..<500).contains($0) }) ?? false {
                    throw ProvisioningError.credentialsRejected(error.message)
                }
            }
        }

        // 4. Attribute mappings: read, back up, merge, write only when something changed.
        var backupPath: String?
        if plan.desiredSchema != nil || plan.job == .create {
            let changed: Bool = try await step("update attribute mappings") {
                let path = GraphPaths.schema(servicePrincipalId: servicePrincipalID, jobId: jobID)
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
                guard merged.json != live.json else { return false }
                do {
                    backupPath = try backups.save(live, servicePrincipalID: servicePrincipalID)
                } catch {
                    throw ProvisioningError.backupFailed(String(describing: error))
                }
                _ = try await graph.call(
                    .put, path, body: merged.json, operation: "write the job schema", version: .v1, idempotent: true)
                return true
            }
            if changed { done.append("updated attribute mappings") }
        }

        // Assignments before the start, so the first cycle already sees who is in scope.
        if plan.assignments?.hasChanges ?? false {
            let assigned = try await step("update user and group assignments") {
                try await applyAssignments(
                    plan.assignments, application: application, servicePrincipalID: servicePrincipalID, graph: graph)
            }
            done += assigned
        }

        if plan.jobState?.hasChanges ?? false {
            let changed = try await step(plan.jobState?.pause == true ? "pause provisioning" : "restart provisioning") {
                try await applyJobState(plan.jobState, servicePrincipalID: servicePrincipalID, jobID: jobID, graph: graph)
            }
            done += changed
        }

        // 5. Start, only when asked and not already running.
        if plan.start == .start {
            try await step("start provisioning") {
                _ = try await graph.call(
                    .post, GraphPaths.jobAction("start", servicePrincipalId: servicePrincipalID, jobId: jobID), body: nil,
                    operation: "start the provisioning job", version: .v1, idempotent: true)
            }
            done.append("started provisioning")
        }
        return Outcome(
            application: name, servicePrincipalID: servicePrincipalID, appID: appID, jobID: jobID, changes: done,
            backupPath: backupPath)
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
        let path = GraphPaths.instantiate(applicationTemplateId: applicationTemplateID)
        let response: JSONValue?
        do {
            response = try await graph.call(
                .post, path, body: ["displayName": .string(displayName)], operation: "create the enterprise application",
                version: .v1, idempotent: false)
        } catch where error.isGraphAmbiguous {
            if let found = try await lookForServicePrincipal(displayName, intendedAt: intendedAt, graph: graph) {
                return found
            }
            throw ProvisioningError.unconfirmedCreate(
                "the request to create '\(displayName)' got no clear answer and the application has not appeared in "
                    + "\(Int(replicationTimeout)) s; it was journaled, so the next apply looks for it again before creating one")
        }
        guard let id = response?["servicePrincipal"]?["id"]?.stringValue else {
            throw ProvisioningError.notFound("the new service principal's id in Graph's answer")
        }
        let appID = response?["servicePrincipal"]?["appId"]?.stringValue ?? response?["application"]?["appId"]?.stringValue
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
        let budget = max(0, replicationTimeout - Date().timeIntervalSince(intendedAt))
        var waited = 0.0
        var delay = 0.5
        while true {
            let found = try await LiveStateReader.findServicePrincipals(named: displayName, graph: graph)
            if found.count > 1 {
                throw ProvisioningError.ambiguousApplication(displayName, ids: found.compactMap { $0["id"]?.stringValue })
            }
            if let servicePrincipal = found.first, let id = servicePrincipal["id"]?.stringValue {
                let appID = servicePrincipal["appId"]?.stringValue
                tracker.track(id, createdAt: intendedAt)
                try recordInJournal(displayName) { entry in
                    entry.servicePrincipal = JournalEntry.Record(
                        id: id, appID: appID, intendedAt: intendedAt, createdAt: intendedAt, confirmed: true)
                }
                return (id, appID)
            }
            guard waited < budget else { return nil }
            let wait = min(delay, budget - waited)
            try await sleep(wait)
            waited += wait
            delay = min(delay * 2, 8)
        }
    }

    func waitForServicePrincipal(_ id: String, application: String, graph: any GraphService) async throws {
        do {
            _ = try await graph.get(GraphPaths.servicePrincipal(id), "read the new service principal")
        } catch where error.isGraphNotFound {
            throw ProvisioningError.replicationTimeout(id)
        }
    }

    /// `POST jobs` with the `scim` template, journaled like instantiate; an unclear answer is resolved by listing.
    func createJob(_ servicePrincipalID: String, displayName: String, graph: any GraphService) async throws -> String {
        // Prefer the `scim` template; the legacy `customappsso` is never chosen silently.
        let templates = try await graph.get(
            GraphPaths.templates(servicePrincipalId: servicePrincipalID), "list synchronization templates")
        let ids = (templates?["value"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        guard ids.contains(GraphPaths.scimJobTemplateId) else { throw ProvisioningError.noScimTemplate(ids) }
        let intendedAt = Date()
        try recordInJournal(displayName) { entry in
            entry.job = JournalEntry.Record(parentID: servicePrincipalID, intendedAt: intendedAt)
        }
        let jobsPath = GraphPaths.jobs(servicePrincipalId: servicePrincipalID)
        var conflicts = 0
        while true {
            do {
                let job = try await graph.call(
                    .post, jobsPath, body: ["templateId": .string(GraphPaths.scimJobTemplateId)],
                    operation: "create the provisioning job", version: .v1, idempotent: false)
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
        let budget = patient ? max(0, replicationTimeout - Date().timeIntervalSince(intendedAt)) : 0
        var waited = 0.0
        var delay = 0.5
        let jobsPath = GraphPaths.jobs(servicePrincipalId: servicePrincipalID)
        while true {
            let jobs = try await graph.get(jobsPath, "list synchronization jobs")
            if let existing = (jobs?["value"]?.arrayValue ?? []).compactMap(SynchronizationJobSummary.init(json:))
                .first(where: { $0.templateID == GraphPaths.scimJobTemplateId })
            {
                tracker.track(existing.id, createdAt: intendedAt)
                return existing.id
            }
            guard waited < budget else { return nil }
            let wait = min(delay, budget - waited)
            try await sleep(wait)
            waited += wait
            delay = min(delay * 2, 8)
        }
    }
}
