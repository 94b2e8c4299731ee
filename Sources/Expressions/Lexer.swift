import Diagnostics

/// A finding before it has a file location: positions are scalar offsets into the expression text.
struct PendingDiagnostic {
    var severity: Severity
    var id: DiagnosticID
    var message: String
    var range: SourceRange
    var hint: String?
    var fix: (range: SourceRange, replacement: String)?
}

/// Collects findings with a cap, so hostile input cannot produce unbounded output. The cap only limits what is
/// kept for display: errors are kept past the warning cap, and whatever is dropped is counted and summarised by
/// one final finding of the highest dropped severity, so the verdict never depends on the cap.
struct DiagnosticSink {
    /// Findings of any severity kept before warnings and notes start being dropped.
    static let limit = 100
    /// Errors kept in all; a hostile text cannot make more than this many worth reading.
    static let errorLimit = 200
    var items: [PendingDiagnostic] = []
    var hasErrors = false
    private(set) var dropped = 0
    private(set) var droppedErrors = 0
    private(set) var droppedSeverity: Severity?
    private var keptErrors = 0

    mutating func add(
        _ severity: Severity, _ id: DiagnosticID, _ message: String, _ range: SourceRange,
        hint: String? = nil, fix: (range: SourceRange, replacement: String)? = nil
    ) {
        if severity == .error { hasErrors = true }
        let keep = severity == .error ? keptErrors < Self.errorLimit : items.count < Self.limit
        guard keep else {
            dropped += 1
            if severity == .error { droppedErrors += 1 }
            droppedSeverity = max(droppedSeverity ?? severity, severity)
            return
        }
        if severity == .error { keptErrors += 1 }
        items.append(PendingDiagnostic(severity: severity, id: id, message: message, range: range, hint: hint, fix: fix))
    }

    /// Every kept finding in source order, then the summary of dropped ones (if any) at `end`.
    func finished(end: Int) -> [PendingDiagnostic] {
        var result = items.sorted { $0.range.lowerBound < $1.range.lowerBound }
        if let severity = droppedSeverity {
            let errors = droppedErrors == 0 ? "" : " (\(droppedErrors) of them error\(droppedErrors == 1 ? "" : "s"))"
            result.append(
                PendingDiagnostic(
                    severity: severity, id: .expressionTooManyFindings,
                    message: "\(dropped) more finding\(dropped == 1 ? "" : "s") not shown\(errors)",
                    range: SourceRange(end, end), hint: "fix the findings above and validate again"))
        }
        return result
    }
}

enum TokenKind: Equatable {
    case leftParen
    case rightParen
    case comma
    case attribute(String)
    case string(String)
    case number(String)
    case identifier(String)
    case comparison(ComparisonOperator)
    case end
}

struct Token {
    var kind: TokenKind
    var range: SourceRange
    /// Whether whitespace separates this token from the previous one (for `Name (`).
    var spaceBefore: Bool
    /// Scalar offset where the preceding token ended.
    var previousEnd: Int
}

