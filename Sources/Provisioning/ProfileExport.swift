import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

/// A profile written from a live application, with what could not be expressed.
public struct ExportedProfile: Sendable {
    public var yaml: String
    /// Things the profile cannot say exactly (a missing setting, an unusual flow type); each one may make a later
    /// plan show a change.
    public var notes: [String]
    public var servicePrincipalID: String
    public var jobID: String
}

/// What export reads from the tenant.
public struct ExportSnapshot: Sendable {
    public var servicePrincipalID: String
    public var displayName: String
    public var job: SynchronizationJobSummary
    public var schema: SynchronizationSchema
    /// Saved settings as Graph shows them (credential values masked).
    public var secrets: [String: String]
    /// The app's role assignments, with the role names they refer to (see `ExportedAssignment`).
    public var assignments: [ExportedAssignment] = []
    /// The application (client) id, which finds an app that scimctl did not create (`create: false`, `appId`).
    public var appID: String?
    /// The service principal carries scimctl's marker: scimctl created it, and plan may create it again elsewhere.
    public var createdByScimctl = false

    public init(
        servicePrincipalID: String, displayName: String, job: SynchronizationJobSummary, schema: SynchronizationSchema,
        secrets: [String: String]
    ) {
        self.servicePrincipalID = servicePrincipalID
        self.displayName = displayName
        self.job = job
        self.schema = schema
        self.secrets = secrets
    }
}

/// Turns a live application into a profile that, applied to the same tenant, changes nothing.
///
/// Mappings are compared with the non-gallery template's defaults: in amend mode only differing ones are written;
/// when a default mapping was removed (or with `exclusive`), every live mapping is written in live order.
public struct ProfileExporter: Sendable {
    public var graph: any GraphService

    public init(graph: any GraphService) { self.graph = graph }

    public func read(servicePrincipalID: String?, displayName: String?) async throws -> ExportSnapshot {
        let id: String
        var name: String?
        if let servicePrincipalID {
            guard let found = try await graph.get(GraphPaths.servicePrincipal(servicePrincipalID), "read the service principal")
            else { throw ProvisioningError.notFound("service principal \(servicePrincipalID)") }
            id = servicePrincipalID
            name = found["displayName"]?.stringValue
        } else if let displayName {
            let found = try await LiveStateReader.findServicePrincipals(named: displayName, graph: graph)
            if found.count > 1 {
                throw ProvisioningError.ambiguousApplication(displayName, ids: found.compactMap { $0["id"]?.stringValue })
            }
            guard let first = found.first?["id"]?.stringValue else {
                throw ProvisioningError.notFound("an application named '\(displayName)'")
            }
            id = first
            name = displayName
        } else {
            throw ProvisioningError.invalidArgument("name the application with a service principal id or a display name")
        }
        let job = try await JobLocator.job(servicePrincipalID: id, jobID: nil, graph: graph)
        var secrets: [String: String] = [:]
        if let saved = try await graph.get(GraphPaths.secrets(servicePrincipalId: id), "read provisioning settings", version: .beta) {
            for pair in saved["value"]?.arrayValue ?? [] {
                if let key = pair["key"]?.stringValue { secrets[key] = pair["value"]?.stringValue ?? "" }
            }
        }
        guard let schema = try await graph.get(GraphPaths.schema(servicePrincipalId: id, jobId: job.id), "read the job schema")
        else { throw ProvisioningError.notFound("the schema of job \(job.id)") }
        var snapshot = ExportSnapshot(
            servicePrincipalID: id, displayName: name ?? id, job: job, schema: SynchronizationSchema(json: schema),
            secrets: secrets)
        snapshot.assignments = try await ExportedAssignment.read(servicePrincipalID: id, graph: graph)
        let servicePrincipal = try await graph.get(GraphPaths.servicePrincipal(id), "read the service principal")
        snapshot.appID = servicePrincipal?["appId"]?.stringValue
        snapshot.createdByScimctl = ScimctlMarker.isPresent(in: servicePrincipal)
        return snapshot
    }

    public func export(
        servicePrincipalID: String?, displayName: String?, vendor: String? = nil, exclusive: Bool = false
    ) async throws -> ExportedProfile {
        let snapshot = try await read(servicePrincipalID: servicePrincipalID, displayName: displayName)
        return Self.render(snapshot, vendor: vendor, exclusive: exclusive)
    }

    // MARK: Rendering (no I/O)

