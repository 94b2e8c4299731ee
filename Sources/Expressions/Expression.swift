/// A comparison operator; only meaningful in the condition of `IIF` and the argument of `CBool`.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "<>"
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
}

/// A mapping expression as a plain value tree, independent of where it was written.
/// Two expressions are equal when they mean the same text after canonical printing.
public indirect enum Expression: Sendable, Hashable {
    /// `[name]`: a source attribute.
    case attribute(String)
    /// `"text"`: a string constant, stored unescaped.
    case constant(String)
    /// An unquoted integer as written (`1`, `-10`); Graph treats it as the constant with the same text.
    case number(String)
    /// `Name(a, , b)`: a function call; `nil` marks an omitted (empty) argument slot.
    case call(String, [Expression?])
    /// `lhs op rhs` inside `IIF`/`CBool`.
    case comparison(Expression, ComparisonOperator, Expression)

    /// The function name when this is a call.
    public var functionName: String? {
        if case .call(let name, _) = self { return name }
        return nil
    }

    /// Nesting depth: a leaf is 1.
    public var depth: Int {
        switch self {
        case .attribute, .constant, .number: return 1
        case .call(_, let arguments):
            return 1 + (arguments.map { $0?.depth ?? 0 }.max() ?? 0)
        case .comparison(let lhs, _, let rhs):
            return 1 + max(lhs.depth, rhs.depth)
        }
    }
}

/// A half-open range of Unicode-scalar offsets into the expression text.
public struct SourceRange: Sendable, Hashable {
    public var lowerBound: Int
    public var upperBound: Int

    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = lowerBound
        self.upperBound = max(lowerBound, upperBound)
    }

    public var length: Int { upperBound - lowerBound }
}

/// The parse tree: the same shape as `Expression`, plus where every piece was written.
/// The checker uses it to point diagnostics at the exact argument or name.
public struct ExpressionSyntax: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case attribute(String)
        case constant(String)
        case number(String)
        case call(name: String, nameRange: SourceRange, arguments: [ArgumentSyntax])
        case comparison(ExpressionSyntax, ComparisonOperator, operatorRange: SourceRange, ExpressionSyntax)
    }

    public var kind: Kind
    public var range: SourceRange

    public init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The plain tree without positions.
    public var expression: Expression {
        switch kind {
        case .attribute(let name): return .attribute(name)
        case .constant(let value): return .constant(value)
        case .number(let text): return .number(text)
        case .call(let name, _, let arguments):
            return .call(name, arguments.map { $0.value?.expression })
        case .comparison(let lhs, let op, _, let rhs):
            return .comparison(lhs.expression, op, rhs.expression)
        }
    }
}

/// One argument slot of a call. `value` is nil for an omitted argument (`, ,`).
public struct ArgumentSyntax: Sendable, Hashable {
    public var value: ExpressionSyntax?
    /// Where the slot is: the value's range, or the empty position between separators.
    public var range: SourceRange

    public init(value: ExpressionSyntax?, range: SourceRange) {
        self.value = value
        self.range = range
    }
}
