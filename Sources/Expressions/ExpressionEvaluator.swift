import Foundation

/// A value flowing through an expression, shaped like what Entra's engine passes around.
public enum EvaluationValue: Sendable, Hashable {
    case null
    case string(String)
    case boolean(Bool)
    case number(Int64)
    case dateTime(Date)
    case multi([String])

    /// The text Entra would send for a single value (booleans as "True"/"False"); nil for null.
    public var text: String? {
        switch self {
        case .null: return nil
        case .string(let value): return value
        case .boolean(let value): return value ? "True" : "False"
        case .number(let value): return String(value)
        case .dateTime(let date): return DateTimeFormat.display(date)
        case .multi(let values): return values.first
        }
    }

    /// Every value as text: the list for a multi-valued value, one element otherwise, none for null.
    public var texts: [String] {
        switch self {
        case .null: return []
        case .multi(let values): return values
        default: return text.map { [$0] } ?? []
        }
    }

    var isNullOrEmpty: Bool {
        switch self {
        case .null: return true
        case .string(let value): return value.isEmpty
        case .multi(let values): return values.isEmpty
        default: return false
        }
    }
}

/// Why evaluation stopped. Messages never include attribute values (they may be personal data).
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var function: String?
    public var message: String

    public init(function: String?, _ message: String) {
        self.function = function
        self.message = message
    }

    public var description: String { function.map { "\($0): \(message)" } ?? message }
}

/// Evaluates expressions offline with the documented semantics of each function.
/// The clock and random source are injected so previews and tests are repeatable.
public struct ExpressionEvaluator: Sendable {
    public let clock: @Sendable () -> Date
    /// Returns a uniformly distributed integer in `0..<upperBound`.
    public let random: @Sendable (Int) -> Int

    public init(
        clock: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable (Int) -> Int = { Int.random(in: 0..<max(1, $0)) }
    ) {
        self.clock = clock
        self.random = random
    }

    public func evaluate(_ expression: Expression, object: [String: EvaluationValue]) throws -> EvaluationValue {
        guard expression.depth <= ExpressionParser.maximumDepth else {
            throw EvaluationError(function: nil, "expression nests too deeply")
        }
        return try value(of: expression, object)
    }

    private func value(of expression: Expression, _ object: [String: EvaluationValue]) throws -> EvaluationValue {
        switch expression {
        case .attribute(let name): return object[name] ?? .null
        case .constant(let text): return .string(text)
        case .number(let digits): return Int64(digits).map { .number($0) } ?? .string(digits)
        case .comparison(let lhs, let op, let rhs):
            return .boolean(try compare(try value(of: lhs, object), op, try value(of: rhs, object)))
        case .call(let name, let arguments):
            var call = Call(name: name, slots: arguments, object: object, evaluator: self)
            return try call.run()
        }
    }

    func compare(_ lhs: EvaluationValue, _ op: ComparisonOperator, _ rhs: EvaluationValue) throws -> Bool {
        guard let left = lhs.text, let right = rhs.text else {
            throw EvaluationError(function: "IIF", "a comparison operand is null; Entra fails the condition check")
        }
        let order: Int
        if let l = Int64(left), let r = Int64(right) {
            order = l < r ? -1 : (l > r ? 1 : 0)
        } else {
            order = left < right ? -1 : (left > right ? 1 : 0)
        }
        switch op {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        }
    }

    fileprivate func subValue(_ expression: Expression?, _ object: [String: EvaluationValue]) throws -> EvaluationValue {
        guard let expression else { return .null }
        return try value(of: expression, object)
    }
}

/// One function application: lazy access to the argument slots plus each function's rule.
private struct Call {
    let name: String
    let slots: [Expression?]
    let object: [String: EvaluationValue]
    let evaluator: ExpressionEvaluator
    private var cache: [Int: EvaluationValue] = [:]

    init(name: String, slots: [Expression?], object: [String: EvaluationValue], evaluator: ExpressionEvaluator) {
        self.name = name
        self.slots = slots
        self.object = object
        self.evaluator = evaluator
    }

