import Foundation

/// The HTTP methods scimctl sends to Graph and the token endpoints.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"
}

/// Header fields with case-insensitive lookup; the order and spelling of the wire are kept for traces.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ fields: [(String, String)]) {
        for (name, value) in fields { add(name, value) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value for `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    public func values(for name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Replaces every existing value of `name` with one value.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        let wanted = name.lowercased()
        fields.removeAll { $0.name.lowercased() == wanted }
    }

    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }
}

public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// An absolute `https://` URL (`http://` only for loopback hosts).
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Upper bound for the whole exchange, connect included.
    public var timeout: Duration
    /// Send on a connection of its own and never resend it silently. A transport that reuses keep-alive
    /// connections (libcurl does) quietly repeats a request whose reused connection died before any reply;
    /// for a create, that repeat makes a second object. Set for every request that is not safe to repeat.
    public var requiresFreshConnection: Bool

    public init(
        method: HTTPMethod, url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        timeout: Duration = .seconds(100), requiresFreshConnection: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.requiresFreshConnection = requiresFreshConnection
    }
}

public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// A Retry-After the transport already interpreted (libcurl's CURLINFO_RETRY_AFTER), in seconds.
    public var transportRetryAfter: Int?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], transportRetryAfter: Int? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.transportRetryAfter = transportRetryAfter
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Graph's server-side correlation id (`request-id` header).
    public var requestID: String? { headers["request-id"] }
}

/// Moves one HTTP exchange. The libcurl implementation is `CurlTransport`; tests use `InMemoryTransport`.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Why a transport could not produce a response. `description` never contains request headers or bodies.
public struct HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The URL is not https (and not loopback http), or does not parse; nothing was sent.
        case insecureURL
        case invalidURL
        /// No connection could be made, so the server never saw the request.
        case connectionFailed
        /// The connection broke after the request may have been sent.
        case connectionReset
        case timeout
        case tls
        case other
    }

    public var kind: Kind
    public var message: String
    /// Set when the request was certainly not delivered, so repeating it cannot duplicate work.
    public var requestNotSent: Bool

    public init(kind: Kind, message: String, requestNotSent: Bool = false) {
        self.kind = kind
        self.message = message
        self.requestNotSent = requestNotSent
    }

    public var description: String { message }
}
