import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct CredentialTests {
    func path(_ sp: String, _ job: String) -> String {
        "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/validateCredentials"
    }

    @Test func offeredCredentialsNeedHttpsBaseAddressAndToken() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let good = await client.call("POST", path(sp, job), #"{"credentials":[{"key":"BaseAddress","value":"https://scim.example.com/v2"},{"key":"SecretToken","value":"t"}]}"#)
        #expect(good.status == 204)
        let http = await client.call("POST", path(sp, job), #"{"credentials":[{"key":"BaseAddress","value":"http://scim.example.com/v2"},{"key":"SecretToken","value":"t"}]}"#)
        #expect(http.status == 400)
        #expect(http.jsonBody?["error"]?["code"] == "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable")
        let noToken = await client.call("POST", path(sp, job), #"{"credentials":[{"key":"BaseAddress","value":"https://scim.example.com/v2"}]}"#)
        #expect(noToken.status == 400)
    }

    @Test func savedCredentialsAreUsedWhenAsked() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        #expect(await client.call("POST", path(sp, job), #"{"useSavedCredentials":true}"#).status == 400)
        await client.putSecrets(sp, baseAddress: "https://scim.example.com/v2", token: "t")
        // Saved credentials win even when others are offered.
        let response = await client.call("POST", path(sp, job), #"{"useSavedCredentials":true,"credentials":[{"key":"BaseAddress","value":"ftp://x"}]}"#)
        #expect(response.status == 204)
    }

    @Test func oauthClientCredentialsNeedTheirOwnKeys() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let partial = await client.call("POST", path(sp, job), #"{"credentials":[{"key":"BaseAddress","value":"https://s.example/scim"},{"key":"AuthenticationType","value":"OAuth2ClientCredentialsGrant"},{"key":"Oauth2ClientId","value":"id"}]}"#)
        #expect(partial.status == 400)
        let complete = await client.call("POST", path(sp, job), #"{"credentials":[{"key":"BaseAddress","value":"https://s.example/scim"},{"key":"AuthenticationType","value":"OAuth2ClientCredentialsGrant"},{"key":"Oauth2ClientId","value":"id"},{"key":"Oauth2ClientSecret","value":"s"},{"key":"Oauth2TokenExchangeUri","value":"https://s.example/token"}]}"#)
        #expect(complete.status == 204)
    }

    @Test func scimTargetIsReallyQueriedWithARandomUserName() async throws {
        var configuration = EmulatorConfiguration()
        configuration.scimTarget = "http://127.0.0.1:9/scim"
        let prober = RecordingProber(result: .failed("the SCIM endpoint answered HTTP 401 to the test query"))
        let client = await EngineClient(configuration, prober: prober)
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let response = await client.call("POST", path(sp, job), #"{"credentials":[{"key":"BaseAddress","value":"https://scim.example.com"},{"key":"SecretToken","value":"vendor-token"}]}"#)
        #expect(response.status == 400)
        #expect(response.jsonBody?["error"]?["message"]?.stringValue?.contains("401") == true)
        #expect(!response.text.contains("vendor-token"))
        let call = try #require(prober.recorded.first)
        #expect(call.baseURL == "http://127.0.0.1:9/scim")
        #expect(call.token == "vendor-token")
        #expect(call.userName.count == 36)
    }

    @Test func scimTargetMustBeHttpsOrLoopback() throws {
        #expect(throws: EmulatorConfigurationError.self) { try EmulatorConfiguration.checkedScimTarget("http://scim.example.com") }
        #expect(try EmulatorConfiguration.checkedScimTarget("http://localhost:8080/scim") == "http://localhost:8080/scim")
        #expect(try EmulatorConfiguration.checkedScimTarget("https://scim.example.com") == "https://scim.example.com")
        #expect(throws: EmulatorConfigurationError.self) { try EmulatorConfiguration.checkedScimTarget("not a url") }
    }
}
