import Diagnostics
import Testing

@testable import Expressions

/// SplitMix64: small, seedable, good enough for test data. A class so a @Sendable closure can advance it.
final class SeededGenerator: @unchecked Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func next(below bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}

/// Builds random well-formed trees over the real catalog.
struct TreeGenerator {
    let random: SeededGenerator
    let names = FunctionCatalog.all.map(\.name)
    let attributes = SourceAttributeCatalog.names(object: .user)
    let alphabet = Array(#"ab "\,()[]<>=é“”日$"#)

    func leaf() -> Expression {
        switch random.next(below: 3) {
        case 0: return .attribute(attributes[random.next(below: attributes.count)])
        case 1: return .number(String(Int(random.next(below: 2000)) - 1000))
        default:
            let length = random.next(below: 6)
            return .constant(String((0..<length).map { _ in alphabet[random.next(below: alphabet.count)] }))
        }
    }

    func tree(depth: Int) -> Expression {
        if depth <= 0 || random.next(below: 4) == 0 { return leaf() }
        if random.next(below: 10) == 0 {
            let op = ComparisonOperator.allCases[random.next(below: ComparisonOperator.allCases.count)]
            return .call("IIF", [.comparison(leaf(), op, leaf()), tree(depth: depth - 1), tree(depth: depth - 1)])
        }
        let name = names[random.next(below: names.count)]
        let count = random.next(below: 5)
        let arguments: [Expression?] = (0..<count).map { _ in random.next(below: 5) == 0 ? nil : tree(depth: depth - 1) }
        // A lone empty slot has no text form: `F()` means zero arguments.
        return .call(name, arguments == [nil] ? [] : arguments)
    }
}

@Suite struct PropertyTests {
    @Test func printThenParseGivesTheSameTree() {
        let generator = TreeGenerator(random: SeededGenerator(seed: 20_251_124))
        for _ in 0..<3_000 {
            let tree = generator.tree(depth: 5)
            let text = ExpressionPrinter.print(tree)
            let parsed = ExpressionParser.parse(text)
            #expect(parsed.expression == tree, "\(text): \(parsed.diagnostics)")
            // The Graph tree survives the trip back as well.
            if let back = try? Expression(graphSource: tree.graphSource()) {
                #expect(back.graphSource() == tree.graphSource())
            } else {
                Issue.record("graph round trip failed for \(text)")
            }
        }
    }

    @Test func whitespaceDoesNotChangeTheTree() {
        let random = SeededGenerator(seed: 99)
        let generator = TreeGenerator(random: random)
        for _ in 0..<500 {
            let tree = generator.tree(depth: 4)
            let canonical = ExpressionPrinter.print(tree)
            // Re-space outside strings: after every comma and around parentheses.
            var spaced = ""
            var inString = false
            var escaped = false
            for character in canonical {
                spaced.append(character)
                if inString {
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                    continue
                }
                if character == "\"" { inString = true }
                if character == "," || character == "(" { spaced += random.next(below: 2) == 0 ? "\n  " : "\t" }
            }
            #expect(ExpressionParser.parse(spaced).expression == tree, "\(spaced)")
        }
    }

    @Test func randomBytesNeverCrashOrHang() {
        let random = SeededGenerator(seed: 1)
        let interesting = Array(#"()[]",\ =<>&.`'“”‘’（）， abcSwitchJoin[mail]0123456789"#.unicodeScalars)
        var parsedSomething = 0
        for round in 0..<20_000 {
            let length = random.next(below: 64)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length {
                if round % 2 == 0 {
                    scalars.append(interesting[random.next(below: interesting.count)])
                } else if let scalar = Unicode.Scalar(UInt32(random.next(below: 0x3100))) {
                    scalars.append(scalar)
                }
            }
            let text = String(scalars)
            let result = ExpressionChecker.check(text, object: .user, at: nil)
            // Warnings stop at the cap, errors at their own; one summary finding counts the rest.
            #expect(result.diagnostics.count <= DiagnosticSink.limit + DiagnosticSink.errorLimit + 1)
            for diagnostic in result.diagnostics {
                guard let location = diagnostic.location else { continue }
                #expect(location.line >= 1 && location.column >= 1)
            }
            if let expression = result.expression {
                parsedSomething += 1
                _ = try? evaluator().evaluate(expression, object: sampleUser)
                #expect(ExpressionParser.parse(expression.description).expression == expression)
            }
        }
        #expect(parsedSomething > 0)
    }

    @Test func pathologicalInputsAreBounded() {
        for text in [
            String(repeating: "(", count: 50_000),
            String(repeating: "[", count: 50_000),
            String(repeating: "\"", count: 50_001),
            String(repeating: "Join(", count: 20_000),
            String(repeating: "“", count: 20_000),
            String(repeating: ",", count: 50_000),
            String(repeating: "x ", count: 30_000),
        ] {
            let result = ExpressionChecker.check(text, object: .user, at: nil)
            #expect(result.diagnostics.hasErrors)
            #expect(result.diagnostics.count <= DiagnosticSink.limit + DiagnosticSink.errorLimit + 1)
        }
    }
}
