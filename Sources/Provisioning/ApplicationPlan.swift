import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles

/// What `apply` would do to one application, and why. Built by `Planner`, shown by `plan`, executed by `Applier`.
public struct ApplicationPlan: Sendable {
    public enum ServicePrincipalAction: Sendable, Hashable {
        case create
        case found(id: String)
    }

    public enum JobAction: Sendable, Hashable {
        case create
        case found(id: String)
    }

    public enum StartAction: Sendable, Hashable {
        case start
        case alreadyRunning
        case notRequested
    }

    public var application: ResolvedApplication
    public var servicePrincipal: ServicePrincipalAction
    /// Write scimctl's marker into the service principal's notes (see `ScimctlMarker`).
    public var marksServicePrincipal: Bool = false
    /// A previous run journaled a create at this time whose outcome is unknown; apply looks before creating.
    public var pendingCreateSince: Date? = nil
    public var job: JobAction
    /// A `customappsso` job found beside (or instead of) the `scim` one; never touched.
    public var legacyJobID: String?
    /// Keys written by the secrets PUT, empty when the saved settings already match.
    public var secretKeys: [String]
    /// Settings that differ, in words (never values of secrets).
    public var secretChanges: [String]
    public var mappingChanges: [ObjectMappingChange]
    /// The schema to PUT, nil when the live schema already matches.
    public var desiredSchema: SynchronizationSchema?
    public var liveSchema: SynchronizationSchema?
    public var start: StartAction
    /// User and group assignments; nil when the profile manages none.
    public var assignments: AssignmentPlan? = nil
    /// Pause, or restart for a changed scope; nil when planned without reading the job.
    public var jobState: JobStatePlan? = nil
    /// Scoping filter changes in words (part of the schema PUT).
    public var scopingFilterChanges: [String] = []
    /// Reads made while planning.
    public var reads: Int
    /// The body of the secrets PUT, the token shown as where it comes from; nil when the secrets are not written.
    public var secretsBody: JSONValue? = nil

    public var hasChanges: Bool {
        servicePrincipal == .create || marksServicePrincipal || job == .create || !secretKeys.isEmpty
            || desiredSchema != nil || start == .start || (assignments?.hasChanges ?? false)
            || (jobState?.hasChanges ?? false)
    }
}

extension ApplicationPlan {
    /// The writes apply sends for this plan, in the order of their dependencies (`ApplyRequest.needs`); requests
    /// that need the same ids may go out together. `plan` is the readable view of this list and `apply` sends it:
    /// ids Graph has not assigned yet are `RequestRenderer`'s placeholders, the token is its source's placeholder,
    /// the roles of an application created by this run are `{appRole:…}` placeholders, and the schema carries the
    /// local compiler's expression trees where apply sends Graph's.
    public func writes(templateID: String = GraphPaths.nonGalleryTemplateId) -> [ApplyRequest] {
        let servicePrincipalID: String
        switch servicePrincipal {
        case .found(let id): servicePrincipalID = id
        case .create: servicePrincipalID = RequestRenderer.servicePrincipalPlaceholder
        }
        let jobID: String
        switch job {
        case .found(let id): jobID = id
        case .create: jobID = RequestRenderer.jobPlaceholder
        }
        var writes: [ApplyRequest] = []
        if servicePrincipal == .create {
            writes.append(.instantiate(templateID: templateID, displayName: application.displayName))
        }
        if marksServicePrincipal { writes.append(.mark(servicePrincipalID: servicePrincipalID, application: application)) }
        if job == .create { writes.append(.createJob(servicePrincipalID: servicePrincipalID)) }
        if !secretKeys.isEmpty {
            writes.append(.saveSecrets(servicePrincipalID: servicePrincipalID, body: secretsBody ?? ["value": []]))
            writes.append(.testConnection(servicePrincipalID: servicePrincipalID, jobID: jobID))
        }
        if let desiredSchema {
            writes.append(.writeSchema(servicePrincipalID: servicePrincipalID, jobID: jobID, schema: desiredSchema.json))
        }
        for entry in assignments?.add ?? [] {
            writes.append(
                .assign(
                    servicePrincipalID: servicePrincipalID,
                    principalID: entry.principalID,
                    appRoleID: entry.roleID ?? ApplyRequest.appRolePlaceholder(entry.requestedRole),
                    principal: "\(entry.principalType.lowercased()) \(entry.principalName)"))
        }
        for entry in assignments?.remove ?? [] {
            guard let assignmentID = entry.assignmentID else { continue }
            writes.append(
                .unassign(
                    servicePrincipalID: servicePrincipalID, assignmentID: assignmentID,
                    principal: "\(entry.principalType.lowercased()) \(entry.principalName)"))
        }
        if jobState?.pause == true {
            writes.append(.pause(servicePrincipalID: servicePrincipalID, jobID: jobID))
        } else if jobState?.restartReason != nil {
            writes.append(.restart(servicePrincipalID: servicePrincipalID, jobID: jobID, resetScope: JobStatePlan.resetScope))
        }
        if start == .start { writes.append(.start(servicePrincipalID: servicePrincipalID, jobID: jobID)) }
        return writes
    }
}

