import GraphModel
import ProfileTranslation
import Testing

@testable import GraphEmulator

/// The emulator keeps its own copy of the `scim` template's schema (it stands in for Microsoft); scimctl's
/// planner models the same template in `DefaultTemplateSchema`. The two must agree, or plans made against the
/// emulator would not predict what a fresh job holds.
@Suite struct DefaultTemplateTests {
    @Test func emulatorCopyParsesIntoAFullSchema() throws {
        let schema = SynchronizationSchema(json: DefaultSchemaSource.scimSchema())
        #expect(schema.directories.map(\.name) == ["Azure Active Directory", "customappsso"])
        let mappings = schema.synchronizationRules.first?.objectMappings ?? []
        #expect(mappings.map(\.sourceObjectName) == ["User", "Group"])
        #expect(mappings.allSatisfy { !$0.attributeMappings.isEmpty })
    }

    @Test func plannerModelMatchesTheEmulatorsTemplate() {
        let emulator = DefaultSchemaSource.scimSchema()
        let planner = DefaultTemplateSchema.json
        #expect(
            emulator == planner,
            "scimctl's DefaultTemplateSchema no longer matches the emulator's copy of the scim template; change the copy in Sources/GraphEmulator/DefaultSchemaSource.swift only if Microsoft's template changed")
    }
}
