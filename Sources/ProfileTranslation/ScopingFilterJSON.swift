import GraphModel
import VendorProfiles

/// A profile's scoping filters as Graph's `filter` in an object mapping's `scope`.
enum ScopingFilterJSON {
    static func json(_ filters: [ScopingFilterRule]) -> JSONValue {
        guard !filters.isEmpty else { return .null }
        var scope = ScopingFilter(json: [:])
        scope.groups = filters.map { filter in
            var group = FilterGroup(json: [:])
            group.name = filter.name
            group.clauses = filter.clauses.map { rule in
                var clause = FilterClause(json: [:])
                clause.operatorName = rule.operator.rawValue
                clause.sourceOperandName = rule.attribute
                clause.targetOperandValues = rule.value.map { [$0] } ?? []
                return clause
            }
            return group
        }
        scope.inputFilterGroups = []
        scope.categoryFilterGroups = []
        return scope.json
    }

    /// Replaces the scope with the profile's filters (an empty list clears it). An equal scope is left as it is, so
    /// a re-apply writes nothing.
    static func merge(_ filters: [ScopingFilterRule], into mapping: inout SchemaObjectMapping) {
        let wanted = json(filters)
        let current = mapping.scope?.json ?? .null
        if normalized(current) != normalized(wanted) { mapping.json["scope"] = wanted }
    }

    /// The groups alone, for comparison: an empty filter and null mean the same.
    static func normalized(_ scope: JSONValue) -> JSONValue {
        guard let groups = scope["groups"]?.arrayValue, !groups.isEmpty else { return .null }
        return .array(groups)
    }
}
