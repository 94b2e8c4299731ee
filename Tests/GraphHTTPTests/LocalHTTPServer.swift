import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for exercising the real libcurl transport. It answers a fixed script of
/// replies (keep-alive unless a reply says otherwise), counts accepted connections, and stops by itself once the
/// script is used up or after a few idle seconds, whichever comes first.
final class LocalHTTPServer: @unchecked Sendable {
    struct Reply {
        var status: Int = 200
        var headers: [(String, String)] = []
        var body: String = ""
        /// Never answer this request (to provoke a client timeout).
        var silent = false
        /// Close the connection after answering.
        var close = false
    }

    struct Received {
        var method: String
        var target: String
        var headers: [String: String]
        var body: String
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Reply]
    private var receivedRequests: [Received] = []
    private var accepted = 0
    private let finished = DispatchSemaphore(value: 0)
    /// When set, computes each answer from the request (a verifying token endpoint); the script then only
    /// counts how many requests the server takes.
    private let responder: (@Sendable (Received) -> Reply)?

    /// The idle limit only ends a server whose client never came; it is generous so a loaded machine cannot stop
    /// the server before a slow client connects.
    init(script: [Reply], idleLimitSeconds: Int32 = 30, responder: (@Sendable (Received) -> Reply)? = nil) throws {
        self.script = script
        self.responder = responder
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve(idleLimitMilliseconds: idleLimitSeconds * 1000) }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var connectionsAccepted: Int { lock.withLock { accepted } }
    var requests: [Received] { lock.withLock { receivedRequests } }

    /// Waits until the server thread has exited.
    func waitUntilStopped() { finished.wait(); finished.signal() }

    private func serve(idleLimitMilliseconds: Int32) {
        var clients: [Int32: [UInt8]] = [:]
        defer {
            for fd in clients.keys { close(fd) }
            close(listener)
            finished.signal()
        }
        var lastReplyWasSilent = false
        while lock.withLock({ !script.isEmpty }) {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            fds += clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), idleLimitMilliseconds)
            guard ready > 0 else { return }  // idle too long: stop
            for entry in fds where entry.revents != 0 {
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
                while let (request, rest) = Self.parse(clients[entry.fd] ?? []) {
                    clients[entry.fd] = rest
                    let reply: Reply? = lock.withLock {
                        receivedRequests.append(request)
                        return script.isEmpty ? nil : script.removeFirst()
                    }
                    guard let reply = reply.map({ responder?(request) ?? $0 }) else { return }
                    lastReplyWasSilent = reply.silent
                    if reply.silent { continue }
                    send(reply, to: entry.fd)
                    if reply.close {
                        close(entry.fd)
                        clients[entry.fd] = nil
                        break
                    }
                }
            }
        }
        // Let a silent last request linger until the client gives up, so it sees a timeout and not a reset.
        var fds = clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if lastReplyWasSilent && !fds.isEmpty { _ = poll(&fds, nfds_t(fds.count), idleLimitMilliseconds) }
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
    static func parse(_ buffer: [UInt8]) -> (Received, [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, buffer.count - 3)).first(where: { Array(buffer[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let head = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head.first?.split(separator: " ").map(String.init) ?? []
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + 4
        guard buffer.count >= bodyStart + length else { return nil }
        let body = String(decoding: buffer[bodyStart..<bodyStart + length], as: UTF8.self)
        let received = Received(method: requestLine.first ?? "", target: requestLine.dropFirst().first ?? "",
                                headers: headers, body: body)
        return (received, Array(buffer[(bodyStart + length)...]))
    }
}

/// A loopback port that is bound but not listening, so connecting to it is refused; holding it bound keeps
/// parallel tests' servers from being handed the same port.
final class RefusingPort {
    let port: UInt16
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }
}
