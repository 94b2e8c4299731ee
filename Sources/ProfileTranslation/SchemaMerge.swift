import Expressions
import GraphModel
import VendorProfiles

/// Why a profile cannot be merged into a schema.
public enum SchemaMergeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No rule maps source object `User`/`Group` to the target object of the same name.
    case objectMappingNotFound(ObjectKind)
    /// The rule's target directory has no object definition to add custom attributes to.
    case targetObjectNotFound(directory: String, object: String)

    public var description: String {
        switch self {
        case .objectMappingNotFound(let kind):
            "the schema has no object mapping from \(kind.schemaObjectName) to \(kind.schemaObjectName)"
        case .targetObjectNotFound(let directory, let object):
            "the schema's directory '\(directory)' has no object '\(object)' to add custom attributes to"
        }
    }
}

/// Applies what a profile owns to a job's schema and leaves everything else exactly as it was.
///
/// Owned per object mapping (found by source/target object name, never by display name or position):
/// `enabled` and `flowTypes` when the profile states them; the attribute mappings (the whole list in exclusive
/// mode, only the listed targets in amend mode) with their source, matching priority, flow type and default value;
/// and attribute definitions for target attributes the schema lacks. Ids, versions, directories, rule metadata,
/// scoping filters and unknown members are carried through. Merging twice gives the same schema as merging once.
public enum SchemaMerge {
    public static func merge(_ application: ResolvedApplication, into live: SynchronizationSchema) throws(SchemaMergeError)
        -> SynchronizationSchema
    {
        var schema = live
        for kind in ObjectKind.allCases {
            let profile = application.objectMapping(kind)
            guard owns(profile) else { continue }
            try merge(profile, into: &schema.json)
        }
        return schema
    }

    /// Whether the profile says anything about this object mapping at all.
    static func owns(_ mapping: ObjectMapping) -> Bool {
        mapping.enabled != nil || mapping.actions != nil || mapping.mode == .exclusive || !mapping.mappings.isEmpty
            || !mapping.customAttributes.isEmpty || mapping.scopingFilters != nil
    }

    private static func merge(_ profile: ObjectMapping, into schema: inout JSONValue) throws(SchemaMergeError) {
        var rules = schema["synchronizationRules"]?.arrayValue ?? []
        guard let (ruleIndex, mappingIndex) = SynchronizationSchema(json: schema).objectMappingPosition(
            for: profile.kind.schemaObjectName)
        else {
            throw .objectMappingNotFound(profile.kind)
        }
        var rule = rules[ruleIndex]
        var objectMappings = rule["objectMappings"]?.arrayValue ?? []
        var mapping = SchemaObjectMapping(json: objectMappings[mappingIndex])

        if let enabled = profile.enabled, mapping.enabled != enabled { mapping.enabled = enabled }
        if let actions = profile.actions {
            let wanted = ObjectFlowTypes.make(actions.sorted().map(\.graphName))
            // An equal set written with other spacing is left alone.
            if mapping.flowTypes != wanted { mapping.flowTypes = wanted }
        }
        if let filters = profile.scopingFilters { ScopingFilterJSON.merge(filters, into: &mapping) }
        let existing = mapping.json["attributeMappings"]?.arrayValue ?? []
        mapping.json["attributeMappings"] = .array(mergeAttributeMappings(profile, into: existing))

        let targetObject = mapping.targetObjectName ?? profile.kind.schemaObjectName
        objectMappings[mappingIndex] = mapping.json
        rule["objectMappings"] = .array(objectMappings)
        rules[ruleIndex] = rule
        schema["synchronizationRules"] = .array(rules)

        let directoryName = rule["targetDirectoryName"]?.stringValue ?? DefaultTemplateSchema.targetDirectoryName
        try addTargetAttributes(profile, directory: directoryName, object: targetObject, in: &schema)
    }

    /// The object mapping from `kind` to `kind`, found by the one rule every lookup uses.
    public static func objectMapping(_ kind: ObjectKind, in schema: SynchronizationSchema) -> SchemaObjectMapping? {
        schema.objectMapping(for: kind.schemaObjectName)
    }

