import Expressions
import Profiles

/// Turns a profile's mapping source into Graph's `attributeMappingSource` JSON, and back.
///
/// Expression sources are parsed and sent as the full Graph tree (function name, canonical text, named
/// parameters), which is what Graph itself stores. Text that does not parse (validation reports it before any
/// request is sent) is carried as a `Function` source with the text and the outermost function name.
public enum MappingSourceJSON {
    public static func make(_ source: MappingSource) -> JSONValue {
        switch source {
        case .attribute(let name):
            return json(Expression.attribute(name).graphSource())
        case .constant(let value):
            return json(Expression.constant(value).graphSource())
        case .expression(let text):
            let trimmed = Substring(text).trimmingWhitespace()
            if let expression = ExpressionParser.parse(trimmed).expression {
                return json(expression.graphSource())
            }
            return [
                "expression": .string(trimmed),
                "name": .string(functionName(trimmed)),
                "parameters": [],
                "type": "Function",
            ]
        }
    }

    /// Graph's JSON for a tree; every node carries `parameters`, as Graph writes it.
    public static func json(_ source: GraphMappingSource) -> JSONValue {
        [
            "expression": source.expression.map(JSONValue.string) ?? .null,
            "name": source.name.map(JSONValue.string) ?? .null,
            "parameters": .array(source.parameters.map { ["key": .string($0.key), "value": json($0.value)] }),
            "type": .string(source.type),
        ]
    }

    /// The tree in a Graph `attributeMappingSource`; nil when it is not shaped like one. Depth is bounded.
    public static func tree(_ value: JSONValue) -> GraphMappingSource? { tree(value, depth: 0) }

    private static func tree(_ value: JSONValue, depth: Int) -> GraphMappingSource? {
        guard depth <= ExpressionParser.maximumDepth, let type = value["type"]?.stringValue else { return nil }
        var parameters: [GraphMappingParameter] = []
        for parameter in value["parameters"]?.arrayValue ?? [] {
            guard let key = parameter["key"]?.stringValue, let nested = parameter["value"],
                let child = tree(nested, depth: depth + 1)
            else { return nil }
            parameters.append(GraphMappingParameter(key: key, value: child))
        }
        return GraphMappingSource(
            type: type, name: value["name"]?.stringValue, expression: value["expression"]?.stringValue,
            parameters: parameters)
    }

    /// The expression a Graph source stands for, when it can be rebuilt.
    public static func expression(_ value: JSONValue) -> Expression? {
        guard let source = tree(value) else { return nil }
        return try? Expression(graphSource: source)
    }

    /// The identifier before the first `(`, or the whole text when it is not a call.
    private static func functionName(_ text: String) -> String {
        guard let open = text.firstIndex(of: "(") else { return text }
        return Substring(text[..<open]).trimmingWhitespace()
    }
}
