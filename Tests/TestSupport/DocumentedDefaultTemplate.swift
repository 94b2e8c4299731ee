import Foundation

/// The non-gallery template's default mappings as Microsoft documents them, read from a hand-written fixture.
///
/// Tests that claim to check the default template compare against this, not against the `DefaultTemplateSchema`
/// value the planner and the emulator share: comparing that value with itself could never fail.
public struct DocumentedDefaultTemplate: Sendable {
    public struct Mapping: Sendable, Hashable {
        public var target: String
        /// `Attribute` or `Function`.
        public var sourceType: String
        /// The source attribute name, for `Attribute` sources.
        public var sourceName: String?
        /// The expression text, for `Function` sources.
        public var expression: String?
        public var matchingPriority: Int
    }

    public var sourceDirectoryName: String
    public var targetDirectoryName: String
    public var flowTypes: String
    public var targetAnchor: String
    /// Object name (`User`, `Group`) → its mappings in portal order.
    public var objectMappings: [String: [Mapping]]

    public struct FixtureError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load() throws -> DocumentedDefaultTemplate {
        guard let url = Bundle.module.url(forResource: "documented-default-mappings", withExtension: "json") else {
            throw FixtureError(description: "documented-default-mappings.json is missing from the TestSupport bundle")
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let root = object as? [String: Any], let sourceDirectory = root["sourceDirectoryName"] as? String,
            let targetDirectory = root["targetDirectoryName"] as? String, let flowTypes = root["flowTypes"] as? String,
            let anchor = root["targetAnchor"] as? String, let objects = root["objectMappings"] as? [String: [[String: Any]]]
        else { throw FixtureError(description: "documented-default-mappings.json is not shaped as expected") }
        var mappings: [String: [Mapping]] = [:]
        for (name, entries) in objects {
            mappings[name] = try entries.map { entry in
                guard let target = entry["target"] as? String, let source = entry["source"] as? [String: Any],
                    let type = source["type"] as? String, let priority = entry["matchingPriority"] as? Int
                else { throw FixtureError(description: "a \(name) mapping in the fixture is not shaped as expected") }
                return Mapping(
                    target: target, sourceType: type, sourceName: source["name"] as? String,
                    expression: source["expression"] as? String, matchingPriority: priority)
            }
        }
        return DocumentedDefaultTemplate(
            sourceDirectoryName: sourceDirectory, targetDirectoryName: targetDirectory, flowTypes: flowTypes,
            targetAnchor: anchor, objectMappings: mappings)
    }

    /// What a synchronization schema (Graph JSON, as served or sent) says, in the fixture's terms, so that a test
    /// compares field by field: per source object name, each attribute mapping of the first rule.
    public static func mappings(inSchema json: Data) throws -> [String: [Mapping]] {
        guard let schema = try JSONSerialization.jsonObject(with: json) as? [String: Any],
            let rule = (schema["synchronizationRules"] as? [[String: Any]])?.first,
            let objectMappings = rule["objectMappings"] as? [[String: Any]]
        else { throw FixtureError(description: "the schema has no synchronization rule with object mappings") }
        var result: [String: [Mapping]] = [:]
        for objectMapping in objectMappings {
            guard let name = objectMapping["sourceObjectName"] as? String else { continue }
            result[name] = ((objectMapping["attributeMappings"] as? [[String: Any]]) ?? []).map { mapping in
                let source = mapping["source"] as? [String: Any] ?? [:]
                let type = source["type"] as? String ?? ""
                return Mapping(
                    target: mapping["targetAttributeName"] as? String ?? "", sourceType: type,
                    sourceName: type == "Attribute" ? source["name"] as? String : nil,
                    expression: type == "Function" ? (source["expression"] as? String).map(normalizedExpression) : nil,
                    matchingPriority: mapping["matchingPriority"] as? Int ?? 0)
            }
        }
        return result
    }

    /// The fixture's mappings with expressions normalized as `mappings(inSchema:)` returns them.
    public var comparableMappings: [String: [Mapping]] {
        objectMappings.mapValues { mappings in
            mappings.map { mapping in
                var mapping = mapping
                mapping.expression = mapping.expression.map(Self.normalizedExpression)
                return mapping
            }
        }
    }

    /// Expression text without insignificant blanks, so `Join(" ", [a], [b])` and `Join(" ",[a],[b])` compare equal.
    /// Blanks inside string literals are kept.
    public static func normalizedExpression(_ text: String) -> String {
        var result = ""
        var inLiteral = false
        for character in text {
            if character == "\"" { inLiteral.toggle() }
            if !inLiteral && character.isWhitespace { continue }
            result.append(character)
        }
        return result
    }
}
