import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests: keep-alive, many connections at once, a request log, and answers
/// computed by `respond` on the server's own thread (never on Swift's cooperative pool).
///
/// Startup is deterministic: the socket is bound and listening, with a deep accept queue, before `init` returns, so
/// a client may connect the moment it knows the port even if the server thread has not run yet. The server runs
/// until `stop()` (which waits for the thread to exit), until `finished` says the work is done, or, as a safety net
/// for a test that failed before stopping it, after `idleLimit` without any traffic.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var target: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: String
    }

    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String
        /// Close the connection after answering.
        public var close: Bool

        public init(status: Int = 200, headers: [(String, String)] = [], body: String = "", close: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.close = close
        }
    }

    public enum Answer: Sendable {
        case reply(Reply)
        /// Never answer (to provoke a client timeout).
        case silent
    }

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: UInt16
    private let listener: Int32
    /// Writing a byte here wakes the server thread so it stops at once instead of at its next poll timeout.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let respond: @Sendable (Request) -> Answer
    private let finished: @Sendable () -> Bool
    private let idleLimitMilliseconds: Int32
    private let lock = NSLock()
    private var log: [Request] = []
    private var accepted = 0
    private var exited = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - finished: checked after each request; once true, the server stops (letting a silent last request linger
    ///     until its client gives up, so the client sees a timeout rather than a reset).
    ///   - idleLimit: the safety net; generous so a loaded machine never stops a server before its client comes.
    public init(
        backlog: Int32 = 128, idleLimit: Duration = .seconds(120), finished: @escaping @Sendable () -> Bool = { false },
        respond: @escaping @Sendable (Request) -> Answer
    ) throws {
        self.respond = respond
        self.finished = finished
        let limit = idleLimit.components
        idleLimitMilliseconds = Int32(clamping: limit.seconds * 1000 + limit.attoseconds / 1_000_000_000_000_000)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw StartupError(description: "pipe failed: errno \(errno)") }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else {
            close(pipeEnds[0])
            close(pipeEnds[1])
            throw StartupError(description: "socket failed: errno \(errno)")
        }
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        guard bound == 0, listen(listener, backlog) == 0, named == 0 else {
            let failure = errno
            close(listener)
            close(pipeEnds[0])
            close(pipeEnds[1])
            throw StartupError(description: "could not listen on 127.0.0.1: errno \(failure)")
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in
            serve()
            let waiters: [CheckedContinuation<Void, Never>] = lock.withLock {
                exited = true
                defer { exitWaiters = [] }
                return exitWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.start()
    }

    deinit {
        // Only reached once the thread has exited (it holds `self`); the listener is already closed.
        close(wakeRead)
        close(wakeWrite)
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var requests: [Request] { lock.withLock { log } }
    public var connectionsAccepted: Int { lock.withLock { accepted } }
    public var isRunning: Bool { lock.withLock { !exited } }

    /// Stops serving, closes every socket, and returns once the server thread has exited.
    public func stop() async {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        await stopped()
    }

    /// Returns once the server thread has exited (after `stop()`, `finished`, or the idle limit).
    public func stopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if exited { return true }
                exitWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func serve() {
        var clients: [Int32: [UInt8]] = [:]
        defer {
            for fd in clients.keys { close(fd) }
            close(listener)
        }
        var lastAnswerWasSilent = false
        while !finished() {
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0), pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            fds += clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), idleLimitMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0, fds[0].revents == 0 else { return }  // idle too long, or stop() was called
            for entry in fds.dropFirst() where entry.revents != 0 {
                if entry.fd == listener {
                    let client = accept(listener, nil, nil)
                    if client >= 0 {
                        clients[client] = []
                        lock.withLock { accepted += 1 }
                    }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 65_536)
                let count = recv(entry.fd, &chunk, chunk.count, 0)
                guard count > 0 else {
                    close(entry.fd)
                    clients[entry.fd] = nil
                    continue
                }
                clients[entry.fd, default: []] += chunk[0..<count]
                if clients[entry.fd]?.first == 0x16 {
                    // A TLS ClientHello on this plain-http port: answer as an http server would, and hang up.
                    send(Reply(status: 400), to: entry.fd)
                    close(entry.fd)
                    clients[entry.fd] = nil
                    continue
                }
                while let (request, rest) = Self.parse(clients[entry.fd] ?? []) {
                    clients[entry.fd] = rest
                    lock.withLock { log.append(request) }
                    switch respond(request) {
                    case .silent:
                        lastAnswerWasSilent = true
                    case .reply(let reply):
                        lastAnswerWasSilent = false
                        send(reply, to: entry.fd)
                        if reply.close {
                            close(entry.fd)
                            clients[entry.fd] = nil
                        }
                    }
                    if clients[entry.fd] == nil || finished() { break }
                }
            }
        }
        // Let a silent last request linger until its client gives up (or stop() is called).
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        fds += clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if lastAnswerWasSilent && fds.count > 1 { _ = poll(&fds, nfds_t(fds.count), idleLimitMilliseconds) }
    }

    private func send(_ reply: Reply, to fd: Int32) {
        var head = "HTTP/1.1 \(reply.status) Status\r\nContent-Length: \(reply.body.utf8.count)\r\n"
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        if reply.close { head += "Connection: close\r\n" }
        let bytes = Array((head + "\r\n" + reply.body).utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// One complete request from the front of `buffer`, and what is left.
    static func parse(_ buffer: [UInt8]) -> (Request, [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4, let end = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<$0 + 4]) == separator })
        else { return nil }
        let head = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head.first?.split(separator: " ").map(String.init) ?? []
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + 4
        guard length >= 0, buffer.count >= bodyStart + length else { return nil }
        let body = String(decoding: buffer[bodyStart..<bodyStart + length], as: UTF8.self)
        let request = Request(
            method: requestLine.first ?? "", target: requestLine.dropFirst().first ?? "", headers: headers, body: body)
        return (request, Array(buffer[(bodyStart + length)...]))
    }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port` right now; tests use it to show that a server
/// they started is gone once its scope has ended.
public func loopbackPortAcceptsConnections(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return connected == 0
}
