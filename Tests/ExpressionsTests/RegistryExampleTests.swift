import Diagnostics
import Testing

@testable import Expressions

/// The registry's expression examples are real: each triggers its rule, and its fixed form is clean.
@Suite("Registry examples for expression rules")
struct RegistryExampleTests {
    /// Rules whose example is not a literal expression (an empty YAML value, a description of a huge input).
    static let described: Set<DiagnosticID> = [
        .expressionEmpty, .expressionTooLong, .expressionTooManyFindings, .expressionNestingTooDeep,
    ]

    static var rules: [DiagnosticRule] {
        DiagnosticRegistry.all.filter { $0.category == "expression" && !described.contains($0.id) }
    }

    @Test func everyExpressionIdIsRegistered() {
        #expect(Self.rules.count >= 40)
    }

    @Test(arguments: rules.map(\.id.rawValue))
    func exampleTriggersItsRuleAndTheFixIsClean(_ id: String) throws {
        let rule = try #require(DiagnosticRegistry.rule(DiagnosticID(id)))
        let found = ExpressionChecker.check(rule.example, object: .user, at: nil).diagnostics
        #expect(found.contains { $0.id == rule.id }, "\(rule.example) gives \(found.map(\.id))")
        let fixed = try #require(rule.fixed, "\(id) has no fixed form")
        let remaining = ExpressionChecker.check(fixed, object: .user, at: nil).diagnostics
        #expect(remaining.isEmpty, "\(fixed) still gives \(remaining.map { "\($0.id): \($0.message)" })")
    }
}
