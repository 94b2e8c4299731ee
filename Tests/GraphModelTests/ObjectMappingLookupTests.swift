import GraphModel
import Testing

/// The one rule for finding an object's mapping in a schema: source and target object both the name, exact
/// spelling first in every rule, then any letter case.
@Suite struct ObjectMappingLookupTests {
    static func mapping(_ source: String, _ target: String, name: String = "") -> JSONValue {
        ["sourceObjectName": .string(source), "targetObjectName": .string(target), "name": .string(name)]
    }

    static func schema(_ rules: [[JSONValue]]) -> SynchronizationSchema {
        SynchronizationSchema(json: [
            "synchronizationRules": .array(rules.enumerated().map { ["id": .string("rule-\($0.offset)"), "objectMappings": .array($0.element)] })
        ])
    }

    @Test func exactSpellingInALaterRuleWinsOverAnotherCaseInAnEarlierOne() throws {
        let schema = Self.schema([[Self.mapping("user", "user", name: "lower")], [Self.mapping("User", "User", name: "exact")]])
        let position = try #require(schema.objectMappingPosition(for: "User"))
        #expect(position.rule == 1 && position.mapping == 0)
        #expect(schema.objectMapping(for: "User")?.name == "exact")
        #expect(schema.rule(mapping: "User")?.id == "rule-1")
    }

    @Test func anotherCaseIsFoundWhenNoExactSpellingExists() {
        let schema = Self.schema([[Self.mapping("Group", "Group"), Self.mapping("USER", "user", name: "loud")]])
        #expect(schema.objectMapping(for: "User")?.name == "loud")
        #expect(schema.objectMappingPosition(for: "User").map { [$0.rule, $0.mapping] } == [0, 1])
    }

    @Test func sourceAndTargetMustBothBeTheObject() {
        let schema = Self.schema([[Self.mapping("User", "Contact"), ["sourceObjectName": "User"]]])
        #expect(schema.objectMappingPosition(for: "User") == nil)
        #expect(schema.objectMapping(for: "User") == nil)
        #expect(schema.rule(mapping: "User") == nil)
        #expect(Self.schema([]).objectMapping(for: "User") == nil)
    }

    @Test func aRuleFollowsTheSameRule() {
        let rule = SynchronizationRule(json: [
            "objectMappings": [Self.mapping("user", "user", name: "lower"), Self.mapping("User", "User", name: "exact")]
        ])
        #expect(rule.objectMapping(for: "User")?.name == "exact")
        #expect(rule.objectMapping(for: "GROUP") == nil)
        let lowerOnly = SynchronizationRule(json: ["objectMappings": [Self.mapping("user", "user", name: "lower")]])
        #expect(lowerOnly.objectMapping(for: "User")?.name == "lower")
    }
}
