import Foundation
import Testing

@testable import GraphHTTP

/// Managed identity against a loopback stand-in for IMDS and the App Service identity endpoint. These tests never
/// send anything to 169.254.169.254: the IMDS endpoint is replaced by the local server's URL.
@Suite("managed identity")
struct ManagedIdentityTests {
    func makeTransport() throws -> CurlTransport {
        try CurlTransport(configuration: .init(version: "9.9.9-test", connectTimeout: .seconds(10)))
    }

    static let tokenReply = LocalHTTPServer.Reply(
        headers: [("Content-Type", "application/json")],
        body: #"{"access_token":"mi-access-token-value","expires_on":"1750003600","resource":"https://graph.microsoft.com","token_type":"Bearer"}"#)

    @Test func instanceMetadataServiceWhenAskedForByName() async throws {
        let server = try LocalHTTPServer(script: [Self.tokenReply])
        let chain = try CredentialChain(
            environment: ["AZURE_TOKEN_CREDENTIALS": "ManagedIdentityCredential", "AZURE_CLIENT_ID": "uai-client-id"],
            transport: try makeTransport(), redactor: Redactor(), clock: VirtualClock(),
            instanceMetadataEndpoint: server.baseURL + "/metadata/identity/oauth2/token")
        #expect(chain.describe().method == .managedIdentity)
        #expect(chain.describe().clientID == "uai-client-id")
        #expect(try await chain.accessToken(forceRenewal: false) == "mi-access-token-value")
        await server.stop()
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(
            request.target
                == "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fgraph.microsoft.com&client_id=uai-client-id")
        #expect(request.headers["metadata"] == "true")
    }

    @Test func appServiceEndpointIsChosenFromItsVariables() async throws {
        let server = try LocalHTTPServer(script: [Self.tokenReply])
        let redactor = Redactor()
        let chain = try CredentialChain(
            environment: ["IDENTITY_ENDPOINT": server.baseURL + "/msi/token", "IDENTITY_HEADER": "identity-header-secret"],
            cloud: .usgov, transport: try makeTransport(), redactor: redactor, clock: VirtualClock())
        #expect(chain.describe().method == .managedIdentity)
        #expect(chain.describe().clientID == "system-assigned")
        #expect(chain.describe().description.contains("identity-header-secret") == false)
        let token = try await chain.credential.requestToken()
        #expect(token.value == "mi-access-token-value")
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_750_003_600))
        await server.stop()
        let request = try #require(server.requests.first)
        #expect(request.target == "/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fgraph.microsoft.us")
        #expect(request.headers["x-identity-header"] == "identity-header-secret")
        #expect(request.headers["metadata"] == nil)
        // The header is a secret of the process: masked wherever it could appear.
        #expect(!redactor.redact("header identity-header-secret").contains("identity-header-secret"))
        #expect(!redactor.redact("mi-access-token-value").contains("mi-access-token-value"))
    }

    @Test func noIdentityAssignedIsAClearError() async throws {
        let server = try LocalHTTPServer(script: [
            .init(status: 400, body: #"{"error":"invalid_request","error_description":"Identity not found"}"#)
        ])
        let credential = ManagedIdentityCredential(
            source: .instanceMetadata(endpoint: server.baseURL + "/metadata/identity/oauth2/token"), clientID: nil,
            resource: GraphCloud.global.graphURL, transport: try makeTransport(), redactor: Redactor(), clock: VirtualClock())
        let error = await #expect(throws: AuthenticationError.self) { _ = try await credential.requestToken() }
        await server.stop()
        #expect(error?.message == "the managed identity endpoint answered HTTP 400: Identity not found")
        #expect(error?.code == "invalid_request")
        #expect(error?.hint?.contains("no managed identity is assigned") == true)
    }

    @Test func environmentCredentialsComeFirstAndNothingSelectsIMDSImplicitly() throws {
        let both = try CredentialChain(
            environment: [
                "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "client-secret-value",
                "IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token", "IDENTITY_HEADER": "h-secret-value",
            ], transport: InMemoryTransport(script: []), redactor: Redactor())
        #expect(both.describe().method == .clientSecret)
        // Without IDENTITY_* or AZURE_TOKEN_CREDENTIALS (and no az on PATH) there is no managed identity guess.
        #expect(throws: AuthenticationError.self) {
            _ = try CredentialChain(
                environment: ["PATH": "/nonexistent"], transport: InMemoryTransport(script: []), redactor: Redactor())
        }
    }

    @Test func plainHTTPIsAllowedToIMDSAndNowhereElseOffLoopback() throws {
        let imds = try URLPolicy.check("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01")
        #expect(imds.isLoopback)
        for url in ["http://169.254.169.253/metadata", "http://169.254.169.254.example.com/x", "http://10.0.0.1/x"] {
            #expect(throws: HTTPTransportError.self, "\(url)") { _ = try URLPolicy.check(url) }
        }
        #expect(try URLPolicy.check("https://169.254.169.254/x").isLoopback == false)
    }
}
