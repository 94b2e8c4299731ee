import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

/// Reads the tenant and works out what apply would change. Planning never writes.
public struct Planner: Sendable {
    public var graph: any GraphService
    /// Apply with this service principal instead of looking the app up by display name.
    public var servicePrincipalID: String?
    /// Overrides the profile's start setting (`--start` / `--no-start`).
    public var startOverride: Bool?
    /// Rewrite the secrets even when the saved settings match (the token itself cannot be read back).
    public var updateSecrets: Bool
    /// What earlier applies created here; nil reads the tenant only (a run without local state).
    public var journal: ApplyJournal?
    /// How long a journaled create that is not visible yet may take to appear.
    public var replicationTimeout: Double
    public var sleep: @Sendable (Double) async throws -> Void

    public init(
        graph: any GraphService, servicePrincipalID: String? = nil, startOverride: Bool? = nil, updateSecrets: Bool = false,
        journal: ApplyJournal? = nil, replicationTimeout: Double = 180,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) {
        self.graph = graph
        self.servicePrincipalID = servicePrincipalID
        self.startOverride = startOverride
        self.updateSecrets = updateSecrets
        self.journal = journal
        self.replicationTimeout = replicationTimeout
        self.sleep = sleep
    }

    public func plan(_ application: ResolvedApplication) async throws -> (ApplicationPlan, LiveState) {
        let entry = try journal?.entry(for: application.displayName)
        // Objects an earlier run created but nobody has seen listed yet may still be replicating: their 404s (and
        // 403/409 on synchronization calls) are waited out rather than read as "absent".
        let tracker = ReplicationTracker()
        tracker.track(journaled: entry)
        let consistent = ConsistentGraph(graph, tracker: tracker, deadline: replicationTimeout, sleep: sleep)
        let live = try await LiveStateReader.read(
            application, servicePrincipalID: servicePrincipalID, graph: consistent, journal: entry,
            window: replicationTimeout)
        try ExistingApplication.requireFound(application, live: live)
        var result = try plan(application, live: live)
        result.scopingFilterChanges = ScopingFilterDiff.changes(from: live.schema, to: result.desiredSchema)
        JobLifecyclePlanning.plan(application, live: live, plan: &result, startOverride: startOverride)
        result.assignments = try await AssignmentPlanning.plan(
            application, servicePrincipalID: live.servicePrincipalID, graph: consistent)
        return (result, live)
    }

    func plan(_ application: ResolvedApplication, live: LiveState) throws -> ApplicationPlan {
        let servicePrincipal: ApplicationPlan.ServicePrincipalAction =
            live.servicePrincipalID.map { .found(id: $0) } ?? .create
        let job: ApplicationPlan.JobAction = live.job.map { .found(id: $0.id) } ?? .create

        // Secrets: compare what can be read back; the token is write-only, so only its presence is compared.
        let desiredSecrets = SecretsBody.make(for: application, token: SecretValue("<token>"), saved: live.secrets)
        var secretChanges: [String] = []
        let desiredPairs = (desiredSecrets["value"]?.arrayValue ?? []).compactMap { pair -> (String, String)? in
            guard let key = pair["key"]?.stringValue else { return nil }
            return (key, pair["value"]?.stringValue ?? "")
        }
        if let saved = live.secrets, live.job != nil {
            for (key, value) in desiredPairs {
                switch key {
                case "SecretToken":
                    if saved[key] == nil { secretChanges.append("secret token is not set") }
                case "SyncNotificationSettings":
                    let same = (try? JSONValue(parsing: saved[key] ?? "")) == (try? JSONValue(parsing: value))
                    if !same { secretChanges.append("notification settings differ") }
                default:
                    if saved[key] != value {
                        secretChanges.append(
                            saved[key] == nil ? "\(key) is not set" : "\(key) changes from \"\(saved[key] ?? "")\" to \"\(value)\"")
                    }
                }
            }
            if application.secretToken == .none, saved["SecretToken"] != nil {
                secretChanges.append("secret token is set but the profile uses none")
            }
            if application.notificationEmail == nil, saved["SyncNotificationSettings"] != nil {
                // Notification settings the profile does not mention are kept by re-sending them as they are.
            }
            if updateSecrets, secretChanges.isEmpty { secretChanges.append("rewrite of the secret settings requested") }
        } else {
            secretChanges.append("new job: tenant URL, scope" + (application.secretToken == .none ? "" : " and secret token"))
        }
        let secretKeys = secretChanges.isEmpty ? [] : desiredPairs.map(\.0)
        // The secrets PUT replaces the whole set. Saved settings the profile does not own are re-sent, except
        // those Graph masks (credentials it never reads back): say so before the PUT clears them.
        if !secretKeys.isEmpty, let saved = live.secrets {
            for key in saved.keys.sorted() where !secretKeys.contains(key) && key != "SecretToken" {
                let value = saved[key] ?? ""
                if value.isEmpty || value.allSatisfy({ $0 == "*" }) {
                    secretChanges.append("\(key) is not owned by the profile and Graph hides its value: the secrets PUT clears it")
                }
            }
        }

        // The body apply will PUT, the token shown as where it comes from.
        let secretsBody =
            secretKeys.isEmpty
            ? nil
            : Applier.keepingUnownedSettings(
                SecretsBody.make(
                    for: application, token: SecretValue.placeholder(for: application.secretToken), saved: live.secrets),
                saved: live.secrets)

        // Schema: the profile merged onto the live schema, or onto the template's for a job not created yet.
        let base = live.schema ?? DefaultTemplateSchema.schema()
        let merged: SynchronizationSchema
        do {
            merged = try SchemaMerge.merge(application, into: base)
        } catch {
            throw ProvisioningError.schemaMerge(String(describing: error))
        }
        let schemaChanged = live.schema == nil || merged.json != base.json
        let changes = MappingDiff.changes(from: live.schema ?? DefaultTemplateSchema.schema(), to: merged)

        let wantsStart = startOverride ?? application.startProvisioning
        let start: ApplicationPlan.StartAction
        if !wantsStart {
            start = .notRequested
        } else if let job = live.job, job.isRunning {
            start = .alreadyRunning
        } else {
            start = .start
        }
        // Mark the application as scimctl's when creating it, or when the journal shows this tool made it earlier
        // and an interrupted run never got to the mark.
        let marks = servicePrincipal == .create || (live.servicePrincipalFromJournal && !live.carriesMarker)
        return ApplicationPlan(
            application: application, servicePrincipal: servicePrincipal, marksServicePrincipal: marks,
            pendingCreateSince: live.pendingServicePrincipalIntent ?? live.pendingJobIntent,
            job: job, legacyJobID: live.legacyJob?.id,
            secretKeys: secretKeys, secretChanges: secretChanges, mappingChanges: changes,
            desiredSchema: schemaChanged ? merged : nil, liveSchema: live.schema, start: start, reads: live.reads,
            secretsBody: secretsBody)
    }
}

/// Reads a vendor token from where the profile says it lives. Errors name the variable or file, never the value.
public struct SecretTokenReader: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    public func token(for source: SecretTokenSource) throws -> SecretValue? {
        switch source {
        case .none:
            return nil
        case .environment(let variable):
            guard let value = environment[variable], !value.isEmpty else {
                throw ProvisioningError.missingToken("the secret token is read from $\(variable), which is not set")
            }
            return SecretValue(value.trimmingCharacters(in: .whitespacesAndNewlines))
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ProvisioningError.missingToken("the secret token file '\(path)' cannot be read")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw ProvisioningError.missingToken("the secret token file '\(path)' is empty") }
            return SecretValue(value)
        }
    }
}
