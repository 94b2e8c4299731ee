import Testing

@testable import GraphModel

struct FlagSetTests {
    @Test(arguments: ["Add,Update", "Add, Update", " Update ,Add", "Add,  Update,"])
    func bothSpacingsParse(_ text: String) {
        let flags = ObjectFlowTypes.parse(text)
        #expect(flags.members == ["Add", "Update"])
        #expect(flags.description == "Add, Update")
    }

    @Test func canonicalOrderAndSpacing() {
        #expect(ObjectFlowTypes.parse("Delete,Add,Update").description == "Add, Update, Delete")
        #expect(ObjectFlowTypes.make(["Update", "Add", "Add"]).description == "Add, Update")
    }

    @Test func noneIsTheEmptySet() {
        #expect(ObjectFlowTypes.parse("None").members == ["None"])
        #expect(ObjectFlowTypes.parse("None, Add").members == ["Add"])
        #expect(ObjectFlowTypes.make([]).description == "None")
    }

    @Test func unknownMembersSurvive() {
        let flags = ObjectFlowTypes.parse("Future, Add")
        #expect(flags.members == ["Add", "Future"])
        #expect(flags.contains("Future"))
    }

    @Test func objectMappingReadsAndWritesFlowTypes() {
        var mapping = SchemaObjectMapping(json: ["flowTypes": "Add,Update,Delete"])
        #expect(mapping.flowTypes == ObjectFlowTypes.make(["Add", "Update", "Delete"]))
        mapping.flowTypes = ObjectFlowTypes.make(["Update"])
        #expect(mapping.json["flowTypes"] == "Update")
    }
}
