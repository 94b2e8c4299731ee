import Foundation
import GraphHTTP
import GraphModel
import VendorProfiles

/// What Graph's on-demand provisioning did for one object, unpacked from the JSON it sends inside strings.
public struct OnDemandResult: Sendable {
    public struct Step: Sendable, Hashable {
        public var name: String
        /// `Import`, `Scoping`, `Matching`, `Processing`, `ReferenceResolution` or `Export`.
        public var type: String
        public var status: String
        public var description: String
        /// The step's details as name/value pairs, in name order.
        public var details: [KeyValue]
    }

    public struct KeyValue: Sendable, Hashable {
        public var key: String
        public var value: String
    }

    public struct ModifiedProperty: Sendable, Hashable {
        public var name: String
        public var oldValue: String?
        public var newValue: String?
    }

    public var jobID: String
    public var ruleID: String
    /// `Success`, `Skipped` or `Failure` (from the response key).
    public var result: String
    /// What the service did to the target object (`Create`, `Update`, `Other`, ...).
    public var action: String?
    public var steps: [Step]
    public var modifiedProperties: [ModifiedProperty]
    public var errorCode: String?
    public var reason: String?
    /// The decoded key and value documents, for `--format json`.
    public var key: JSONValue
    public var record: JSONValue

    public var succeeded: Bool { result == "Success" }
}

/// Runs `provisionOnDemand` for one user or group.
public struct OnDemandProvisioner: Sendable {
    public var graph: any GraphService

    public init(graph: any GraphService) { self.graph = graph }

    public func provision(
        servicePrincipalID: String, objectID: String, kind: ObjectKind = .user, jobID: String? = nil
    ) async throws -> OnDemandResult {
        let target = try await target(servicePrincipalID: servicePrincipalID, kind: kind, jobID: jobID)
        let subject: JSONValue = ["objectId": .string(objectID), "objectTypeName": .string(kind.schemaObjectName)]
        return try await send(subject, servicePrincipalID: servicePrincipalID, target: target)
    }

    /// The job and the id of its rule that provisions `kind` objects.
    func target(servicePrincipalID: String, kind: ObjectKind, jobID: String?) async throws -> (jobID: String, ruleID: String) {
        let job = try await JobLocator.job(servicePrincipalID: servicePrincipalID, jobID: jobID, graph: graph)
        guard
            let schemaJSON = try await graph.get(
                GraphPaths.schema(servicePrincipalId: servicePrincipalID, jobId: job.id), "read the job schema")
        else { throw ProvisioningError.notFound("the schema of job \(job.id)") }
        // The rule id is copied verbatim from the schema (it may carry a suffix such as `#V2`).
        let schema = SynchronizationSchema(json: schemaJSON)
        guard let rule = Self.rule(for: kind, in: schema), let ruleID = rule.id else {
            throw ProvisioningError.invalidArgument(
                "the job schema has no rule that provisions \(kind.schemaObjectName) objects")
        }
        return (job.id, ruleID)
    }

    /// One provisionOnDemand request for one subject (Graph takes one object per request).
    func send(_ subject: JSONValue, servicePrincipalID: String, target: (jobID: String, ruleID: String)) async throws
        -> OnDemandResult
    {
        let body = ProvisionOnDemandRequest(ruleId: target.ruleID, subjects: [SynchronizationJobSubject(json: subject)]).json
        // Not idempotent: an unclear failure is reported instead of provisioning the object a second time.
        let response = try await graph.call(
            .post, GraphPaths.jobAction("provisionOnDemand", servicePrincipalId: servicePrincipalID, jobId: target.jobID),
            body: body, operation: "provision on demand", version: .v1, idempotent: false)
        return Self.result(response ?? .null, jobID: target.jobID, ruleID: target.ruleID)
    }

    static func rule(for kind: ObjectKind, in schema: SynchronizationSchema) -> SynchronizationRule? {
        schema.rule(mapping: kind.schemaObjectName)
    }

    /// Decodes the `stringKeyStringValuePair` answer; text that is not JSON is kept as a plain reason.
    public static func result(_ response: JSONValue, jobID: String, ruleID: String) -> OnDemandResult {
        let answer = ProvisionOnDemandResponse(json: response)
        let key = answer.summary ?? .null
        let record = answer.logEntry ?? .null
        let statusInfo = record["statusInfo"]
        let steps = (record["provisioningSteps"]?.arrayValue ?? []).map { step in
            OnDemandResult.Step(
                name: step["name"]?.stringValue ?? "", type: step["type"]?.stringValue ?? "",
                status: step["status"]?.stringValue ?? "", description: step["description"]?.stringValue ?? "",
                details: Self.pairs(step["details"]))
        }
        let modified = (record["modifiedProperties"]?.arrayValue ?? []).map { property in
            OnDemandResult.ModifiedProperty(
                name: property["displayName"]?.stringValue ?? "", oldValue: Self.text(property["oldValue"]),
                newValue: Self.text(property["newValue"]))
        }
        var reason = statusInfo?["reason"]?.stringValue ?? key["details"]?["errorMessage"]?.stringValue
        if key.isNull, reason == nil, let raw = answer.summaryText { reason = raw }
        return OnDemandResult(
            jobID: jobID, ruleID: ruleID,
            result: answer.result ?? statusInfo?["status"]?.stringValue ?? "Unknown",
            action: record["action"]?.stringValue, steps: steps, modifiedProperties: modified,
            errorCode: statusInfo?["errorCode"]?.stringValue ?? key["details"]?["errorCode"]?.stringValue,
            reason: reason, key: key, record: record)
    }

    static func pairs(_ value: JSONValue?) -> [OnDemandResult.KeyValue] {
        guard let members = value?.objectValue else { return [] }
        return members.keys.sorted().map { OnDemandResult.KeyValue(key: $0, value: text(members[$0]) ?? "") }
    }

    static func text(_ value: JSONValue?) -> String? {
        guard let value, !value.isNull else { return nil }
        return value.stringValue ?? value.serialized()
    }
}
