import Foundation

/// A Graph call that did not succeed, with everything support needs and nothing secret.
public struct GraphError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Graph answered with an error status.
        case http
        /// A non-idempotent call failed in a way that leaves its effect unknown (timeout, reset, 5xx):
        /// look for what it may have created before trying again.
        case ambiguous
        /// No usable HTTP answer (connection, TLS, timeout) for a call that is safe to report as failed.
        case transport
        /// A success status whose body is not JSON.
        case invalidResponse
    }

    public var kind: Kind
    /// What scimctl was doing, in words ("create the synchronization job").
    public var operation: String
    public var method: HTTPMethod
    /// The path below the version segment, without query.
    public var path: String
    public var status: Int?
    /// Graph's `error.code` (an open set: branch on it, not on the message).
    public var code: String?
    /// Graph's `error.innerError.code`, when present (e.g. `throttledRequest`).
    public var innerCode: String?
    public var message: String
    public var requestID: String?
    public var clientRequestID: String?
    /// Attempts made before giving up.
    public var attempts: Int
    public var transportKind: HTTPTransportError.Kind?

    public init(
        kind: Kind, operation: String, method: HTTPMethod, path: String, status: Int? = nil, code: String? = nil,
        innerCode: String? = nil, message: String, requestID: String? = nil, clientRequestID: String? = nil,
        attempts: Int = 1, transportKind: HTTPTransportError.Kind? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.innerCode = innerCode
        self.message = message
        self.requestID = requestID
        self.clientRequestID = clientRequestID
        self.attempts = attempts
        self.transportKind = transportKind
    }

    public var isAmbiguous: Bool { kind == .ambiguous }
    public var isNotFound: Bool { status == 404 }

    public var description: String {
        var text = "\(operation) failed"
        switch kind {
        case .ambiguous:
            text += ": the outcome is unknown"
            if let status { text += " after HTTP \(status)" }
            text += " (\(message)); the request may have taken effect, so check before repeating it"
        case .http:
            text += ": HTTP \(status.map(String.init) ?? "?")"
            if let code { text += " \(code)" }
            if !message.isEmpty { text += ": \(message)" }
        case .transport, .invalidResponse:
            text += ": \(message)"
        }
        text += " [\(method.rawValue) \(path)"
        if let requestID { text += ", request-id \(requestID)" }
        if let clientRequestID { text += ", client-request-id \(clientRequestID)" }
        if attempts > 1 { text += ", \(attempts) attempts" }
        text += "]"
        return text
    }
}
