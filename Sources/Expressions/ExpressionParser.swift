import Diagnostics

/// What the parser found: the located tree (recovered as far as possible) and the syntax findings.
public struct ParseResult: Sendable {
    /// The located tree; present even after recoverable errors so later checks can still run.
    public var syntax: ExpressionSyntax?
    /// Syntax findings with file locations.
    public var diagnostics: [Diagnostic]
    /// The plain tree, only when there were no syntax errors.
    public var expression: Expression? {
        diagnostics.hasErrors ? nil : syntax?.expression
    }
}

/// Parses Entra attribute-mapping expressions.
public struct ExpressionParser {
    /// Entra rejects longer expressions.
    public static let maximumLength = 10_000
    /// Deeper nesting is rejected so no consumer can exhaust the stack.
    public static let maximumDepth = 128

    public static func parse(_ text: String) -> ParseResult {
        parse(text, at: nil)
    }

    /// Parses `text`, locating findings relative to `base` (the file position of the first character).
    public static func parse(_ text: String, at base: SourceLocation?) -> ParseResult {
        let located = parseLocated(text)
        guard !located.sink.items.isEmpty else { return ParseResult(syntax: located.syntax, diagnostics: []) }
        let mapper = LocationMapper(text: text, base: base)
        return ParseResult(syntax: located.syntax, diagnostics: located.sink.finished(end: text.unicodeScalars.count).map { $0.diagnostic(in: mapper) })
    }

    static func parseLocated(_ text: String) -> (syntax: ExpressionSyntax?, sink: DiagnosticSink) {
        var lexer = Lexer(text)
        let tokens = lexer.tokenize()
        var parser = Parser(tokens: tokens, sink: lexer.sink)
        if lexer.scalarCount > maximumLength {
            parser.sink.add(.error, .expressionTooLong,
                            "expression is \(lexer.scalarCount) characters long; Entra accepts at most \(maximumLength)",
                            SourceRange(maximumLength, maximumLength + 1))
        }
        let syntax = parser.parseTop()
        return (syntax, parser.sink)
    }
}

/// Recursive descent over the token array, bounded by `ExpressionParser.maximumDepth`.
struct Parser {
    let tokens: [Token]
    var position = 0
    var sink: DiagnosticSink
    /// Set when nesting is too deep: everything after is skipped.
    var aborted = false

    init(tokens: [Token], sink: DiagnosticSink) {
        self.tokens = tokens
        self.sink = sink
    }

    private var current: Token { tokens[min(position, tokens.count - 1)] }
    private var next: Token { tokens[min(position + 1, tokens.count - 1)] }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    mutating func parseTop() -> ExpressionSyntax? {
        if current.kind == .end {
            if !sink.hasErrors {
                sink.add(.error, .expressionEmpty, "expression is empty", SourceRange(0, 0),
                         hint: "write a function call such as Join(\" \", [givenName], [surname])")
            }
            return nil
        }
        let value = parseValue(depth: 1)
        if !aborted, current.kind != .end {
            let token = current
            if token.kind == .rightParen {
                sink.add(.error, .expressionUnexpectedClosingParenthesis, "unbalanced ')'", token.range,
                         hint: "remove the extra parenthesis", fix: (token.range, ""))
            } else {
                let end = tokens[tokens.count - 1].range.lowerBound
                sink.add(.error, .expressionTrailingInput, "unexpected input after the end of the expression",
                         SourceRange(token.range.lowerBound, end),
                         hint: "an expression is a single value or function call")
            }
        }
        return value
    }

    /// operand [relop operand]
    private mutating func parseValue(depth: Int) -> ExpressionSyntax? {
        guard let lhs = parseOperand(depth: depth) else { return nil }
        guard case .comparison(let op) = current.kind else { return lhs }
        let operatorRange = current.range
        advance()
        guard let rhs = parseOperand(depth: depth) else {
            if !aborted {
                sink.add(.error, .expressionExpectedValue, "expected a value after '\(op.rawValue)'",
                         SourceRange(current.range.lowerBound, current.range.lowerBound))
            }
            return lhs
        }
        var result = ExpressionSyntax(kind: .comparison(lhs, op, operatorRange: operatorRange, rhs),
                                      range: SourceRange(lhs.range.lowerBound, rhs.range.upperBound))
        // a = b = c: only one comparison per condition; report and skip the rest.
        while case .comparison(let extra) = current.kind, !aborted {
            let start = current.range.lowerBound
            advance()
            _ = parseOperand(depth: depth)
            sink.add(.error, .expressionChainedComparison, "only one '\(extra.rawValue)' comparison is allowed here",
                     SourceRange(start, start + extra.rawValue.unicodeScalars.count),
                     hint: "nest IIF calls instead of chaining comparisons")
            result.range.upperBound = tokens[max(0, position - 1)].range.upperBound
        }
        return result
    }

