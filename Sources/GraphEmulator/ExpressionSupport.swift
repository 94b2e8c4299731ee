import GraphSync

/// What the emulator needs from the mapping-expression language: parse text into Graph's
/// `attributeMappingSource` tree, evaluate a source against a user, and list the function schemas.
enum ExpressionSupport {
    enum Evaluation: Equatable {
        case success([String])
        case failure(String)
    }

    static func parse(_ text: String) -> (source: JSONValue?, error: String?) {
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]"), trimmed.count > 2 {
            return (DefaultSchemaSource.attributeSource(String(trimmed.dropFirst().dropLast())), nil)
        }
        if trimmed.hasPrefix("\""), trimmed.hasSuffix("\""), trimmed.count >= 2 {
            return (DefaultSchemaSource.constantSource(String(trimmed.dropFirst().dropLast())), nil)
        }
        return (nil, "the expression '\(text)' could not be parsed")
    }

    static func evaluate(source: JSONValue, expression: String, attributes: [String: JSONValue]) -> Evaluation {
        switch source["type"]?.stringValue ?? "Attribute" {
        case "Attribute":
            guard let name = source["name"]?.stringValue else { return .failure("attribute source without a name") }
            return .success(values(attributes[name]))
        case "Constant":
            return .success([source["name"]?.stringValue ?? ""])
        default:
            return .failure("function '\(source["name"]?.stringValue ?? "")' cannot be evaluated")
        }
    }

    static func values(_ value: JSONValue?) -> [String] {
        switch value {
        case .none, .some(.null): return []
        case .some(.string(let text)): return [text]
        case .some(.bool(let flag)): return [flag ? "True" : "False"]
        case .some(.integer(let number)): return [String(number)]
        case .some(.double(let number)): return [String(number)]
        case .some(.array(let list)): return list.flatMap { values($0) }
        case .some(.object): return [value?.serialized() ?? ""]
        }
    }

    static func functionSchemas() -> [JSONValue] { [] }
}
