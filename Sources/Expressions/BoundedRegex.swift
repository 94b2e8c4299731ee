/// A regular-expression matcher whose running time is linear in the input: a Pike virtual machine (every
/// alternative advanced in lock step, each program position at most once per input position) instead of a
/// backtracking engine. Patterns come from profiles and expressions, which a pull request can change, so a
/// pattern such as `(a+)+$` must not be able to stall validate, render, apply, preview or the emulator.
///
/// The supported syntax is the common subset of .NET and ICU: literals and escapes, `.`, classes `[...]` with
/// ranges and `\d \w \s` (and their negations), anchors `^ $ \A \z \Z \b \B`, groups `(...)`, `(?:...)`,
/// `(?<name>...)`, alternation, the quantifiers `* + ? {n} {n,} {n,m}` and their lazy forms, and a leading `(?i)`.
/// Constructs that need backtracking (backreferences, lookaround, possessive and atomic groups) are refused with a
/// `BoundedRegex.SyntaxError` that says so. Matching works on Unicode scalars; ranges are scalar offsets.
public struct BoundedRegex: Sendable {
    /// Longest pattern accepted.
    public static let maximumPatternLength = 1_000
    /// Largest compiled program (counted repetitions are expanded).
    public static let maximumProgramSize = 5_000
    /// Thread steps one call (`wholeMatch`, `firstMatch`, or all of `matches`) may take before it is abandoned:
    /// a few hundred milliseconds of unoptimised code at worst, a few tens once optimised.
    public static let stepBudget = 4_000_000

    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        /// Scalar offset in the pattern.
        public var offset: Int
        public var description: String { message }
    }

    /// A search used more than `stepBudget` steps (a huge input against a large pattern).
    public struct BudgetExceeded: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String { "the regular expression needs too much work on this input" }
    }

    public struct Match: Sendable, Hashable {
        /// The whole match, in scalar offsets.
        public var range: Range<Int>
        /// Group `n` (1-based; index 0 is the whole match); nil when the group did not take part.
        public var groups: [Range<Int>?]
    }

    public let pattern: String
    /// Capturing groups, not counting the whole match.
    public let groupCount: Int
    /// Named groups → group number.
    public let groupNames: [String: Int]
    private let program: [Instruction]

    public init(_ pattern: String) throws(SyntaxError) {
        self.pattern = pattern
        let scalars = Array(pattern.unicodeScalars)
        guard scalars.count <= Self.maximumPatternLength else {
            throw SyntaxError(
                message: "the pattern is \(scalars.count) characters long; at most \(Self.maximumPatternLength) are accepted",
                offset: Self.maximumPatternLength)
        }
        var parser = RegexParser(scalars)
        let tree = try parser.parse()
        var compiler = RegexCompiler()
        try compiler.emit(.group(index: 0, tree))
        compiler.append(.match)
        program = compiler.program
        groupCount = parser.groupCount
        groupNames = parser.groupNames
    }

    /// Whether the pattern matches all of `text`.
    public func wholeMatch(_ text: String) throws(BudgetExceeded) -> Bool {
        let input = Array(text.unicodeScalars)
        var steps = 0
        guard let match = try search(input, from: 0, anchoredAtStart: true, requireEnd: true, steps: &steps)
        else { return false }
        return match.range == 0..<input.count
    }

    public func firstMatch(in text: String) throws(BudgetExceeded) -> Match? {
        var steps = 0
        return try search(Array(text.unicodeScalars), from: 0, anchoredAtStart: false, requireEnd: false, steps: &steps)
    }

    /// Every non-overlapping match, left to right (an empty match moves the search one scalar on).
    public func matches(in text: String) throws(BudgetExceeded) -> [Match] {
        let input = Array(text.unicodeScalars)
        var result: [Match] = []
        var start = 0
        var steps = 0  // one budget for the whole scan, however many matches it finds
        while start <= input.count,
            let match = try search(input, from: start, anchoredAtStart: false, requireEnd: false, steps: &steps)
        {
            result.append(match)
            start = match.range.isEmpty ? match.range.upperBound + 1 : match.range.upperBound
        }
        return result
    }

    /// The text of group `number` (or the named group) of `match` in `text`.
    public static func substring(_ text: String, _ range: Range<Int>?) -> String? {
        guard let range else { return nil }
        let scalars = text.unicodeScalars
        guard let lower = scalars.index(scalars.startIndex, offsetBy: range.lowerBound, limitedBy: scalars.endIndex),
            let upper = scalars.index(lower, offsetBy: range.count, limitedBy: scalars.endIndex)
        else { return nil }
        return String(scalars[lower..<upper])
    }

    // MARK: Pike VM

    private struct Thread {
        var pc: Int
        var slots: [Int]
    }

    private func search(
        _ input: [Unicode.Scalar], from start: Int, anchoredAtStart: Bool, requireEnd: Bool, steps: inout Int
    ) throws(BudgetExceeded) -> Match? {
        let slotCount = (groupCount + 1) * 2
        var current: [Thread] = []
        var next: [Thread] = []
        var onList = [Int](repeating: -1, count: program.count)
        var matched: [Int]?
        var position = start
        var stack: [Thread] = []

        // Follows jumps, splits, saves and assertions from `thread`, adding the threads that wait on input,
        // in priority order, to `list`.
        func add(_ thread: Thread, at position: Int, to list: inout [Thread], generation: Int) throws(BudgetExceeded) {
            stack.removeAll(keepingCapacity: true)
            stack.append(thread)
            while var item = stack.popLast() {
                steps += 1
                if steps > Self.stepBudget { throw BudgetExceeded() }
                if onList[item.pc] == generation { continue }
                onList[item.pc] = generation
                switch program[item.pc] {
                case .jump(let target):
                    item.pc = target
                    stack.append(item)
                case .split(let first, let second):
                    stack.append(Thread(pc: second, slots: item.slots))
                    stack.append(Thread(pc: first, slots: item.slots))
                case .save(let slot):
                    item.slots[slot] = position
                    item.pc += 1
                    stack.append(item)
                case .assert(let assertion):
                    if assertion.holds(in: input, at: position) {
                        item.pc += 1
                        stack.append(item)
                    }
                case .scalar, .match:
                    list.append(item)
                }
            }
        }

        var generation = 0
        try add(Thread(pc: 0, slots: [Int](repeating: -1, count: slotCount)), at: position, to: &current, generation: generation)
        while true {
            generation += 1
            next.removeAll(keepingCapacity: true)
            let scalar: Unicode.Scalar? = position < input.count ? input[position] : nil
            threads: for thread in current {
                steps += 1
                if steps > Self.stepBudget { throw BudgetExceeded() }
                switch program[thread.pc] {
                case .match:
                    if requireEnd && position != input.count { continue }
                    matched = thread.slots
                    break threads  // lower-priority threads lose to this match
                case .scalar(let test):
                    if let scalar, test.matches(scalar) {
                        var advanced = thread
                        advanced.pc += 1
                        try add(advanced, at: position + 1, to: &next, generation: generation)
                    }
                default:
                    continue
                }
            }
            if position >= input.count { break }
            position += 1
            if matched == nil, !anchoredAtStart {
                // Start a new attempt here, at the lowest priority.
                try add(Thread(pc: 0, slots: [Int](repeating: -1, count: slotCount)), at: position, to: &next, generation: generation)
            }
            if next.isEmpty { break }
            swap(&current, &next)
        }
        guard let slots = matched else { return nil }
        var groups: [Range<Int>?] = []
        for group in 0...groupCount {
            let lower = slots[group * 2], upper = slots[group * 2 + 1]
            groups.append(lower >= 0 && upper >= lower ? lower..<upper : nil)
        }
        guard let whole = groups[0] else { return nil }
        return Match(range: whole, groups: groups)
    }
}