    private mutating func parseOperand(depth: Int) -> ExpressionSyntax? {
        if aborted { return nil }
        let token = current
        if depth > ExpressionParser.maximumDepth {
            sink.add(.error, .expressionNestingTooDeep,
                     "expression nests deeper than \(ExpressionParser.maximumDepth) levels", token.range)
            aborted = true
            return nil
        }
        switch token.kind {
        case .attribute(let name):
            advance()
            return ExpressionSyntax(kind: .attribute(name), range: token.range)
        case .string(let value):
            advance()
            return ExpressionSyntax(kind: .constant(value), range: token.range)
        case .number(let digits):
            advance()
            return ExpressionSyntax(kind: .number(digits), range: token.range)
        case .identifier(let name):
            if next.kind == .leftParen {
                advance()
                if current.spaceBefore {
                    let gap = SourceRange(current.previousEnd, current.range.lowerBound)
                    sink.add(.warning, .expressionSpaceBeforeParenthesis,
                             "whitespace between '\(name)' and '(' is not documented", gap,
                             hint: "write the '(' right after the function name", fix: (gap, ""))
                }
                return parseCall(name: name, nameRange: token.range, depth: depth)
            }
            advance()
            sink.add(.error, .expressionBareIdentifier, "'\(name)' is neither a function call nor a string constant",
                     token.range, hint: "quote constants (\"\(name)\") or add '(' to call a function",
                     fix: (token.range, ExpressionPrinter.quote(name)))
            return ExpressionSyntax(kind: .constant(name), range: token.range)
        case .leftParen:
            // A parenthesised group without a function name: report, then read it as a call for recovery.
            sink.add(.error, .expressionExpectedValue, "'(' must follow a function name", token.range,
                     hint: "expressions have no grouping parentheses")
            let call = parseCall(name: "", nameRange: SourceRange(token.range.lowerBound, token.range.lowerBound), depth: depth)
            guard case .call(_, _, let arguments) = call.kind, arguments.count == 1, let only = arguments[0].value else {
                return nil
            }
            return only
        case .comma, .rightParen, .end:
            sink.add(.error, .expressionExpectedValue, token.kind == .end ? "expected a value at the end of the expression" : "expected a value",
                     SourceRange(token.range.lowerBound, token.range.lowerBound))
            return nil
        case .comparison(let op):
            advance()
            sink.add(.error, .expressionExpectedValue, "expected a value before '\(op.rawValue)'", token.range)
            return parseOperand(depth: depth + 1)
        }
    }

    /// `(` already current. Reads slots until `)`; empty slots are kept as omitted arguments.
    private mutating func parseCall(name: String, nameRange: SourceRange, depth: Int) -> ExpressionSyntax {
        let open = current
        advance()
        var arguments: [ArgumentSyntax] = []
        var end = open.range.upperBound
        if current.kind == .rightParen {
            end = current.range.upperBound
            advance()
            return ExpressionSyntax(kind: .call(name: name, nameRange: nameRange, arguments: []),
                                    range: SourceRange(nameRange.lowerBound, end))
        }
        while !aborted {
            let slotStart = current.range.lowerBound
            switch current.kind {
            case .comma, .rightParen, .end:
                arguments.append(ArgumentSyntax(value: nil, range: SourceRange(slotStart, slotStart)))
            default:
                let value = parseValue(depth: depth + 1)
                let range = value?.range ?? SourceRange(slotStart, tokens[max(0, position - 1)].range.upperBound)
                arguments.append(ArgumentSyntax(value: value, range: range))
            }
            if aborted { break }
            switch current.kind {
            case .comma:
                advance()
                continue
            case .rightParen:
                end = current.range.upperBound
                advance()
            case .end:
                let at = current.range.lowerBound
                sink.add(.error, .expressionMissingClosingParenthesis,
                         name.isEmpty ? "missing ')'" : "missing ')' to close '\(name)('", SourceRange(at, at),
                         hint: "every '(' needs a matching ')'", fix: (SourceRange(at, at), ")"))
                end = at
            default:
                let at = current.range.lowerBound
                let previousEnd = current.previousEnd
                sink.add(.error, .expressionExpectedComma, "expected ',' between arguments", SourceRange(at, at),
                         hint: "separate arguments with commas", fix: (SourceRange(previousEnd, previousEnd), ","))
                continue
            }
            break
        }
        return ExpressionSyntax(kind: .call(name: name, nameRange: nameRange, arguments: arguments),
                                range: SourceRange(nameRange.lowerBound, end))
    }
}

/// Converts scalar offsets in an expression into file locations relative to where the expression starts.
/// Locates findings in an expression whose text is written verbatim from `base` on (the command line, a file
/// of its own): offsets advance columns, newlines advance lines.
public struct LocationMapper: ValueSourceMap {
    let base: SourceLocation
    /// Scalar offsets at which each line after the first starts.
    private let lineStarts: [Int]

    public init(text: String, base: SourceLocation?) {
        self.base = base ?? SourceLocation(file: "<expression>", line: 1, column: 1)
        var starts: [Int] = []
        var offset = 0
        for scalar in text.unicodeScalars {
            offset += 1
            if scalar == "\n" { starts.append(offset) }
        }
        lineStarts = starts
    }

    public func location(atOffset offset: Int) -> SourceLocation { location(offset) }

    public func fixIt(replacing range: Range<Int>, with replacement: String) -> FixIt? {
        FixIt(location: location(range.lowerBound), length: range.count, replacement: replacement)
    }

    func location(_ offset: Int) -> SourceLocation {
        // Binary search: the number of line starts at or before `offset`.
        var low = 0
        var high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        if low == 0 {
            return SourceLocation(file: base.file, line: base.line, column: base.column + offset)
        }
        return SourceLocation(file: base.file, line: base.line + low, column: 1 + offset - lineStarts[low - 1])
    }
}

extension PendingDiagnostic {
    func diagnostic(in map: some ValueSourceMap) -> Diagnostic {
        let fixIt = fix.flatMap { map.fixIt(replacing: $0.range.lowerBound..<$0.range.upperBound, with: $0.replacement) }
        return Diagnostic(severity, id, message, at: map.location(atOffset: range.lowerBound), hint: hint, fixIt: fixIt)
    }
}