    func fail(_ message: String) -> EvaluationError { EvaluationError(function: name, message) }

    var count: Int { slots.count }
    func isPresent(_ index: Int) -> Bool { index < slots.count && slots[index] != nil }

    mutating func arg(_ index: Int) throws -> EvaluationValue {
        if let cached = cache[index] { return cached }
        guard index < slots.count else { return .null }
        let result = try evaluator.subValue(slots[index], object)
        cache[index] = result
        return result
    }

    mutating func text(_ index: Int) throws -> String? { try arg(index).text }

    mutating func integer(_ index: Int) throws -> Int {
        let raw = try arg(index)
        if case .number(let n) = raw, let value = Int(exactly: n) { return value }
        guard let text = raw.text, let value = Int(text.trimmingASCIIWhitespace()) else {
            throw fail("argument \(index + 1) must be an integer")
        }
        return value
    }

    mutating func date(_ index: Int) throws -> Date {
        let raw = try arg(index)
        if case .dateTime(let date) = raw { return date }
        guard let text = raw.text, let date = DateTimeFormat.parseLenient(text) else {
            throw fail("argument \(index + 1) is not a date")
        }
        return date
    }

    func requireArity(_ minimum: Int, _ maximum: Int?) throws {
        if count < minimum || (maximum.map { count > $0 } ?? false) {
            throw fail("wrong number of arguments")
        }
    }