/// Turns expression text into tokens in one pass over its UTF-8 bytes.
/// Copy-paste damage (typographic quotes, full-width parentheses, markdown escapes, …) is reported
/// with a fix-it and then read as what the author meant, so later problems are found too.
struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    /// Unicode-scalar offset of `index`.
    private var scalar = 0
    var sink: DiagnosticSink
    /// Number of Unicode scalars in the whole text.
    private(set) var scalarCount = 0

    init(_ text: String, sink: DiagnosticSink = DiagnosticSink()) {
        self.bytes = Array(text.utf8)
        self.sink = sink
    }

    // MARK: Byte and scalar stepping

    /// Decodes the scalar at byte offset `at` (the text is valid UTF-8 because it came from a String).
    private func decode(at position: Int) -> (value: UInt32, length: Int) {
        guard position < bytes.count else { return (0, 0) }
        let lead = bytes[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length: Int
        var value: UInt32
        if lead & 0xE0 == 0xC0 {
            length = 2
            value = UInt32(lead & 0x1F)
        } else if lead & 0xF0 == 0xE0 {
            length = 3
            value = UInt32(lead & 0x0F)
        } else {
            length = 4
            value = UInt32(lead & 0x07)
        }
        var offset = 1
        while offset < length, position + offset < bytes.count {
            value = (value << 6) | UInt32(bytes[position + offset] & 0x3F)
            offset += 1
        }
        return (value, offset)
    }

    private mutating func advanceScalar() {
        let (_, length) = decode(at: index)
        index += max(1, length)
        scalar += 1
    }

    private func peekScalar(_ ahead: Int = 0) -> UInt32? {
        var position = index
        var remaining = ahead
        while position < bytes.count {
            let (value, length) = decode(at: position)
            if remaining == 0 { return value }
            remaining -= 1
            position += max(1, length)
        }
        return nil
    }

    private func text(from start: Int, to end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: Classification

    static func isTypographicDoubleQuote(_ v: UInt32) -> Bool { v == 0x201C || v == 0x201D || v == 0x201E || v == 0x201F || v == 0x2033 }
    static func isTypographicSingleQuote(_ v: UInt32) -> Bool { v == 0x2018 || v == 0x2019 || v == 0x201A || v == 0x201B || v == 0x2032 }
    static func isNonASCIIWhitespace(_ v: UInt32) -> Bool {
        v == 0x00A0 || v == 0x1680 || (0x2000...0x200B).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x202F
            || v == 0x205F || v == 0x3000 || v == 0xFEFF
    }

    private static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func isIdentifierPart(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    // MARK: Tokens

    mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 3 + 2)
        var sawSpace = false
        var lastEnd = 0
        while index < bytes.count {
            let b = bytes[index]
            let start = scalar
            var produced: TokenKind?
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
                scalar += 1
                sawSpace = true
                continue
            case 0x28:  // (
                index += 1; scalar += 1
                produced = .leftParen
            case 0x29:  // )
                index += 1; scalar += 1
                produced = .rightParen
            case 0x2C:  // ,
                index += 1; scalar += 1
                produced = .comma
            case 0x22:  // "
                let value = lexQuotedString()
                produced = .string(value)
            case 0x5B:  // [
                if let name = lexAttribute() { produced = .attribute(name) }
            case 0x27:  // '
                if let value = lexForeignQuotedString(closers: [0x27, 0x2019], id: .expressionSingleQuotedString) {
                    produced = .string(value)
                }
            case 0x3D:  // =
                index += 1; scalar += 1
                if index < bytes.count, bytes[index] == 0x3D {
                    index += 1; scalar += 1
                    sink.add(.error, .expressionUnsupportedOperator, "'==' is not an operator; comparisons use '='",
                             SourceRange(start, scalar), fix: (SourceRange(start, scalar), "="))
                }
                produced = .comparison(.equal)
            case 0x3C:  // <
                index += 1; scalar += 1
                if index < bytes.count, bytes[index] == 0x3E {
                    index += 1; scalar += 1
                    produced = .comparison(.notEqual)
                } else if index < bytes.count, bytes[index] == 0x3D {
                    index += 1; scalar += 1
                    produced = .comparison(.lessOrEqual)
                } else {
                    produced = .comparison(.less)
                }
            case 0x3E:  // >
                index += 1; scalar += 1
                if index < bytes.count, bytes[index] == 0x3D {
                    index += 1; scalar += 1
                    produced = .comparison(.greaterOrEqual)
                } else {
                    produced = .comparison(.greater)
                }
            case 0x21:  // !
                index += 1; scalar += 1
                if index < bytes.count, bytes[index] == 0x3D {
                    index += 1; scalar += 1
                    sink.add(.error, .expressionUnsupportedOperator, "'!=' is not an operator; use '<>'",
                             SourceRange(start, scalar), fix: (SourceRange(start, scalar), "<>"))
                    produced = .comparison(.notEqual)
                } else {
                    sink.add(.error, .expressionUnsupportedOperator, "'!' is not an operator",
                             SourceRange(start, scalar), hint: "use Not(...) to negate a value")
                }
            case 0x26, 0x2B, 0x2A, 0x2F, 0x7C:  // & + * / |
                index += 1; scalar += 1
                let symbol = String(UnicodeScalar(b))
                sink.add(.error, .expressionUnsupportedOperator, "'\(symbol)' is not an operator in mapping expressions",
                         SourceRange(start, scalar),
                         hint: b == 0x26 || b == 0x2B ? "concatenate with Join(\"\", a, b)" : "use a function instead")
            case 0x2D:  // -
                if index + 1 < bytes.count, Self.isDigit(bytes[index + 1]) {
                    index += 1; scalar += 1
                    let digits = lexDigits(start: start)
                    produced = .number("-" + digits)
                } else {
                    index += 1; scalar += 1
                    sink.add(.error, .expressionUnsupportedOperator, "'-' is not an operator in mapping expressions",
                             SourceRange(start, scalar))
                }
            case 0x30...0x39:
                let digits = lexDigits(start: start)
                produced = .number(digits)
            case 0x2E:  // .
                index += 1; scalar += 1
                if restIsOnlyTrailingNoise() {
                    sink.add(.error, .expressionTrailingPeriod, "trailing '.' after the expression",
                             SourceRange(start, scalar), hint: "remove the period copied from the surrounding sentence",
                             fix: (SourceRange(start, scalar), ""))
                } else {
                    sink.add(.error, .expressionUnexpectedCharacter, "unexpected character '.'", SourceRange(start, scalar))
                }
            case 0x60:  // `
                index += 1; scalar += 1
                sink.add(.error, .expressionBacktick, "backtick is not part of the expression",
                         SourceRange(start, scalar), hint: "remove markdown code-span backticks",
                         fix: (SourceRange(start, scalar), ""))
            case 0x5C:  // \ outside a string: markdown escape such as \[ or \_
                if index + 1 < bytes.count, Self.isMarkdownEscapable(bytes[index + 1]) {
                    index += 1; scalar += 1
                    let escaped = String(UnicodeScalar(bytes[index]))
                    sink.add(.error, .expressionMarkdownEscape, "markdown escape '\\\(escaped)' outside a string",
                             SourceRange(start, scalar + 1), hint: "remove the backslash added by markdown",
                             fix: (SourceRange(start, scalar), ""))
                } else {
                    index += 1; scalar += 1
                    sink.add(.error, .expressionUnexpectedCharacter, "unexpected character '\\'", SourceRange(start, scalar))
                }
            default:
                if Self.isIdentifierStart(b) {
                    let from = index
                    while index < bytes.count, Self.isIdentifierPart(bytes[index]) {
                        index += 1; scalar += 1
                    }
                    produced = .identifier(text(from: from, to: index))
                } else {
                    produced = lexOther(start: start)
                }
            }
            if let kind = produced {
                tokens.append(Token(kind: kind, range: SourceRange(start, scalar), spaceBefore: sawSpace, previousEnd: lastEnd))
                sawSpace = false
                lastEnd = scalar
            }
        }
        scalarCount = scalar
        tokens.append(Token(kind: .end, range: SourceRange(scalar, scalar), spaceBefore: sawSpace, previousEnd: lastEnd))
        return tokens
    }

    private static func isMarkdownEscapable(_ b: UInt8) -> Bool {
        switch b {
        case 0x5B, 0x5D, 0x5F, 0x2A, 0x40, 0x28, 0x29, 0x22, 0x23, 0x3C, 0x3E, 0x7C, 0x2D, 0x2E, 0x21: return true
        default: return false
        }
    }

    private mutating func lexDigits(start: Int) -> String {
        let from = index
        while index < bytes.count, Self.isDigit(bytes[index]) {
            index += 1; scalar += 1
        }
        let digits = text(from: from, to: index)
        // "1.5": consume the fraction so it is reported once, as one problem.
        if index + 1 < bytes.count, bytes[index] == 0x2E, Self.isDigit(bytes[index + 1]) {
            index += 1; scalar += 1
            while index < bytes.count, Self.isDigit(bytes[index]) {
                index += 1; scalar += 1
            }
            sink.add(.error, .expressionDecimalNumber, "decimal numbers are not supported",
                     SourceRange(start, scalar), hint: "write the value as a string constant in double quotes")
        }
        return digits
    }

    /// True when only whitespace and backticks follow (so a '.' here ends a sentence, not the expression).
    private func restIsOnlyTrailingNoise() -> Bool {
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D, 0x60: position += 1
            default: return false
            }
        }
        return true
    }

    /// `"..."` with `\"` and `\\` escapes. Reports an unterminated literal at its opening quote.
    private mutating func lexQuotedString() -> String {
        let start = scalar
        index += 1; scalar += 1
        let contentStart = index
        var value: [UInt8]? = nil  // only built when an escape occurs
        var runStart = index
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                let result: String
                if var built = value {
                    built.append(contentsOf: bytes[runStart..<index])
                    result = String(decoding: built, as: UTF8.self)
                } else {
                    result = text(from: contentStart, to: index)
                }
                index += 1; scalar += 1
                return result
            }
            if b == 0x5C {
                let escapeStart = scalar
                let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
                if next == 0x22 || next == 0x5C {
                    var built = value ?? []
                    built.append(contentsOf: bytes[runStart..<index])
                    built.append(next ?? 0x5C)
                    value = built
                    index += 2; scalar += 2
                    runStart = index
                    continue
                }
                // Not documented: keep the backslash literally (regex patterns such as "\d"), but warn.
                if next != nil {
                    sink.add(.warning, .expressionUnknownEscape, "backslash escape is only defined for '\\\"' and '\\\\'",
                             SourceRange(escapeStart, escapeStart + 2),
                             hint: "double the backslash to write a literal backslash",
                             fix: (SourceRange(escapeStart, escapeStart + 1), "\\\\"))
                }
                index += 1; scalar += 1
                continue
            }
            if b < 0x80 {
                index += 1; scalar += 1
            } else {
                advanceScalar()
            }
        }
        sink.add(.error, .expressionUnterminatedString, "unterminated string constant", SourceRange(start, start + 1),
                 hint: "close the string with '\"'; write a quote inside a string as '\\\"'",
                 fix: (SourceRange(scalar, scalar), "\""))
        var built = value ?? []
        built.append(contentsOf: bytes[runStart..<index])
        return String(decoding: built, as: UTF8.self)
    }

    /// `[name]`. Returns nil (after reporting) when there is no usable name.
    private mutating func lexAttribute() -> String? {
        let start = scalar
        index += 1; scalar += 1
        let nameStart = index
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x5D {
                let raw = text(from: nameStart, to: index)
                index += 1; scalar += 1
                let trimmed = raw.trimmingASCIIWhitespace()
                if trimmed.isEmpty {
                    sink.add(.error, .expressionEmptyAttribute, "empty attribute reference", SourceRange(start, scalar),
                             hint: "write a source attribute name between the brackets, e.g. [mail]")
                    return nil
                }
                if trimmed != raw {
                    sink.add(.error, .expressionAttributeWhitespace, "attribute name '\(trimmed)' has surrounding spaces",
                             SourceRange(start, scalar), hint: "attribute names never contain spaces",
                             fix: (SourceRange(start, scalar), "[\(trimmed)]"))
                }
                return trimmed
            }
            if b == 0x5B || b == 0x22 || b == 0x0A || b == 0x0D || b == 0x28 || b == 0x29 || b == 0x2C {
                break
            }
            if b < 0x80 {
                index += 1; scalar += 1
            } else {
                advanceScalar()
            }
        }
        let raw = text(from: nameStart, to: index)
        sink.add(.error, .expressionUnterminatedAttribute, "attribute reference is missing its closing ']'",
                 SourceRange(start, start + 1), fix: (SourceRange(scalar, scalar), "]"))
        let trimmed = raw.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A string written with quotes Entra does not accept: read up to a matching closer on the same line.
    private mutating func lexForeignQuotedString(closers: [UInt32], id: DiagnosticID) -> String? {
        let start = scalar
        let startIndex = index
        advanceScalar()
        let contentStart = index
        while index < bytes.count {
            let (v, length) = decode(at: index)
            if v == 0x0A || v == 0x0D { break }
            if closers.contains(v) {
                let value = text(from: contentStart, to: index)
                index += max(1, length); scalar += 1
                let message = id == .expressionSingleQuotedString
                    ? "single quotes do not delimit strings" : "typographic quotes do not delimit strings"
                sink.add(.error, id, message, SourceRange(start, scalar),
                         hint: "use straight double quotes (\")",
                         fix: (SourceRange(start, scalar), ExpressionPrinter.quote(value)))
                return value
            }
            index += max(1, length); scalar += 1
        }
        // No closer: report the lone quote and continue after it.
        index = startIndex
        scalar = start
        advanceScalar()
        let isDouble = id == .expressionTypographicQuote
        sink.add(.error, id, isDouble ? "typographic quote is not a string delimiter" : "single quote is not a string delimiter",
                 SourceRange(start, scalar), hint: "use straight double quotes (\")",
                 fix: (SourceRange(start, scalar), "\""))
        return nil
    }

    private mutating func lexOther(start: Int) -> TokenKind? {
        let (v, _) = decode(at: index)
        if Self.isTypographicDoubleQuote(v) {
            if let value = lexForeignQuotedString(closers: [0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x22],
                                                  id: .expressionTypographicQuote) {
                return .string(value)
            }
            return nil
        }
        if Self.isTypographicSingleQuote(v) {
            if let value = lexForeignQuotedString(closers: [0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x27],
                                                  id: .expressionTypographicQuote) {
                return .string(value)
            }
            return nil
        }
        advanceScalar()
        let range = SourceRange(start, scalar)
        switch v {
        case 0xFF08:
            sink.add(.error, .expressionFullWidthPunctuation, "full-width '（' is not a parenthesis", range,
                     hint: "use the ASCII '('", fix: (range, "("))
            return .leftParen
        case 0xFF09:
            sink.add(.error, .expressionFullWidthPunctuation, "full-width '）' is not a parenthesis", range,
                     hint: "use the ASCII ')'", fix: (range, ")"))
            return .rightParen
        case 0xFF0C, 0x3001:
            sink.add(.error, .expressionFullWidthPunctuation, "full-width comma is not an argument separator", range,
                     hint: "use the ASCII ','", fix: (range, ","))
            return .comma
        case 0xFF3B, 0xFF3D, 0xFF02:
            let ascii = v == 0xFF3B ? "[" : v == 0xFF3D ? "]" : "\""
            sink.add(.error, .expressionFullWidthPunctuation, "full-width '\(ascii)' is not valid", range,
                     hint: "use the ASCII '\(ascii)'", fix: (range, ascii))
        default:
            if Self.isNonASCIIWhitespace(v) {
                sink.add(.error, .expressionNonASCIIWhitespace, "non-ASCII whitespace (U+\(Self.hex(v)))", range,
                         hint: "replace it with a plain space", fix: (range, v == 0xFEFF || v == 0x200B ? "" : " "))
            } else {
                let shown = UnicodeScalar(v).map { String(Character($0)) } ?? "?"
                let printable = v >= 0x20 && v != 0x7F
                sink.add(.error, .expressionUnexpectedCharacter,
                         printable ? "unexpected character '\(shown)'" : "unexpected control character (U+\(Self.hex(v)))",
                         range)
            }
        }
        return nil
    }

    static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\n" || s == "\r" }
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}
