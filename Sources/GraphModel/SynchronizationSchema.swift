/// `synchronizationSchema`: the directories a job connects and the rules that map objects between them.
/// GET returns it whole and PUT replaces it whole, so every member is carried through `json`.
public struct SynchronizationSchema: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String? {
        get { string("id") }
        set { setString("id", newValue) }
    }
    public var version: String? {
        get { string("version") }
        set { setString("version", newValue) }
    }
    public var directories: [DirectoryDefinition] {
        get { views("directories") }
        set { setViews("directories", newValue) }
    }
    public var synchronizationRules: [SynchronizationRule] {
        get { views("synchronizationRules") }
        set { setViews("synchronizationRules", newValue) }
    }

    public func directory(named name: String) -> DirectoryDefinition? { directories.first { $0.name == name } }
}

/// `synchronizationRule`: one flow from a source directory to a target directory.
public struct SynchronizationRule: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// Chosen by the engine (for example `…#V2`); copy it verbatim, never invent one for a live job.
    public var id: String? {
        get { string("id") }
        set { setString("id", newValue) }
    }
    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    public var sourceDirectoryName: String? {
        get { string("sourceDirectoryName") }
        set { setString("sourceDirectoryName", newValue) }
    }
    public var targetDirectoryName: String? {
        get { string("targetDirectoryName") }
        set { setString("targetDirectoryName", newValue) }
    }
    public var editable: Bool? {
        get { bool("editable") }
        set { setBool("editable", newValue) }
    }
    public var priority: Int? {
        get { integer("priority") }
        set { setInteger("priority", newValue) }
    }
    public var objectMappings: [SchemaObjectMapping] {
        get { views("objectMappings") }
        set { setViews("objectMappings", newValue) }
    }
    public var metadata: [KeyValuePair] {
        get { views("metadata") }
        set { setViews("metadata", newValue) }
    }
}

/// `objectMapping`: how one source object (User, Group) becomes one target object.
public struct SchemaObjectMapping: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    public var enabled: Bool? {
        get { bool("enabled") }
        set { setBool("enabled", newValue) }
    }
    /// Raw flag string as Graph wrote it.
    public var flowTypesText: String? {
        get { string("flowTypes") }
        set { setString("flowTypes", newValue) }
    }
    /// Parsed flow types; nil when the member is absent.
    public var flowTypes: FlagSet? {
        get { flowTypesText.map(ObjectFlowTypes.parse) }
        set { flowTypesText = newValue?.description }
    }
    public var sourceObjectName: String? {
        get { string("sourceObjectName") }
        set { setString("sourceObjectName", newValue) }
    }
    public var targetObjectName: String? {
        get { string("targetObjectName") }
        set { setString("targetObjectName", newValue) }
    }
    public var attributeMappings: [SchemaAttributeMapping] {
        get { views("attributeMappings") }
        set { setViews("attributeMappings", newValue) }
    }
    /// The scoping filter; nil when Graph sent null (every assigned object is in scope).
    public var scope: ScopingFilter? {
        get { view("scope") }
        set { setView("scope", newValue) }
    }
    public var metadata: [KeyValuePair] {
        get { views("metadata") }
        set { setViews("metadata", newValue) }
    }
}

/// `attributeMapping`: how one target attribute gets its value.
public struct SchemaAttributeMapping: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var targetAttributeName: String? {
        get { string("targetAttributeName") }
        set { setString("targetAttributeName", newValue) }
    }
    /// Nil for constant-only mappings that use `defaultValue`.
    public var source: AttributeMappingSource? {
        get { view("source") }
        set { setView("source", newValue) }
    }
    /// 0 = not used for matching; otherwise lower numbers are tried first.
    public var matchingPriority: Int? {
        get { integer("matchingPriority") }
        set { setInteger("matchingPriority", newValue) }
    }
    /// `FlowWhenChanged` or `FlowAlways`.
    public var flowBehavior: String? {
        get { string("flowBehavior") }
        set { setString("flowBehavior", newValue) }
    }
    /// `Always`, `ObjectAddOnly`, `MultiValueAddOnly`, `ValueAddOnly`, `AttributeAddOnly`.
    public var flowType: String? {
        get { string("flowType") }
        set { setString("flowType", newValue) }
    }
    public var defaultValue: String? {
        get { string("defaultValue") }
        set { setString("defaultValue", newValue) }
    }
    public var exportMissingReferences: Bool? {
        get { bool("exportMissingReferences") }
        set { setBool("exportMissingReferences", newValue) }
    }
}

