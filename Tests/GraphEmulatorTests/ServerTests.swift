import Foundation
import GraphModel
import Testing

@testable import GraphEmulator

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct ServerTests {
    @Test func fullFlowOverLoopbackHTTP() async throws {
        let emulator = GraphEmulator()
        let http = try await withServing(emulator) { port in
            #expect(port > 0)
            let http = HTTPTestClient(base: "http://127.0.0.1:\(port)")
            let token = try await http.send(
                "POST", "/contoso/oauth2/v2.0/token",
                body: "client_id=535fb089&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=sampleCredentials&grant_type=client_credentials",
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(token.status == 200)
            let bearer = ["Authorization": "Bearer \(token.json?["access_token"]?.stringValue ?? "")", "Content-Type": "application/json"]
            let created = try await http.send(
                "POST", "/beta/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
                body: #"{"displayName":"testProperties"}"#, headers: bearer)
            #expect(created.status == 201)
            #expect(created.headers["request-id"] != nil)
            let sp = try #require(created.json?["servicePrincipal"]?["id"]?.stringValue)
            let job = try await http.send("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs", body: #"{"templateId":"scim"}"#, headers: bearer)
            #expect(job.status == 201)
            let unauthenticated = try await http.send("GET", "/v1.0/servicePrincipals/\(sp)")
            #expect(unauthenticated.status == 401)
            let state = await emulator.engine.tenant()
            #expect(state.jobs.count == 1)
            return http
        }
        // Once `withServing` returns, nothing answers on the port any more.
        await #expect(throws: (any Error).self) { _ = try await http.send("GET", "/_emulator/state") }
    }

    @Test func droppedConnectionGivesNoResponse() async throws {
        var configuration = EmulatorConfiguration()
        configuration.dropRate = 1
        try await withServing(GraphEmulator(configuration: configuration)) { port in
            let http = HTTPTestClient(base: "http://127.0.0.1:\(port)")
            await #expect(throws: (any Error).self) { _ = try await http.send("GET", "/v1.0/servicePrincipals") }
            // The server keeps serving after dropping a connection.
            let status = try await http.send("GET", "/_emulator/requests").status
            #expect(status == 200)
        }
    }

    @Test func startingTwiceFails() async throws {
        let emulator = GraphEmulator()
        try await withServing(emulator) { _ in
            _ = await #expect(throws: GraphEmulatorError.alreadyRunning) { _ = try await emulator.start(port: 0) }
        }
    }

    @Test func busyPortIsReported() async throws {
        try await withServing(GraphEmulator()) { port in
            let second = GraphEmulator()
            await #expect(throws: GraphEmulatorError.self) { _ = try await second.start(port: port) }
        }
    }
}
