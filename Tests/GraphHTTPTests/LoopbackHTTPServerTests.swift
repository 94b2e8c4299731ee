import TestSupport
import Testing

@testable import GraphHTTP

/// The shared loopback server's lifetime: listening before its port is handed out, closed once `stop()` returns.
struct LoopbackHTTPServerTests {
    @Test func listensBeforeTheInitialiserReturnsAndIsClosedAfterStop() async throws {
        let server = try LoopbackHTTPServer { _ in .reply(.init(body: "ok")) }
        // No wait of any kind: the socket is listening when init returns, whether or not the thread has run.
        #expect(loopbackPortAcceptsConnections(Int(server.port)))
        await server.stop()
        #expect(!server.isRunning)
        #expect(!loopbackPortAcceptsConnections(Int(server.port)))
    }

    @Test func aScriptedServerAnswersAndIsClosedAfterStop() async throws {
        let server = try LocalHTTPServer(script: [.init(body: "{}")])
        let transport = try CurlTransport(configuration: .init(version: "t"))
        let response = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/once"))
        #expect(response.status == 200)
        await server.stop()
        #expect(server.requests.map(\.target) == ["/once"])
        #expect(!loopbackPortAcceptsConnections(Int(server.port)))
    }
}
