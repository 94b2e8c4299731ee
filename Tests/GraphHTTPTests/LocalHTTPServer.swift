import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scripted HTTP server for exercising the real libcurl transport: it answers a fixed list of replies in order
/// (keep-alive unless a reply says otherwise), and stops by itself once the list is used up. Tests end with
/// `await server.stop()`, which also ends a server whose script was not used up because the test failed.
final class LocalHTTPServer: Sendable {
    struct Reply: Sendable {
        var status: Int = 200
        var headers: [(String, String)] = []
        var body: String = ""
        /// Never answer this request (to provoke a client timeout).
        var silent = false
        /// Close the connection after answering.
        var close = false
    }

    typealias Received = LoopbackHTTPServer.Request

    private let server: LoopbackHTTPServer

    /// - Parameter responder: computes each answer from the request (a verifying token endpoint); the script then
    ///   only counts how many requests the server takes.
    init(script: [Reply], responder: (@Sendable (Received) -> Reply)? = nil) throws {
        let remaining = Script(script)
        server = try LoopbackHTTPServer(finished: { remaining.isEmpty }) { request in
            guard let scripted = remaining.next() else { return .silent }
            let reply = responder?(request) ?? scripted
            if reply.silent { return .silent }
            return .reply(.init(status: reply.status, headers: reply.headers, body: reply.body, close: reply.close))
        }
    }

    var port: UInt16 { server.port }
    var baseURL: String { server.baseURL }
    var connectionsAccepted: Int { server.connectionsAccepted }
    var requests: [Received] { server.requests }

    /// Stops the server (if the script has not already) and waits until its sockets are closed.
    func stop() async { await server.stop() }

    private final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var replies: [Reply]

        init(_ replies: [Reply]) { self.replies = replies }

        var isEmpty: Bool { lock.withLock { replies.isEmpty } }
        func next() -> Reply? { lock.withLock { replies.isEmpty ? nil : replies.removeFirst() } }
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
