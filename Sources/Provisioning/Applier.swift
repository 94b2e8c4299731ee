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

    public init(
        graph: any GraphService, applicationTemplateID: String, backups: SchemaBackups, tokens: SecretTokenReader,
        progress: @escaping ProgressSink = { _ in }, replicationTimeout: Double = 180,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        registerSecret: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.graph = graph
        self.applicationTemplateID = applicationTemplateID
        self.backups = backups
        self.tokens = tokens
        self.progress = progress
        self.replicationTimeout = replicationTimeout
        self.sleep = sleep
        self.registerSecret = registerSecret
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

        // 1. The enterprise application.
        var servicePrincipalID: String
        var appID = live.appID
        switch plan.servicePrincipal {
        case .found(let id):
            servicePrincipalID = id
        case .create:
            let created = try await step("create application '\(application.displayName)'") {
                try await instantiate(application.displayName)
            }
            servicePrincipalID = created.servicePrincipalID
            appID = created.appID
            done.append("created application \(servicePrincipalID)")
            try await step("wait for the service principal to replicate") {
                try await waitForServicePrincipal(servicePrincipalID, application: name)
            }
        }

        // 2. The provisioning job.
        let jobID: String
        switch plan.job {
        case .found(let id):
            jobID = id
        case .create:
            jobID = try await step("create the provisioning job") {
                try await createJob(servicePrincipalID)
            }
            done.append("created job \(jobID)")
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

    func instantiate(_ displayName: String) async throws -> (servicePrincipalID: String, appID: String?) {
        let path = GraphPaths.instantiate(applicationTemplateId: applicationTemplateID)
        let attempts = 4
        for attempt in 1...attempts {
            do {
                let response = try await graph.call(
                    .post, path, body: ["displayName": .string(displayName)], operation: "create the enterprise application",
                    version: .v1, idempotent: false)
                guard let id = response?["servicePrincipal"]?["id"]?.stringValue else {
                    throw ProvisioningError.notFound("the new service principal's id in Graph's answer")
                }
                return (id, response?["servicePrincipal"]?["appId"]?.stringValue ?? response?["application"]?["appId"]?.stringValue)
            } catch where error.isGraphAmbiguous && attempt < attempts {
                // The attempt may have created the app: look before creating another. A new app can take a moment
                // to show up in the directory listing, so look twice before concluding it was not made.
                for wait in [2.0, 4.0] {
                    try await sleep(wait)
                    if let existing = try await LiveStateReader.findServicePrincipals(named: displayName, graph: graph)
                        .first, let id = existing["id"]?.stringValue
                    {
                        return (id, existing["appId"]?.stringValue)
                    }
                }
            }
        }
        throw ProvisioningError.notFound("a service principal for '\(displayName)'")
    }

    func waitForServicePrincipal(_ id: String, application: String) async throws {
        var waited = 0.0
        var delay = 0.5
        while true {
            do {
                _ = try await graph.get(GraphPaths.servicePrincipal(id), "read the new service principal")
                return
            } catch where error.isGraphNotFound {
                if waited >= replicationTimeout { throw ProvisioningError.replicationTimeout(id) }
                progress(
                    ProgressEvent(
                        application: application, kind: .waiting, step: "service principal not readable yet",
                        detail: "retrying in \(String(format: "%.1f", delay))s"))
                try await sleep(delay)
                waited += delay
                delay = min(delay * 2, 10)
            }
        }
    }

    func createJob(_ servicePrincipalID: String) async throws -> String {
        // Prefer the `scim` template; the legacy `customappsso` is never chosen silently.
        let templates = try await graph.get(
            GraphPaths.templates(servicePrincipalId: servicePrincipalID), "list synchronization templates")
        let ids = (templates?["value"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        guard ids.contains(GraphPaths.scimJobTemplateId) else { throw ProvisioningError.noScimTemplate(ids) }
        let jobsPath = GraphPaths.jobs(servicePrincipalId: servicePrincipalID)
        let attempts = 4
        for attempt in 1...attempts {
            do {
                let job = try await graph.call(
                    .post, jobsPath, body: ["templateId": .string(GraphPaths.scimJobTemplateId)],
                    operation: "create the provisioning job", version: .v1, idempotent: false)
                guard let id = job?["id"]?.stringValue else { throw ProvisioningError.notFound("the new job's id") }
                return id
            } catch where error.isGraphAmbiguous && attempt < attempts {
                try await sleep(2)
                let jobs = try await graph.get(jobsPath, "list synchronization jobs")
                if let existing = (jobs?["value"]?.arrayValue ?? []).compactMap(SynchronizationJobSummary.init(json:))
                    .first(where: { $0.templateID == GraphPaths.scimJobTemplateId })
                {
                    return existing.id
                }
            }
        }
        throw ProvisioningError.notFound("a provisioning job")
    }
}