    mutating func run() throws -> EvaluationValue {
        guard let signature = FunctionCatalog.signature(named: name) else { throw fail("unknown function") }
        try requireArity(signature.minArguments, signature.maxArguments)
        switch name {
        case "Append":
            let source = try text(0), suffix = try text(1)
            if source == nil && suffix == nil { return .null }
            return .string((source ?? "") + (suffix ?? ""))
        case "Prepend":
            let prefix = try text(0), source = try text(1)
            if source == nil && prefix == nil { return .null }
            return .string((prefix ?? "") + (source ?? ""))
        case "AppRoleAssignmentsComplex", "AssertiveAppRoleAssignmentsComplex", "AppRoleAssignments":
            let roles = try arg(0).texts
            return roles.isEmpty ? .null : .multi(roles)
        case "SingleAppRoleAssignment":
            return try arg(0).texts.first.map { .string($0) } ?? .null
        case "BitAnd":
            return .number(Int64(try integer(0)) & Int64(try integer(1)))
        case "CBool":
            return try boolean(arg(0)).map { .boolean($0) } ?? .null
        case "CDate":
            if try arg(0) == .null { return .null }
            return .dateTime(try date(0))
        case "Coalesce":
            for index in 0..<count {
                let value = try arg(index)
                if value != .null { return value }
            }
            return .null
        case "ConvertToBase64":
            guard let source = try text(0) else { return .null }
            return .string(Data(utf16LittleEndian(source)).base64EncodedString())
        case "ConvertFromBase64":
            guard let source = try text(0) else { return .null }
            guard let data = Data(base64Encoded: source) else { throw fail("the value is not base64") }
            let encoding = (try text(1))?.lowercased() ?? "unicode"
            let decoded: String?
            switch encoding {
            case "utf8": decoded = String(data: data, encoding: .utf8)
            case "ascii": decoded = String(data: data, encoding: .ascii)
            default: decoded = String(data: data, encoding: .utf16LittleEndian)
            }
            guard let decoded else { throw fail("the decoded bytes are not valid text") }
            return .string(decoded)
        case "ConvertToUTF8Hex":
            guard let source = try text(0) else { return .null }
            return .string(source.utf8.map { byte in
                let digits = String(byte, radix: 16, uppercase: true)
                return digits.count == 1 ? "0" + digits : digits
            }.joined())
        case "Count":
            return .number(Int64(try arg(0).texts.count))
        case "CStr":
            return try text(0).map { .string($0) } ?? .null
        case "DateAdd":
            guard let interval = try text(0) else { throw fail("interval is null") }
            let amount = try integer(1)
            // Far beyond any real date; also keeps calendar arithmetic away from overflow.
            guard (-1_000_000_000...1_000_000_000).contains(amount) else { throw fail("value is out of range") }
            let start = try date(2)
            guard let result = add(interval: interval, amount: amount, to: start) else {
                throw fail("unknown interval; use yyyy, m, d, ww, h, n or s")
            }
            return .dateTime(result)
        case "DateDiff":
            guard let interval = try text(0) else { throw fail("interval is null") }
            let first = try date(1), second = try date(2)
            guard let difference = difference(interval: interval, from: first, to: second) else {
                throw fail("unknown interval; use yyyy, m, d, ww, h, n or s")
            }
            return .number(difference)
        case "DateFromNum":
            let raw = try arg(0)
            if raw == .null { return .null }
            guard let ticks = raw.text.flatMap({ Int64($0) }) else { throw fail("value must be an integer") }
            let (sinceEpoch, overflow) = ticks.subtractingReportingOverflow(DateTimeFormat.fileTimeEpochOffset)
            guard !overflow else { throw fail("value is out of range") }
            let seconds = Double(sinceEpoch) / 10_000_000
            guard abs(seconds) < 400_000_000_000 else { throw fail("value is out of range") }
            return .string(DateTimeFormat.format(Date(timeIntervalSince1970: seconds), "yyyy-MM-ddTHH:mm:ssZ"))
        case "NumFromDate":
            guard try text(0) != nil else { return .null }
            let date = try date(0)
            let ticks = Int64((date.timeIntervalSince1970 * 10_000_000).rounded()) + DateTimeFormat.fileTimeEpochOffset
            return .number(ticks)
        case "FormatDateTime":
            guard let source = try text(0) else { return .null }
            guard let input = try text(2), let output = try text(3) else { throw fail("formats must not be null") }
            guard let date = DateTimeFormat.parse(source, format: input) else {
                throw fail("the value does not match the input format")
            }
            return .string(DateTimeFormat.format(date, output))
        case "Guid":
            return .string(guid())
        case "Now":
            return .dateTime(evaluator.clock())
        case "IgnoreFlowIfNullOrEmpty":
            let value = try arg(0)
            return value.isNullOrEmpty ? .null : value
        case "IIF":
            let condition: Bool
            if case .comparison? = slots.first ?? nil {
                condition = try boolean(arg(0)) ?? false
            } else {
                guard let parsed = try boolean(arg(0)) else {
                    throw fail("the condition is null; Entra fails the condition check")
                }
                condition = parsed
            }
            return try arg(condition ? 1 : 2)
        case "InStr":
            guard let haystack = try text(0), let needle = try text(1) else { return .null }
            let start = isPresent(2) ? try integer(2) : 1
            let ignoreCase = (try text(3)).map { $0.lowercased() == "vbtextcompare" || $0 == "1" } ?? false
            return .number(Int64(position(of: needle, in: haystack, from: start, ignoreCase: ignoreCase)))
        case "IsNull", "IsNothing":
            return .boolean(try arg(0) == .null)
        case "IsNullOrEmpty":
            return .boolean(try arg(0).isNullOrEmpty)
        case "IsPresent":
            return .boolean(!(try arg(0).isNullOrEmpty))
        case "IsString":
            switch try arg(0) {
            case .string: return .boolean(true)
            default: return .boolean(false)
            }
        case "Item":
            let values = try arg(0).texts
            let index = try integer(1)
            guard index >= 1, index <= values.count else { return .null }
            return .string(values[index - 1])
        case "Join":
            let separator = try text(0) ?? ""
            var parts: [String] = []
            var sawValue = false
            for index in 1..<max(1, count) {
                let value = try arg(index)
                if value != .null { sawValue = true }
                parts.append(contentsOf: value.texts)
            }
            return sawValue ? .string(parts.joined(separator: separator)) : .null
        case "Left":
            guard let source = try text(0) else { return .null }
            let length = try integer(1)
            if length < 0 { return .string(source) }
            return .string(String(source.prefix(length)))
        case "Mid":
            guard let source = try text(0) else { return .null }
            let start = try integer(1), length = try integer(2)
            let characters = Array(source)
            guard start >= 1, length > 0, start <= characters.count else { return .string("") }
            let end = start - 1 + min(length, characters.count - (start - 1))
            return .string(String(characters[(start - 1)..<end]))
        case "NormalizeDiacritics":
            return try text(0).map { .string(normalizeDiacritics($0)) } ?? .null
        case "Not":
            let value = try arg(0)
            if case .boolean(let flag) = value { return .boolean(!flag) }
            return .boolean(value.text?.lowercased() != "true")
        case "PCase":
            guard let source = try text(0) else { return .null }
            let separators = try text(1)
            return .string(properCase(source, separators: separators))
        case "RandomString":
            return .string(try randomString())
        case "Redact":
            return try arg(0)
        case "RemoveDuplicates":
            var seen = Set<String>()
            let values = try arg(0).texts.filter { seen.insert($0).inserted }
            return values.isEmpty ? .null : .multi(values)
        case "Replace":
            return try replace()
        case "SelectUniqueValue":
            for index in 0..<count {
                let value = try arg(index)
                if !value.isNullOrEmpty { return value }
            }
            return .null
        case "Split":
            guard let source = try text(0) else { return .null }
            guard let delimiter = try text(1), !delimiter.isEmpty else { return .multi([source]) }
            return .multi(source.components(separatedBy: delimiter))
        case "StripSpaces":
            return try text(0).map { .string($0.replacingOccurrences(of: " ", with: "")) } ?? .null
        case "Trim":
            let value = try arg(0)
            if case .multi(let values) = value {
                return .multi(values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            }
            return value.text.map { .string($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .null
        case "Switch":
            let source = try text(0) ?? ""
            var index = 2
            while index + 1 < count {
                if try text(index) == source { return try arg(index + 1) }
                index += 2
            }
            return try arg(1)
        case "ToLower":
            return try text(0).map { .string($0.lowercased()) } ?? .null
        case "ToUpper":
            return try text(0).map { .string($0.uppercased()) } ?? .null
        case "Word":
            guard let source = try text(0) else { return .null }
            let number = try integer(1)
            let delimiters = Set(try text(2) ?? " ")
            let words = source.split(whereSeparator: { delimiters.contains($0) }).map(String.init)
            guard number >= 1, number <= words.count else { return .string("") }
            return .string(words[number - 1])
        case "DNComponent":
            guard let dn = try text(0) else { return .null }
            let number = try integer(1)
            let components = splitDistinguishedName(dn)
            guard number >= 1, number <= components.count else { return .null }
            let component = components[number - 1]
            guard let equals = component.firstIndex(of: "=") else { return .string(component) }
            return .string(String(component[component.index(after: equals)...]))
        case "Error":
            throw fail("the expression raised an error on purpose")
        default:
            throw fail("cannot be evaluated offline")
        }
    }

    // MARK: Helpers

    private mutating func boolean(_ value: EvaluationValue) throws -> Bool? {
        switch value {
        case .null: return nil
        case .boolean(let flag): return flag
        case .number(let n): return n != 0
        default:
            guard let text = value.text else { return nil }
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default:
                if let n = Int64(text) { return n != 0 }
                throw fail("'True' or 'False' expected")
            }
        }
    }

    private func utf16LittleEndian(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf16.count * 2)
        for unit in text.utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        return bytes
    }

    private func add(interval: String, amount: Int, to date: Date) -> Date? {
        let calendar = DateTimeFormat.utcCalendar
        switch interval {
        case "yyyy": return calendar.date(byAdding: .year, value: amount, to: date)
        case "m": return calendar.date(byAdding: .month, value: amount, to: date)
        case "d": return calendar.date(byAdding: .day, value: amount, to: date)
        case "ww":
            let (days, overflow) = amount.multipliedReportingOverflow(by: 7)
            return overflow ? nil : calendar.date(byAdding: .day, value: days, to: date)
        case "h": return date.addingTimeInterval(TimeInterval(amount) * 3600)
        case "n": return date.addingTimeInterval(TimeInterval(amount) * 60)
        case "s": return date.addingTimeInterval(TimeInterval(amount))
        default: return nil
        }
    }

    private func difference(interval: String, from first: Date, to second: Date) -> Int64? {
        let calendar = DateTimeFormat.utcCalendar
        let a = calendar.dateComponents([.year, .month], from: first)
        let b = calendar.dateComponents([.year, .month], from: second)
        let seconds = second.timeIntervalSince(first)
        switch interval {
        case "yyyy": return Int64((b.year ?? 0) - (a.year ?? 0))
        case "m": return Int64(((b.year ?? 0) - (a.year ?? 0)) * 12 + (b.month ?? 0) - (a.month ?? 0))
        case "d": return Int64((seconds / 86_400).rounded(.towardZero))
        case "ww": return Int64((seconds / 604_800).rounded(.towardZero))
        case "h": return Int64((seconds / 3600).rounded(.towardZero))
        case "n": return Int64((seconds / 60).rounded(.towardZero))
        case "s": return Int64(seconds.rounded(.towardZero))
        default: return nil
        }
    }

    private func position(of needle: String, in haystack: String, from start: Int, ignoreCase: Bool) -> Int {
        let hay = Array(ignoreCase ? haystack.lowercased() : haystack)
        let pin = Array(ignoreCase ? needle.lowercased() : needle)
        let first = max(1, start)
        guard !pin.isEmpty else { return first <= hay.count + 1 ? first : 0 }
        guard pin.count <= hay.count, first - 1 <= hay.count - pin.count else { return 0 }
        for offset in (first - 1)...(hay.count - pin.count) where Array(hay[offset..<(offset + pin.count)]) == pin {
            return offset + 1
        }
        return 0
    }

    private func normalizeDiacritics(_ text: String) -> String {
        let special: [Unicode.Scalar: String] = [
            "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
            "ß": "ss", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i",
        ]
        var output = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if let replacement = special[scalar] {
                output.append(contentsOf: replacement.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output).precomposedStringWithCanonicalMapping
    }

    private func properCase(_ text: String, separators: String?) -> String {
        let separatorSet: Set<Character> = separators.map { Set($0) } ?? []
        var output = ""
        var atWordStart = true
        for character in text {
            let isSeparator = separators == nil ? character.isWhitespace : (separatorSet.contains(character) || character.isWhitespace)
            if isSeparator {
                output.append(character)
                atWordStart = true
            } else {
                output += atWordStart ? character.uppercased() : character.lowercased()
                atWordStart = false
            }
        }
        return output
    }

    private func guid() -> String {
        var bytes = (0..<16).map { _ in UInt8(truncatingIfNeeded: evaluator.random(256)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let hex = bytes.map { byte -> String in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }

    private mutating func randomString() throws -> String {
        let length = try integer(0), numbers = try integer(1), specials = try integer(2)
        let capitals = try integer(3), lowers = try integer(4)
        let avoid = Set(try text(5) ?? "")
        guard (1...256).contains(length) else { throw fail("length must be between 1 and 256") }
        let minimums = [numbers, specials, capitals, lowers]
        guard minimums.allSatisfy({ (0...256).contains($0) }), minimums.reduce(0, +) <= length else {
            throw fail("the minimum counts exceed the length")
        }
        func pool(_ characters: String) -> [Character] { characters.filter { !avoid.contains($0) } }
        let digitPool = pool("0123456789"), specialPool = pool("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
        let upperPool = pool("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), lowerPool = pool("abcdefghijklmnopqrstuvwxyz")
        var characters: [Character] = []
        for (needed, source) in [(numbers, digitPool), (specials, specialPool), (capitals, upperPool), (lowers, lowerPool)] {
            if needed > 0 && source.isEmpty { throw fail("every character of a required class is avoided") }
            for _ in 0..<needed { characters.append(source[pick(source.count)]) }
        }
        let all = digitPool + specialPool + upperPool + lowerPool
        guard !all.isEmpty else { throw fail("every character is avoided") }
        while characters.count < length { characters.append(all[pick(all.count)]) }
        // Fisher–Yates so the required classes are not always first.
        var index = characters.count - 1
        while index > 0 {
            let other = pick(index + 1)
            characters.swapAt(index, other)
            index -= 1
        }
        return String(characters)
    }

    /// An index in `0..<count` from the injected source, safe even if the source misbehaves.
    private func pick(_ count: Int) -> Int {
        guard count > 0 else { return 0 }
        let raw = evaluator.random(count) % count
        return raw < 0 ? raw + count : raw
    }

    private func splitDistinguishedName(_ dn: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in dn {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                parts.append(current.trimmingASCIIWhitespace())
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingASCIIWhitespace())
        return parts
    }
}

extension Call {
    /// Replace's documented parameter combinations, by which slots are present.
    fileprivate mutating func replace() throws -> EvaluationValue {
        let source = try text(0)
        let oldValue = isPresent(1) ? try text(1) : nil
        let pattern = isPresent(2) ? try text(2) : nil
        let groupName = isPresent(3) ? try text(3) : nil
        let replacement = isPresent(4) ? try text(4) : nil
        let template = isPresent(6) ? try text(6) : nil

        if let oldValue, !oldValue.isEmpty {
            if let template {
                guard let source else { return .null }
                return .string(template.replacingOccurrences(of: oldValue, with: source))
            }
            guard let source else { return .null }
            return .string(source.replacingOccurrences(of: oldValue, with: replacement ?? ""))
        }
        guard let pattern else { return source.map { .string($0) } ?? .null }
        let regex: BoundedRegex
        do {
            regex = try BoundedRegex(pattern)
        } catch {
            throw fail("the regular expression is not usable: \(error.message)")
        }
        do {
            if let groupName, isPresent(5) {
                if let source, !source.isEmpty { return .string(source) }
                guard let other = try text(5), let match = try regex.firstMatch(in: other),
                    let number = regex.groupNames[groupName] ?? Int(groupName), (0...regex.groupCount).contains(number)
                else { return .null }
                return BoundedRegex.substring(other, match.groups[number]).map { .string($0) } ?? .null
            }
            guard let source else { return .null }
            guard let replacement else { return .string(source) }
            let scalars = Array(source.unicodeScalars)
            func slice(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
            var output = ""
            var cursor = 0
            for match in try regex.matches(in: source) {
                if let groupName {
                    guard let number = regex.groupNames[groupName] ?? Int(groupName), (0...regex.groupCount).contains(number),
                        let range = match.groups[number], range.lowerBound >= cursor
                    else { continue }
                    output += slice(cursor..<range.lowerBound)
                    output += replacement
                    cursor = range.upperBound
                } else {
                    output += slice(cursor..<match.range.lowerBound)
                    output += substitute(replacement, match: match, regex: regex, slice: slice)
                    cursor = match.range.upperBound
                }
            }
            output += slice(cursor..<scalars.count)
            return .string(output)
        } catch let error as BoundedRegex.BudgetExceeded {
            throw fail(error.description)
        }
    }

    /// .NET replacement syntax: `$1`, `${name}`, `$0`/`$&`, `$$`.
    private func substitute(
        _ template: String, match: BoundedRegex.Match, regex: BoundedRegex, slice: (Range<Int>) -> String
    ) -> String {
        func group(_ number: Int?) -> String {
            guard let number, match.groups.indices.contains(number), let range = match.groups[number] else { return "" }
            return slice(range)
        }
        let characters = Array(template)
        var output = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "$", index + 1 < characters.count else {
                output.append(character)
                index += 1
                continue
            }
            let next = characters[index + 1]
            if next == "$" {
                output.append("$")
                index += 2
            } else if next == "&" {
                output += slice(match.range)
                index += 2
            } else if next == "{", let close = characters[(index + 2)...].firstIndex(of: "}") {
                let name = String(characters[(index + 2)..<close])
                output += group(Int(name) ?? regex.groupNames[name])
                index = close + 1
            } else if let digit = next.wholeNumberValue, next.isASCII {
                output += group(digit)
                index += 2
            } else {
                output.append(character)
                index += 1
            }
        }
        return output
    }
}
