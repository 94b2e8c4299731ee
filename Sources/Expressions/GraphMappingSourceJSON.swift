import GraphModel

/// Graph's JSON form of an `attributeMappingSource` tree, both ways.
extension GraphMappingSource {
    /// Graph's JSON for the tree; every node carries `parameters`, as Graph writes it.
    public var json: JSONValue {
        [
            "expression": expression.map(JSONValue.string) ?? .null,
            "name": name.map(JSONValue.string) ?? .null,
            "parameters": .array(parameters.map { ["key": .string($0.key), "value": $0.value.json] }),
            "type": .string(type),
        ]
    }

    /// The tree in a Graph `attributeMappingSource`; nil when it is not shaped like one. Depth is bounded.
    public init?(json: JSONValue) {
        guard let tree = Self.tree(json, depth: 0) else { return nil }
        self = tree
    }

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
}

extension Expression {
    /// The expression a Graph `attributeMappingSource` stands for; nil when the JSON cannot be rebuilt into one.
    public init?(graphJSON: JSONValue) {
        guard let source = GraphMappingSource(json: graphJSON), let expression = try? Expression(graphSource: source)
        else { return nil }
        self = expression
    }
}
