import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct TokenAndAuthTests {
    let form = "grant_type=client_credentials&client_id=535fb089-9ff3-47b6-9bfb-4f1264799865&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"

    @Test func clientSecretGrantIssuesBearerTokenWithConfiguredLifetime() async throws {
        var configuration = EmulatorConfiguration()
        configuration.tokenLifetimeSeconds = 120
        let client = await EngineClient(configuration)
        let response = await client.call("POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token", form + "&client_secret=sampleCredentials", authorized: false)
        #expect(response.status == 200)
        let body = try #require(response.jsonBody)
        #expect(body["token_type"] == "Bearer")
        #expect(body["expires_in"] == 120)
        let token = try #require(body["access_token"]?.stringValue)
        let graph = await client.call("GET", "/v1.0/servicePrincipals", headers: ["Authorization": "Bearer \(token)"], authorized: false)
        #expect(graph.status == 200)
    }

    @Test func clientAssertionGrantAcceptsJWTShapedAssertion() async throws {
        let client = await EngineClient()
        let body = form + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJhbGciOiJQUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln"
        let response = await client.call("POST", "/tenant/oauth2/v2.0/token", body, authorized: false)
        #expect(response.status == 200)
        #expect(response.jsonBody?["access_token"]?.stringValue?.isEmpty == false)
    }

    @Test func basicAuthenticationCarriesClientCredentials() async throws {
        let client = await EngineClient()
        // "app:secret" in base64.
        let response = await client.call(
            "POST", "/tenant/oauth2/v2.0/token",
            "grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
            headers: ["Authorization": "Basic YXBwOnNlY3JldA=="], authorized: false)
        #expect(response.status == 200)
    }

    @Test func tokenErrorsUseEntraErrorShape() async throws {
        let client = await EngineClient()
        let missingSecret = await client.call("POST", "/tenant/oauth2/v2.0/token", form, authorized: false)
        #expect(missingSecret.status == 401)
        #expect(missingSecret.jsonBody?["error"] == "invalid_client")
        #expect(missingSecret.jsonBody?["error_codes"] == [7_000_216])
        #expect(missingSecret.jsonBody?["trace_id"]?.stringValue != nil)
        #expect(missingSecret.jsonBody?["correlation_id"]?.stringValue != nil)

        let badScope = await client.call(
            "POST", "/tenant/oauth2/v2.0/token",
            "grant_type=client_credentials&client_id=a&client_secret=b&scope=https%3A%2F%2Fgraph.microsoft.com%2FUser.Read", authorized: false)
        #expect(badScope.status == 400)
        #expect(badScope.jsonBody?["error"] == "invalid_scope")

        let badGrant = await client.call("POST", "/tenant/oauth2/v2.0/token", "grant_type=password&client_id=a", authorized: false)
        #expect(badGrant.jsonBody?["error"] == "unsupported_grant_type")

        let badAssertion = await client.call(
            "POST", "/tenant/oauth2/v2.0/token",
            form + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=notajwt",
            authorized: false)
        #expect(badAssertion.jsonBody?["error"] == "invalid_client")
    }

    @Test func tokenErrorsNeverEchoTheSecret() async throws {
        let client = await EngineClient()
        let response = await client.call(
            "POST", "/tenant/oauth2/v2.0/token",
            "grant_type=client_credentials&client_id=a&client_secret=TopSecret123&scope=bad", authorized: false)
        #expect(response.status == 400)
        #expect(!response.text.contains("TopSecret123"))
    }

    @Test func graphRejectsMissingUnknownAndExpiredTokens() async throws {
        var configuration = EmulatorConfiguration()
        configuration.tokenLifetimeSeconds = 60
        let client = await EngineClient(configuration)

        let missing = await client.call("GET", "/v1.0/servicePrincipals", authorized: false)
        #expect(missing.status == 401)
        #expect(missing.jsonBody?["error"]?["code"] == "InvalidAuthenticationToken")
        #expect(missing.jsonBody?["error"]?["innerError"]?["request-id"]?.stringValue != nil)
        #expect(missing.headers["WWW-Authenticate"] != nil)

        let unknown = await client.call("GET", "/v1.0/servicePrincipals", headers: ["Authorization": "Bearer nope"], authorized: false)
        #expect(unknown.status == 401)

        #expect(await client.call("GET", "/v1.0/servicePrincipals").status == 200)
        await client.engine.advanceClock(seconds: 61)
        let expired = await client.call("GET", "/v1.0/servicePrincipals")
        #expect(expired.status == 401)
        #expect(expired.jsonBody?["error"]?["message"]?.stringValue?.contains("expired") == true)
    }

    @Test func staticTokensNeverExpire() async throws {
        var configuration = EmulatorConfiguration()
        configuration.staticTokens = ["ci-token"]
        let client = await EngineClient(configuration)
        await client.engine.advanceClock(seconds: 1_000_000)
        let response = await client.call("GET", "/beta/servicePrincipals", headers: ["Authorization": "Bearer ci-token"], authorized: false)
        #expect(response.status == 200)
    }
}
