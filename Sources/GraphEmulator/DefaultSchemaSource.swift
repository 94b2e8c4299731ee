import GraphSync

/// The schema a new `scim` job starts with (and DELETE .../schema resets to). Kept behind this one type so the
/// emulator can switch to GraphSync's shared default template schema without touching the routes.
enum DefaultSchemaSource {
    static let userRuleId = "a1c8e6f4-52d3-4b7e-9f20-7d6c3b9e1a45"
    static let sourceDirectory = "Azure Active Directory"
    static let targetDirectory = "customappsso"

    static func scimSchema(jobId: String) -> JSONValue {
        [
            "id": .string(jobId),
            "version": "Date:2025-01-01T00:00:00Z;Version:1",
            "directories": [sourceDirectoryDefinition(), targetDirectoryDefinition()],
            "synchronizationRules": [
                [
                    "id": .string(userRuleId),
                    "name": "USER_TO_USER",
                    "editable": true,
                    "priority": 1,
                    "sourceDirectoryName": .string(sourceDirectory),
                    "targetDirectoryName": .string(targetDirectory),
                    "metadata": [],
                    "containerFilter": ["includedContainers": []],
                    "groupFilter": ["includedGroups": []],
                    "objectMappings": [
                        objectMapping(
                            name: "Provision Microsoft Entra ID Users", object: "User",
                            mappings: userMappings.map { mapping($0.target, $0.source, matching: $0.matching) }),
                        objectMapping(
                            name: "Provision Microsoft Entra ID Groups", object: "Group",
                            mappings: [
                                mapping("displayName", .attribute("displayName"), matching: 1),
                                mapping("externalId", .attribute("objectId")),
                                mapping("members", .attribute("members")),
                            ]),
                    ],
                ]
            ],
        ]
    }

    /// How a default mapping's value is produced.
    enum Source {
        case attribute(String)
        case function(expression: String, name: String, parameters: [(String, JSONValue)])

        var json: JSONValue {
            switch self {
            case .attribute(let name): return attributeSource(name)
            case .function(let expression, let name, let parameters):
                return [
                    "expression": .string(expression), "name": .string(name), "type": "Function",
                    "parameters": .array(parameters.map { ["key": .string($0.0), "value": $0.1] }),
                ]
            }
        }
    }

    static func attributeSource(_ name: String) -> JSONValue {
        ["expression": .string("[\(name)]"), "name": .string(name), "parameters": [], "type": "Attribute"]
    }

    static func constantSource(_ value: String) -> JSONValue {
        ["expression": .string("\"\(value)\""), "name": .string(value), "parameters": [], "type": "Constant"]
    }

    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"

