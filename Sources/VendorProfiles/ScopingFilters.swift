import Diagnostics
import Expressions
import Yams

/// One scoping filter: an object is in scope when every clause holds. Several filters are OR'ed, as in the portal.
public struct ScopingFilterRule: Sendable, Hashable {
    public var name: String
    public var clauses: [ScopingClause]
    public var location: SourceLocation?

    public init(name: String, clauses: [ScopingClause], location: SourceLocation? = nil) {
        self.name = name
        self.clauses = clauses
        self.location = location
    }
}

public struct ScopingClause: Sendable, Hashable {
    /// The Entra ID source attribute (`department`).
    public var attribute: String
    public var `operator`: ScopingOperator
    /// The compared value; nil for unary operators (`IS TRUE`, `IS NULL`, …).
    public var value: String?
    public var location: SourceLocation?

    public init(attribute: String, operator: ScopingOperator, value: String? = nil, location: SourceLocation? = nil) {
        self.attribute = attribute
        self.operator = `operator`
        self.value = value
        self.location = location
    }
}

/// Graph's scoping filter operators (`GET …/schema/filterOperators`), named as Graph names them.
public enum ScopingOperator: String, Sendable, Hashable, CaseIterable {
    case equals = "EQUALS"
    case notEquals = "NOT EQUALS"
    case isTrue = "IS TRUE"
    case isFalse = "IS FALSE"
    case isNull = "IS NULL"
    case isNotNull = "IS NOT NULL"
    case regexMatch = "REGEX MATCH"
    case notRegexMatch = "NOT REGEX MATCH"
    case greaterThan = "Greater_Than"
    case greaterThanOrEquals = "Greater_Than_OR_EQUALS"
    case includes = "Includes"
    case endsWith = "ENDS_WITH"
    /// Bitwise: every bit of the value is set in the attribute.
    case bitAnd = "&"
    /// Bitwise: not every bit of the value is set.
    case bitNotAnd = "!&"

    /// Unary operators take no value.
    public var isUnary: Bool { [.isTrue, .isFalse, .isNull, .isNotNull].contains(self) }
    /// Operators whose value is a whole number.
    public var takesInteger: Bool { [.greaterThan, .greaterThanOrEquals, .bitAnd, .bitNotAnd].contains(self) }
}

extension ProfileShape {
    static let scopingFilters = ShapeNode.array(
        description: "scoping filters: OR'ed; the clauses of one filter are AND'ed (as in the portal)",
        items: .object(
            ObjectShape(
                description: "one scoping filter",
                fields: [
                    .init("name", .string(description: "the filter's name"), required: true),
                    .init(
                        "clauses",
                        .array(
                            description: "conditions that must all hold",
                            items: .object(
                                ObjectShape(
                                    description: "attribute, operator and (for binary operators) value",
                                    fields: [
                                        .init("attribute", .string(description: "Entra ID source attribute"), required: true),
                                        .init(
                                            "operator",
                                            .enumeration(
                                                description: "Graph's filter operator",
                                                values: ScopingOperator.allCases.map(\.rawValue)),
                                            required: true),
                                        .init("value", .string(description: "the compared value (not for IS TRUE/FALSE/NULL/NOT NULL)")),
                                    ])),
                            minItems: 1),
                        required: true),
                ])))
}

extension ProfileReader {
    func readScopingFilters(_ node: Node?) -> [ScopingFilterRule]? {
        guard let sequence = node?.sequence else { return nil }
        return sequence.compactMap { item -> ScopingFilterRule? in
            guard let name = string(item["name"]) else { return nil }
            let clauses = (item["clauses"]?.sequence.map(Array.init) ?? []).compactMap { clause -> ScopingClause? in
                guard let attribute = string(clause["attribute"]),
                    let op = string(clause["operator"]).flatMap(ScopingOperator.init(rawValue:))
                else { return nil }
                return ScopingClause(attribute: attribute, operator: op, value: string(clause["value"]), location: location(clause))
            }
            return ScopingFilterRule(name: name, clauses: clauses, location: location(item))
        }
    }
}

