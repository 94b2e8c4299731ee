import Foundation
import GraphModel
import Testing
@testable import GraphHTTP

@Suite struct CurlTransportTests {
    func makeTransport(timeout: Duration = .seconds(10)) throws -> CurlTransport {
        try CurlTransport(configuration: .init(version: "9.9.9-test", connectTimeout: timeout))
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try LocalHTTPServer(script: [
            .init(body: #"{"n":1}"#), .init(status: 201, headers: [("request-id", "rid-2")], body: #"{"n":2}"#),
            .init(status: 204),
        ])
        let transport = try makeTransport()
        let first = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/v1.0/a?x=1",
                                                         headers: ["client-request-id": "crid-1"]))
        let second = try await transport.send(HTTPRequest(
            method: .post, url: server.baseURL + "/v1.0/b", headers: ["Content-Type": "application/json"],
            body: Array(#"{"displayName":"x"}"#.utf8)))
        let third = try await transport.send(HTTPRequest(method: .delete, url: server.baseURL + "/v1.0/c"))
        await server.stop()

        #expect(first.status == 200)
        #expect(first.bodyText == #"{"n":1}"#)
        #expect(second.status == 201)
        #expect(second.requestID == "rid-2")
        #expect(second.headers["REQUEST-ID"] == "rid-2")
        #expect(third.status == 204)
        #expect(third.body.isEmpty)

        #expect(server.connectionsAccepted == 1)
        #expect(transport.statistics == ConnectionStatistics(requestsSent: 3, connectionsOpened: 1))
        let received = server.requests
        #expect(received.map(\.method) == ["GET", "POST", "DELETE"])
        #expect(received.map(\.target) == ["/v1.0/a?x=1", "/v1.0/b", "/v1.0/c"])
        #expect(received.first?.headers["user-agent"] == "scimctl/9.9.9-test")
        #expect(received.first?.headers["client-request-id"] == "crid-1")
        #expect(received.dropFirst().first?.body == #"{"displayName":"x"}"#)
        #expect(received.dropFirst().first?.headers["expect"] == nil)
    }

    @Test func putBodiesAndRetryAfterAreCaptured() async throws {
        let server = try LocalHTTPServer(script: [
            .init(status: 429, headers: [("Retry-After", "3"), ("request-id", "r-429")], body: "{}"),
        ])
        let transport = try makeTransport()
        let response = try await transport.send(HTTPRequest(
            method: .put, url: server.baseURL + "/schema", body: Array(String(repeating: "x", count: 200_000).utf8)))
        await server.stop()
        #expect(response.status == 429)
        #expect(response.headers["retry-after"] == "3")
        #expect(response.transportRetryAfter == 3)
        #expect(server.requests.first?.method == "PUT")
        #expect(server.requests.first?.body.count == 200_000)
    }

    @Test func plainHTTPToARemoteHostIsRefusedBeforeSending() async throws {
        let transport = try makeTransport()
        for url in ["http://graph.microsoft.com/v1.0/me", "http://10.1.2.3/x", "ftp://127.0.0.1/x", "file:///etc/passwd"] {
            let error = await #expect(throws: HTTPTransportError.self) {
                _ = try await transport.send(HTTPRequest(method: .get, url: url))
            }
            #expect(error?.kind == .insecureURL)
            #expect(error?.requestNotSent == true)
        }
        #expect(transport.statistics.requestsSent == 0)
    }

    @Test func loopbackRecognition() {
        for host in ["127.0.0.1", "127.200.3.4", "localhost", "LOCALHOST", "::1"] {
            #expect(URLPolicy.isLoopback(host: host), "\(host)")
        }
        for host in ["128.0.0.1", "127.0.0", "127.0.0.1.example.com", "localhost.evil.com", "::2", "10.0.0.1"] {
            #expect(!URLPolicy.isLoopback(host: host), "\(host)")
        }
        #expect((try? URLPolicy.check("http://[::1]:8080/x"))?.isLoopback == true)
    }

    @Test func refusedConnectionIsReportedAsNotSent() async throws {
        let closed = try RefusingPort()
        let transport = try makeTransport()
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(HTTPRequest(method: .post, url: "http://127.0.0.1:\(closed.port)/x"))
        }
        withExtendedLifetime(closed) {}
        #expect(error?.kind == .connectionFailed)
        #expect(error?.requestNotSent == true)
    }

    @Test func silentServerTimesOut() async throws {
        let server = try LocalHTTPServer(script: [.init(silent: true)])
        let transport = try makeTransport()
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/slow", timeout: .milliseconds(300)))
        }
        #expect(error?.kind == .timeout)
        #expect(error?.requestNotSent == false)
        await server.stop()
    }

    @Test func graphClientOverCurlRetriesOnOneConnection() async throws {
        let server = try LocalHTTPServer(script: [
            .init(status: 503, headers: [("Retry-After", "0")], body: #"{"error":{"code":"serviceNotAvailable","message":"busy"}}"#),
            .init(status: 200, headers: [("Content-Type", "application/json")], body: #"{"value":[{"id":"job1"}]}"#),
        ])
        let transport = try makeTransport()
        let clock = VirtualClock()
        let client = GraphClient(baseURL: server.baseURL, transport: transport, tokens: CountingTokenProvider(),
                                 redactor: Redactor(), clock: clock)
        let jobs = try await client.send(.get, "/servicePrincipals/sp/synchronization/jobs", operation: "list the jobs")
        await server.stop()
        #expect(jobs?["value"]?.arrayValue?.first?["id"] == "job1")
        #expect(clock.sleeps == [0])
        #expect(server.connectionsAccepted == 1)
        #expect(server.requests.map { $0.headers["authorization"] } == ["Bearer test-token-1", "Bearer test-token-1"])
        let ids = server.requests.compactMap { $0.headers["client-request-id"] }
        #expect(ids.count == 2 && Set(ids).count == 2)
    }

    @Test func concurrentRequestsShareTheTransport() async throws {
        let server = try LocalHTTPServer(script: Array(repeating: .init(body: "{}"), count: 8))
        let transport = try CurlTransport(configuration: .init(version: "t", maximumConcurrentRequests: 2))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask { try await transport.send(HTTPRequest(method: .get, url: server.baseURL + "/\(index)")).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await server.stop()
        #expect(statuses == Array(repeating: 200, count: 8))
        #expect(transport.statistics.requestsSent == 8)
        #expect(transport.statistics.connectionsOpened <= 2)
    }
}
