import CCurl
import Foundation

/// Counters that let `--verbose` say "N requests, M connections".
public struct ConnectionStatistics: Sendable, Hashable {
    /// Transfers handed to libcurl (each attempt counts).
    public var requestsSent: Int = 0
    /// New TCP (+TLS) connections libcurl had to open; the rest reused a live one.
    public var connectionsOpened: Int = 0

    public init(requestsSent: Int = 0, connectionsOpened: Int = 0) {
        self.requestsSent = requestsSent
        self.connectionsOpened = connectionsOpened
    }
}

/// The libcurl transport. Easy handles are pooled and reused, and each keeps its own live connections between
/// requests; a share handle gives all of them one DNS cache and TLS session cache (never connections: libcurl
/// forbids sharing a connection pool between transfers that run at the same time). Requests that are not safe to
/// repeat go on a fresh connection that is closed afterwards, so libcurl never re-sends them on its own. Blocking
/// `curl_easy_perform` calls run on threads of their own (one per transfer in flight), never on the Swift concurrency pool.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Sent as `User-Agent: scimctl/<version>`.
        public var version: String
        public var connectTimeout: Duration
        /// A PEM bundle of extra trusted roots (corporate TLS inspection); replaces the system bundle for libcurl.
        public var caCertificatePath: String?
        /// How many requests may be in flight at once; each gets its own easy handle.
        public var maximumConcurrentRequests: Int
        /// Responses larger than this are cut off with an error instead of exhausting memory.
        public var maximumResponseBytes: Int

        public init(
            version: String, connectTimeout: Duration = .seconds(15), caCertificatePath: String? = nil,
            maximumConcurrentRequests: Int = 4, maximumResponseBytes: Int = 64 << 20
        ) {
            self.version = version
            self.connectTimeout = connectTimeout
            self.caCertificatePath = caCertificatePath
            self.maximumConcurrentRequests = max(1, maximumConcurrentRequests)
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    public let configuration: Configuration
    private let share: CurlShare
    private let pool: CurlHandlePool
    private let statisticsLock = NSLock()
    private var counters = ConnectionStatistics()

    public init(configuration: Configuration) throws(HTTPTransportError) {
        guard CurlGlobal.initialized else {
            throw HTTPTransportError(kind: .other, message: "libcurl could not be initialised")
        }
        self.configuration = configuration
        self.share = try CurlShare()
        self.pool = CurlHandlePool(limit: configuration.maximumConcurrentRequests)
    }

    public var statistics: ConnectionStatistics {
        statisticsLock.lock()
        defer { statisticsLock.unlock() }
        return counters
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        // Refused before a handle is even taken, so a bad URL never causes network traffic.
        let checked = try URLPolicy.check(request.url)
        let easy = try await pool.acquire(share: share)
        defer { pool.release(easy) }
        let configuration = self.configuration
        // A thread of its own for each blocking transfer: on Linux, Dispatch's pool grows only slowly past the core
        // count while its threads block, which held concurrent requests to about two in flight on a 2-core machine.
        // The handle pool bounds how many threads exist at once.
        let outcome: CurlOutcome = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: easy.perform(request, checked: checked, configuration: configuration))
            }
            thread.name = "scimctl.curl"
            thread.start()
        }
        statisticsLock.withLock {
            counters.requestsSent += 1
            counters.connectionsOpened += outcome.newConnections
        }
        return try outcome.result.get()
    }
}

// MARK: - libcurl plumbing

private enum CurlGlobal {
    /// `curl_global_init` is not thread-safe, and Swift runs a static initializer exactly once.
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// One DNS cache and TLS session cache for every easy handle of a transport.
private final class CurlShare: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let locks: [NSLock]

    init() throws(HTTPTransportError) {
        guard let handle = curl_share_init() else {
            throw HTTPTransportError(kind: .other, message: "libcurl could not create a share handle")
        }
        self.handle = handle
        // curl_lock_data has fewer than 16 members; one lock each keeps unrelated caches independent.
        self.locks = (0..<16).map { _ in NSLock() }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let locking = scimctl_share_setopt_locking(
            handle,
            { _, data, _, context in
                guard let context else { return }
                Unmanaged<CurlShare>.fromOpaque(context).takeUnretainedValue().lock(Int(data.rawValue)).lock()
            },
            { _, data, context in
                guard let context else { return }
                Unmanaged<CurlShare>.fromOpaque(context).takeUnretainedValue().lock(Int(data.rawValue)).unlock()
            },
            context)
        guard locking == CURLSHE_OK else {
            curl_share_cleanup(handle)
            throw HTTPTransportError(kind: .other, message: "libcurl refused the share handle's lock callbacks")
        }
        // Connections (CURL_LOCK_DATA_CONNECT) are deliberately not shared: see the type's comment.
        for data in [CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION] {
            guard scimctl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(data.rawValue)) == CURLSHE_OK else {
                curl_share_cleanup(handle)
                throw HTTPTransportError(kind: .other, message: "libcurl refused to share its DNS or TLS session cache")
            }
        }
    }

    private func lock(_ index: Int) -> NSLock {
        locks.indices.contains(index) ? locks[index] : locks[0]
    }

    deinit { curl_share_cleanup(handle) }
}

