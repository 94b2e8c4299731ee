import Foundation
import GraphHTTP
import GraphModel

/// What `rollback` would do: which saved schema goes back, and how the mappings change.
public struct RollbackPlan: Sendable {
    public var servicePrincipalID: String
    public var jobID: String
    /// The backup file that will be restored.
    public var backupPath: String
    public var current: SynchronizationSchema
    public var restored: SynchronizationSchema
    /// Mapping differences from the current schema to the restored one.
    public var mappingChanges: [ObjectMappingChange]

    public var hasChanges: Bool { current.json != restored.json }

    public init(
        servicePrincipalID: String, jobID: String, backupPath: String, current: SynchronizationSchema,
        restored: SynchronizationSchema, mappingChanges: [ObjectMappingChange]
    ) {
        (self.servicePrincipalID, self.jobID, self.backupPath) = (servicePrincipalID, jobID, backupPath)
        (self.current, self.restored, self.mappingChanges) = (current, restored, mappingChanges)
    }
}

/// Puts a schema saved by `apply` (or by an earlier rollback) back on the job. The current schema is saved first,
/// so a rollback can itself be rolled back.
public struct Rollback: Sendable {
    public var graph: any GraphService
    public var backups: SchemaBackups

    public init(graph: any GraphService, backups: SchemaBackups) {
        self.graph = graph
        self.backups = backups
    }

    public struct Outcome: Sendable {
        public var jobID: String
        /// Where the schema that was replaced is now saved; nil when nothing changed.
        public var savedCurrentTo: String?
        public var restoredFrom: String
        public var changed: Bool

        public init(jobID: String, savedCurrentTo: String?, restoredFrom: String, changed: Bool) {
            (self.jobID, self.savedCurrentTo, self.restoredFrom, self.changed) = (jobID, savedCurrentTo, restoredFrom, changed)
        }
    }

    /// Reads the job and the chosen backup (`file`, else the newest one for the service principal). Writes nothing.
    public func prepare(servicePrincipalID: String, jobID: String? = nil, file: String? = nil) async throws -> RollbackPlan {
        let path: String
        if let file {
            path = file
        } else {
            guard let newest = backups.list(servicePrincipalID: servicePrincipalID).last else {
                throw ProvisioningError.notFound(
                    "a saved schema for service principal \(servicePrincipalID) in '\(backups.directory)'")
            }
            path = newest
        }
        let restored = try backups.load(path)
        guard restored.json["synchronizationRules"]?.arrayValue != nil, restored.json["directories"]?.arrayValue != nil
        else {
            throw ProvisioningError.unusableBackup("'\(path)' has no synchronizationRules and directories, so it is not a job schema")
        }

        let job = try await JobLocator.job(servicePrincipalID: servicePrincipalID, jobID: jobID, graph: graph)
        let schemaPath = GraphPaths.schema(servicePrincipalId: servicePrincipalID, jobId: job.id)
        guard let currentJSON = try await graph.get(schemaPath, "read the job schema") else {
            throw ProvisioningError.notFound("the schema of job \(job.id)")
        }
        let current = SynchronizationSchema(json: currentJSON)
        // A schema names its job; restoring another job's schema would overwrite this one's ids and directories.
        if let savedID = restored.id, let currentID = current.id, savedID != currentID {
            throw ProvisioningError.unusableBackup(
                "'\(path)' was saved from job \(savedID), but the job now is \(currentID)")
        }
        return RollbackPlan(
            servicePrincipalID: servicePrincipalID, jobID: job.id, backupPath: path, current: current, restored: restored,
            mappingChanges: MappingDiff.changes(from: current, to: restored))
    }

    /// Saves the current schema, then writes the backup. Does nothing when they already match.
    public func execute(_ plan: RollbackPlan, now: Date = Date()) async throws -> Outcome {
        guard plan.hasChanges else {
            return Outcome(jobID: plan.jobID, savedCurrentTo: nil, restoredFrom: plan.backupPath, changed: false)
        }
        let saved: String
        do {
            saved = try backups.save(plan.current, servicePrincipalID: plan.servicePrincipalID, now: now)
        } catch {
            throw ProvisioningError.backupFailed(String(describing: error))
        }
        _ = try await graph.call(
            .put, GraphPaths.schema(servicePrincipalId: plan.servicePrincipalID, jobId: plan.jobID),
            body: plan.restored.json, operation: "restore the job schema", version: .v1, idempotent: true)
        return Outcome(jobID: plan.jobID, savedCurrentTo: saved, restoredFrom: plan.backupPath, changed: true)
    }
}
