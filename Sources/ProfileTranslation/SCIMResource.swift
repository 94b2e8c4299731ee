import GraphModel
import Expressions
import Foundation
import VendorProfiles

/// Reads a sample Entra object from JSON into evaluator values.
public enum SampleObject {
    public struct NotAnObject: Error, CustomStringConvertible {
        public var description: String { "the sample must be a JSON object of attribute names to values" }
    }

    /// A sample user is a few hundred bytes of JSON; a file past this is the wrong file.
    public static let maximumFileSize = 1 << 20

    /// Why a sample file gave no attributes: the file's problem, or JSON that is not an object.
    public enum FileProblem: Error, Sendable, CustomStringConvertible {
        case file(JSONValue.FileProblem)
        case notAnObject

        public var description: String {
            switch self {
            case .file(let problem): problem.description
            case .notAnObject: NotAnObject().description
            }
        }
    }

    /// The sample in the JSON file at `path` (a regular file of at most `maximumFileSize` bytes).
    public static func attributes(fromFileAt path: String) throws(FileProblem) -> [String: EvaluationValue] {
        let json: JSONValue
        do {
            json = try JSONValue(contentsOfFile: path, limit: maximumFileSize)
        } catch {
            throw .file(error)
        }
        guard let members = json.objectValue else { throw .notAnObject }
        return attributes(of: members)
    }

    public static func attributes(from json: JSONValue) throws -> [String: EvaluationValue] {
        guard let members = json.objectValue else { throw NotAnObject() }
        return attributes(of: members)
    }

    static func attributes(of members: [String: JSONValue]) -> [String: EvaluationValue] {
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
            // The validator's target-path parser reads the path; an unparsable one (validation refuses it) stays a key.
            guard let path = TargetPath(target) else {
                resource[target] = json
                continue
            }
            if let schema = path.schemaURN {
                if !schemas.contains(schema) { schemas.append(schema) }
                var extensionObject = resource[schema]?.objectValue ?? [:]
                extensionObject[path.attribute + (path.subAttribute.map { "." + $0 } ?? "")] = json
                resource[schema] = .object(extensionObject)
            } else if let filter = path.filter {
                // emails[type eq "work"].value → "emails": [{"type": "work", "value": …}]
                var list = resource[path.attribute]?.arrayValue ?? []
                let index = list.firstIndex { $0[filter.attribute]?.stringValue == filter.value }
                var entry = index.map { list[$0].objectValue ?? [:] } ?? [filter.attribute: .string(filter.value)]
                entry[path.subAttribute ?? "value"] = json
                if let index { list[index] = .object(entry) } else { list.append(.object(entry)) }
                resource[path.attribute] = .array(list)
            } else if let sub = path.subAttribute {
                var object = resource[path.attribute]?.objectValue ?? [:]
                object[sub] = json
                resource[path.attribute] = .object(object)
            } else {
                resource[path.attribute] = json
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
