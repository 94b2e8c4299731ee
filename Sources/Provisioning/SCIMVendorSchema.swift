import Foundation
import GraphModel

/// One attribute of a vendor's SCIM schema (RFC 7643 §7), with the characteristics the probe checks.
public struct SCIMAttribute: Sendable, Hashable {
    public enum Mutability: String, Sendable, Hashable {
        case readOnly, readWrite, immutable, writeOnly
    }

    public var name: String
    public var type: String
    public var multiValued: Bool
    public var required: Bool
    public var mutability: Mutability
    /// `none` when the vendor does not say (the RFC's default).
    public var uniqueness: String
    public var canonicalValues: [String]
    public var subAttributes: [SCIMAttribute]

    public init(
        name: String, type: String = "string", multiValued: Bool = false, required: Bool = false,
        mutability: Mutability = .readWrite, uniqueness: String = "none", canonicalValues: [String] = [],
        subAttributes: [SCIMAttribute] = []
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.required = required
        self.mutability = mutability
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.subAttributes = subAttributes
    }

    /// Nil when `json` has no usable name; unknown or misspelt characteristics fall back to the RFC defaults.
    init?(json: JSONValue, depth: Int = 0) {
        guard let name = json["name"]?.stringValue, !name.isEmpty else { return nil }
        self.name = name
        type = json["type"]?.stringValue?.lowercased() ?? "string"
        multiValued = json["multiValued"]?.boolValue ?? false
        required = json["required"]?.boolValue ?? false
        let mutabilityText = json["mutability"]?.stringValue?.lowercased() ?? "readwrite"
        mutability =
            [Mutability.readOnly, .readWrite, .immutable, .writeOnly].first { $0.rawValue.lowercased() == mutabilityText }
            ?? .readWrite
        uniqueness = json["uniqueness"]?.stringValue?.lowercased() ?? "none"
        canonicalValues = (json["canonicalValues"]?.arrayValue ?? []).compactMap(\.stringValue)
        // Sub-attributes nest one level in SCIM; the cap keeps a hostile document from recursing deeply.
        subAttributes =
            depth < 4 ? (json["subAttributes"]?.arrayValue ?? []).compactMap { SCIMAttribute(json: $0, depth: depth + 1) } : []
    }

    /// The sub-attribute called `name` (SCIM names are case-insensitive).
    public func subAttribute(named name: String) -> SCIMAttribute? {
        subAttributes.first { $0.name.lowercased() == name.lowercased() }
    }

    var isUnique: Bool { uniqueness == "server" || uniqueness == "global" }
}

/// A schema the vendor publishes under `/Schemas`.
public struct SCIMSchemaDefinition: Sendable, Hashable {
    public var id: String
    public var attributes: [SCIMAttribute]

    public init(id: String, attributes: [SCIMAttribute]) {
        self.id = id
        self.attributes = attributes
    }

    init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, !id.isEmpty else { return nil }
        self.id = id
        attributes = (json["attributes"]?.arrayValue ?? []).compactMap { SCIMAttribute(json: $0) }
    }

    public func attribute(named name: String) -> SCIMAttribute? {
        attributes.first { $0.name.lowercased() == name.lowercased() }
    }
}

/// A resource type from `/ResourceTypes`: its endpoint, core schema and extensions.
public struct SCIMResourceType: Sendable, Hashable {
    public struct Extension: Sendable, Hashable {
        public var schema: String
        public var required: Bool
    }

    public var name: String
    public var endpoint: String?
    public var schema: String
    public var extensions: [Extension]

    public init(name: String, endpoint: String? = nil, schema: String, extensions: [Extension] = []) {
        self.name = name
        self.endpoint = endpoint
        self.schema = schema
        self.extensions = extensions
    }

    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue ?? json["id"]?.stringValue, let schema = json["schema"]?.stringValue
        else { return nil }
        self.name = name
        endpoint = json["endpoint"]?.stringValue
        self.schema = schema
        extensions = (json["schemaExtensions"]?.arrayValue ?? []).compactMap { element in
            element["schema"]?.stringValue.map { Extension(schema: $0, required: element["required"]?.boolValue ?? false) }
        }
    }
}

/// What `/ServiceProviderConfig` says the vendor supports; nil members were not stated.
public struct SCIMServiceProviderFeatures: Sendable, Hashable {
    public var patch: Bool?
    public var filter: Bool?
    public var filterMaxResults: Int?
    public var bulk: Bool?
    public var etag: Bool?
    /// The `type` of each authentication scheme (`oauthbearertoken`, `httpbasic`, …).
    public var authenticationSchemes: [String]

    public init(
        patch: Bool? = nil, filter: Bool? = nil, filterMaxResults: Int? = nil, bulk: Bool? = nil, etag: Bool? = nil,
        authenticationSchemes: [String] = []
    ) {
        self.patch = patch
        self.filter = filter
        self.filterMaxResults = filterMaxResults
        self.bulk = bulk
        self.etag = etag
        self.authenticationSchemes = authenticationSchemes
    }

    init(json: JSONValue) {
        patch = json["patch"]?["supported"]?.boolValue
        filter = json["filter"]?["supported"]?.boolValue
        filterMaxResults = json["filter"]?["maxResults"]?.integerValue.map { Int(clamping: $0) }
        bulk = json["bulk"]?["supported"]?.boolValue
        etag = json["etag"]?["supported"]?.boolValue
        authenticationSchemes = (json["authenticationSchemes"]?.arrayValue ?? []).compactMap {
            $0["type"]?.stringValue ?? $0["name"]?.stringValue
        }
    }
}

/// The well-known schema URNs of RFC 7643.
public enum SCIMSchemaURN {
    public static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
}

/// The members of a SCIM list response (`Resources`), or a bare array, or a single resource, as vendors vary.
enum SCIMListBody {
    static func resources(_ json: JSONValue) -> [JSONValue]? {
        if let array = json.arrayValue { return array }
        guard let object = json.objectValue else { return nil }
        if let resources = object.first(where: { $0.key.lowercased() == "resources" })?.value.arrayValue { return resources }
        if object["id"] != nil { return [json] }
        return nil
    }
}
