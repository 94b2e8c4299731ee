import GraphHTTP
import GraphModel

/// The one call Provisioning needs from a Graph client. `GraphClient` provides it; tests may substitute a fake.
public protocol GraphService: Sendable {
    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion,
        idempotent: Bool?
    ) async throws -> JSONValue?
}

extension GraphClient: GraphService {
    public func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion,
        idempotent: Bool?
    ) async throws -> JSONValue? {
        try await send(method, path, body: body, operation: operation, version: version, idempotent: idempotent)
    }
}

extension GraphService {
    func get(_ path: String, _ operation: String, version: GraphAPIVersion = .v1) async throws -> JSONValue? {
        try await call(.get, path, body: nil, operation: operation, version: version, idempotent: true)
    }
}

extension Error {
    /// Graph answered 404: the object does not exist (yet).
    var isGraphNotFound: Bool { (self as? GraphError)?.isNotFound ?? false }
    /// The request may or may not have taken effect (timeout, reset, 5xx on a POST).
    var isGraphAmbiguous: Bool { (self as? GraphError)?.isAmbiguous ?? false }
    var graphStatus: Int? { (self as? GraphError)?.status }
}
