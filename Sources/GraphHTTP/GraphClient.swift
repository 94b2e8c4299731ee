import Foundation
import GraphModel

/// Sends Microsoft Graph requests: builds URLs, attaches the bearer token, retries what is safe to retry,
/// turns Graph error bodies into `GraphError`, and reports traces through the event sink.
public final class GraphClient: Sendable {
    public struct Options: Sendable {
        public var retry: RetryPolicy
        /// Per-attempt timeout handed to the transport.
        public var requestTimeout: Duration
        /// Include (masked) request and response bodies in request traces.
        public var traceBodies: Bool

        public init(retry: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(100), traceBodies: Bool = false) {
            self.retry = retry
            self.requestTimeout = requestTimeout
            self.traceBodies = traceBodies
        }
    }

    /// The Graph root, e.g. `https://graph.microsoft.com` (see `GraphCloud.graphBaseURL`).
    public let baseURL: String
    public let options: Options
    public let redactor: Redactor
    private let transport: any HTTPTransport
    private let tokens: any TokenProvider
    private let clock: any GraphClock
    private let random: @Sendable () -> Double
    private let events: GraphEventSink
    private let makeRequestID: @Sendable () -> String

    public init(
        baseURL: String, transport: any HTTPTransport, tokens: any TokenProvider, redactor: Redactor,
        options: Options = Options(), clock: any GraphClock = SystemClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        makeRequestID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        events: @escaping GraphEventSink = { _ in }
    ) {
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        self.baseURL = root
        self.transport = transport
        self.tokens = tokens
        self.redactor = redactor
        self.options = options
        self.clock = clock
        self.random = random
        self.makeRequestID = makeRequestID
        self.events = events
    }