// MARK: Program

enum Instruction: Sendable {
    case scalar(ScalarTest)
    case split(Int, Int)
    case jump(Int)
    case save(Int)
    case assert(Assertion)
    case match
}

enum Assertion: Sendable, Hashable {
    case start, end, endBeforeFinalNewline, lineStart, wordBoundary, notWordBoundary

    func holds(in input: [Unicode.Scalar], at position: Int) -> Bool {
        switch self {
        case .start, .lineStart: return position == 0
        case .end: return position == input.count
        case .endBeforeFinalNewline:
            return position == input.count || (position == input.count - 1 && input[position] == "\n")
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && ClassItem.isWord(input[position - 1])
            let after = position < input.count && ClassItem.isWord(input[position])
            return (before != after) == (self == .wordBoundary)
        }
    }
}

enum ClassItem: Sendable, Hashable {
    case range(UInt32, UInt32)
    case digit(Bool), word(Bool), space(Bool)

    static func isWord(_ s: Unicode.Scalar) -> Bool {
        s == "_" || s.properties.isAlphabetic || s.properties.numericType == .decimal
    }

    func matches(_ s: Unicode.Scalar, caseInsensitive: Bool) -> Bool {
        switch self {
        case .range(let low, let high):
            if (low...high).contains(s.value) { return true }
            guard caseInsensitive else { return false }
            let lower = s.properties.lowercaseMapping.unicodeScalars, upper = s.properties.uppercaseMapping.unicodeScalars
            return [lower, upper].contains { mapped in
                mapped.count == 1 && (mapped.first.map { (low...high).contains($0.value) } ?? false)
            }
        case .digit(let positive): return (s.properties.numericType == .decimal) == positive
        case .word(let positive): return Self.isWord(s) == positive
        case .space(let positive): return s.properties.isWhitespace == positive
        }
    }
}