/// How one object mapping (users or groups) changes.
public struct ObjectMappingChange: Sendable, Hashable {
    public var object: ObjectKind
    public var enabled: (from: Bool?, to: Bool)?
    public var actions: (from: String?, to: String)?
    public var added: [MappingSummary]
    public var removed: [MappingSummary]
    public var changed: [(from: MappingSummary, to: MappingSummary)]

    public var isEmpty: Bool { enabled == nil && actions == nil && added.isEmpty && removed.isEmpty && changed.isEmpty }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.object == rhs.object && lhs.enabled?.from == rhs.enabled?.from && lhs.enabled?.to == rhs.enabled?.to
            && lhs.actions?.from == rhs.actions?.from && lhs.actions?.to == rhs.actions?.to && lhs.added == rhs.added
            && lhs.removed == rhs.removed && lhs.changed.map(\.from) == rhs.changed.map(\.from)
            && lhs.changed.map(\.to) == rhs.changed.map(\.to)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(object)
        hasher.combine(added)
        hasher.combine(removed)
    }
}

/// One attribute mapping, as a plan shows it.
public struct MappingSummary: Sendable, Hashable, CustomStringConvertible {
    public var target: String
    /// `[mail]`, `"constant"` or the expression text.
    public var source: String
    public var matchingPriority: Int?
    public var flowType: String
    public var defaultValue: String?

    init(_ mapping: SchemaAttributeMapping) {
        target = mapping.targetAttributeName ?? "?"
        let source = mapping.source
        switch source?.type {
        case "Attribute": self.source = "[\(source?.name ?? "")]"
        case "Constant": self.source = "\"\(source?.name ?? "")\""
        default: self.source = source?.expression ?? source?.name ?? "?"
        }
        matchingPriority = mapping.matchingPriority.flatMap { $0 > 0 ? $0 : nil }
        flowType = mapping.flowType ?? "Always"
        defaultValue = mapping.defaultValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var description: String {
        var text = "\(target) ← \(source)"
        if let matchingPriority { text += " (matching precedence \(matchingPriority))" }
        if flowType != "Always" { text += " (\(flowType))" }
        if let defaultValue { text += " (default \"\(defaultValue)\")" }
        return text
    }
}

enum MappingDiff {
    /// Compares the live and desired object mappings for users and groups, keyed by target attribute.
    static func changes(from live: SynchronizationSchema?, to desired: SynchronizationSchema) -> [ObjectMappingChange] {
        ObjectKind.allCases.compactMap { kind in
            let before = live.flatMap { objectMapping(kind, in: $0) }
            guard let after = objectMapping(kind, in: desired) else { return nil }
            var change = ObjectMappingChange(object: kind, enabled: nil, actions: nil, added: [], removed: [], changed: [])
            let enabledAfter = after.enabled ?? true
            if before?.enabled != enabledAfter { change.enabled = (before?.enabled, enabledAfter) }
            let flowsAfter = after.flowTypes?.description ?? ""
            let flowsBefore = before?.flowTypes?.description
            if flowsBefore != flowsAfter, !(flowsBefore == nil && flowsAfter.isEmpty) {
                change.actions = (flowsBefore, flowsAfter)
            }
            let old = (before?.attributeMappings ?? []).map(MappingSummary.init)
            let new = after.attributeMappings.map(MappingSummary.init)
            let oldByTarget = Dictionary(old.map { ($0.target, $0) }, uniquingKeysWith: { first, _ in first })
            let newTargets = Set(new.map(\.target))
            for mapping in new {
                if let previous = oldByTarget[mapping.target] {
                    if previous != mapping { change.changed.append((previous, mapping)) }
                } else {
                    change.added.append(mapping)
                }
            }
            change.removed = old.filter { !newTargets.contains($0.target) }
            return change.isEmpty ? nil : change
        }
    }

    /// The same object mapping merge writes to, so the diff shows what merge changed.
    static func objectMapping(_ kind: ObjectKind, in schema: SynchronizationSchema) -> SchemaObjectMapping? {
        SchemaMerge.objectMapping(kind, in: schema)
    }
}

extension ApplicationPlan {
    /// A plan built by hand (renderer tests, previews); `Planner` builds the real ones.
    public init(
        application: ResolvedApplication, servicePrincipal: ServicePrincipalAction, job: JobAction, legacyJobID: String? = nil,
        secretKeys: [String] = [], secretChanges: [String] = [], mappingChanges: [ObjectMappingChange] = [],
        desiredSchema: SynchronizationSchema? = nil, liveSchema: SynchronizationSchema? = nil, start: StartAction,
        reads: Int = 0
    ) {
        self.application = application
        self.servicePrincipal = servicePrincipal
        self.job = job
        self.legacyJobID = legacyJobID
        self.secretKeys = secretKeys
        self.secretChanges = secretChanges
        self.mappingChanges = mappingChanges
        self.desiredSchema = desiredSchema
        self.liveSchema = liveSchema
        self.start = start
        self.reads = reads
    }
}
