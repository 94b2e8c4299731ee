import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct StateTests {
    @Test func stateRoundTripsThroughJSONWithSecretsMasked() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        await client.putSecrets(sp, baseAddress: "https://scim.example.com/v2", token: "very-secret")
        let exported = await client.call("GET", "/_emulator/state", authorized: false)
        #expect(exported.status == 200)
        #expect(!exported.text.contains("very-secret"))
        let document = try #require(exported.jsonBody)
        #expect(document["jobs"]?.arrayValue?.first?["id"]?.stringValue == job)

        let other = await EngineClient()
        #expect(await other.call("PUT", "/_emulator/state", document.serialized(), authorized: false).status == 204)
        #expect(await other.call("GET", "/_emulator/state", authorized: false).jsonBody == document)
        #expect(await other.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)").status == 200)
    }

    @Test func savedTenantKeepsCustomerMappings() async throws {
        // A tenant whose job schema already carries a customer-made mapping an apply must preserve.
        var schema = DefaultSchemaSource.scimSchema()
        schema["customerNote"] = "hand-edited in the portal"
        let document: JSONValue = [
            "servicePrincipals": [["id": "11111111-2222-3333-4444-555555555555", "appId": "a", "displayName": "Saved"]],
            "jobs": [["id": "scim.0123456789abcdef0123456789abcdef", "servicePrincipalId": "11111111-2222-3333-4444-555555555555", "statusCode": "Active", "schema": schema]],
            "secrets": ["11111111-2222-3333-4444-555555555555": [["key": "BaseAddress", "value": "https://x.example"], ["key": "SecretToken", "value": "real"]]],
        ]
        let state = try TenantState(json: document)
        let client = await EngineClient(state: state)
        let response = await client.call("GET", "/v1.0/servicePrincipals/11111111-2222-3333-4444-555555555555/synchronization/jobs/scim.0123456789abcdef0123456789abcdef/schema")
        #expect(response.jsonBody?["customerNote"] == "hand-edited in the portal")
        // Loaded secrets keep their real value for credential checks.
        let validate = await client.call("POST", "/v1.0/servicePrincipals/11111111-2222-3333-4444-555555555555/synchronization/jobs/scim.0123456789abcdef0123456789abcdef/validateCredentials", #"{"useSavedCredentials":true}"#)
        #expect(validate.status == 204)
    }

    @Test func invalidStateDocumentsAreRejected() async throws {
        #expect(throws: TenantStateError.self) { try TenantState(json: ["jobs": "nope"]) }
        #expect(throws: TenantStateError.self) { try TenantState(json: ["extra": []]) }
        #expect(throws: TenantStateError.self) { try TenantState(json: ["jobs": [["id": "x", "servicePrincipalId": "y", "statusCode": "Running"]]]) }
        let client = await EngineClient()
        #expect(await client.call("PUT", "/_emulator/state", "[1]", authorized: false).status == 400)
    }

    @Test func resetReturnsToInitialTenant() async throws {
        let client = await EngineClient()
        _ = try await client.instantiate()
        #expect(await client.call("POST", "/_emulator/reset", authorized: false).status == 204)
        let state = await client.engine.tenant()
        #expect(state.servicePrincipals.isEmpty)
        #expect(await client.engine.recordedRequests().isEmpty)
        // Tokens are forgotten too.
        #expect(await client.call("GET", "/v1.0/servicePrincipals").status == 401)
    }

    @Test func usersCanBeSeededOverHTTPAndDirectly() async throws {
        let client = await EngineClient()
        let created = await client.call("POST", "/_emulator/users", #"{"id":"u-1","userPrincipalName":"u1@contoso.example"}"#, authorized: false)
        #expect(created.status == 201)
        #expect(await client.call("POST", "/_emulator/users", #"{"userPrincipalName":"no-id"}"#, authorized: false).status == 400)
        let users = await client.engine.tenant().users.compactMap { $0["id"]?.stringValue }
        #expect(users.contains("u-1"))
    }

    @Test func clockCanBeAdvancedOverHTTP() async throws {
        var configuration = EmulatorConfiguration()
        configuration.tokenLifetimeSeconds = 5
        let client = await EngineClient(configuration)
        #expect(await client.call("POST", "/_emulator/clock", #"{"advanceSeconds":10}"#, authorized: false).status == 200)
        #expect(await client.call("GET", "/v1.0/servicePrincipals").status == 401)
        #expect(await client.call("POST", "/_emulator/clock", #"{"advanceSeconds":-1}"#, authorized: false).status == 400)
    }
}

@Suite struct HostileInputTests {
    @Test func extremeTimesInAStateFileDoNotTrap() async throws {
        let document: JSONValue = [
            "servicePrincipals": [["object": ["id": "sp-1", "appId": "a", "displayName": "Far"], "readableAfter": 1e300]],
            "jobs": [[
                "id": "scim.1", "servicePrincipalId": "sp-1", "statusCode": "Quarantine", "startedAt": -1e300,
                "quarantine": ["began": 1e300, "seriesCount": 3, "errorCode": "x", "errorMessage": "y"],
            ]],
        ]
        let client = await EngineClient(state: try TenantState(json: document))
        #expect(await client.call("GET", "/v1.0/servicePrincipals/sp-1").status == 404)
        let tenant = await client.engine.tenant()
        let job = try #require(tenant.jobs.first)
        let rendered = await client.engine.jobJSON(job)
        #expect(rendered["status"]?["quarantine"]?["currentBegan"] == "9999-12-31T23:59:59Z")
        #expect(await client.call("POST", "/_emulator/clock", #"{"advanceSeconds":1e300}"#, authorized: false).status == 400)
    }

    @Test func malformedRequestsGetErrorsNotCrashes() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let bodies = ["", "null", "[]", "{\"value\":7}", String(repeating: "[", count: 5_000), "{\"criteria\":\"x\"}", "\u{0}"]
        for body in bodies {
            for path in ["/synchronization/secrets", "/synchronization/jobs/\(job)/schema", "/synchronization/jobs/\(job)/restart", "/synchronization/jobs/\(job)/provisionOnDemand", "/synchronization/jobs"] {
                for method in ["PUT", "POST"] {
                    let status = await client.call(method, "/v1.0/servicePrincipals/\(sp)\(path)", body).status
                    #expect((200..<500).contains(status), "\(method) \(path) with \(body.prefix(10))")
                }
            }
        }
        #expect(await client.call("GET", "/v1.0/servicePrincipals/%ZZ/%").status == 404)
        #expect(await client.call("GET", "/v1.0/servicePrincipals?$filter=displayName eq 'unterminated").status == 400)
        #expect(await client.call("GET", "/v1.0/servicePrincipals?$filter=displayName eq 'a'b'").status == 400)
        #expect(await client.call("POST", "/t/oauth2/v2.0/token", "%%%&&&===", authorized: false).status == 400)
    }
}
