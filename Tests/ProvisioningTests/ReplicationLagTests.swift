import Foundation
import GraphHTTP
import GraphModel
import Provisioning
import Testing

/// A GraphService that answers from a script and records what it was asked.
final class ScriptedGraph: GraphService, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [Result<JSONValue?, GraphError>]
    private(set) var calls: [String] = []

    init(_ script: [Result<JSONValue?, GraphError>]) { self.script = script }

    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion,
        idempotent: Bool?
    ) async throws -> JSONValue? {
        let next: Result<JSONValue?, GraphError> = lock.withLock {
            calls.append("\(method.rawValue) \(path)")
            return script.isEmpty ? .success(nil) : script.removeFirst()
        }
        return try next.get()
    }

    static func failure(_ status: Int, _ method: HTTPMethod = .get, path: String = "/x") -> Result<JSONValue?, GraphError> {
        .failure(GraphError(kind: .http, operation: "test", method: method, path: path, status: status, message: "stale"))
    }
}

@Suite struct ReplicationLagTests {
    let young = "11111111-2222-3333-4444-555555555555"

    func consistent(_ inner: ScriptedGraph, tracking ids: [String], deadline: Double = 60) -> (ConsistentGraph, WaitLog) {
        let tracker = ReplicationTracker()
        for id in ids { tracker.track(id) }
        let log = WaitLog()
        return (ConsistentGraph(inner, tracker: tracker, deadline: deadline, sleep: { log.add($0) }, random: { 0 }), log)
    }

    @Test func a404AboutAYoungObjectIsWaitedOutOptimistically() async throws {
        let inner = ScriptedGraph([ScriptedGraph.failure(404), ScriptedGraph.failure(404), .success(["id": "x"])])
        let (graph, waits) = consistent(inner, tracking: [young])
        let answer = try await graph.call(
            .get, "/servicePrincipals/\(young)", body: nil, operation: "read", version: .v1, idempotent: true)
        #expect(answer?["id"]?.stringValue == "x")
        #expect(inner.calls.count == 3)
        #expect(waits.all == [0.125, 0.25], "backoff starts small and doubles; nothing is waited before the first try")
    }

    @Test func aConsistentServiceCostsNoWait() async throws {
        let inner = ScriptedGraph([.success(["id": "x"])])
        let (graph, waits) = consistent(inner, tracking: [young])
        _ = try await graph.call(.get, "/servicePrincipals/\(young)", body: nil, operation: "read", version: .v1, idempotent: true)
        #expect(waits.all.isEmpty)
    }

    @Test func a404AboutAnObjectNobodyJustCreatedIsAnAnswer() async throws {
        let inner = ScriptedGraph([ScriptedGraph.failure(404), .success(nil)])
        let (graph, _) = consistent(inner, tracking: [young])
        await #expect(throws: GraphError.self) {
            _ = try await graph.call(.get, "/servicePrincipals/old-id", body: nil, operation: "read", version: .v1, idempotent: true)
        }
        #expect(inner.calls.count == 1)
    }

    @Test func status403And409CountOnlyOnSynchronizationPaths() async throws {
        let syncPath = "/servicePrincipals/\(young)/synchronization/secrets"
        let inner = ScriptedGraph([ScriptedGraph.failure(403), ScriptedGraph.failure(409), .success(nil)])
        let (graph, _) = consistent(inner, tracking: [young])
        _ = try await graph.call(.put, syncPath, body: [:], operation: "save", version: .v1, idempotent: true)
        #expect(inner.calls.count == 3)

        let directory = ScriptedGraph([ScriptedGraph.failure(403)])
        let (plain, _) = consistent(directory, tracking: [young])
        await #expect(throws: GraphError.self) {
            _ = try await plain.call(.get, "/servicePrincipals/\(young)", body: nil, operation: "read", version: .v1, idempotent: true)
        }
    }

    @Test func a409OnACreateIsLeftToTheCaller() async throws {
        let inner = ScriptedGraph([ScriptedGraph.failure(409, .post), .success(nil)])
        let (graph, _) = consistent(inner, tracking: [young])
        await #expect(throws: GraphError.self) {
            _ = try await graph.call(
                .post, "/servicePrincipals/\(young)/synchronization/jobs", body: [:], operation: "create", version: .v1,
                idempotent: false)
        }
        #expect(inner.calls.count == 1, "409 on a create may mean it exists: the caller looks before sending again")
    }

    @Test func theDeadlineEndsTheWait() async throws {
        let inner = ScriptedGraph(Array(repeating: ScriptedGraph.failure(404), count: 100))
        let (graph, waits) = consistent(inner, tracking: [young], deadline: 5)
        let error = await #expect(throws: GraphError.self) {
            _ = try await graph.call(.get, "/servicePrincipals/\(young)", body: nil, operation: "read", version: .v1, idempotent: true)
        }
        #expect(waits.all.reduce(0, +) <= 5)
        #expect(error?.message.contains("after a new object was created") == true)
    }
}

final class WaitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    func add(_ seconds: Double) { lock.withLock { waits.append(seconds) } }
    var all: [Double] { lock.withLock { waits } }
}
