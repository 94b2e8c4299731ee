/// A typed window onto a Graph JSON object. The object itself is the storage, so members scimctl does not model
/// survive decode → change → encode untouched.
public protocol JSONView: Sendable, Hashable {
    var json: JSONValue { get set }
    init(json: JSONValue)
}

/// The body Graph sent was not the shape scimctl expects.
public struct GraphDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension JSONView {
    /// An empty object of this type, ready for its setters.
    public init() { self.init(json: .object([:])) }

    /// Parses a response body; anything but a JSON object is refused.
    public static func decode(_ text: String) throws -> Self {
        let value = try JSONValue(parsing: text)
        return try decode(value)
    }

    public static func decode(_ value: JSONValue) throws(GraphDecodingError) -> Self {
        guard case .object = value else {
            throw GraphDecodingError("expected a JSON object for \(Self.self)")
        }
        return Self(json: value)
    }

    /// The request or stored form: keys sorted, stable byte for byte.
    public func encoded(pretty: Bool = false) -> String { json.serialized(pretty: pretty) }

    // Accessors used by the concrete views. A setter given nil writes JSON null, because Graph distinguishes
    // "absent" from "null" only on input, and PUT bodies carry what GET returned.

    func string(_ key: String) -> String? { json[key]?.stringValue }
    mutating func setString(_ key: String, _ value: String?) { json[key] = value.map(JSONValue.string) ?? .null }

    func bool(_ key: String) -> Bool? { json[key]?.boolValue }
    mutating func setBool(_ key: String, _ value: Bool?) { json[key] = value.map(JSONValue.bool) ?? .null }

    func integer(_ key: String) -> Int? {
        guard let value = json[key]?.integerValue else { return nil }
        return Int(exactly: value)
    }
    mutating func setInteger(_ key: String, _ value: Int?) {
        json[key] = value.map { JSONValue.integer(Int64($0)) } ?? .null
    }

    func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    mutating func setStrings(_ key: String, _ values: [String]) { json[key] = .array(values.map(JSONValue.string)) }

    func view<V: JSONView>(_ key: String) -> V? {
        guard let value = json[key], case .object = value else { return nil }
        return V(json: value)
    }
    mutating func setView<V: JSONView>(_ key: String, _ value: V?) { json[key] = value?.json ?? .null }

    /// Array members that are objects; other elements (never sent by Graph) are skipped.
    func views<V: JSONView>(_ key: String) -> [V] {
        (json[key]?.arrayValue ?? []).compactMap { element in
            guard case .object = element else { return nil }
            return V(json: element)
        }
    }
    mutating func setViews<V: JSONView>(_ key: String, _ values: [V]) { json[key] = .array(values.map(\.json)) }
}

/// `{key, value}` pairs with string values: secrets, metadata entries, provisionOnDemand results.
public struct KeyValuePair: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(key: String, value: String?) {
        self.init()
        self.key = key
        self.value = value
    }

    public var key: String? {
        get { string("key") }
        set { setString("key", newValue) }
    }
    public var value: String? {
        get { string("value") }
        set { setString("value", newValue) }
    }
}

/// `{name, value}` pairs (job settings such as `QuarantineTooManyDeletesThreshold`).
public struct NameValuePair: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(name: String, value: String?) {
        self.init()
        self.name = name
        self.value = value
    }

    public var name: String? {
        get { string("name") }
        set { setString("name", newValue) }
    }
    public var value: String? {
        get { string("value") }
        set { setString("value", newValue) }
    }
}