struct ScalarTest: Sendable {
    var items: [ClassItem]
    var negated: Bool
    var caseInsensitive: Bool

    static let anyButNewline = ScalarTest(items: [.range(0x0A, 0x0A)], negated: true, caseInsensitive: false)

    func matches(_ s: Unicode.Scalar) -> Bool {
        items.contains { $0.matches(s, caseInsensitive: caseInsensitive) } != negated
    }
}

// MARK: Parsing

indirect enum RegexNode: Sendable {
    case empty
    case scalar(ScalarTest)
    case assert(Assertion)
    case sequence([RegexNode])
    case alternation([RegexNode])
    /// `index` nil: a non-capturing group.
    case group(index: Int?, RegexNode)
    case repeated(RegexNode, min: Int, max: Int?, lazy: Bool)
}

struct RegexParser {
    let scalars: [Unicode.Scalar]
    var index = 0
    var groupCount = 0
    var groupNames: [String: Int] = [:]
    var caseInsensitive = false
    var depth = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    typealias SyntaxError = BoundedRegex.SyntaxError

    func error(_ message: String, at offset: Int? = nil) -> SyntaxError {
        SyntaxError(message: message, offset: offset ?? index)
    }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func parse() throws(SyntaxError) -> RegexNode {
        if scalars.starts(with: Array("(?i)".unicodeScalars)) {
            caseInsensitive = true
            index = 4
        }
        let node = try alternation()
        if index < scalars.count {
            throw error("unbalanced ')' in the regular expression")
        }
        return node
    }