extension ProfileValidator {
    /// Attribute names, and values that fit the operator: none for unary ones, a number for comparisons and bit
    /// tests, a valid regular expression for REGEX MATCH.
    static func checkScopingFilters(_ mapping: ObjectMapping, into findings: inout Findings) {
        let object: SourceObjectType = mapping.kind == .user ? .user : .group
        var names: Set<String> = []
        for filter in mapping.scopingFilters ?? [] {
            if !names.insert(filter.name).inserted {
                findings.add(.warning(.scopingFilter, "scoping filter '\(filter.name)' is defined twice", at: filter.location))
            }
            for clause in filter.clauses {
                if !SourceAttributeCatalog.contains(clause.attribute, object: object), !isDirectoryExtension(clause.attribute) {
                    let suggestion = SourceAttributeCatalog.suggestion(for: clause.attribute, object: object)
                    findings.add(
                        .error(
                            .scopingFilter, "'\(clause.attribute)' is not an Entra ID \(mapping.kind.rawValue) attribute",
                            at: clause.location, hint: suggestion.map { "did you mean '\($0)'?" }))
                }
                let op = clause.operator.rawValue
                switch (clause.operator.isUnary, clause.value) {
                case (true, .some):
                    findings.add(.error(.scopingFilter, "operator '\(op)' takes no value", at: clause.location, hint: "remove 'value'"))
                case (false, nil):
                    findings.add(.error(.scopingFilter, "operator '\(op)' needs a value", at: clause.location))
                case (false, .some(let value)):
                    if clause.operator.takesInteger, Int64(value) == nil {
                        findings.add(.error(.scopingFilter, "operator '\(op)' compares numbers; '\(value)' is not a whole number", at: clause.location))
                    }
                    if [.regexMatch, .notRegexMatch].contains(clause.operator), (try? Regex(value)) == nil {
                        findings.add(.error(.scopingFilter, "'\(value)' is not a valid regular expression", at: clause.location))
                    }
                default:
                    break
                }
            }
        }
    }
}

extension DiagnosticID {
    public static let scopingFilter: DiagnosticID = "mapping.scoping-filter"
}

/// Scoping filters evaluated on a sample object, for `preview`.
public enum ScopingEvaluation {
    /// Why the object is out of scope, or nil when it is in scope (or the profile sets no filters).
    public static func outOfScopeReason(_ filters: [ScopingFilterRule]?, object: [String: EvaluationValue]) -> String? {
        guard let filters, !filters.isEmpty else { return nil }
        var reasons: [String] = []
        for filter in filters {
            guard let failed = filter.clauses.first(where: { !holds($0, object[$0.attribute] ?? .null) }) else {
                return nil
            }
            let actual = (object[failed.attribute] ?? .null).texts
            let shown = actual.isEmpty ? "empty" : "'\(actual.joined(separator: "', '"))'"
            reasons.append(
                "filter '\(filter.name)' needs \(failed.attribute) \(failed.operator.rawValue)"
                    + (failed.value.map { " '\($0)'" } ?? "") + ", and it is \(shown)")
        }
        return reasons.joined(separator: "; ")
    }

    /// One clause; EQUALS and the other text comparisons are case-sensitive, as Entra's are.
    static func holds(_ clause: ScopingClause, _ value: EvaluationValue) -> Bool {
        let texts = value.texts
        let wanted = clause.value ?? ""
        switch clause.operator {
        case .equals: return texts.contains(wanted)
        case .notEquals: return !texts.contains(wanted)
        case .isTrue: return texts.contains { $0.lowercased() == "true" }
        case .isFalse: return texts.contains { $0.lowercased() == "false" }
        case .isNull: return texts.allSatisfy(\.isEmpty)
        case .isNotNull: return texts.contains { !$0.isEmpty }
        case .regexMatch, .notRegexMatch:
            guard let regex = try? Regex(wanted) else { return false }
            let matches = texts.contains { (try? regex.firstMatch(in: $0)) != nil }
            return clause.operator == .regexMatch ? matches : !matches
        case .greaterThan, .greaterThanOrEquals:
            guard let limit = Int64(wanted) else { return false }
            return texts.contains { Int64($0).map { clause.operator == .greaterThan ? $0 > limit : $0 >= limit } ?? false }
        case .includes: return texts.contains { $0.contains(wanted) }
        case .endsWith: return texts.contains { $0.hasSuffix(wanted) }
        case .bitAnd, .bitNotAnd:
            guard let bits = Int64(wanted) else { return false }
            let set = texts.contains { Int64($0).map { $0 & bits == bits } ?? false }
            return clause.operator == .bitAnd ? set : !set
        }
    }
}

extension DiagnosticID {
    public static let previewOutOfScope: DiagnosticID = "preview.out-of-scope"
}