/// `attributeMappingSource`: an attribute, a constant, or a function call with named parameters.
public struct AttributeMappingSource: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// `Attribute`, `Constant` or `Function`.
    public var type: String? {
        get { string("type") }
        set { setString("type", newValue) }
    }
    /// Attribute name, constant value or function name.
    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    /// The same source written as an expression (`[mail]`, `"1"`, `Join(" ", [givenName], [surname])`).
    public var expression: String? {
        get { string("expression") }
        set { setString("expression", newValue) }
    }
    public var parameters: [AttributeMappingSourceParameter] {
        get { views("parameters") }
        set { setViews("parameters", newValue) }
    }
}

/// One named argument of a `Function` source.
public struct AttributeMappingSourceParameter: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var key: String? {
        get { string("key") }
        set { setString("key", newValue) }
    }
    public var value: AttributeMappingSource? {
        get { view("value") }
        set { setView("value", newValue) }
    }
}

/// `filter`: scoping filter groups; clauses in a group are ANDed, groups are ORed.
public struct ScopingFilter: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var groups: [FilterGroup] {
        get { views("groups") }
        set { setViews("groups", newValue) }
    }
    public var inputFilterGroups: [FilterGroup] {
        get { views("inputFilterGroups") }
        set { setViews("inputFilterGroups", newValue) }
    }
    public var categoryFilterGroups: [FilterGroup] {
        get { views("categoryFilterGroups") }
        set { setViews("categoryFilterGroups", newValue) }
    }
}

public struct FilterGroup: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    public var clauses: [FilterClause] {
        get { views("clauses") }
        set { setViews("clauses", newValue) }
    }
}

public struct FilterClause: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var sourceOperandName: String? {
        get { string("sourceOperandName") }
        set { setString("sourceOperandName", newValue) }
    }
    /// Operator names come from `GET …/schema/filterOperators` (`EQUALS`, `IS TRUE`, …).
    public var operatorName: String? {
        get { string("operatorName") }
        set { setString("operatorName", newValue) }
    }
    public var targetOperandValues: [String] {
        get { json["targetOperand"]?["values"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set {
            var operand = json["targetOperand"] ?? .object([:])
            if case .object = operand {} else { operand = .object([:]) }
            operand["values"] = .array(newValue.map(JSONValue.string))
            json["targetOperand"] = operand
        }
    }
}

/// `directoryDefinition`: a connected directory and the objects it holds.
public struct DirectoryDefinition: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String? {
        get { string("id") }
        set { setString("id", newValue) }
    }
    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    public var readOnly: Bool? {
        get { bool("readOnly") }
        set { setBool("readOnly", newValue) }
    }
    public var version: String? {
        get { string("version") }
        set { setString("version", newValue) }
    }
    public var objects: [ObjectDefinition] {
        get { views("objects") }
        set { setViews("objects", newValue) }
    }

    public func object(named name: String) -> ObjectDefinition? { objects.first { $0.name == name } }
}

/// `objectDefinition`: an object type of a directory and its attributes.
public struct ObjectDefinition: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    public var attributes: [AttributeDefinition] {
        get { views("attributes") }
        set { setViews("attributes", newValue) }
    }
    public var metadata: [KeyValuePair] {
        get { views("metadata") }
        set { setViews("metadata", newValue) }
    }
    public var supportedApis: [String] {
        get { strings("supportedApis") }
        set { setStrings("supportedApis", newValue) }
    }
}