    public static func render(
        _ snapshot: ExportSnapshot, vendor: String? = nil, exclusive: Bool = false,
        template: SynchronizationSchema = DefaultTemplateSchema.schema()
    ) -> ExportedProfile {
        var notes: [String] = []
        let vendorName = vendor ?? snapshot.displayName
        var yaml = YAMLText()
        yaml.line("# Exported by scimctl from service principal \(snapshot.servicePrincipalID), job \(snapshot.job.id).")
        yaml.line("# The secret token cannot be read back; supply it in $\(ProfileYAML.tokenVariable(for: vendorName)) when applying.")
        yaml.line("vendor: \(ProfileYAML.quoted(vendorName))")
        yaml.line("description: \(ProfileYAML.quoted("Exported from the live application '\(snapshot.displayName)'."))")
        yaml.line("applications:")
        yaml.line("  - name: \(ProfileYAML.applicationName(for: vendorName))")
        yaml.line("    displayName: \(ProfileYAML.quoted(snapshot.displayName))")
        if Placeholders.names(in: snapshot.displayName).isEmpty == false {
            notes.append("the display name contains '{…}', which profiles read as a parameter placeholder; edit it by hand")
        }

        if !snapshot.createdByScimctl {
            // Made in the portal or by a vendor's script: the profile points at this app and never creates one.
            yaml.line("    create: false")
            if let appID = snapshot.appID { yaml.line("    appId: \(ProfileYAML.quoted(appID))") }
        }

        let baseAddress = snapshot.secrets["BaseAddress"] ?? ""
        if baseAddress.isEmpty {
            notes.append("no tenant URL (BaseAddress) is saved; fill in tenantURL by hand")
        }
        yaml.line("    tenantURL: \(ProfileYAML.quoted(baseAddress.isEmpty ? "https://scim.example.invalid/scim" : baseAddress))")
        if snapshot.secrets["SecretToken"] != nil {
            yaml.line("    secretToken:")
            yaml.line("      env: \(ProfileYAML.tokenVariable(for: vendorName))")
        } else {
            yaml.line("    secretToken: none")
        }
        switch snapshot.secrets["SyncAll"]?.lowercased() {
        case "true": yaml.line("    scope: all")
        case "false": yaml.line("    scope: assigned")
        default:
            notes.append("the scope (SyncAll) is not saved; the profile says 'assigned', which apply will write")
            yaml.line("    scope: assigned")
        }
        if let settings = snapshot.secrets["SyncNotificationSettings"] {
            if let recipients = (try? JSONValue(parsing: settings))?["Recipients"]?.stringValue, !recipients.isEmpty {
                yaml.line("    notificationEmail: \(ProfileYAML.quoted(recipients))")
                let ours = try? JSONValue(parsing: SecretsBody.notificationSettings(recipients: recipients))
                if ours != (try? JSONValue(parsing: settings)) {
                    notes.append("the saved notification settings differ from scimctl's (threshold or switches); apply will rewrite them")
                }
            } else {
                notes.append("notification settings without recipients are saved; the profile leaves them alone")
            }
        }
        yaml.line("    startProvisioning: \(snapshot.job.isRunning ? "true" : "false")")
        if snapshot.job.statusCode == "Paused" || snapshot.job.scheduleState == "Paused" { yaml.line("    paused: true") }
        for line in ExportedAssignment.lines(snapshot.assignments) { yaml.line("    " + line) }

        for kind in ObjectKind.allCases {
            guard let live = MappingDiff.objectMapping(kind, in: snapshot.schema) else {
                if kind == .user { notes.append("the job schema has no User object mapping") }
                continue
            }
            let defaults = MappingDiff.objectMapping(kind, in: template)
            let rendered = objectMapping(
                kind, live: live, defaults: defaults, schema: snapshot.schema, template: template, exclusive: exclusive,
                notes: &notes)
            yaml.line("    \(kind == .user ? "users" : "groups"):")
            for line in rendered { yaml.line("      " + line) }
            for line in ScopingFilterExport.lines(live.scope, notes: &notes) { yaml.line("      " + line) }
        }
        return ExportedProfile(
            yaml: yaml.text, notes: notes, servicePrincipalID: snapshot.servicePrincipalID, jobID: snapshot.job.id)
    }

    /// The lines under `users:` / `groups:`, unindented.
    static func objectMapping(
        _ kind: ObjectKind, live: SchemaObjectMapping, defaults: SchemaObjectMapping?, schema: SynchronizationSchema,
        template: SynchronizationSchema, exclusive: Bool, notes: inout [String]
    ) -> [String] {
        var lines: [String] = []
        let noun = kind.rawValue
        lines.append("enabled: \(live.enabled ?? true)")

        // Actions: only when they differ from the template and can be said with create/update/delete.
        if let flows = live.flowTypes, flows != defaults?.flowTypes {
            let names = flows.description.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let actions = TargetObjectAction.allCases.filter { names.contains($0.graphName) }
            if actions.count == names.count, !actions.isEmpty {
                lines.append("actions: [\(actions.map(\.rawValue).joined(separator: ", "))]")
            } else {
                notes.append("\(noun) flow types '\(flows.description)' cannot be written as actions; they are left as they are")
            }
        }

        let liveMappings = live.attributeMappings
        let defaultMappings = defaults?.attributeMappings ?? []
        let liveTargets = Set(liveMappings.compactMap(\.targetAttributeName))
        let removedDefaults = defaultMappings.compactMap(\.targetAttributeName).filter { !liveTargets.contains($0) }
        let useExclusive = exclusive || !removedDefaults.isEmpty
        let defaultsByTarget = Dictionary(
            defaultMappings.compactMap { mapping in mapping.targetAttributeName.map { ($0, mapping) } },
            uniquingKeysWith: { first, _ in first })

        var listed: [SchemaAttributeMapping]
        if useExclusive {
            listed = liveMappings
        } else {
            listed = liveMappings.filter { mapping in
                guard let target = mapping.targetAttributeName, let base = defaultsByTarget[target] else { return true }
                return !sameMapping(mapping, base)
            }
            // Listing one matching attribute makes the profile own matching for the whole object, so list them all.
            if listed.contains(where: { ($0.matchingPriority ?? 0) > 0 }) {
                let matching = liveMappings.filter { ($0.matchingPriority ?? 0) > 0 }
                listed = liveMappings.filter { mapping in
                    listed.contains { $0.json == mapping.json } || matching.contains { $0.json == mapping.json }
                }
            }
        }
        var written: [String] = []
        var seenTargets = Set<String>()
        for mapping in listed {
            guard let target = mapping.targetAttributeName else {
                notes.append("a \(noun) mapping without a target attribute was skipped")
                continue
            }
            guard seenTargets.insert(target).inserted else {
                notes.append("\(noun) target '\(target)' is mapped twice; only the first mapping is exported")
                continue
            }
            guard let entry = attributeEntry(mapping, target: target, noun: noun, notes: &notes) else { continue }
            written += entry
        }
        lines.append("mode: \(useExclusive ? "exclusive" : "amend")")
        if !written.isEmpty {
            lines.append("attributes:")
            lines += written.map { "  " + $0 }
        }

        let custom = customAttributes(kind, schema: schema, template: template, notes: &notes)
        if !custom.isEmpty {
            lines.append("customAttributes:")
            lines += custom.map { "  " + $0 }
        }
        return lines
    }

    /// One `- target: …` entry, or nil (with a note) when the mapping cannot be written in a profile.
    static func attributeEntry(_ mapping: SchemaAttributeMapping, target: String, noun: String, notes: inout [String])
        -> [String]?
    {
        let source = mapping.source
        let profileSource: MappingSource
        switch source?.type {
        case "Attribute":
            guard let name = source?.name, !name.isEmpty else {
                notes.append("\(noun) mapping '\(target)' names no source attribute; skipped")
                return nil
            }
            profileSource = .attribute(name)
        case "Constant":
            profileSource = .constant(source?.name ?? "")
        default:
            guard let expression = source?.expression, !expression.isEmpty else {
                notes.append("\(noun) mapping '\(target)' has no expression text; skipped")
                return nil
            }
            profileSource = .expression(expression)
        }
        var applyWhen = ApplyWhen.always
        switch mapping.flowType ?? "Always" {
        case "Always": break
        case "ObjectAddOnly": applyWhen = .onCreate
        case let other:
            notes.append("\(noun) mapping '\(target)' uses flow type '\(other)', which profiles cannot express; apply would change it to Always")
        }
        return ProfileYAML.lines(
            for: AttributeMapping(
                target: target, source: profileSource, matchingPrecedence: mapping.matchingPriority,
                applyWhen: applyWhen, defaultValue: mapping.defaultValue))
    }

    /// Whether a live mapping says the same as the template's: same source, matching, flow type and default.
    static func sameMapping(_ live: SchemaAttributeMapping, _ base: SchemaAttributeMapping) -> Bool {
        guard let baseSource = base.source, SchemaMerge.sameSource(live.source, baseSource) else {
            return false
        }
        return (live.matchingPriority ?? 0) == (base.matchingPriority ?? 0)
            && (live.flowType ?? "Always") == (base.flowType ?? "Always")
            && live.defaultValue == base.defaultValue
    }

    /// Target attributes the live schema defines beyond the template, as `customAttributes` entries.
    static func customAttributes(
        _ kind: ObjectKind, schema: SynchronizationSchema, template: SynchronizationSchema, notes: inout [String]
    ) -> [String] {
        let objectName = kind.schemaObjectName
        let directoryName =
            schema.rule(mapping: objectName)?.targetDirectoryName ?? DefaultTemplateSchema.targetDirectoryName
        guard let object = schema.directory(named: directoryName)?.object(named: objectName) else { return [] }
        let known = Set(
            (template.directory(named: DefaultTemplateSchema.targetDirectoryName)?.object(named: objectName)?.attributes ?? [])
                .compactMap { $0.name?.lowercased() })
        var lines: [String] = []
        for attribute in object.attributes {
            guard let name = attribute.name, !known.contains(name.lowercased()) else { continue }
            guard let type = CustomAttribute.AttributeType(rawValue: attribute.type ?? ""),
                let multiValued = attribute.multivalued
            else {
                notes.append("custom \(kind.rawValue) attribute '\(name)' has a type profiles cannot express; it is left as it is")
                continue
            }
            lines.append("- name: \(ProfileYAML.quoted(name))")
            lines.append("  type: \(type.rawValue)")
            lines.append("  multiValued: \(multiValued)")
        }
        return lines
    }
}

/// Builds YAML text line by line; every string value is double-quoted so no value can change the structure.
struct YAMLText {
    private(set) var text = ""

    mutating func line(_ content: String) { text += content + "\n" }
}

