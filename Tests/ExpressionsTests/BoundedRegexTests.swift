import Foundation
import Testing

@testable import Expressions

/// The linear-time matcher behind parameter patterns and Replace: same answers as a backtracking engine on the
/// patterns profiles use, and no pattern that can stall it.
@Suite("Bounded regex")
struct BoundedRegexTests {
    static let patterns = [
        "[a-z0-9-]+", "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+",
        "(a|ab)(c|bcd)(d*)", "a*?b", "\\d{3}-\\d{4}", "(?:x|y){2,3}z?", "^\\w+@\\w+\\.com$", "[^@\\s]+@[^@\\s]+",
        "(a+)+$", "(a|a)*b", "colou?r", "[\\]\\-a]+", "\\bword\\b", ".*", "", "a{0}", "(?i)abc",
    ]
    static let inputs = [
        "", "a", "ab", "abcd", "abcbcd", "b", "aaab", "aaaa", "555-0100", "xyz", "xyyz", "john@contoso.com",
        "acme", "acme-corp.example.com", "-bad", "a.b", "color", "colour", "]-a", "a word here", "ABC", "aBc",
    ]

    /// The answers of Swift's backtracking Regex, on inputs small enough for it to be quick.
    @Test(arguments: patterns)
    func wholeMatchAgreesWithSwiftRegex(pattern: String) throws {
        let bounded = try BoundedRegex(pattern)
        let reference = try Regex(pattern)
        for input in Self.inputs {
            let expected = (try? reference.wholeMatch(in: input)) != nil
            #expect(try bounded.wholeMatch(input) == expected, "'\(pattern)' on '\(input)'")
        }
    }

    @Test(arguments: patterns)
    func firstMatchAgreesWithSwiftRegex(pattern: String) throws {
        let bounded = try BoundedRegex(pattern)
        let reference = try Regex(pattern)
        for input in Self.inputs {
            let expected = (try? reference.firstMatch(in: input)).flatMap { $0 }.map { String(input[$0.range]) }
            let actual = try bounded.firstMatch(in: input).flatMap { BoundedRegex.substring(input, $0.range) }
            #expect(actual == expected, "'\(pattern)' on '\(input)'")
        }
    }

    @Test func catastrophicPatternsFinishInOnePass() throws {
        let input = String(repeating: "a", count: 20_000) + "!"
        #expect(try BoundedRegex("(a+)+$").wholeMatch(input) == false)
        #expect(try BoundedRegex("(a|a)*b").firstMatch(in: input) == nil)
        #expect(try BoundedRegex("(a*)*(a*)*c").matches(in: String(input.prefix(2_000))).isEmpty)
    }

    @Test func constructsThatNeedBacktrackingAreRefusedWithAReason() {
        let refusals = [
            ("(a)\\1", "backreferences"), ("(?=a)", "lookaround"), ("(?<!a)b", "lookaround"), ("(?>a)", "atomic"),
            ("a++", "possessive"), ("(a", "missing ')'"), ("a)", "unbalanced"), ("[a-", "missing ']'"),
            ("x{5,2}", "reversed"), ("*a", "nothing to repeat"), ("a{1001}", "above 1000"),
            ("(a{1000}){1000}", "too large"), (String(repeating: "a", count: 1_001), "characters long"),
        ]
        for (pattern, fragment) in refusals {
            do {
                _ = try BoundedRegex(pattern)
                Issue.record("'\(pattern)' was accepted")
            } catch {
                #expect(error.message.contains(fragment), "'\(pattern)': \(error.message)")
            }
        }
    }

    @Test func replaceWithACatastrophicPatternStaysFast() throws {
        let input = String(repeating: "a", count: 5_000) + "!"
        for (pattern, expected) in [("(a+)+$", input), ("(a+)+!$", "x"), ("(a|aa)+(?=b)?", nil)] {
            let text = #"Replace([displayName], , "\#(pattern)", , "x", , )"#
            let expression = try #require(ExpressionParser.parse(text).expression)
            let evaluation = Result { try ExpressionEvaluator().evaluate(expression, object: ["displayName": .string(input)]) }
            switch evaluation {
            case .success(let value): #expect(value.text == expected, "\(pattern)")
            case .failure(let error): #expect(expected == nil, "\(pattern): \(error)")
            }
        }
    }

    /// Found by fuzz-expressions: a negative group number (as the group-name argument or in `${-1}`) once indexed
    /// the match's groups out of range.
    @Test func negativeGroupNumbersAreNoGroup() throws {
        let object: [String: EvaluationValue] = ["mobile": .string("425-555-0100")]
        for text in [
            #"Replace([mobile], , "(?<st>5*)", "-2", "x", , )"#,
            #"Replace([mobile], , "(\d+)", , "${-1}$1", , )"#,
            #"Replace([mobile], , "(\d+)", "-1", , "x", )"#,
        ] {
            let expression = try #require(ExpressionParser.parse(text).expression, "\(text)")
            _ = try? ExpressionEvaluator().evaluate(expression, object: object)
        }
        let substituted = try ExpressionEvaluator().evaluate(
            try #require(ExpressionParser.parse(#"Replace([mobile], , "(\d+)", , "<${-1}$1>", , )"#).expression),
            object: object)
        #expect(substituted.text == "<425>-<555>-<0100>")
    }

    @Test func replaceWithAPatternThatDoesNotCompileIsAnError() {
        let checked = ExpressionChecker.check(#"Replace([mail], , "(?=x)y", , "", , )"#, object: .user, at: nil)
        #expect(checked.diagnostics.contains { $0.id == .expressionRegex && $0.message.contains("lookaround") })
        #expect(!checked.isValid)
    }

    @Test func theCapNeverHidesAnError() {
        let warnings = Array(repeating: "IgnoreFlowIfNullOrEmpty([mail])", count: 150).joined(separator: ", ")
        let checked = ExpressionChecker.check("Join(\",\", \(warnings), Nope([mail]))", object: .user, at: nil)
        #expect(!checked.isValid)
        #expect(checked.diagnostics.contains { $0.id == .expressionUnknownFunction })
        let summary = checked.diagnostics.last
        #expect(summary?.id == .expressionTooManyFindings)
        #expect(summary?.message == "50 more findings not shown")
    }
}
