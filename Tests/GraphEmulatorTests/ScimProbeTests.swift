import Foundation
import GraphModel
import Hummingbird
import ServiceLifecycle
import TestSupport
import Testing

@testable import GraphEmulator

/// A tiny SCIM endpoint on loopback that answers the connection test only for the right token.
struct StubScimServer {
    let task: Task<Void, any Error>
    let group: ServiceGroup
    let port: Int

    static func start(expectedToken: String) async throws -> StubScimServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let router = Router()
        router.get("scim/Users") { request, _ -> Response in
            guard request.headers[.authorization] == "Bearer \(expectedToken)",
                let filter = request.uri.queryParameters["filter"], filter.hasPrefix("userName eq \"")
            else { return Response(status: .unauthorized) }
            let body = #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"#
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        let application = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        let group = ServiceGroup(configuration: .init(services: [application], logger: application.logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return StubScimServer(task: task, group: group, port: port)
    }

    /// A graceful shutdown: cancelling the serving task can trap in NIO when a connection is still buffered.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// Runs `body` against a stub that accepts `expectedToken`, and stops the stub afterwards, also when `body` throws.
func withStubScimServer<T>(expectedToken: String, _ body: (StubScimServer) async throws -> T) async throws -> T {
    try await withStopping(try await StubScimServer.start(expectedToken: expectedToken), stop: { await $0.stop() }, body)
}

@Suite struct ScimProbeTests {
    @Test func realProbeQueriesUsersWithFilterAndToken() async throws {
        try await withStubScimServer(expectedToken: "vendor-token") { stub in
            let prober = URLSessionScimProber()
            let base = "http://127.0.0.1:\(stub.port)/scim"
            #expect(await prober.probe(baseURL: base, token: "vendor-token", userName: "3f1c0d7e-0000-4000-a000-000000000001") == .reachable)
            let refused = await prober.probe(baseURL: base, token: "wrong", userName: "x")
            #expect(refused == .failed("the SCIM endpoint answered HTTP 401 to the test query"))
        }
    }

    @Test func startQuarantinesWhenTheScimTargetRefusesTheToken() async throws {
        try await withStubScimServer(expectedToken: "vendor-token") { stub in
            var configuration = EmulatorConfiguration()
            configuration.scimTarget = "http://127.0.0.1:\(stub.port)/scim/"
            let client = await EngineClient(configuration, prober: URLSessionScimProber())
            let sp = try await client.instantiate()
            let job = try await client.createJob(sp)
            await client.putSecrets(sp, baseAddress: "https://vendor.example/scim", token: "wrong")
            await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/start")
            #expect(await client.jobStatus(sp, job) == "Quarantine")
            await client.putSecrets(sp, baseAddress: "https://vendor.example/scim", token: "vendor-token")
            await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/start")
            #expect(await client.jobStatus(sp, job) == "Active")
        }
    }
}
