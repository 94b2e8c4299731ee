import Foundation
import GraphModel

/// A transport that answers from a closure and records every request: for tests of anything built on
/// `HTTPTransport` (Graph client, credentials, provisioning) without a network.
public final class InMemoryTransport: HTTPTransport, @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private var scripted: [Result<HTTPResponse, HTTPTransportError>] = []
    private let handler: Handler?

    /// Answers every request with `handler`.
    public init(handler: @escaping Handler) {
        self.handler = handler
    }

    /// Answers requests in order from `script`; a request beyond its end fails with a transport error.
    public init(script: [Result<HTTPResponse, HTTPTransportError>]) {
        self.handler = nil
        self.scripted = script
    }

    /// Every request seen so far, in order.
    public var requests: [HTTPRequest] {
        lock.withLock { recorded }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        // The same safety rule as the real transport, so tests cannot rely on something curl would refuse.
        _ = try URLPolicy.check(request.url)
        let next: Result<HTTPResponse, HTTPTransportError>? = lock.withLock {
            recorded.append(request)
            guard handler == nil else { return nil }
            guard !scripted.isEmpty else {
                return .failure(HTTPTransportError(kind: .other, message: "in-memory transport: no scripted response left"))
            }
            return scripted.removeFirst()
        }
        if let handler { return try await handler(request) }
        guard let next else {
            throw HTTPTransportError(kind: .other, message: "in-memory transport: no scripted response left")
        }
        return try next.get()
    }
}

extension HTTPResponse {
    /// A JSON response, for scripting in-memory transports.
    public static func json(_ status: Int, _ value: JSONValueConvertible, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        if headers["content-type"] == nil { headers.add("Content-Type", "application/json") }
        return HTTPResponse(status: status, headers: headers, body: Array(value.jsonText.utf8))
    }
}

/// Either a JSON tree or already-serialized JSON text.
public protocol JSONValueConvertible {
    var jsonText: String { get }
}

extension String: JSONValueConvertible {
    public var jsonText: String { self }
}

extension JSONValue: JSONValueConvertible {
    public var jsonText: String { serialized() }
}
