import Testing

@testable import GraphModel
@testable import ProfileTranslation
@testable import VendorProfiles

struct DefaultTemplateSchemaTests {
    let schema = DefaultTemplateSchema.schema()

    @Test func directoriesAndRule() {
        #expect(schema.directories.map(\.name) == ["Azure Active Directory", "customappsso"])
        let rule = schema.synchronizationRules.first
        #expect(schema.synchronizationRules.count == 1)
        #expect(rule?.sourceDirectoryName == "Azure Active Directory")
        #expect(rule?.targetDirectoryName == "customappsso")
        #expect(rule?.id == DefaultTemplateSchema.ruleId)
        #expect(rule?.objectMappings.map(\.sourceObjectName) == ["User", "Group"])
        #expect(rule?.objectMappings.allSatisfy { $0.enabled == true && $0.flowTypesText == "Add, Update, Delete" } == true)
    }

    @Test func defaultMappings() throws {
        let users = try #require(Fixtures.objectMapping(schema, "User"))
        let groups = try #require(Fixtures.objectMapping(schema, "Group"))
        #expect(users.attributeMappings.count == 22)
        #expect(groups.attributeMappings.count == 3)
        #expect(users.attributeMappings.filter { $0.matchingPriority != 0 }.map(\.targetAttributeName) == ["userName"])
        #expect(Fixtures.mapping(schema, "User", target: "userName")?.matchingPriority == 1)
        #expect(Fixtures.mapping(schema, "Group", target: "displayName")?.matchingPriority == 1)
        let active = Fixtures.mapping(schema, "User", target: "active")?.source
        #expect(active?.type == "Function")
        #expect(active?.name == "Switch")
        #expect(Fixtures.mapping(schema, "User", target: "externalId")?.source?.name == "mailNickname")
        #expect(Fixtures.mapping(schema, "Group", target: "members")?.source?.type == "Attribute")
    }

    @Test func everyDefaultTargetIsDefinedWithOneAnchor() {
        for kind in ObjectKind.allCases {
            let defined = Set(Fixtures.targetAttributes(schema, kind.schemaObjectName).compactMap(\.name))
            for mapping in SCIMTemplate.defaultMappings(for: kind) {
                #expect(defined.contains(mapping.target), "\(mapping.target) is not defined")
                #expect(SCIMTemplate.targetAttribute(named: mapping.target, for: kind) != nil)
            }
            let anchors = Fixtures.targetAttributes(schema, kind.schemaObjectName).filter { $0.anchor == true }
            #expect(anchors.map(\.name) == ["id"])
        }
        let manager = Fixtures.targetAttributes(schema, "User").first { $0.name?.hasSuffix(":manager") == true }
        #expect(manager?.type == "Reference")
        #expect(manager?.referencedObjectNames == ["User"])
        let members = Fixtures.targetAttributes(schema, "Group").first { $0.name == "members" }
        #expect(members?.multivalued == true)
    }

    @Test func sourceDirectoryHasTheEntraAttributes() {
        let user = schema.directory(named: "Azure Active Directory")?.object(named: "User")
        let names = Set(user?.attributes.compactMap(\.name) ?? [])
        for source in ["userPrincipalName", "IsSoftDeleted", "mailNickname", "employeeId", "manager", "extensionAttribute15"] {
            #expect(names.contains(source))
        }
        #expect(user?.attributes.first { $0.anchor == true }?.name == "objectId")
    }

    @Test func serializationIsStable() throws {
        let text = DefaultTemplateSchema.json.serialized(pretty: true)
        #expect(text == DefaultTemplateSchema.schema().encoded(pretty: true))
        #expect(try JSONValue(parsing: text) == DefaultTemplateSchema.json)
    }
}
