import GraphModel
import Expressions
import Foundation
import VendorProfiles

/// Reads a sample Entra object from JSON into evaluator values.
public enum SampleObject {
    public struct NotAnObject: Error, CustomStringConvertible {
        public var description: String { "the sample must be a JSON object of attribute names to values" }
    }

    public static func attributes(from json: JSONValue) throws -> [String: EvaluationValue] {
        guard let members = json.objectValue else { throw NotAnObject() }
        var result: [String: EvaluationValue] = [:]
        for (key, value) in members { result[key] = EvaluationValue(json: value) }
        // An assigned, enabled user is not soft-deleted unless the sample says so.
        if result["IsSoftDeleted"] == nil { result["IsSoftDeleted"] = .boolean(false) }
        return result
    }
}

/// Shapes evaluated mappings into the SCIM resource Entra would send (RFC 7643 paths).
public enum SCIMResource {
    public static let coreUser = "urn:ietf:params:scim:schemas:core:2.0:User"

    public static func user(from mappings: [PreviewedMapping]) -> JSONValue {
        var resource: [String: JSONValue] = [:]
        var schemas: [String] = [coreUser]
        for mapping in mappings {
            guard let value = mapping.value, !value.texts.isEmpty else { continue }
            let target = mapping.mapping.target
            let type = SCIMTemplate.targetAttribute(named: target, for: .user)?.type ?? .string
            let json = jsonValue(value, type: type)
            if target.hasPrefix("urn:"), let colon = target.lastIndex(of: ":") {
                let schema = String(target[..<colon])
                let attribute = String(target[target.index(after: colon)...])
                if !schemas.contains(schema) { schemas.append(schema) }
                var extensionObject = resource[schema]?.objectValue ?? [:]
                extensionObject[attribute] = json
                resource[schema] = .object(extensionObject)
            } else if let open = target.firstIndex(of: "["), let close = target.firstIndex(of: "]") {
                // emails[type eq "work"].value → "emails": [{"type": "work", "value": …}]
                let name = String(target[..<open])
                let filter = target[target.index(after: open)..<close]
                let parts = filter.components(separatedBy: " eq ")
                let filterKey = parts.first ?? "type"
                let filterValue = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : ""
                let subAttribute = target[target.index(after: close)...].drop { $0 == "." }
                var list = resource[name]?.arrayValue ?? []
                let index = list.firstIndex { $0[filterKey]?.stringValue == filterValue }
                var entry = index.map { list[$0].objectValue ?? [:] } ?? [filterKey: .string(filterValue)]
                entry[subAttribute.isEmpty ? "value" : String(subAttribute)] = json
                if let index { list[index] = .object(entry) } else { list.append(.object(entry)) }
                resource[name] = .array(list)
            } else if let dot = target.firstIndex(of: ".") {
                let parent = String(target[..<dot])
                var object = resource[parent]?.objectValue ?? [:]
                object[String(target[target.index(after: dot)...])] = json
                resource[parent] = .object(object)
            } else {
                resource[target] = json
            }
        }
        resource["schemas"] = .array(schemas.map { .string($0) })
        return .object(resource)
    }

    public static func jsonValue(_ value: EvaluationValue, type: CustomAttribute.AttributeType) -> JSONValue {
        if case .multi(let values) = value { return .array(values.map { .string($0) }) }
        let text = value.text ?? ""
        switch type {
        case .boolean:
            if text.lowercased() == "true" { return .bool(true) }
            if text.lowercased() == "false" { return .bool(false) }
            return .string(text)
        case .integer:
            return Int64(text).map { .integer($0) } ?? .string(text)
        default:
            return .string(text)
        }
    }
}