    /// Sends one logical request and returns the response JSON (nil for an empty body, e.g. 204).
    ///
    /// - Parameters:
    ///   - path: below the version segment, starting with `/`; may carry a query (`?$filter=...`). Spaces and
    ///     quotes are percent-encoded here; existing `%xx` escapes are kept.
    ///   - operation: what this call does, in words, for errors and traces.
    ///   - idempotent: whether repeating the call after an unclear failure is harmless. Defaults to false for POST,
    ///     true otherwise. Non-idempotent calls are retried only when the server certainly did nothing (429, or no
    ///     connection); otherwise they fail with an `ambiguous` `GraphError`.
    public func send(
        _ method: HTTPMethod, _ path: String, body: JSONValue? = nil, operation: String,
        version: GraphAPIVersion = .v1, idempotent: Bool? = nil, headers extraHeaders: HTTPHeaders = HTTPHeaders()
    ) async throws -> JSONValue? {
        let repeatable = idempotent ?? (method != .post)
        let url = baseURL + "/" + version.rawValue + Self.encodePath(path)
        let displayPath = "/" + version.rawValue + (path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path)
        let bodyBytes = body.map { Array($0.serialized().utf8) } ?? []
        let policy = options.retry
        let started = clock.now()
        var attempt = 0
        var renewedAfter401 = false
        var forceRenewal = false

        while true {
            attempt += 1
            let token = try await tokens.accessToken(forceRenewal: forceRenewal)
            forceRenewal = false
            redactor.register(token)

            var headers = HTTPHeaders()
            headers.add("Authorization", "Bearer \(token)")
            headers.add("Accept", "application/json")
            if body != nil { headers.add("Content-Type", "application/json") }
            let clientRequestID = makeRequestID()
            headers.add("client-request-id", clientRequestID)
            headers.add("return-client-request-id", "true")
            for field in extraHeaders { headers.set(field.name, field.value) }
            let request = HTTPRequest(method: method, url: url, headers: headers, body: bodyBytes,
                                      timeout: options.requestTimeout, requiresFreshConnection: !repeatable)

            let attemptStart = clock.now()
            let outcome: Result<HTTPResponse, HTTPTransportError>
            do {
                outcome = .success(try await transport.send(request))
            } catch let error as HTTPTransportError {
                outcome = .failure(error)
            }
            let elapsed = clock.now().timeIntervalSince(attemptStart)
            emitTrace(operation: operation, request: request, attempt: attempt, outcome: outcome, duration: elapsed,
                      clientRequestID: clientRequestID)

            // Decide: done, give up, or wait and go again.
            let failure: (error: GraphError, retryable: Bool, suggestedWait: Double?)
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return try decodeSuccess(response, operation: operation, method: method, path: displayPath,
                                         attempt: attempt, clientRequestID: clientRequestID)
            case .success(let response) where response.status == 401 && !renewedAfter401:
                // An expired or revoked token: one renewal, then the 401 stands.
                renewedAfter401 = true
                forceRenewal = true
                events(.retry(RetryNotice(operation: operation, failedAttempt: attempt, waitSeconds: 0,
                                          basis: .tokenRenewal, reason: "HTTP 401")))
                continue
            case .success(let response):
                var error = graphError(from: response, operation: operation, method: method, path: displayPath,
                                       attempts: attempt, clientRequestID: clientRequestID)
                // 500 and 502 are often passing faults too, but a repeat is only safe when the call is idempotent.
                let statusRetryable = policy.retryableStatuses.contains(response.status)
                    || (repeatable && policy.idempotentRetryableStatuses.contains(response.status))
                let refusedOutright = response.status == 429
                if !repeatable && !refusedOutright && response.status >= 500 {
                    error.kind = .ambiguous
                    throw error
                }
                failure = (error, statusRetryable, retryAfter(from: response))
            case .failure(let transportError):
                var error = GraphError(
                    kind: .transport, operation: operation, method: method, path: displayPath,
                    message: redactor.redact(transportError.message), clientRequestID: clientRequestID,
                    attempts: attempt, transportKind: transportError.kind)
                let transient: Set<HTTPTransportError.Kind> = [.timeout, .connectionReset, .connectionFailed]
                guard transient.contains(transportError.kind) else { throw error }
                if !repeatable && !transportError.requestNotSent {
                    error.kind = .ambiguous
                    throw error
                }
                failure = (error, true, nil)
            }

            guard failure.retryable else { throw failure.error }
            guard attempt < policy.maximumAttempts else {
                var error = failure.error
                error.message += " (gave up after \(attempt) attempts)"
                throw error
            }
            let basis: RetryNotice.Basis = failure.suggestedWait == nil ? .backoff : .retryAfter
            let wait = failure.suggestedWait ?? policy.backoff(afterAttempt: attempt, random: random())
            let remaining = policy.deadline - clock.now().timeIntervalSince(started)
            guard wait <= remaining else {
                var error = failure.error
                error.message += String(format: " (a further wait of %.1f s would pass the %.0f s deadline)",
                                        wait, policy.deadline)
                throw error
            }
            let reason = failure.error.status.map { "HTTP \($0)" } ?? (failure.error.transportKind?.rawValue ?? "failure")
            events(.retry(RetryNotice(operation: operation, failedAttempt: attempt, waitSeconds: wait, basis: basis,
                                      reason: reason)))
            try await clock.sleep(seconds: wait)
        }
    }

    // MARK: - Responses

    private func decodeSuccess(
        _ response: HTTPResponse, operation: String, method: HTTPMethod, path: String, attempt: Int,
        clientRequestID: String
    ) throws(GraphError) -> JSONValue? {
        let meaningful = response.body.contains { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard meaningful else { return nil }
        do {
            return try JSONValue(parsing: response.body)
        } catch {
            throw GraphError(
                kind: .invalidResponse, operation: operation, method: method, path: path, status: response.status,
                message: "the response is not JSON (\(error.description))", requestID: response.requestID,
                clientRequestID: clientRequestID, attempts: attempt)
        }
    }

    /// Maps `{"error":{"code","message","innerError":{"request-id",...}}}`; anything else keeps the status.
    func graphError(
        from response: HTTPResponse, operation: String, method: HTTPMethod, path: String, attempts: Int,
        clientRequestID: String
    ) -> GraphError {
        let parsed = try? JSONValue(parsing: response.body)
        let detail = parsed.flatMap { GraphErrorBody(json: $0).error }
        // Some endpoints answer {"error": "code", "error_description": "..."}.
        let bareCode = parsed?["error"]?.stringValue
        let message: String
        if let graphMessage = detail?.message {
            message = graphMessage
        } else if let bareCode {
            message = parsed?["error_description"]?.stringValue ?? bareCode
        } else {
            message = "no Graph error details in the response"
        }
        return GraphError(
            kind: .http, operation: operation, method: method, path: path, status: response.status,
            code: detail?.code ?? bareCode, innerCode: detail?.innerError?.code,
            message: redactor.redact(message),
            requestID: response.requestID ?? detail?.requestId,
            clientRequestID: response.headers["client-request-id"] ?? detail?.clientRequestId ?? clientRequestID,
            attempts: attempts)
    }

    private func retryAfter(from response: HTTPResponse) -> Double? {
        if let header = response.headers["retry-after"], let seconds = RetryAfter.seconds(from: header, now: clock.now()) {
            return seconds
        }
        return response.transportRetryAfter.map(Double.init)
    }

    // MARK: - Traces

    private func emitTrace(
        operation: String, request: HTTPRequest, attempt: Int, outcome: Result<HTTPResponse, HTTPTransportError>,
        duration: Double, clientRequestID: String
    ) {
        var trace = RequestTrace(
            operation: operation, method: request.method, url: redactor.redact(URLPolicy.safeForMessages(request.url)),
            attempt: attempt, durationSeconds: duration, clientRequestID: clientRequestID)
        switch outcome {
        case .success(let response):
            trace.status = response.status
            trace.requestID = response.requestID
            if options.traceBodies { trace.responseBody = redactor.redactBody(response.body) }
        case .failure(let error):
            trace.failure = redactor.redact(error.message)
        }
        if options.traceBodies && !request.body.isEmpty { trace.requestBody = redactor.redactBody(request.body) }
        events(.request(trace))
    }

    /// Percent-encodes what may not appear raw in a URL (spaces, quotes, non-ASCII) and keeps `%xx` escapes.
    static func encodePath(_ path: String) -> String {
        let allowed = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%")
        let prefixed = path.hasPrefix("/") ? path : "/" + path
        return prefixed.addingPercentEncoding(withAllowedCharacters: allowed) ?? prefixed
    }
}