    // MARK: Attribute mappings

    private static func mergeAttributeMappings(_ profile: ObjectMapping, into existing: [JSONValue]) -> [JSONValue] {
        // When any listed mapping states a matching precedence, the profile owns matching for the whole object:
        // listed mappings get their precedence (or 0) and unlisted ones stop being used for matching.
        let ownsMatching = profile.mappings.contains { $0.matchingPrecedence != nil }
        var indexByTarget: [String: Int] = [:]
        for (index, element) in existing.enumerated() {
            guard let target = element["targetAttributeName"]?.stringValue, indexByTarget[target] == nil else { continue }
            indexByTarget[target] = index
        }

        switch profile.mode {
        case .exclusive:
            // Targets the live schema already has keep their live position (Graph may return mappings in its own
            // order, and reordering alone must not count as a change); new targets follow in profile order.
            var wantedByTarget: [String: AttributeMapping] = [:]
            for wanted in profile.mappings where wantedByTarget[wanted.target] == nil {
                wantedByTarget[wanted.target] = wanted
            }
            var result: [JSONValue] = []
            var placed = Set<String>()
            for element in existing {
                guard let target = element["targetAttributeName"]?.stringValue, let wanted = wantedByTarget[target],
                    placed.insert(target).inserted
                else { continue }
                result.append(updated(element, with: wanted, ownsMatching: ownsMatching).json)
            }
            for wanted in profile.mappings where placed.insert(wanted.target).inserted {
                result.append(updated(nil, with: wanted, ownsMatching: ownsMatching).json)
            }
            return result
        case .amend:
            var result = existing
            var listed = Set<Int>()
            for wanted in profile.mappings {
                if let index = indexByTarget[wanted.target], result.indices.contains(index) {
                    result[index] = updated(result[index], with: wanted, ownsMatching: ownsMatching).json
                    listed.insert(index)
                } else {
                    indexByTarget[wanted.target] = result.count
                    listed.insert(result.count)
                    result.append(updated(nil, with: wanted, ownsMatching: ownsMatching).json)
                }
            }
            if ownsMatching {
                for index in result.indices where !listed.contains(index) {
                    var other = SchemaAttributeMapping(json: result[index])
                    if let priority = other.matchingPriority, priority != 0 {
                        other.matchingPriority = 0
                        result[index] = other.json
                    }
                }
            }
            return result
        }
    }

    /// `base` (the live mapping of the same target, if any) with the profile-owned members set.
    private static func updated(_ base: JSONValue?, with wanted: AttributeMapping, ownsMatching: Bool)
        -> SchemaAttributeMapping
    {
        var mapping = SchemaAttributeMapping(json: base ?? .object([:]))
        if case .object = mapping.json {} else { mapping.json = .object([:]) }
        let isNew = base == nil
        mapping.targetAttributeName = wanted.target

        let source = MappingSourceJSON.make(wanted.source)
        if !sameSource(mapping.source, AttributeMappingSource(json: source)) { mapping.json["source"] = source }

        if ownsMatching {
            mapping.matchingPriority = wanted.matchingPrecedence ?? 0
        } else if isNew || mapping.matchingPriority == nil {
            mapping.matchingPriority = 0
        }
        mapping.flowType = wanted.applyWhen.graphFlowType
        if mapping.defaultValue != wanted.defaultValue { mapping.defaultValue = wanted.defaultValue }
        if mapping.flowBehavior == nil { mapping.flowBehavior = "FlowWhenChanged" }
        if mapping.exportMissingReferences == nil { mapping.exportMissingReferences = false }
        return mapping
    }

    /// Whether two mapping sources say the same: attributes and constants by name; functions as expressions
    /// (Graph may spell a function's text differently), falling back to their text without layout. The one
    /// comparison of mapping sources: merge, plan and export all use it.
    public static func sameSource(_ live: AttributeMappingSource?, _ wanted: AttributeMappingSource) -> Bool {
        guard let live, case .object = live.json, live.type == wanted.type else { return false }
        switch wanted.type {
        case "Attribute", "Constant":
            return live.name == wanted.name
        default:
            if let liveExpression = Expression(graphJSON: live.json),
                let wantedExpression = Expression(graphJSON: wanted.json), liveExpression == wantedExpression
            {
                return true
            }
            guard let liveText = live.expression, let wantedText = wanted.expression else { return false }
            return compactExpression(liveText) == compactExpression(wantedText)
        }
    }

