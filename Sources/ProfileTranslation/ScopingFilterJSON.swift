import GraphModel
import VendorProfiles

/// A profile's scoping filters as Graph's `filter` in an object mapping's `scope`.
enum ScopingFilterJSON {
    static func json(_ filters: [ScopingFilterRule]) -> JSONValue {
        guard !filters.isEmpty else { return .null }
        let groups: [JSONValue] = filters.map { filter in
            [
                "name": .string(filter.name),
                "clauses": .array(
                    filter.clauses.map { clause in
                        [
                            "operatorName": .string(clause.operator.rawValue),
                            "sourceOperandName": .string(clause.attribute),
                            "targetOperand": ["values": .array(clause.value.map { [.string($0)] } ?? [])],
                        ]
                    }),
            ]
        }
        return ["categoryFilterGroups": [], "groups": .array(groups), "inputFilterGroups": []]
    }

    /// Replaces the scope with the profile's filters (an empty list clears it). An equal scope is left as it is, so
    /// a re-apply writes nothing.
    static func merge(_ filters: [ScopingFilterRule], into mapping: inout SchemaObjectMapping) {
        let wanted = json(filters)
        let current = mapping.json["scope"] ?? .null
        if normalized(current) != normalized(wanted) { mapping.json["scope"] = wanted }
    }

    /// The groups alone, for comparison: an empty filter and null mean the same.
    static func normalized(_ scope: JSONValue) -> JSONValue {
        guard let groups = scope["groups"]?.arrayValue, !groups.isEmpty else { return .null }
        return .array(groups)
    }
}
