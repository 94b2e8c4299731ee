import Diagnostics
import Yams

/// The YAML document as Unicode scalars with its line starts, so a (line, column) mark becomes an index and back.
/// `\n`, `\r\n` and a lone `\r` all end a line, as in YAML.
struct SourceText: Sendable {
    let file: String
    let scalars: [Unicode.Scalar]
    /// Scalar index at which each line starts (line 1 at index 0).
    let lineStarts: [Int]

    init(file: String, text: String) {
        self.file = file
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                index += 2
                starts.append(index)
                continue
            }
            index += 1
            if scalars[index - 1] == "\n" || scalars[index - 1] == "\r" { starts.append(index) }
        }
        lineStarts = starts
    }

    func index(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        let index = lineStarts[line - 1] + column - 1
        return index <= scalars.count ? index : nil
    }

    func location(ofIndex index: Int) -> SourceLocation {
        var low = 0
        var high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid] <= index { low = mid + 1 } else { high = mid }
        }
        let line = max(low, 1)
        return SourceLocation(file: file, line: line, column: index - lineStarts[line - 1] + 1)
    }

    func isBreak(_ index: Int) -> Bool { index < scalars.count && (scalars[index] == "\n" || scalars[index] == "\r") }
    func isBlank(_ index: Int) -> Bool { index < scalars.count && (scalars[index] == " " || scalars[index] == "\t") }

    /// The index after the line break at `index`.
    func afterBreak(_ index: Int) -> Int {
        scalars[index] == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" ? index + 2 : index + 1
    }
}

/// Where each scalar of a YAML scalar's value was written: decoded once from the source (escapes, `''`, folding,
/// block indentation, CRLF) and checked against the value the parser produced. When the two disagree the map
/// falls back to the start of the value and offers no fix-its, so nothing is ever edited on a guess.
public struct ScalarSourceMap: ValueSourceMap, Hashable {
    enum Style: Hashable, Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    struct Position: Hashable, Sendable {
        /// Index of the source scalar this value scalar comes from (for an escape or a folded break: its first scalar).
        var index: Int
        /// Whether the source scalar is the value scalar itself, so editing it edits exactly the value.
        var verbatim: Bool
    }

    let file: String
    let style: Style
    /// Where the value starts (after an opening quote, on the first content line of a block).
    public let start: SourceLocation
    /// One entry per value scalar, then one for the end; empty when the decoding could not be proved.
    let positions: [Position]
    /// (line, column) of every position, precomputed so the map needs no source text later.
    let locations: [SourceLocation]

    /// Whether every offset maps exactly.
    public var isExact: Bool { !positions.isEmpty }

    public func location(atOffset offset: Int) -> SourceLocation {
        guard isExact else { return start }
        return locations[min(max(offset, 0), locations.count - 1)]
    }

    public func fixIt(replacing range: Range<Int>, with replacement: String) -> FixIt? {
        guard isExact, range.lowerBound >= 0, range.upperBound < positions.count else { return nil }
        let sourceStart: Int
        if range.isEmpty {
            let offset = range.lowerBound
            if positions[offset].verbatim, offset < positions.count - 1 {
                sourceStart = positions[offset].index
            } else if offset > 0, positions[offset - 1].verbatim {
                sourceStart = positions[offset - 1].index + 1
            } else {
                return nil
            }
        } else {
            sourceStart = positions[range.lowerBound].index
            for (step, offset) in range.enumerated() {
                let position = positions[offset]
                guard position.verbatim, position.index == sourceStart + step else { return nil }
            }
        }
        guard let encoded = encode(replacement, atStart: range.lowerBound == 0, atEnd: range.upperBound == positions.count - 1)
        else { return nil }
        let at = range.isEmpty ? locationForInsertion(range.lowerBound) : locations[range.lowerBound]
        // A single-line edit: a range that crosses a line would not be one.
        let end = range.isEmpty ? at : locations[range.upperBound - 1]
        guard end.line == at.line else { return nil }
        return FixIt(location: at, length: range.count, replacement: encoded)
    }

    private func locationForInsertion(_ offset: Int) -> SourceLocation {
        if positions[offset].verbatim, offset < positions.count - 1 { return locations[offset] }
        let previous = locations[offset - 1]
        return previous.advanced(byColumns: 1)
    }

