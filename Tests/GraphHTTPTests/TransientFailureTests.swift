import Foundation
import GraphModel
import Testing
@testable import GraphHTTP

/// What is repeated after a passing failure, and what never is.
@Suite struct TransientFailureTests {
    let secretEnvironment = [
        "AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1", "AZURE_CLIENT_SECRET": "a-client-secret",
    ]
    let issued = HTTPResponse.json(200, #"{"token_type":"Bearer","expires_in":3599,"access_token":"issued-token"}"#)

    func chain(_ script: [Result<HTTPResponse, HTTPTransportError>], clock: VirtualClock)
        throws -> (CredentialChain, InMemoryTransport)
    {
        let transport = InMemoryTransport(script: script)
        return (try CredentialChain(environment: secretEnvironment, transport: transport, redactor: Redactor(), clock: clock), transport)
    }

    @Test func theTokenEndpointIsRetriedAfterThrottlingServerErrorsAndResets() async throws {
        let clock = VirtualClock()
        let (chain, transport) = try chain([
            .success(.json(429, #"{"error":"temporarily_unavailable"}"#, headers: ["Retry-After": "3"])),
            .success(.json(503, #"{"error":"temporarily_unavailable"}"#)),
            .failure(HTTPTransportError(kind: .connectionReset, message: "reset")),
            .success(issued),
        ], clock: clock)
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token")
        #expect(transport.requests.count == 4)
        #expect(clock.sleeps.first == 3, "Retry-After is honoured")
        #expect(clock.sleeps.count == 3)
    }

    @Test func aRefusedCredentialIsNotRetried() async throws {
        let (chain, transport) = try chain([
            .success(.json(401, #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret."}"#)),
            .success(issued),
        ], clock: VirtualClock())
        await #expect(throws: AuthenticationError.self) { try await chain.accessToken(forceRenewal: false) }
        #expect(transport.requests.count == 1)
    }

    @Test func theTokenEndpointGivesUpAfterAFewAttempts() async throws {
        let (chain, transport) = try chain(
            Array(repeating: .success(.json(500, #"{"error":"server_error"}"#)), count: 6), clock: VirtualClock())
        let error = await #expect(throws: AuthenticationError.self) { try await chain.accessToken(forceRenewal: false) }
        #expect(transport.requests.count == 4)
        #expect(error?.message.contains("gave up after 4 attempts") == true)
        #expect(error?.description.contains("a-client-secret") == false)
    }

    @Test(arguments: [500, 502])
    func idempotentGraphRequestsAreRepeatedAfter500And502(status code: Int) async throws {
        let harness = ClientHarness(script: [status(code), status(code), status(200, body: #"{"value":[]}"#)])
        _ = try await harness.client.send(.get, "/servicePrincipals", operation: "list")
        #expect(harness.transport.requests.count == 3)
        let put = ClientHarness(script: [status(code), status(204)])
        _ = try await put.client.send(.put, "/x/secrets", body: ["value": []], operation: "save")
        #expect(put.transport.requests.count == 2)
    }

    @Test func aCreateIsNeitherRepeatedNorSentOnAReusedConnection() async throws {
        let harness = ClientHarness(script: [status(500), status(201, body: "{}")])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.post, "/applicationTemplates/x/instantiate", body: ["displayName": "A"],
                                              operation: "create", idempotent: false)
        }
        #expect(error?.isAmbiguous == true)
        #expect(harness.transport.requests.count == 1)
        #expect(harness.transport.requests.first?.requiresFreshConnection == true)

        let read = ClientHarness(script: [status(200, body: "{}")])
        _ = try await read.client.send(.get, "/x", operation: "read")
        #expect(read.transport.requests.first?.requiresFreshConnection == false)
        let action = ClientHarness(script: [status(204)])
        _ = try await action.client.send(.post, "/x/start", operation: "start", idempotent: true)
        #expect(action.transport.requests.first?.requiresFreshConnection == false)
    }
}
