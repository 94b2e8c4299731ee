import Expressions
import GraphModel
import VendorProfiles

/// The schema a new non-gallery job (`templateId` `scim`) starts with, as scimctl models it: the Entra ID source
/// directory, the `customappsso` target directory, and one rule with the default User and Group object mappings.
///
/// Microsoft does not publish this schema; it is assembled from the documented default mappings and attribute
/// lists (see `SCIMTemplate`). `render` merges profiles onto it and the Graph emulator serves it. A live job's
/// schema GET is always preferred over it.
public enum DefaultTemplateSchema {
    public static let sourceDirectoryName = "Azure Active Directory"
    public static let targetDirectoryName = "customappsso"
    /// Stable made-up identifiers, shaped like the engine's.
    public static let ruleId = "6c7a1e52-3f4b-4d8e-9a61-2b5c8d0f7e13"
    public static let sourceDirectoryId = "0b1f9c3e-7d2a-4e6b-8c45-91a3d7e2f604"
    public static let targetDirectoryId = "f3d8a2c1-5e9b-4a70-b6d2-7c1e4f8a9b35"

    public static func schema() -> SynchronizationSchema { SynchronizationSchema(json: json) }

    /// Built once; a few kilobytes.
    public static let json: JSONValue = build()

    private static func build() -> JSONValue {
        let directories: [JSONValue] = [
            directory(
                id: sourceDirectoryId, name: sourceDirectoryName,
                objects: [
                    object(name: "User", attributes: sourceUserAttributes, metadata: sourceUserMetadata),
                    object(name: "Group", attributes: sourceGroupAttributes, metadata: []),
                ]),
            directory(
                id: targetDirectoryId, name: targetDirectoryName,
                objects: ObjectKind.allCases.map { kind in
                    object(
                        name: kind.schemaObjectName,
                        attributes: SCIMTemplate.targetAttributes(for: kind).map { definition(of: $0, kind: kind) },
                        metadata: [])
                }),
        ]
        let rule: JSONValue = [
            "editable": true,
            "id": .string(ruleId),
            "metadata": [],
            "name": "USER_OUTBOUND_USER",
            "objectMappings": .array(ObjectKind.allCases.map(objectMapping(for:))),
            "priority": 1,
            "sourceDirectoryName": .string(sourceDirectoryName),
            "targetDirectoryName": .string(targetDirectoryName),
        ]
        return [
            "directories": .array(directories),
            "id": "scim",
            "synchronizationRules": [rule],
            "version": "scimctl-default-template-1",
        ]
    }

    private static func objectMapping(for kind: ObjectKind) -> JSONValue {
        let plural = kind == .user ? "Users" : "Groups"
        let mapping: JSONValue = [
            "attributeMappings": .array(
                SCIMTemplate.defaultMappings(for: kind).map { SchemaAttributeMapping(profileMapping: $0).json }),
            "enabled": .bool(SCIMTemplate.defaultEnabled(for: kind)),
            "flowTypes": .string(ObjectFlowTypes.make(SCIMTemplate.defaultActions.map(\.graphName)).description),
            "metadata": [
                ["key": "Disposition", "value": "\"Normal\""],
                ["key": "EscrowBehavior", "value": "\"Default\""],
                ["key": "IsCustomerDefined", "value": "false"],
                ["key": "ExcludeFromReporting", "value": "false"],
                ["key": "Unsynchronized", "value": "false"],
            ],
            "name": .string("Provision Microsoft Entra ID \(plural)"),
            "scope": nil,
            "sourceObjectName": .string(kind.schemaObjectName),
            "targetObjectName": .string(kind.schemaObjectName),
        ]
        return mapping
    }

    private static func directory(id: String, name: String, objects: [JSONValue]) -> JSONValue {
        [
            "discoverabilities": "None",
            "discoveryDateTime": nil,
            "id": .string(id),
            "name": .string(name),
            "objects": .array(objects),
            "readOnly": false,
            "version": nil,
        ]
    }

    private static func object(name: String, attributes: [AttributeDefinition], metadata: [KeyValuePair]) -> JSONValue {
        [
            "attributes": .array(attributes.map(\.json)),
            "metadata": .array(metadata.map(\.json)),
            "name": .string(name),
            "supportedApis": [],
        ]
    }

    /// The anchor and the matching attribute (userName / displayName) are required, as SCIM requires them.
    private static func definition(of attribute: TemplateTargetAttribute, kind: ObjectKind) -> AttributeDefinition {
        let matchingName = kind == .user ? "userName" : "displayName"
        return AttributeDefinition(
            name: attribute.name, type: attribute.type.rawValue, multivalued: attribute.multiValued,
            anchor: attribute.anchor, required: attribute.anchor || attribute.name == matchingName,
            referencedObjects: attribute.referencedObjects)
    }

    private static let sourceUserMetadata: [KeyValuePair] = [
        KeyValuePair(key: "IsSoftDeletionSupported", value: "true"),
        KeyValuePair(key: "ConnectorDataStorageRequired", value: "true"),
        KeyValuePair(key: "IsSynchronizeAllSupported", value: "true"),
        KeyValuePair(key: "PropertyNameAccountEnabled", value: "accountEnabled"),
        KeyValuePair(key: "PropertyNameSoftDeleted", value: "IsSoftDeleted"),
    ]

    /// The Entra ID attributes the provisioning engine exposes (its own names, not Microsoft Graph v1.0 names): the
    /// one source-attribute catalogue that validation also checks profiles against.
    private static let sourceUserAttributes: [AttributeDefinition] = SourceAttributeCatalog.attributes(object: .user)
        .map { sourceDefinition($0, required: ["IsSoftDeleted", "accountEnabled"]) }
    private static let sourceGroupAttributes: [AttributeDefinition] = SourceAttributeCatalog.attributes(object: .group)
        .map { sourceDefinition($0, required: ["displayName"]) }

    /// How the template declares a catalogue attribute: `objectId` is the anchor, the soft-delete and account flags
    /// and a group's name are required, and references name what they point at.
    private static func sourceDefinition(_ attribute: SourceAttribute, required: Set<String>) -> AttributeDefinition {
        let referenced: [String] =
            switch attribute.name {
            case "manager": ["User"]
            case "members": ["User", "Group"]
            default: []
            }
        return AttributeDefinition(
            name: attribute.name, type: attribute.type, multivalued: attribute.isMultiValued,
            anchor: attribute.name == "objectId",
            required: required.contains(attribute.name), referencedObjects: referenced)
    }
}
