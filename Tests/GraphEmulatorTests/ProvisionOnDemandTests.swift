import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct ProvisionOnDemandTests {
    func body(rule: String, user: String) -> String {
        #"{"parameters":[{"subjects":[{"objectId":"\#(user)","objectTypeName":"User"}],"ruleId":"\#(rule)"}]}"#
    }

    func ruleId(_ client: EngineClient, _ sp: String, _ job: String) async throws -> String {
        let schema = await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/schema").jsonBody
        return try #require(schema?["synchronizationRules"]?.arrayValue?.first?["id"]?.stringValue)
    }

    @Test func answersJSONInStringKeyValuePair() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        await client.putSecrets(sp, baseAddress: "https://scim.example.com/v2", token: "t")
        try await client.engine.seedUser(["id": "9bb0f679-a883-4a6f-8260-35b491b8b8c8", "userPrincipalName": "BillBob@contoso.com", "displayName": "Bill Bob", "mailNickname": "Bill"])
        let rule = try await ruleId(client, sp, job)
        let response = await client.call(
            "POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/provisionOnDemand",
            body(rule: rule, user: "9bb0f679-a883-4a6f-8260-35b491b8b8c8"))
        #expect(response.status == 200)
        let outer = try #require(response.jsonBody)
        #expect(outer["@odata.context"]?.stringValue?.hasSuffix("microsoft.graph.stringKeyStringValuePair") == true)
        let key = try JSONValue(parsing: try #require(outer["key"]?.stringValue))
        let value = try JSONValue(parsing: try #require(outer["value"]?.stringValue))
        #expect(key["result"] != nil)
        #expect(value["reportableIdentifier"] == "BillBob@contoso.com")
        #expect(value["sourceSystem"]?["name"] == "Azure Active Directory")
        #expect(value["targetSystem"]?["name"] == "customappsso")
        let modified = try #require(value["modifiedProperties"]?.arrayValue)
        #expect(modified.contains { $0["displayName"] == "userName" && $0["newValue"] == "BillBob@contoso.com" })
        #expect(modified.contains { $0["displayName"] == "externalId" && $0["newValue"] == "Bill" })
        let steps = try #require(value["provisioningSteps"]?.arrayValue)
        #expect(steps.map { $0["type"]?.stringValue } == ["Import", "Matching", "Scoping", "Export"])
    }

    @Test func failsWhenCredentialsAreMissing() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let rule = try await ruleId(client, sp, job)
        let response = await client.call(
            "POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/provisionOnDemand",
            body(rule: rule, user: "5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13"))
        #expect(response.status == 200)
        let key = try JSONValue(parsing: try #require(response.jsonBody?["key"]?.stringValue))
        #expect(key["result"] == "Failure")
    }

    @Test func rejectsUnknownRuleAndUser() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let rule = try await ruleId(client, sp, job)
        let path = "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/provisionOnDemand"
        #expect(await client.call("POST", path, body(rule: "nope", user: "5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13")).status == 400)
        #expect(await client.call("POST", path, body(rule: rule, user: "00000000-0000-0000-0000-000000000001")).status == 404)
        #expect(await client.call("POST", path, "{}").status == 400)
    }

    @Test func documentedRateLimitIsEnforcedWhenSwitchedOn() async throws {
        var configuration = EmulatorConfiguration()
        configuration.enforceProvisionOnDemandLimit = true
        let client = await EngineClient(configuration)
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let rule = try await ruleId(client, sp, job)
        let path = "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/provisionOnDemand"
        var statuses: [Int] = []
        for _ in 0..<6 {
            statuses.append(await client.call("POST", path, body(rule: rule, user: "5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13")).status)
        }
        #expect(statuses == [200, 200, 200, 200, 200, 429])
        await client.engine.advanceClock(seconds: 11)
        #expect(await client.call("POST", path, body(rule: rule, user: "5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13")).status == 200)
    }
}
