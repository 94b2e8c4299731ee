/// Graph's `attributeMappingSource`: the tree form of an expression that Graph stores next to its text.
public struct GraphMappingSource: Hashable, Sendable {
    /// "Attribute", "Constant" or "Function".
    public var type: String
    /// Attribute name, constant value or function name.
    public var name: String?
    /// The equivalent expression text.
    public var expression: String?
    /// Function arguments keyed by parameter name; omitted slots are left out.
    public var parameters: [GraphMappingParameter]

    public init(type: String, name: String?, expression: String?, parameters: [GraphMappingParameter] = []) {
        self.type = type
        self.name = name
        self.expression = expression
        self.parameters = parameters
    }

    public static let attributeType = "Attribute"
    public static let constantType = "Constant"
    public static let functionType = "Function"
}

/// One `{key, value}` entry of `GraphMappingSource.parameters`.
public struct GraphMappingParameter: Hashable, Sendable {
    public var key: String
    public var value: GraphMappingSource

    public init(key: String, value: GraphMappingSource) {
        self.key = key
        self.value = value
    }
}

/// Why a Graph tree could not be turned back into an expression.
public enum GraphMappingSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownType(String)
    case missingName(type: String)
    case invalidAttributeName(String)
    case unknownParameter(function: String, key: String)
    case tooDeep

    public var description: String {
        switch self {
        case .unknownType(let type): return "unknown mapping source type '\(type)'"
        case .missingName(let type): return "\(type.lowercased()) mapping source has no name"
        case .invalidAttributeName(let name): return "'\(name)' cannot be written as an attribute reference"
        case .unknownParameter(let function, let key): return "'\(function)' has no parameter '\(key)'"
        case .tooDeep: return "mapping source nests deeper than \(ExpressionParser.maximumDepth) levels"
        }
    }
}

/// Comparisons have no documented Graph shape; scimctl writes them as a pseudo-function named by the operator.
private let comparisonKeys = ("left", "right")

extension Expression {
    /// The Graph tree for this expression. Numbers become constants, as Graph does (`1` → `"1"`);
    /// omitted slots are left out and the remaining arguments keep their parameter names.
    public func graphSource() -> GraphMappingSource {
        switch self {
        case .attribute(let name):
            return GraphMappingSource(type: GraphMappingSource.attributeType, name: name, expression: "[\(name)]")
        case .constant(let value), .number(let value):
            return GraphMappingSource(type: GraphMappingSource.constantType, name: value,
                                      expression: ExpressionPrinter.quote(value))
        case .call(let name, let arguments):
            let signature = FunctionCatalog.signature(named: name)
            var parameters: [GraphMappingParameter] = []
            for (slot, argument) in arguments.enumerated() {
                guard let argument else { continue }
                let key = signature?.parameter(forSlot: slot)?.graphKey ?? "argument\(slot + 1)"
                parameters.append(GraphMappingParameter(key: key, value: argument.graphSource()))
            }
            return GraphMappingSource(type: GraphMappingSource.functionType, name: name,
                                      expression: ExpressionPrinter.print(self), parameters: parameters)
        case .comparison(let lhs, let op, let rhs):
            return GraphMappingSource(
                type: GraphMappingSource.functionType, name: op.rawValue, expression: ExpressionPrinter.print(self),
                parameters: [
                    GraphMappingParameter(key: comparisonKeys.0, value: lhs.graphSource()),
                    GraphMappingParameter(key: comparisonKeys.1, value: rhs.graphSource()),
                ])
        }
    }

    /// Rebuilds an expression from a Graph tree. When a function node carries expression text that parses to
    /// the same tree, that text wins (it keeps unquoted numbers and trailing empty slots as written).
    public init(graphSource: GraphMappingSource) throws {
        self = try Expression.build(graphSource, depth: 1)
    }

    private static func build(_ source: GraphMappingSource, depth: Int) throws -> Expression {
        guard depth <= ExpressionParser.maximumDepth else { throw GraphMappingSourceError.tooDeep }
        switch source.type {
        case GraphMappingSource.attributeType:
            guard let name = source.name, !name.isEmpty else { throw GraphMappingSourceError.missingName(type: source.type) }
            if name.unicodeScalars.contains(where: { $0 == "[" || $0 == "]" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                throw GraphMappingSourceError.invalidAttributeName(name)
            }
            return .attribute(name)
        case GraphMappingSource.constantType:
            return .constant(source.name ?? "")
        case GraphMappingSource.functionType:
            guard let name = source.name, !name.isEmpty else { throw GraphMappingSourceError.missingName(type: source.type) }
            let rebuilt = try buildCall(name: name, parameters: source.parameters, depth: depth)
            if let text = source.expression, text.utf8.count <= 4 * ExpressionParser.maximumLength,
                let parsed = ExpressionParser.parse(text).expression, parsed.graphSource().sameTree(as: rebuilt.graphSource())
            {
                return parsed
            }
            return rebuilt
        default:
            throw GraphMappingSourceError.unknownType(source.type)
        }
    }

    private static func buildCall(name: String, parameters: [GraphMappingParameter], depth: Int) throws -> Expression {
        if let op = ComparisonOperator(rawValue: name), parameters.count == 2,
            parameters[0].key == comparisonKeys.0, parameters[1].key == comparisonKeys.1
        {
            return .comparison(try build(parameters[0].value, depth: depth + 1), op,
                               try build(parameters[1].value, depth: depth + 1))
        }
        let signature = FunctionCatalog.signature(named: name)
        var slots: [Expression?] = []
        for parameter in parameters {
            let value = try build(parameter.value, depth: depth + 1)
            var slot = signature?.slot(forGraphKey: parameter.key, nextFree: slots.count)
            // Arguments past the catalogued parameters (or of unknown functions) are keyed by position.
            if slot == nil, parameter.key.hasPrefix("argument"), let number = Int(parameter.key.dropFirst("argument".count)),
                number >= 1, number <= ExpressionParser.maximumLength
            {
                slot = max(number - 1, slots.count)
            }
            guard let index = slot else { throw GraphMappingSourceError.unknownParameter(function: name, key: parameter.key) }
            while slots.count < index { slots.append(nil) }
            slots.append(value)
        }
        return .call(name, slots)
    }
}

extension GraphMappingSource {
    /// Same structure ignoring the `expression` text of function nodes (which may differ in spacing).
    func sameTree(as other: GraphMappingSource) -> Bool {
        guard type == other.type, name == other.name, parameters.count == other.parameters.count else { return false }
        if type != GraphMappingSource.functionType, expression != other.expression { return false }
        for (a, b) in zip(parameters, other.parameters) where a.key != b.key || !a.value.sameTree(as: b.value) {
            return false
        }
        return true
    }
}
