import Foundation

/// Something the Graph client or a credential did that `--verbose` may show. Every string in an event is
/// already redacted, so a consumer can print `description` as is.
public enum GraphEvent: Sendable, Hashable, CustomStringConvertible {
    case request(RequestTrace)
    case retry(RetryNotice)
    case token(TokenNotice)
    /// Something the user should fix even though the run goes on; shown without `--verbose`.
    case warning(CredentialWarning)

    public var description: String {
        switch self {
        case .request(let trace): trace.description
        case .retry(let notice): notice.description
        case .token(let notice): notice.description
        case .warning(let warning): warning.description
        }
    }
}

public typealias GraphEventSink = @Sendable (GraphEvent) -> Void

/// One HTTP exchange as seen on the wire.
public struct RequestTrace: Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var method: HTTPMethod
    /// Scheme, host and path; no query string.
    public var url: String
    public var attempt: Int
    public var status: Int?
    /// The transport failure when there was no status.
    public var failure: String?
    public var durationSeconds: Double
    public var requestID: String?
    public var clientRequestID: String?
    /// Bodies are present only when body tracing is on, and masked.
    public var requestBody: String?
    public var responseBody: String?

    public var description: String {
        var text = "\(method.rawValue) \(url) -> \(status.map(String.init) ?? "failed")"
        text += String(format: " in %.0f ms", durationSeconds * 1000)
        if attempt > 1 { text += " (attempt \(attempt))" }
        if let requestID { text += " request-id \(requestID)" }
        if let clientRequestID { text += " client-request-id \(clientRequestID)" }
        if let failure { text += ": \(failure)" }
        if let requestBody { text += "\n  request body: \(requestBody)" }
        if let responseBody { text += "\n  response body: \(responseBody)" }
        return text
    }
}

/// A wait before the next attempt of a request.
public struct RetryNotice: Sendable, Hashable, CustomStringConvertible {
    public enum Basis: String, Sendable, Hashable {
        /// The server said how long to wait.
        case retryAfter
        /// Exponential backoff with jitter.
        case backoff
        /// A new token after a 401; no wait.
        case tokenRenewal
    }

    public var operation: String
    /// The attempt that just failed (1-based).
    public var failedAttempt: Int
    public var waitSeconds: Double
    public var basis: Basis
    /// Why the attempt failed ("HTTP 429", "timeout").
    public var reason: String

    public var description: String {
        let wait = String(format: "%.1f", waitSeconds)
        switch basis {
        case .retryAfter:
            return "\(operation): \(reason) on attempt \(failedAttempt); retrying in \(wait) s as Retry-After asks"
        case .backoff:
            return "\(operation): \(reason) on attempt \(failedAttempt); retrying in \(wait) s (backoff)"
        case .tokenRenewal:
            return "\(operation): \(reason) on attempt \(failedAttempt); renewing the access token and retrying"
        }
    }
}

/// An access token was obtained; says how, never what.
public struct TokenNotice: Sendable, Hashable, CustomStringConvertible {
    public var method: CredentialMethod
    public var expiresOn: Date?
    public var renewal: Bool

    public var description: String {
        var text = renewal ? "renewed the access token" : "acquired an access token"
        text += " using \(method.displayName)"
        if let expiresOn {
            text += ", valid until \(ISO8601DateFormatter().string(from: expiresOn))"
        }
        return text
    }
}

/// A credential that works today but will not for long, or will be refused (an expired certificate).
public struct CredentialWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { "warning: \(message)" }
}
