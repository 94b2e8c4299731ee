import GraphModel

import Foundation

/// The emulated tenant and every rule of how it answers. It knows nothing about sockets: the Hummingbird
/// server (or a test) hands it an `EmulatorRequest` and writes back the `EmulatorReply`.
public actor EmulatorEngine {
    public private(set) var configuration: EmulatorConfiguration
    var state: TenantState
    /// What `POST /_emulator/reset` returns to: the `--state` file, or a fresh tenant.
    var initialState: TenantState
    var generator: SeededGenerator
    /// Issued access tokens and their expiry on the emulator clock.
    var tokens: [String: Double] = [:]
    var log: [RecordedRequest] = []
    /// Added to the wall clock so tests can expire tokens or finish replication without sleeping.
    var clockOffset: Double = 0
    var throttleWindowStart: Double = 0
    var throttleWindowCount = 0
    var onDemandCalls: [String: [Double]] = [:]
    /// What `GET /auditLogs/provisioning` lists (see ProvisioningLogRoutes.swift), oldest first.
    var provisioningLog: [ProvisioningLogRecord] = []
    /// Users, groups and app assignments served read-only (see EmulatedDirectory.swift).
    var directory = EmulatedDirectory()
    let prober: any ScimProbing
    /// The request log keeps the most recent requests only.
    public static let maximumLoggedRequests = 50_000

    public init(
        configuration: EmulatorConfiguration = EmulatorConfiguration(), initialState: TenantState = .fresh(),
        prober: any ScimProbing = URLSessionScimProber()
    ) {
        self.configuration = configuration
        self.state = initialState
        self.initialState = initialState
        self.generator = SeededGenerator(seed: configuration.seed)
        self.prober = prober
    }

    // MARK: Direct access for tests and tools

    /// Seconds since 1970 on the emulator clock.
    public var now: Double { Date().timeIntervalSince1970 + clockOffset }

    /// Moves the emulator clock forward; tokens expire and replication finishes as if the time had passed.
    public func advanceClock(seconds: Double) {
        // Bounded so the clock stays within what timestamps can show.
        guard seconds.isFinite, seconds > 0, seconds <= 1e9, clockOffset + seconds <= 1e10 else { return }
        clockOffset += seconds
    }

    public func tenant() -> TenantState {
        refreshJobStatuses()
        return state
    }

    public func replaceTenant(_ tenant: TenantState) {
        state = tenant
    }

    public func recordedRequests() -> [RecordedRequest] { log }

    public func clearRecordedRequests() { log.removeAll() }

    public func updateConfiguration(_ patch: JSONValue) throws(EmulatorConfigurationError) {
        let previousSeed = configuration.seed
        try configuration.apply(patch)
        if patch["seed"] != nil || configuration.seed != previousSeed {
            generator = SeededGenerator(seed: configuration.seed)
        }
    }

    public func setConfiguration(_ configuration: EmulatorConfiguration) {
        self.configuration = configuration
        generator = SeededGenerator(seed: configuration.seed)
    }

    /// Adds a source user (or replaces the one with the same id) for provisionOnDemand.
    public func seedUser(_ user: JSONValue) throws(TenantStateError) {
        guard let id = user["id"]?.stringValue, !id.isEmpty, user.objectValue != nil else {
            throw TenantStateError(message: "a user must be a JSON object with a string id")
        }
        state.users.removeAll { $0["id"]?.stringValue?.lowercased() == id.lowercased() }
        state.users.append(user)
    }

    /// Back to the initial tenant: clears tokens, the request log, the clock offset and re-seeds the generator.
    public func reset() {
        state = initialState
        tokens.removeAll()
        log.removeAll()
        clockOffset = 0
        throttleWindowStart = 0
        throttleWindowCount = 0
        onDemandCalls.removeAll()
        provisioningLog.removeAll()
        generator = SeededGenerator(seed: configuration.seed)
    }

    /// Issues an access token without a token request, for in-process tests.
    public func issueToken() -> String {
        // Forget expired tokens so a long-running emulator does not grow without bound.
        let current = now
        if tokens.count > 1_000 { tokens = tokens.filter { $0.value > current } }
        let token = "emu." + generator.hex(count: 40)
        tokens[token] = now + Double(configuration.tokenLifetimeSeconds)
        return token
    }

    // MARK: Handling

    public func handle(_ request: EmulatorRequest) async -> EmulatorReply {
        let receivedAt = now
        let requestId = generator.guid()
        let pathPart: Substring
        let query: Substring
        if let mark = request.target.firstIndex(of: "?") {
            pathPart = request.target[..<mark]
            query = request.target[request.target.index(after: mark)...]
        } else {
            pathPart = request.target[...]
            query = ""
        }
        let segments = pathPart.split(separator: "/", omittingEmptySubsequences: true).map {
            TargetParsing.percentDecoded($0, plusIsSpace: false)
        }
        var context = GraphCallContext(
            request: request, segments: segments, query: TargetParsing.formFields(query), requestId: requestId,
            date: Timestamp.iso8601(receivedAt), clientRequestId: request.headers["client-request-id"])

        if segments.first == "_emulator" {
            return .respond(handleControl(&context))
        }

        if configuration.latencyMilliseconds > 0 {
            try? await Task.sleep(nanoseconds: UInt64(configuration.latencyMilliseconds) * 1_000_000)
        }
        refreshJobStatuses()

        var reply: EmulatorReply
        var fault: String?
        if let injected = injectedFault(&context) ?? staleReplicaFault(&context) {
            fault = injected.name
            reply = injected.reply
        } else {
            let response: EmulatorResponse
            do {
                response = try await route(&context)
            } catch let error as GraphError {
                response = context.errorResponse(error)
            } catch {
                response = context.errorResponse(GraphError(status: 500, code: "generalException", message: "General exception while processing."))
            }
            reply = .respond(context.decorate(response))
            if (200..<300).contains(response.status), Self.isCreate(method: request.method, segments: segments),
                generator.chance(configuration.lostReplyRate)
            {
                fault = "lost-reply"
                reply = .dropConnection
            }
        }
        var status: Int?
        if case .respond(let response) = reply { status = response.status }
        if log.count >= Self.maximumLoggedRequests { log.removeFirst(log.count - Self.maximumLoggedRequests + 1) }
        log.append(
            RecordedRequest(
                method: request.method, path: String(request.target), status: status,
                time: Timestamp.iso8601(receivedAt, fractional: true),
                write: Self.isWrite(method: request.method, segments: segments), fault: fault))
        return reply
    }

    /// A write is any Graph request with an unsafe method (POST, PUT, PATCH, DELETE), the way an operator reads
    /// a request log; token requests are not Graph calls, so they never count.
    static func isWrite(method: String, segments: [String]) -> Bool {
        guard !["GET", "HEAD", "OPTIONS"].contains(method) else { return false }
        return !(segments.count == 4 && segments[1] == "oauth2")
    }

    /// The creates whose replies `lostReplyRate` may lose: instantiate and a new synchronization job.
    static func isCreate(method: String, segments: [String]) -> Bool {
        guard method == "POST", segments.count >= 2 else { return false }
        let path = Array(segments.dropFirst())
        if path.count == 3, path[0] == "applicationTemplates", path[2] == "instantiate" { return true }
        return path.count == 4 && path[0] == "servicePrincipals" && path[2] == "synchronization" && path[3] == "jobs"
    }

    private func route(_ context: inout GraphCallContext) async throws -> EmulatorResponse {
        let segments = context.segments
        if segments.count == 4, segments[1] == "oauth2", segments[2] == "v2.0", segments[3] == "token" {
            guard context.request.method == "POST" else { throw GraphError.methodNotAllowed(context.request.method) }
            return tokenResponse(&context)
        }
        guard let version = segments.first, version == "v1.0" || version == "beta" else {
            throw GraphError(status: 404, code: "NotFound", message: "No resource was found at '/\(segments.joined(separator: "/"))'.")
        }
        context.version = version
        try authenticate(context)
        return try await routeGraph(&context, Array(segments.dropFirst()))
    }

    /// 401 answers carry Graph's `InvalidAuthenticationToken` code with the real service's messages.
    private func authenticate(_ context: GraphCallContext) throws {
        let challenge = ["WWW-Authenticate": "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\""]
        guard let header = context.request.headers["authorization"], header.lowercased().hasPrefix("bearer "),
            case let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces), !token.isEmpty
        else {
            throw GraphError(status: 401, code: "InvalidAuthenticationToken", message: "Access token is empty.", headers: challenge)
        }
        if configuration.staticTokens.contains(token) { return }
        guard let expiry = tokens[token] else {
            throw GraphError(status: 401, code: "InvalidAuthenticationToken", message: "Access token validation failure. Invalid audience.", headers: challenge)
        }
        guard now < expiry else {
            throw GraphError(status: 401, code: "InvalidAuthenticationToken", message: "Lifetime validation failed, the token is expired.", headers: challenge)
        }
    }

    // MARK: Faults

    private func injectedFault(_ context: inout GraphCallContext) -> (name: String, reply: EmulatorReply)? {
        if generator.chance(configuration.dropRate) {
            return ("dropped", .dropConnection)
        }
        if let limit = configuration.throttleLimit {
            let window = Double(configuration.throttleWindowMilliseconds) / 1000
            let current = now
            if current - throttleWindowStart >= window {
                throttleWindowStart = current
                throttleWindowCount = 0
            }
            throttleWindowCount += 1
            if throttleWindowCount > limit {
                let remaining = max(0.001, throttleWindowStart + window - current)
                return ("throttled", .respond(throttledResponse(context, retryAfter: remaining)))
            }
        }
        if generator.chance(configuration.throttleRate) {
            return ("throttled", .respond(throttledResponse(context, retryAfter: configuration.retryAfterSeconds)))
        }
        if generator.chance(configuration.serverErrorRate), !configuration.serverErrorStatuses.isEmpty {
            let statuses = configuration.serverErrorStatuses
            let status = statuses[Int(generator.next() % UInt64(statuses.count))]
            let error: GraphError
            switch status {
            case 503:
                error = GraphError(status: 503, code: "serviceNotAvailable", message: "The service is temporarily unavailable. Please retry later.", headers: retryAfterHeader(configuration.retryAfterSeconds))
            case 504:
                error = GraphError(status: 504, code: "gatewayTimeout", message: "The request timed out.")
            case 502:
                error = GraphError(status: 502, code: "badGateway", message: "The gateway received an invalid response.")
            default:
                error = GraphError(status: 500, code: "generalException", message: "General exception while processing.")
            }
            return ("server-error", .respond(context.decorate(context.errorResponse(error))))
        }
        return nil
    }

    /// A read or write about a young service principal or job that lands on a replica that has not caught up.
    private func staleReplicaFault(_ context: inout GraphCallContext) -> (name: String, reply: EmulatorReply)? {
        guard configuration.flapRate > 0 else { return nil }
        let segments = context.segments
        guard segments.count >= 3, segments[0] == "v1.0" || segments[0] == "beta", segments[1] == "servicePrincipals",
            let index = state.servicePrincipalIndex(id: segments[2])
        else { return nil }
        let current = now
        let window = Double(configuration.flapWindowMilliseconds) / 1000
        let record = state.servicePrincipals[index]
        guard record.readableAfter <= current else { return nil }  // still invisible: the normal 404 applies
        var young = record.createdAt.map { current - $0 < window } ?? false
        let synchronization = segments.count > 3 && segments[3] == "synchronization"
        if synchronization, segments.count > 5, segments[4] == "jobs",
            let job = state.jobIndex(servicePrincipalId: record.id, jobId: segments[5]),
            let created = state.jobs[job].createdAt, current - created < window
        {
            young = true
        }
        guard young, generator.chance(configuration.flapRate) else { return nil }
        let error: GraphError
        switch synchronization ? generator.next() % 3 : 0 {
        case 1:
            error = GraphError(
                status: 403, code: "Authorization_RequestDenied",
                message: "Insufficient privileges to complete the operation.")
        case 2:
            error = GraphError(
                status: 409, code: "Conflict", message: "The object was modified by another request; try again.")
        default:
            error = GraphError.notFound(segments[2])
        }
        return ("stale-replica", .respond(context.decorate(context.errorResponse(error))))
    }

    private func retryAfterHeader(_ seconds: Double) -> [String: String] {
        switch configuration.retryAfterStyle {
        case .absent: return [:]
        case .integer: return ["Retry-After": String(Int(seconds.rounded(.up)))]
        case .decimal:
            let millis = Int((seconds * 1000).rounded(.up))
            var fraction = String(millis % 1000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.count > 1, fraction.hasSuffix("0") { fraction.removeLast() }
            return ["Retry-After": "\(millis / 1000).\(fraction)"]
        }
    }

    private func throttledResponse(_ context: GraphCallContext, retryAfter: Double) -> EmulatorResponse {
        var inner: [String: JSONValue] = [
            "code": "throttledRequest", "innerError": ["code": "quota"], "date": .string(context.date),
            "request-id": .string(context.requestId),
        ]
        if let client = context.clientRequestId { inner["client-request-id"] = .string(client) }
        let body: JSONValue = [
            "error": ["code": "activityLimitReached", "message": "The request has been throttled", "innerError": .object(inner)]
        ]
        var headers = retryAfterHeader(retryAfter)
        headers["x-ms-throttle-information"] = "ResourceUnitLimitExceeded"
        return context.decorate(.json(429, body, headers: headers))
    }
}