/// Idle easy handles plus a queue of callers waiting for one when all are busy.
private final class CurlHandlePool: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var idle: [CurlEasy] = []
    private var created = 0
    private var waiters: [CheckedContinuation<CurlEasy, Never>] = []

    init(limit: Int) { self.limit = limit }

    private enum Slot { case ready(CurlEasy), create, wait }

    func acquire(share: CurlShare) async throws(HTTPTransportError) -> CurlEasy {
        let slot: Slot = lock.withLock {
            if let easy = idle.popLast() { return .ready(easy) }
            if created < limit {
                created += 1
                return .create
            }
            return .wait
        }
        switch slot {
        case .ready(let easy):
            return easy
        case .create:
            guard let easy = CurlEasy(share: share) else {
                lock.withLock { created -= 1 }
                throw HTTPTransportError(kind: .other, message: "libcurl could not create an easy handle")
            }
            return easy
        case .wait:
            return await withCheckedContinuation { continuation in
                let handedOver: CurlEasy? = lock.withLock {
                    if let easy = idle.popLast() { return easy }
                    waiters.append(continuation)
                    return nil
                }
                if let handedOver { continuation.resume(returning: handedOver) }
            }
        }
    }

    func release(_ easy: CurlEasy) {
        let waiter: CheckedContinuation<CurlEasy, Never>? = lock.withLock {
            if waiters.isEmpty {
                idle.append(easy)
                return nil
            }
            return waiters.removeFirst()
        }
        waiter?.resume(returning: easy)
    }
}

private struct CurlOutcome: Sendable {
    var result: Result<HTTPResponse, HTTPTransportError>
    var newConnections: Int
}

/// What the write and header callbacks collect during one transfer.
private final class CurlResponseAccumulator {
    var body: [UInt8] = []
    var headers = HTTPHeaders()
    var limit: Int
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    func addHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or similar) starts a fresh header block.
            headers = HTTPHeaders()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if !name.isEmpty { headers.add(name, value) }
    }
}