    /// Expression text without layout outside string literals, so `Not( [a] )` and `Not([a])` compare equal.
    public static func compactExpression(_ text: String) -> String {
        var result = ""
        var inString = false
        var escaping = false
        for character in text {
            if inString {
                result.append(character)
                if escaping {
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
                result.append(character)
            } else if !character.isWhitespace {
                result.append(character)
            }
        }
        return result
    }

    // MARK: Target attribute definitions

    private static func addTargetAttributes(
        _ profile: ObjectMapping, directory directoryName: String, object objectName: String, in schema: inout JSONValue
    ) throws(SchemaMergeError) {
        // Declared custom attributes first (they carry a type), then mapped targets the schema lacks (strings).
        var wanted: [(name: String, type: String, multiValued: Bool, declared: Bool)] = profile.customAttributes.map {
            ($0.name, $0.type.rawValue, $0.multiValued, true)
        }
        let declaredNames = Set(profile.customAttributes.map { $0.name.lowercased() })
        for mapping in profile.mappings where !declaredNames.contains(mapping.target.lowercased()) {
            wanted.append((mapping.target, "String", false, false))
        }
        guard !wanted.isEmpty else { return }

        var directories = schema["directories"]?.arrayValue ?? []
        guard let directoryIndex = directories.firstIndex(where: { $0["name"]?.stringValue == directoryName }) else {
            if wanted.contains(where: \.declared) { throw .targetObjectNotFound(directory: directoryName, object: objectName) }
            return
        }
        var directory = directories[directoryIndex]
        var objects = directory["objects"]?.arrayValue ?? []
        guard let objectIndex = objects.firstIndex(where: { $0["name"]?.stringValue == objectName }) else {
            if wanted.contains(where: \.declared) { throw .targetObjectNotFound(directory: directoryName, object: objectName) }
            return
        }
        var object = objects[objectIndex]
        var attributes = object["attributes"]?.arrayValue ?? []
        var indexByName: [String: Int] = [:]
        for (index, attribute) in attributes.enumerated() {
            guard let name = attribute["name"]?.stringValue?.lowercased(), indexByName[name] == nil else { continue }
            indexByName[name] = index
        }
        var changed = false
        for item in wanted {
            if let index = indexByName[item.name.lowercased()] {
                // A declared custom attribute owns its type and multiplicity; template attributes are left alone.
                guard item.declared, attributes.indices.contains(index) else { continue }
                var definition = AttributeDefinition(json: attributes[index])
                if definition.type != item.type {
                    definition.type = item.type
                    changed = true
                }
                if definition.multivalued != item.multiValued {
                    definition.multivalued = item.multiValued
                    changed = true
                }
                attributes[index] = definition.json
            } else {
                indexByName[item.name.lowercased()] = attributes.count
                attributes.append(AttributeDefinition(name: item.name, type: item.type, multivalued: item.multiValued).json)
                changed = true
            }
        }
        guard changed else { return }
        object["attributes"] = .array(attributes)
        objects[objectIndex] = object
        directory["objects"] = .array(objects)
        directories[directoryIndex] = directory
        schema["directories"] = .array(directories)
    }
}

extension SchemaAttributeMapping {
    /// A fresh Graph attribute mapping for a profile mapping (used for the default template).
    public init(profileMapping mapping: AttributeMapping) {
        self.init(json: [
            "defaultValue": mapping.defaultValue.map(JSONValue.string) ?? .null,
            "exportMissingReferences": false,
            "flowBehavior": "FlowWhenChanged",
            "flowType": .string(mapping.applyWhen.graphFlowType),
            "matchingPriority": .integer(Int64(mapping.matchingPrecedence ?? 0)),
            "source": MappingSourceJSON.make(mapping.source),
            "targetAttributeName": .string(mapping.target),
        ])
    }
}
