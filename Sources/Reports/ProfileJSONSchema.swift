import GraphModel
import ProfileTranslation
import VendorProfiles

/// The JSON Schema of the profile format, generated from the declaration the loader checks against
/// (`ProfileShape`), so editors and scimctl never disagree.
public enum ProfileJSONSchema {
    public static func document() -> JSONValue {
        var root = node(ProfileShape.root).objectValue ?? [:]
        root["$schema"] = "http://json-schema.org/draft-07/schema#"
        root["title"] = "scimctl vendor profile"
        return .object(root)
    }

    public static func node(_ shape: ShapeNode) -> JSONValue {
        switch shape {
        case .string(let description, let pattern):
            var object: [String: JSONValue] = ["type": "string", "description": .string(description)]
            if let pattern { object["pattern"] = .string(anchored(pattern)) }
            return .object(object)
        case .boolean(let description):
            return ["type": "boolean", "description": .string(description)]
        case .integer(let description, let minimum, let maximum):
            var object: [String: JSONValue] = ["type": "integer", "description": .string(description)]
            if let minimum { object["minimum"] = .integer(Int64(minimum)) }
            if let maximum { object["maximum"] = .integer(Int64(maximum)) }
            return .object(object)
        case .enumeration(let description, let values):
            return ["type": "string", "description": .string(description), "enum": .array(values.map { .string($0) })]
        case .array(let description, let items, let minItems, let unique):
            var object: [String: JSONValue] = ["type": "array", "description": .string(description), "items": node(items)]
            if minItems > 0 { object["minItems"] = .integer(Int64(minItems)) }
            if unique { object["uniqueItems"] = true }
            return .object(object)
        case .map(let description, let keyPattern, let values):
            var object: [String: JSONValue] = [
                "type": "object", "description": .string(description), "additionalProperties": node(values),
            ]
            if let keyPattern { object["propertyNames"] = ["pattern": .string(anchored(keyPattern))] }
            return .object(object)
        case .either(let description, let first, let second):
            return ["description": .string(description), "oneOf": [node(first), node(second)]]
        case .object(let object):
            var properties: [String: JSONValue] = [:]
            for field in object.fields { properties[field.name] = node(field.node) }
            var result: [String: JSONValue] = [
                "type": "object", "description": .string(object.description), "properties": .object(properties),
                "additionalProperties": false,
            ]
            let required = object.fields.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { result["required"] = .array(required) }
            if !object.exactlyOneOf.isEmpty {
                let groups: [JSONValue] = object.exactlyOneOf.map { group in
                    ["oneOf": .array(group.map { key in ["required": [.string(key)]] })]
                }
                result["allOf"] = .array(groups)
            }
            return .object(result)
        }
    }

    /// The loader matches whole values; JSON Schema patterns match anywhere unless anchored.
    public static func anchored(_ pattern: String) -> String {
        var result = pattern
        if !result.hasPrefix("^") { result = "^(?:" + result + ")" }
        if !result.hasSuffix("$") { result += "$" }
        return result
    }
}