    mutating func alternation() throws(SyntaxError) -> RegexNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw error("groups nest more than 64 levels deep") }
        var branches = [try sequence()]
        while peek == "|" {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func sequence() throws(SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let s = peek, s != "|", s != ")" {
            let atomStart = index
            var atom = try self.atom()
            if let (min, max, lazy) = try quantifier() {
                if case .assert = atom { throw error("a quantifier cannot follow an anchor", at: atomStart) }
                atom = .repeated(atom, min: min, max: max, lazy: lazy)
                if peek == "+" { throw error("possessive quantifiers are not supported") }
                if let s = peek, s == "*" || s == "?" || (s == "{" && peekCount() != nil) {
                    throw error("a quantifier cannot follow another quantifier")
                }
            }
            items.append(atom)
        }
        return items.isEmpty ? .empty : items.count == 1 ? items[0] : .sequence(items)
    }

    /// `{n}`, `{n,}`, `{n,m}` at `offset` (default: the cursor) without consuming it; nil when the brace is a literal.
    func peekCount(at offset: Int? = nil) -> (Int, Int?, Int)? {
        let at = offset ?? index
        guard at < scalars.count, scalars[at] == "{" else { return nil }
        var i = at + 1
        func number() -> Int? {
            var digits = ""
            while i < scalars.count, ("0"..."9").contains(scalars[i]) {
                digits.unicodeScalars.append(scalars[i])
                i += 1
            }
            return digits.isEmpty ? nil : Int(digits.prefix(6))
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < scalars.count, scalars[i] == "," {
            i += 1
            high = number()
        }
        guard i < scalars.count, scalars[i] == "}" else { return nil }
        return (low, high, i + 1)
    }

    mutating func quantifier() throws(SyntaxError) -> (Int, Int?, Bool)? {
        var result: (Int, Int?)
        switch peek {
        case "*": result = (0, nil); index += 1
        case "+": result = (1, nil); index += 1
        case "?": result = (0, 1); index += 1
        case "{":
            guard let (low, high, end) = peekCount() else { return nil }
            if let high, high < low { throw error("the repetition {\(low),\(high)} has its bounds reversed") }
            if low > 1_000 || (high ?? 0) > 1_000 { throw error("repetition counts above 1000 are not supported") }
            result = (low, high)
            index = end
        default: return nil
        }
        var lazy = false
        if peek == "?" {
            lazy = true
            index += 1
        }
        return (result.0, result.1, lazy)
    }

    mutating func atom() throws(SyntaxError) -> RegexNode {
        let start = index
        let s = scalars[index]
        index += 1
        switch s {
        case ".": return .scalar(.anyButNewline)
        case "^": return .assert(.lineStart)
        case "$": return .assert(.endBeforeFinalNewline)
        case "[": return .scalar(try characterClass())
        case "(": return try group(start: start)
        case "\\": return try escape()
        case "*", "+", "?": throw error("'\(s)' has nothing to repeat", at: start)
        case "{" where peekCount(at: start) != nil: throw error("'{' has nothing to repeat", at: start)
        default: return .scalar(literal(s))
        }
    }

    func literal(_ s: Unicode.Scalar) -> ScalarTest {
        ScalarTest(items: [.range(s.value, s.value)], negated: false, caseInsensitive: caseInsensitive)
    }

    mutating func group(start: Int) throws(SyntaxError) -> RegexNode {
        var capture: Int? = nil
        if peek == "?" {
            index += 1
            switch peek {
            case ":":
                index += 1
            case "<" where index + 1 < scalars.count && scalars[index + 1] != "=" && scalars[index + 1] != "!",
                "'", "P":
                if peek == "P" { index += 1 }
                let close: Unicode.Scalar = peek == "'" ? "'" : ">"
                index += 1
                var name = ""
                while let c = peek, c != close {
                    guard c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" else {
                        throw error("invalid character in a group name")
                    }
                    name.unicodeScalars.append(c)
                    index += 1
                }
                guard peek == close, !name.isEmpty else { throw error("unterminated group name", at: start) }
                index += 1
                groupCount += 1
                capture = groupCount
                groupNames[name] = groupCount
            case "=", "!", "<":
                throw error("lookaround assertions are not supported (they need a backtracking matcher)", at: start)
            case ">":
                throw error("atomic groups are not supported", at: start)
            default:
                throw error("unsupported group syntax '(?'", at: start)
            }
        } else {
            groupCount += 1
            capture = groupCount
        }
        let inner = try alternation()
        guard peek == ")" else { throw error("missing ')' for the group opened here", at: start) }
        index += 1
        return .group(index: capture, inner)
    }

    mutating func escape() throws(SyntaxError) -> RegexNode {
        guard let s = peek else { throw error("the pattern ends with a lone backslash", at: index - 1) }
        index += 1
        switch s {
        case "A": return .assert(.start)
        case "z": return .assert(.end)
        case "Z": return .assert(.endBeforeFinalNewline)
        case "b": return .assert(.wordBoundary)
        case "B": return .assert(.notWordBoundary)
        case "1"..."9", "k":
            throw error("backreferences are not supported (they need a backtracking matcher)", at: index - 2)
        default:
            return .scalar(try escapedTest(s))
        }
    }

    /// The test for `\s`-style escapes (the backslash already consumed), inside or outside a class.
    mutating func escapedTest(_ s: Unicode.Scalar) throws(SyntaxError) -> ScalarTest {
        func test(_ item: ClassItem) -> ScalarTest { ScalarTest(items: [item], negated: false, caseInsensitive: false) }
        switch s {
        case "d": return test(.digit(true))
        case "D": return test(.digit(false))
        case "w": return test(.word(true))
        case "W": return test(.word(false))
        case "s": return test(.space(true))
        case "S": return test(.space(false))
        case "t": return literal("\t")
        case "n": return literal("\n")
        case "r": return literal("\r")
        case "f": return literal("\u{0C}")
        case "v": return literal("\u{0B}")
        case "e": return literal("\u{1B}")
        case "x", "u":
            let width = s == "x" ? 2 : 4
            var value: UInt32 = 0
            for _ in 0..<width {
                guard let c = peek, let digit = Int(String(c), radix: 16) else {
                    throw error("\\\(s) needs \(width) hexadecimal digits")
                }
                value = value * 16 + UInt32(digit)
                index += 1
            }
            guard let scalar = Unicode.Scalar(value) else { throw error("\\\(s) names no character") }
            return literal(scalar)
        default:
            if s.properties.isAlphabetic || ("0"..."9").contains(s) {
                throw error("unsupported escape '\\\(s)'", at: index - 2)
            }
            return literal(s)
        }
    }

    mutating func characterClass() throws(SyntaxError) -> ScalarTest {
        let start = index - 1
        var negated = false
        if peek == "^" {
            negated = true
            index += 1
        }
        var items: [ClassItem] = []
        var first = true
        while true {
            guard let s = peek else { throw error("missing ']' for the class opened here", at: start) }
            if s == "]" && !first { index += 1; break }
            first = false
            index += 1
            var low: UInt32
            if s == "\\" {
                guard let e = peek else { throw error("missing ']' for the class opened here", at: start) }
                index += 1
                if e == "b" {
                    low = 0x08
                } else {
                    let test = try escapedTest(e)
                    guard test.items.count == 1, case .range(let l, _) = test.items[0] else {
                        items += test.items
                        continue
                    }
                    low = l
                }
            } else if s == "[" {
                throw error("nested character classes are not supported", at: index - 1)
            } else {
                low = s.value
            }
            var high = low
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                var h = scalars[index]
                index += 1
                if h == "\\" {
                    guard let e = peek else { throw error("missing ']' for the class opened here", at: start) }
                    index += 1
                    let test = try escapedTest(e)
                    guard test.items.count == 1, case .range(let l, _) = test.items[0], let scalar = Unicode.Scalar(l) else {
                        throw error("a class range cannot end in a shorthand such as \\d")
                    }
                    h = scalar
                }
                high = h.value
                if high < low { throw error("the class range is reversed") }
            }
            items.append(.range(low, high))
        }
        return ScalarTest(items: items, negated: negated, caseInsensitive: caseInsensitive)
    }
}