/// `attributeDefinition`: one attribute of an object type.
public struct AttributeDefinition: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// A definition with every member Graph marks non-nullable, as the portal's attribute editor creates it.
    public init(
        name: String, type: String, multivalued: Bool = false, anchor: Bool = false, required: Bool = false,
        referencedObjects: [String] = []
    ) {
        self.init(json: [
            "anchor": .bool(anchor),
            "apiExpressions": [],
            "caseExact": false,
            "defaultValue": nil,
            "flowNullValues": false,
            "metadata": [],
            "multivalued": .bool(multivalued),
            "mutability": "ReadWrite",
            "name": .string(name),
            "referencedObjects": .array(
                referencedObjects.map { ["referencedObjectName": .string($0), "referencedProperty": nil] }),
            "required": .bool(required),
            "type": .string(type),
        ])
    }

    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    /// `String`, `Integer`, `Reference`, `Binary`, `Boolean`, `DateTime`.
    public var type: String? {
        get { string("type") }
        set { setString("type", newValue) }
    }
    public var anchor: Bool? {
        get { bool("anchor") }
        set { setBool("anchor", newValue) }
    }
    public var caseExact: Bool? {
        get { bool("caseExact") }
        set { setBool("caseExact", newValue) }
    }
    public var multivalued: Bool? {
        get { bool("multivalued") }
        set { setBool("multivalued", newValue) }
    }
    public var required: Bool? {
        get { bool("required") }
        set { setBool("required", newValue) }
    }
    /// `ReadWrite`, `ReadOnly`, `Immutable`, `WriteOnly`.
    public var mutability: String? {
        get { string("mutability") }
        set { setString("mutability", newValue) }
    }
    public var defaultValue: String? {
        get { string("defaultValue") }
        set { setString("defaultValue", newValue) }
    }
    public var referencedObjectNames: [String] {
        (json["referencedObjects"]?.arrayValue ?? []).compactMap { $0["referencedObjectName"]?.stringValue }
    }
    public var metadata: [KeyValuePair] {
        get { views("metadata") }
        set { setViews("metadata", newValue) }
    }
}

// MARK: - Finding an object's mapping

extension SynchronizationSchema {
    /// Where the mapping of object `name` sits: the first mapping whose source and target object are both `name`,
    /// spelled exactly, in any rule; failing that, the first such mapping in any letter case. Every lookup of the
    /// User or Group mapping (merge, plan, export, probe, on-demand) follows this one rule.
    public func objectMappingPosition(for name: String) -> (rule: Int, mapping: Int)? {
        let rules = synchronizationRules
        for caseSensitive in [true, false] {
            for (ruleIndex, rule) in rules.enumerated() {
                if let mappingIndex = rule.objectMappingIndex(for: name, caseSensitive: caseSensitive) {
                    return (ruleIndex, mappingIndex)
                }
            }
        }
        return nil
    }

    /// The mapping of object `name` (see `objectMappingPosition(for:)`).
    public func objectMapping(for name: String) -> SchemaObjectMapping? {
        guard let (rule, mapping) = objectMappingPosition(for: name) else { return nil }
        return synchronizationRules[rule].objectMappings[mapping]
    }

    /// The rule holding the mapping of object `name` (see `objectMappingPosition(for:)`).
    public func rule(mapping name: String) -> SynchronizationRule? {
        objectMappingPosition(for: name).map { synchronizationRules[$0.rule] }
    }
}

extension SynchronizationRule {
    /// The mapping of object `name` within this rule, by the same rule as `SynchronizationSchema`'s lookup.
    public func objectMapping(for name: String) -> SchemaObjectMapping? {
        let mappings = objectMappings
        let index = objectMappingIndex(for: name, caseSensitive: true) ?? objectMappingIndex(for: name, caseSensitive: false)
        return index.map { mappings[$0] }
    }

    func objectMappingIndex(for name: String, caseSensitive: Bool) -> Int? {
        objectMappings.firstIndex { mapping in
            guard let source = mapping.sourceObjectName, let target = mapping.targetObjectName else { return false }
            return caseSensitive
                ? source == name && target == name
                : source.lowercased() == name.lowercased() && target.lowercased() == name.lowercased()
        }
    }
}