private final class CurlEasy: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let share: CurlShare

    init?(share: CurlShare) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.share = share
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func perform(_ request: HTTPRequest, checked: URLPolicy.Checked, configuration: CurlTransport.Configuration)
        -> CurlOutcome
    {
        // Reset drops the previous request's options but keeps live connections and caches.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let accumulator = CurlResponseAccumulator(limit: configuration.maximumResponseBytes)
        let context = Unmanaged.passUnretained(accumulator).toOpaque()

        var headerList: UnsafeMutablePointer<curl_slist>?
        for field in request.headers {
            headerList = curl_slist_append(headerList, "\(field.name): \(field.value)")
        }
        if request.headers["Expect"] == nil {
            // Large schema PUTs would otherwise wait for a 100 Continue that Graph does not need.
            headerList = curl_slist_append(headerList, "Expect:")
        }
        defer { curl_slist_free_all(headerList) }

        let allowedProtocols = checked.isLoopback ? "http,https" : "https"
        // Every option's return code is checked: a transfer set up only in part must not be sent.
        var setupFailed = false
        func check(_ code: CURLcode) {
            if code != CURLE_OK { setupFailed = true }
        }
        func setLong(_ option: CURLoption, _ value: Int) { check(scimctl_easy_setopt_long(handle, option, value)) }
        func setString(_ option: CURLoption, _ value: String) { check(scimctl_easy_setopt_string(handle, option, value)) }

        check(scimctl_easy_setopt_share(handle, share.handle))
        check(scimctl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)))
        setString(CURLOPT_URL, request.url)
        setString(CURLOPT_PROTOCOLS_STR, allowedProtocols)
        setString(CURLOPT_REDIR_PROTOCOLS_STR, allowedProtocols)
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setLong(CURLOPT_NOSIGNAL, 1)
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        setLong(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        setLong(CURLOPT_TCP_KEEPALIVE, 1)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout))
        setLong(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
        setString(CURLOPT_USERAGENT, "scimctl/\(configuration.version)")
        setString(CURLOPT_ACCEPT_ENCODING, "")
        if let caCertificatePath = configuration.caCertificatePath {
            setString(CURLOPT_CAINFO, caCertificatePath)
        }
        if checked.isLoopback {
            // Traffic to this machine must never detour through a proxy from the environment.
            setString(CURLOPT_NOPROXY, "*")
        }
        check(scimctl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        if request.requiresFreshConnection {
            // libcurl re-sends a request by itself when a reused connection turns out dead before any reply.
            // A new connection, closed after the transfer, leaves any such ambiguity to the caller to resolve.
            setLong(CURLOPT_FRESH_CONNECT, 1)
            setLong(CURLOPT_FORBID_REUSE, 1)
        }

        switch request.method {
        case .get:
            setLong(CURLOPT_HTTPGET, 1)
        case .post, .put, .patch, .delete:
            if request.method != .post { setString(CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
            if request.method == .delete && request.body.isEmpty {
                setLong(CURLOPT_HTTPGET, 1)
                setString(CURLOPT_CUSTOMREQUEST, "DELETE")
            } else {
                setLong(CURLOPT_POST, 1)
                check(scimctl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                // COPYPOSTFIELDS copies the bytes, so nothing has to outlive this call.
                request.body.withUnsafeBufferPointer { buffer in
                    let raw = UnsafeRawPointer(buffer.baseAddress) ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                    check(scimctl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw)))
                }
            }
        }

        let collect: scimctl_write_callback = { data, size, count, context in
            guard let data, let context else { return 0 }
            let accumulator = Unmanaged<CurlResponseAccumulator>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            guard accumulator.body.count + length <= accumulator.limit else {
                accumulator.overflowed = true
                return 0
            }
            data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                accumulator.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
            }
            return length
        }
        let collectHeader: scimctl_write_callback = { data, size, count, context in
            guard let data, let context else { return 0 }
            let accumulator = Unmanaged<CurlResponseAccumulator>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
            }
            accumulator.addHeaderLine(line)
            return length
        }
        check(scimctl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, collect))
        check(scimctl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        check(scimctl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, collectHeader))
        check(scimctl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context))

        guard !setupFailed else {
            return CurlOutcome(
                result: .failure(HTTPTransportError(
                    kind: .other, message: "libcurl rejected an option (is libcurl older than 7.85?)",
                    requestNotSent: true)),
                newConnections: 0)
        }

        let code = withExtendedLifetime(accumulator) { curl_easy_perform(handle) }

        var connects = 0
        _ = scimctl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        guard code == CURLE_OK else {
            var requestSize = 0
            _ = scimctl_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestSize)
            let detail = String(cString: errorBuffer)
            let error = Self.transportError(
                code: code, detail: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
                requestSent: requestSize > 0, overflowed: accumulator.overflowed, url: request.url)
            return CurlOutcome(result: .failure(error), newConnections: connects)
        }
        var status = 0
        guard scimctl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status > 0 else {
            return CurlOutcome(
                result: .failure(HTTPTransportError(
                    kind: .other, message: "\(URLPolicy.safeForMessages(request.url)): libcurl reported no HTTP status")),
                newConnections: connects)
        }
        var retryAfter: curl_off_t = 0
        _ = scimctl_easy_getinfo_off_t(handle, CURLINFO_RETRY_AFTER, &retryAfter)
        let response = HTTPResponse(
            status: status, headers: accumulator.headers, body: accumulator.body,
            transportRetryAfter: retryAfter > 0 ? Int(retryAfter) : nil)
        return CurlOutcome(result: .success(response), newConnections: connects)
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return max(1, Int(min(total, Double(Int32.max))))
    }

    private static func transportError(code: CURLcode, detail: String, requestSent: Bool, overflowed: Bool, url: String)
        -> HTTPTransportError
    {
        let target = URLPolicy.safeForMessages(url)
        if overflowed {
            return HTTPTransportError(kind: .other, message: "response from \(target) exceeded the size limit")
        }
        let kind: HTTPTransportError.Kind
        var notSent = !requestSent
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL:
            kind = .insecureURL
            notSent = true
        case CURLE_URL_MALFORMAT:
            kind = .invalidURL
            notSent = true
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            kind = .connectionFailed
            notSent = true
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CIPHER:
            kind = .tls
            notSent = true
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .connectionReset
        default:
            kind = .other
        }
        return HTTPTransportError(kind: kind, message: "\(target): \(detail)", requestNotSent: notSent)
    }
}
