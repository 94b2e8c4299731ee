/// How serious a finding is. Errors fail validation; warnings fail it only under `--strict`.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A 1-based position in a text file. Columns count Unicode scalars (characters as an editor shows them).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The location `offset` scalars to the right on the same line (used to point inside a YAML scalar).
    public func advanced(byColumns offset: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + offset)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A text edit that resolves a diagnostic: replace `length` scalars at `location` with `replacement`.
public struct FixIt: Sendable, Hashable, Codable {
    public var location: SourceLocation
    public var length: Int
    public var replacement: String

    public init(location: SourceLocation, length: Int, replacement: String) {
        self.location = location
        self.length = length
        self.replacement = replacement
    }
}

/// A stable rule identifier such as `profile.unknown-key` or `expression.unknown-function`.
/// The id appears in every output format (SARIF rule id, JSON `id`) and never changes once published.
public struct DiagnosticID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: DiagnosticID, rhs: DiagnosticID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One finding. Library modules return these; only the executable renders them.
/// Messages are lower-case without a trailing period.
public struct Diagnostic: Sendable, Hashable, Codable {
    public var severity: Severity
    public var id: DiagnosticID
    public var message: String
    public var location: SourceLocation?
    /// What to do about it, in one short sentence.
    public var hint: String?
    public var notes: [String]
    public var fixIt: FixIt?

    public init(
        _ severity: Severity,
        _ id: DiagnosticID,
        _ message: String,
        at location: SourceLocation? = nil,
        hint: String? = nil,
        notes: [String] = [],
        fixIt: FixIt? = nil
    ) {
        self.severity = severity
        self.id = id
        self.message = message
        self.location = location
        self.hint = hint
        self.notes = notes
        self.fixIt = fixIt
    }

    public static func error(
        _ id: DiagnosticID, _ message: String, at location: SourceLocation? = nil, hint: String? = nil,
        fixIt: FixIt? = nil
    ) -> Diagnostic {
        Diagnostic(.error, id, message, at: location, hint: hint, fixIt: fixIt)
    }

    public static func warning(
        _ id: DiagnosticID, _ message: String, at location: SourceLocation? = nil, hint: String? = nil,
        fixIt: FixIt? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, id, message, at: location, hint: hint, fixIt: fixIt)
    }

    public static func note(_ id: DiagnosticID, _ message: String, at location: SourceLocation? = nil) -> Diagnostic {
        Diagnostic(.note, id, message, at: location)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }

    /// Stable order for output: by file, line, column, then id.
    public func sortedForOutput() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let l = a.element.location
            let r = b.element.location
            let lk = (l?.file ?? "", l?.line ?? 0, l?.column ?? 0)
            let rk = (r?.file ?? "", r?.line ?? 0, r?.column ?? 0)
            if lk != rk { return lk < rk }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// Where the characters of a value sit in the file it was read from. A YAML scalar's value differs from its
/// source text (quotes, `''` and `\"` escapes, folded lines, block indentation, CRLF line ends), so findings inside
/// a value go through this map instead of adding the offset to a column.
public protocol ValueSourceMap: Sendable {
    /// The file position of the value's scalar at `offset` (`offset` equal to the value's length: just past it).
    func location(atOffset offset: Int) -> SourceLocation
    /// The source edit that turns the value's scalars `range` into `replacement`, or nil when the edit cannot be
    /// made exactly (the range spans an escape or a folded line break, or the replacement cannot be written in the
    /// scalar's style).
    func fixIt(replacing range: Range<Int>, with replacement: String) -> FixIt?
}