/// Per-request facts the route handlers share.
struct GraphCallContext: Sendable {
    var request: EmulatorRequest
    var segments: [String]
    var query: [String: String]
    var requestId: String
    var date: String
    var clientRequestId: String?
    var version = "v1.0"

    var graphRoot: String { "https://graph.microsoft.com/\(version)" }

    func errorResponse(_ error: GraphError) -> EmulatorResponse {
        error.response(requestId: requestId, date: date, clientRequestId: clientRequestId)
    }

    /// Graph stamps every answer with the request id (and echoes the client's id).
    func decorate(_ response: EmulatorResponse) -> EmulatorResponse {
        var decorated = response
        decorated.headers["request-id"] = requestId
        if let clientRequestId { decorated.headers["client-request-id"] = clientRequestId }
        return decorated
    }

    /// The body as a JSON object; an empty body counts as `{}` where `allowEmpty`.
    func jsonBody(allowEmpty: Bool = false) throws -> JSONValue {
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if allowEmpty { return [:] }
            throw GraphError.badRequest("Empty Payload. JSON content expected.")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: request.body)
        } catch {
            throw GraphError.badRequest("Unable to read JSON request payload. \(error.description)")
        }
        guard parsed.objectValue != nil else {
            throw GraphError.badRequest("The request payload must be a JSON object.")
        }
        return parsed
    }
}