    /// The replacement as it must be written in this scalar's style, or nil when it cannot be written there safely.
    func encode(_ text: String, atStart: Bool, atEnd: Bool) -> String? {
        let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
        switch style {
        case .doubleQuoted:
            return String(ProfileYAML.quoted(text).dropFirst().dropLast())
        case .singleQuoted:
            guard !text.unicodeScalars.contains(where: breaks.contains) else { return nil }
            return text.replacingOccurrences(of: "'", with: "''")
        case .literal, .folded:
            guard !text.unicodeScalars.contains(where: breaks.contains), !text.contains("\t") else { return nil }
            if style == .folded, atStart, text.first == " " { return nil }
            return text
        case .plain:
            guard !text.unicodeScalars.contains(where: breaks.contains), !text.contains(" #"), !text.contains(": "),
                !text.contains("\t")
            else { return nil }
            if atStart, let first = text.unicodeScalars.first, "-?:,[]{}#&*!|>'\"%@` ".unicodeScalars.contains(first) {
                return nil
            }
            if atEnd, text.hasSuffix(":") || text.hasSuffix(" ") { return nil }
            return text
        }
    }
}

extension ScalarSourceMap {
    /// The map of `node`'s value in `source`.
    init(node: Node, value: String, style: Node.Scalar.Style, source: SourceText) {
        file = source.file
        let mark = node.mark.flatMap { source.index(line: max($0.line, 1), column: max($0.column, 1)) }
        let mapped: Style
        switch style {
        case .singleQuoted: mapped = .singleQuoted
        case .doubleQuoted: mapped = .doubleQuoted
        case .literal: mapped = .literal
        case .folded: mapped = .folded
        default: mapped = .plain
        }
        self.style = mapped
        let expected = Array(value.unicodeScalars)
        var decoder = ScalarDecoder(source: source, expected: expected)
        var decoded: [Position]? = nil
        if let mark {
            switch mapped {
            case .plain: decoded = decoder.flow(from: mark, quote: nil)
            case .singleQuoted: decoded = decoder.flow(from: mark + 1, quote: "'")
            case .doubleQuoted: decoded = decoder.flow(from: mark + 1, quote: "\"")
            case .literal, .folded: decoded = decoder.block(from: mark, folded: mapped == .folded)
            }
        }
        if let decoded, decoded.count == expected.count + 1 {
            positions = decoded
            locations = decoded.map { source.location(ofIndex: $0.index) }
            start = locations[0]
        } else {
            positions = []
            locations = []
            let fallback = mark.map(source.location(ofIndex:)) ?? SourceLocation(file: source.file, line: 1, column: 1)
            start = mapped == .singleQuoted || mapped == .doubleQuoted ? fallback.advanced(byColumns: 1) : fallback
        }
    }
}

/// Decodes a scalar's source text, pairing every produced value scalar with where it came from, and gives up
/// (nil) as soon as the result strays from the value the YAML parser produced.
struct ScalarDecoder {
    let source: SourceText
    let expected: [Unicode.Scalar]
    var out: [ScalarSourceMap.Position] = []
    var produced = 0

    init(source: SourceText, expected: [Unicode.Scalar]) {
        self.source = source
        self.expected = expected
    }

    var scalars: [Unicode.Scalar] { source.scalars }
    var done: Bool { produced == expected.count }

    /// Appends one value scalar; false when it is not the expected one.
    mutating func emit(_ scalar: Unicode.Scalar, _ index: Int, verbatim: Bool) -> Bool {
        guard produced < expected.count, expected[produced] == scalar else { return false }
        out.append(.init(index: index, verbatim: verbatim))
        produced += 1
        return true
    }

    /// Plain (quote nil), single- and double-quoted scalars: line folding, `''` and backslash escapes.
    mutating func flow(from start: Int, quote: Unicode.Scalar?) -> [ScalarSourceMap.Position]? {
        var i = start
        while i < scalars.count {
            if quote == nil && done { break }
            let s = scalars[i]
            if let quote, s == quote {
                if quote == "'", i + 1 < scalars.count, scalars[i + 1] == "'" {
                    guard emit("'", i, verbatim: false) else { return nil }
                    i += 2
                    continue
                }
                break
            }
            if source.isBreak(i) {
                guard let next = fold(at: i) else { return nil }
                i = next
                continue
            }
            if source.isBlank(i) {
                // Blanks before a line break are not part of the value.
                var j = i
                while source.isBlank(j) { j += 1 }
                if source.isBreak(j) {
                    i = j
                    continue
                }
                if quote == nil, j >= scalars.count || done { break }
            }
            if quote == "\"", s == "\\" {
                guard let next = escape(at: i) else { return nil }
                i = next
                continue
            }
            guard emit(s, i, verbatim: true) else { return nil }
            i += 1
        }
        guard done else { return nil }
        // The end position: just after the last value scalar.
        let end = out.last.map { $0.verbatim ? $0.index + 1 : $0.index + 1 } ?? start
        out.append(.init(index: min(end, scalars.count), verbatim: false))
        return out
    }