    /// The portal's default user rows, in portal order.
    static let userMappings: [(target: String, source: Source, matching: Int64)] = [
        ("userName", .attribute("userPrincipalName"), 1),
        (
            "active",
            .function(
                expression: "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")", name: "Switch",
                parameters: [
                    ("source", attributeSource("IsSoftDeleted")), ("key", constantSource("False")),
                    ("value", constantSource("True")), ("key", constantSource("True")), ("value", constantSource("False")),
                ]), 0
        ),
        ("displayName", .attribute("displayName"), 0),
        ("title", .attribute("jobTitle"), 0),
        ("emails[type eq \"work\"].value", .attribute("mail"), 0),
        ("preferredLanguage", .attribute("preferredLanguage"), 0),
        ("name.givenName", .attribute("givenName"), 0),
        ("name.familyName", .attribute("surname"), 0),
        (
            "name.formatted",
            .function(
                expression: "Join(\" \", [givenName], [surname])", name: "Join",
                parameters: [
                    ("separator", constantSource(" ")), ("source", attributeSource("givenName")),
                    ("source", attributeSource("surname")),
                ]), 0
        ),
        ("addresses[type eq \"work\"].formatted", .attribute("physicalDeliveryOfficeName"), 0),
        ("addresses[type eq \"work\"].streetAddress", .attribute("streetAddress"), 0),
        ("addresses[type eq \"work\"].locality", .attribute("city"), 0),
        ("addresses[type eq \"work\"].region", .attribute("state"), 0),
        ("addresses[type eq \"work\"].postalCode", .attribute("postalCode"), 0),
        ("addresses[type eq \"work\"].country", .attribute("country"), 0),
        ("phoneNumbers[type eq \"work\"].value", .attribute("telephoneNumber"), 0),
        ("phoneNumbers[type eq \"mobile\"].value", .attribute("mobile"), 0),
        ("phoneNumbers[type eq \"fax\"].value", .attribute("facsimileTelephoneNumber"), 0),
        ("externalId", .attribute("mailNickname"), 0),
        (enterprise + "employeeNumber", .attribute("employeeId"), 0),
        (enterprise + "department", .attribute("department"), 0),
        (enterprise + "manager", .attribute("manager"), 0),
    ]

    static func mapping(_ target: String, _ source: Source, matching: Int64 = 0) -> JSONValue {
        [
            "source": source.json, "targetAttributeName": .string(target), "matchingPriority": .integer(matching),
            "flowBehavior": "FlowWhenChanged", "flowType": "Always", "defaultValue": nil,
            "exportMissingReferences": false,
        ]
    }

    static func objectMapping(name: String, object: String, mappings: [JSONValue]) -> JSONValue {
        [
            "name": .string(name), "enabled": true, "flowTypes": "Add, Update, Delete",
            "sourceObjectName": .string(object), "targetObjectName": .string(object), "scope": nil,
            "metadata": [], "attributeMappings": .array(mappings),
        ]
    }

    static func attribute(_ name: String, type: String = "String", anchor: Bool = false, multivalued: Bool = false)
        -> JSONValue
    {
        [
            "name": .string(name), "type": .string(type), "anchor": .bool(anchor), "caseExact": false,
            "defaultValue": nil, "flowNullValues": false, "multivalued": .bool(multivalued), "mutability": "ReadWrite",
            "required": .bool(anchor), "referencedObjects": [], "metadata": [], "apiExpressions": [],
        ]
    }

    static func directory(id: String, name: String, objects: [(String, [JSONValue])]) -> JSONValue {
        [
            "id": .string(id), "name": .string(name), "readOnly": false, "version": nil, "discoveryDateTime": nil,
            "discoverabilities": "None",
            "objects": .array(
                objects.map { ["name": .string($0.0), "attributes": .array($0.1), "metadata": [], "supportedApis": []] }),
        ]
    }

    static func sourceDirectoryDefinition() -> JSONValue {
        let userAttributes =
            [attribute("objectId", anchor: true)]
            + [
                "IsSoftDeleted", "accountEnabled", "city", "country", "department", "displayName", "employeeId",
                "facsimileTelephoneNumber", "givenName", "jobTitle", "mail", "mailNickname", "manager", "mobile",
                "physicalDeliveryOfficeName", "postalCode", "preferredLanguage", "state", "streetAddress", "surname",
                "telephoneNumber", "userPrincipalName",
            ].map { attribute($0) }
        let groupAttributes = [
            attribute("objectId", anchor: true), attribute("displayName"), attribute("mailNickname"),
            attribute("members", type: "Reference", multivalued: true),
        ]
        return directory(
            id: "d3c8b2f1-6e4a-4b9d-8c17-0a5e2f9d6b31", name: sourceDirectory,
            objects: [("User", userAttributes), ("Group", groupAttributes)])
    }

    static func targetDirectoryDefinition() -> JSONValue {
        let userAttributes =
            [attribute("id", anchor: true)]
            + userMappings.filter { $0.target != "id" }.map { entry -> JSONValue in
                if entry.target == "active" { return attribute("active", type: "Boolean") }
                if entry.target.hasSuffix(":manager") { return attribute(entry.target, type: "Reference") }
                return attribute(entry.target)
            }
        let groupAttributes = [
            attribute("id", anchor: true), attribute("displayName"), attribute("externalId"),
            attribute("members", type: "Reference", multivalued: true),
        ]
        return directory(
            id: "7b1e4c9a-2d58-4f36-a0b3-e9c6d2f18a74", name: targetDirectory,
            objects: [("User", userAttributes), ("Group", groupAttributes)])
    }
}
