import Foundation
import TestSupport
import Testing

@testable import GraphModel
@testable import ProfileTranslation
@testable import VendorProfiles

/// scimctl's model of the non-gallery template, checked against the documented defaults (a hand-written fixture in
/// TestSupport), never against the `SCIMTemplate` tables it is built from.
struct DefaultTemplateSchemaTests {
    let schema = DefaultTemplateSchema.schema()

    @Test func directoriesAndRule() throws {
        let documented = try DocumentedDefaultTemplate.load()
        #expect(schema.directories.map(\.name) == [documented.sourceDirectoryName, documented.targetDirectoryName])
        let rule = schema.synchronizationRules.first
        #expect(schema.synchronizationRules.count == 1)
        #expect(rule?.sourceDirectoryName == documented.sourceDirectoryName)
        #expect(rule?.targetDirectoryName == documented.targetDirectoryName)
        #expect(rule?.id == DefaultTemplateSchema.ruleId)
        #expect(rule?.objectMappings.map(\.sourceObjectName) == ["User", "Group"])
        #expect(rule?.objectMappings.allSatisfy { $0.enabled == true && $0.flowTypesText == documented.flowTypes } == true)
    }

    @Test func defaultMappingsAreTheDocumentedOnes() throws {
        let documented = try DocumentedDefaultTemplate.load().comparableMappings
        let modelled = try DocumentedDefaultTemplate.mappings(inSchema: Data(schema.encoded().utf8))
        #expect(Set(modelled.keys) == Set(documented.keys))
        for (object, expected) in documented {
            let actual = modelled[object] ?? []
            #expect(actual.map(\.target) == expected.map(\.target), "\(object) targets or their order differ")
            for (mine, theirs) in zip(actual, expected) {
                #expect(mine == theirs, "\(object) \(theirs.target)")
            }
        }
    }

    @Test func everyDocumentedTargetIsDefinedWithOneAnchor() throws {
        let documented = try DocumentedDefaultTemplate.load()
        for (object, mappings) in documented.objectMappings {
            let defined = Set(Fixtures.targetAttributes(schema, object).compactMap(\.name))
            for mapping in mappings {
                #expect(defined.contains(mapping.target), "\(object) \(mapping.target) is not defined")
            }
            let anchors = Fixtures.targetAttributes(schema, object).filter { $0.anchor == true }
            #expect(anchors.map(\.name) == [documented.targetAnchor])
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

    /// Pretty and compact output take different paths through the serializer; Foundation must read one document.
    @Test func prettyAndCompactFormsAreOneDocument() throws {
        func read(_ text: String) throws -> NSObject {
            try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSObject)
        }
        #expect(try read(schema.encoded(pretty: true)) == read(schema.encoded()))
    }
}