    /// A line break inside a flow scalar: one break reads as a space, each following empty line as a newline.
    mutating func fold(at index: Int) -> Int? {
        var i = source.afterBreak(index)
        var empty = 0
        while true {
            var j = i
            while source.isBlank(j) { j += 1 }
            if source.isBreak(j) {
                empty += 1
                i = source.afterBreak(j)
            } else {
                i = j
                break
            }
        }
        if empty == 0 {
            guard emit(" ", index, verbatim: false) else { return nil }
        } else {
            for _ in 0..<empty { guard emit("\n", index, verbatim: false) else { return nil } }
        }
        return i
    }

    mutating func escape(at index: Int) -> Int? {
        guard index + 1 < scalars.count else { return nil }
        let e = scalars[index + 1]
        if source.isBreak(index + 1) {
            // An escaped line break joins the lines without a space.
            var i = source.afterBreak(index + 1)
            while source.isBlank(i) { i += 1 }
            return i
        }
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "0": "\u{0}", "a": "\u{7}", "b": "\u{8}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{B}", "f": "\u{C}",
            "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\", "N": "\u{85}", "_": "\u{A0}",
            "L": "\u{2028}", "P": "\u{2029}",
        ]
        if let value = simple[e] {
            return emit(value, index, verbatim: false) ? index + 2 : nil
        }
        let width: Int
        switch e {
        case "x": width = 2
        case "u": width = 4
        case "U": width = 8
        default: return nil
        }
        guard index + 2 + width <= scalars.count else { return nil }
        var value: UInt32 = 0
        for digit in scalars[(index + 2)..<(index + 2 + width)] {
            guard let v = Int(String(digit), radix: 16) else { return nil }
            value = value &* 16 &+ UInt32(v)
        }
        guard let scalar = Unicode.Scalar(value), emit(scalar, index, verbatim: false) else { return nil }
        return index + 2 + width
    }

    /// `|` and `>` blocks: the header, then lines at the block's indentation.
    mutating func block(from indicator: Int, folded: Bool) -> [ScalarSourceMap.Position]? {
        var i = indicator + 1
        // Chomping and indentation indicators, then an optional comment.
        while i < scalars.count, "+-".unicodeScalars.contains(scalars[i]) || ("1"..."9").contains(scalars[i]) {
            if ("1"..."9").contains(scalars[i]) { return nil }  // explicit indentation: not worth guessing
            i += 1
        }
        while i < scalars.count, !source.isBreak(i) { i += 1 }
        guard i < scalars.count else { return expected.isEmpty ? [.init(index: i, verbatim: false)] : nil }
        i = source.afterBreak(i)

        // The lines of the block: (content start, line end) or blank.
        struct Line { var start: Int; var end: Int; var blank: Bool; var moreIndented: Bool }
        var lines: [Line] = []
        var indent: Int?
        var cursor = i
        while cursor < scalars.count {
            var spaces = 0
            while cursor + spaces < scalars.count, scalars[cursor + spaces] == " " { spaces += 1 }
            var end = cursor + spaces
            while end < scalars.count, !source.isBreak(end) { end += 1 }
            let isBlank = scalars[(cursor + spaces)..<end].allSatisfy { $0 == " " || $0 == "\t" } && (indent.map { spaces <= $0 } ?? true)
            if isBlank {
                lines.append(Line(start: min(cursor + (indent ?? spaces), end), end: end, blank: true, moreIndented: false))
            } else {
                if indent == nil { indent = spaces }
                guard let indent, spaces >= indent else { break }
                let contentStart = cursor + indent
                lines.append(Line(start: contentStart, end: end, blank: false,
                                  moreIndented: source.isBlank(contentStart)))
            }
            cursor = end < scalars.count ? source.afterBreak(end) : end
        }
        var k = 0
        while k < lines.count, !done {
            let line = lines[k]
            if !line.blank {
                for index in line.start..<line.end where !done {
                    guard emit(scalars[index], index, verbatim: true) else { return nil }
                }
            }
            if done { break }
            // The break that ends line k, and any empty lines after it.
            var m = k + 1
            while m < lines.count, lines[m].blank { m += 1 }
            let empties = m - k - 1
            let breakIndex = line.end
            let lf = breakIndex < scalars.count && scalars[breakIndex] == "\n"
            if folded, !line.blank, !line.moreIndented, m < lines.count, !lines[m].moreIndented {
                if empties == 0 {
                    guard emit(" ", breakIndex, verbatim: false) else { return nil }
                } else {
                    for e in 0..<empties where !done {
                        guard emit("\n", lines[k + 1 + e].end, verbatim: false) else { return nil }
                    }
                }
            } else {
                guard emit("\n", breakIndex, verbatim: lf && !folded) else { return nil }
                for e in 0..<empties where !done {
                    let at = lines[k + 1 + e].end
                    guard emit("\n", at, verbatim: false) else { return nil }
                }
            }
            k = m
        }
        guard done else { return nil }
        let end = out.last.map { $0.index + 1 } ?? i
        out.append(.init(index: min(end, scalars.count), verbatim: false))
        return out
    }
}
