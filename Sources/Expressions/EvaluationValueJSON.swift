import GraphModel

extension EvaluationValue {
    /// A JSON member (of a Graph directory object, a sample user, an emulated user) as the evaluator sees it: the
    /// one conversion every caller uses. Lists become multi-valued text, each item as Entra would send it
    /// (booleans `True`/`False`, nested lists flattened, nulls left out); a nested object becomes its JSON text.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .string(let text): self = .string(text)
        case .bool(let flag): self = .boolean(flag)
        case .integer(let number): self = .number(number)
        case .double(let number): self = .string(String(number))
        case .array(let items): self = .multi(items.flatMap { EvaluationValue(json: $0).texts })
        case .object: self = .string(json.serialized())
        }
    }
}