// MARK: Compiling

struct RegexCompiler {
    var program: [Instruction] = []
    typealias SyntaxError = BoundedRegex.SyntaxError

    mutating func append(_ instruction: Instruction) { program.append(instruction) }

    mutating func checkSize() throws(SyntaxError) {
        if program.count > BoundedRegex.maximumProgramSize {
            throw SyntaxError(message: "the regular expression is too large once its repetitions are expanded", offset: 0)
        }
    }

    mutating func emit(_ node: RegexNode) throws(SyntaxError) {
        try checkSize()
        switch node {
        case .empty:
            break
        case .scalar(let test):
            append(.scalar(test))
        case .assert(let assertion):
            append(.assert(assertion))
        case .sequence(let items):
            for item in items { try emit(item) }
        case .group(let index, let inner):
            if let index { append(.save(index * 2)) }
            try emit(inner)
            if let index { append(.save(index * 2 + 1)) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i < branches.count - 1 {
                    let split = program.count
                    append(.split(split + 1, -1))
                    try emit(branch)
                    jumps.append(program.count)
                    append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repeated(let inner, let min, let max, let lazy):
            for _ in 0..<min { try emit(inner) }
            if let max {
                // Each optional copy: split past the rest.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    append(.split(-1, -1))
                    try emit(inner)
                }
                for split in splits {
                    let after = split + 1
                    program[split] = lazy ? .split(program.count, after) : .split(after, program.count)
                }
            } else {
                let split = program.count
                append(.split(-1, -1))
                try emit(inner)
                append(.jump(split))
                program[split] = lazy ? .split(program.count, split + 1) : .split(split + 1, program.count)
            }
        }
        try checkSize()
    }
}
