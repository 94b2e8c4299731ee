import Foundation

/// A JSON value as the schema validator sees it (booleans, integers and other numbers kept apart).
indirect enum JSONNode: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONNode].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONNode].self))
        }
    }

    static func parse(_ text: String) throws -> JSONNode { try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8)) }

    subscript(key: String) -> JSONNode? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

/// The subset of JSON Schema draft-04 that the SARIF 2.1.0 schema uses: type, properties, additionalProperties,
/// required, items, minItems, uniqueItems, enum, minimum, maximum, pattern, format (uri, uri-reference, date-time),
/// anyOf, oneOf, allOf and local `$ref`s. A keyword it does not know makes it fail rather than pass silently.
struct JSONSchemaValidator {
    let root: JSONNode

    static let knownKeywords: Set<String> = [
        "$schema", "id", "title", "description", "default", "definitions", "type", "properties",
        "additionalProperties", "required", "items", "minItems", "uniqueItems", "enum", "minimum", "maximum",
        "pattern", "format", "anyOf", "oneOf", "allOf", "$ref",
    ]

    /// Every violation, each with its JSON path; empty when the instance is valid.
    func violations(of instance: JSONNode) -> [String] {
        var found: [String] = []
        check(instance, against: root, path: "$", into: &found)
        return found
    }

    private func resolve(_ reference: String) -> JSONNode? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONNode? = root
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    private func check(_ value: JSONNode, against schema: JSONNode, path: String, into found: inout [String]) {
        guard case .object(let keywords) = schema else {
            found.append("\(path): schema is not an object")
            return
        }
        for keyword in keywords.keys where !Self.knownKeywords.contains(keyword) {
            found.append("\(path): validator does not support keyword '\(keyword)'")
        }
        if case .string(let reference) = keywords["$ref"] {
            guard let target = resolve(reference) else {
                found.append("\(path): unresolvable $ref \(reference)")
                return
            }
            check(value, against: target, path: path, into: &found)
        }
        if let type = keywords["type"] {
            let allowed: [String]
            switch type {
            case .string(let name): allowed = [name]
            case .array(let names): allowed = names.compactMap { if case .string(let n) = $0 { n } else { nil } }
            default: allowed = []
            }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                found.append("\(path): expected \(allowed.joined(separator: " or ")), found \(value)")
                return
            }
        }
        if case .array(let options) = keywords["enum"], !options.contains(value) {
            found.append("\(path): \(value) is not one of \(options)")
        }
        if case .array(let schemas) = keywords["allOf"] {
            for schema in schemas { check(value, against: schema, path: path, into: &found) }
        }
        if case .array(let schemas) = keywords["anyOf"] {
            let passing = schemas.filter { schema in
                var local: [String] = []
                check(value, against: schema, path: path, into: &local)
                return local.isEmpty
            }
            if passing.isEmpty { found.append("\(path): matches none of anyOf") }
        }
        if case .array(let schemas) = keywords["oneOf"] {
            let passing = schemas.filter { schema in
                var local: [String] = []
                check(value, against: schema, path: path, into: &local)
                return local.isEmpty
            }
            if passing.count != 1 { found.append("\(path): matches \(passing.count) of oneOf, not exactly one") }
        }
        switch value {
        case .object(let members):
            if case .array(let required) = keywords["required"] {
                for case .string(let name) in required where members[name] == nil {
                    found.append("\(path): missing required property '\(name)'")
                }
            }
            let properties: [String: JSONNode]
            if case .object(let declared) = keywords["properties"] { properties = declared } else { properties = [:] }
            for (name, member) in members {
                if let schema = properties[name] {
                    check(member, against: schema, path: "\(path).\(name)", into: &found)
                } else {
                    switch keywords["additionalProperties"] {
                    case .bool(false): found.append("\(path): property '\(name)' is not allowed")
                    case .some(let schema) where schema != .bool(true):
                        check(member, against: schema, path: "\(path).\(name)", into: &found)
                    default: break
                    }
                }
            }
        case .array(let items):
            if case .integer(let minimum) = keywords["minItems"], items.count < minimum {
                found.append("\(path): fewer than \(minimum) items")
            }
            if keywords["uniqueItems"] == .bool(true) {
                for (index, item) in items.enumerated() where items[..<index].contains(item) {
                    found.append("\(path)[\(index)]: duplicate item")
                }
            }
            if let schema = keywords["items"] {
                for (index, item) in items.enumerated() {
                    check(item, against: schema, path: "\(path)[\(index)]", into: &found)
                }
            }
        case .integer(let number):
            if let minimum = keywords["minimum"].flatMap(Self.double), Double(number) < minimum {
                found.append("\(path): \(number) is below \(minimum)")
            }
            if let maximum = keywords["maximum"].flatMap(Self.double), Double(number) > maximum {
                found.append("\(path): \(number) is above \(maximum)")
            }
        case .number(let number):
            if let minimum = keywords["minimum"].flatMap(Self.double), number < minimum {
                found.append("\(path): \(number) is below \(minimum)")
            }
            if let maximum = keywords["maximum"].flatMap(Self.double), number > maximum {
                found.append("\(path): \(number) is above \(maximum)")
            }
        case .string(let text):
            if case .string(let pattern) = keywords["pattern"] {
                if let regex = try? NSRegularExpression(pattern: pattern) {
                    if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                        found.append("\(path): '\(text)' does not match \(pattern)")
                    }
                } else {
                    found.append("\(path): unusable pattern \(pattern)")
                }
            }
            if case .string(let format) = keywords["format"], !Self.conforms(text, format: format) {
                found.append("\(path): '\(text)' is not a valid \(format)")
            }
        default: break
        }
    }

    static func double(_ node: JSONNode) -> Double? {
        switch node {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    static func matches(_ value: JSONNode, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("number", .integer), ("number", .number),
            ("string", .string), ("array", .array), ("object", .object):
            true
        default: false
        }
    }

    /// RFC 3986 character rules: only unreserved, reserved and well-formed `%XX` escapes; `uri` also needs a scheme.
    static func conforms(_ text: String, format: String) -> Bool {
        switch format {
        case "uri", "uri-reference":
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=")
            let characters = Array(text)
            var index = 0
            while index < characters.count {
                let character = characters[index]
                if character == "%" {
                    guard index + 2 < characters.count, characters[index + 1].isHexDigit, characters[index + 2].isHexDigit
                    else { return false }
                    index += 3
                    continue
                }
                guard allowed.contains(character) else { return false }
                index += 1
            }
            if format == "uri" {
                guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                    text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
                else { return false }
            }
            return true
        case "date-time":
            return ISO8601DateFormatter().date(from: text) != nil
        default:
            return false
        }
    }
}
