import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct JobTests {
    @Test func createdJobMatchesDocumentedShape() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let response = await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs", #"{"templateId":"scim"}"#)
        #expect(response.status == 201)
        let job = try #require(response.jsonBody)
        let id = try #require(job["id"]?.stringValue)
        #expect(id.hasPrefix("scim."))
        #expect(id.count == "scim.".count + 32)
        #expect(job["templateId"] == "scim")
        #expect(job["schedule"]?["interval"] == "P10675199DT2H48M5.4775807S")
        #expect(job["schedule"]?["state"] == "Disabled")
        #expect(job["status"]?["code"] == "NotConfigured")
        #expect(job["status"]?["quarantine"] == .null)
        #expect(job["status"]?["steadyStateFirstAchievedTime"] == "0001-01-01T00:00:00Z")
    }

    @Test func createRequiresAListedTemplate() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let unknown = await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs", #"{"templateId":"BoxOutDelta"}"#)
        #expect(unknown.status == 400)
        let missing = await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs", "{}")
        #expect(missing.status == 400)
    }

    @Test func listGetAndDelete() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let list = await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs")
        #expect(list.jsonBody?["value"]?.arrayValue?.map { $0["id"]?.stringValue } == [job])
        #expect(await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)").status == 200)
        #expect(await client.call("DELETE", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)").status == 204)
        #expect(await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)").status == 404)
    }

    @Test func startWithoutCredentialsQuarantines() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        #expect(await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/start").status == 204)
        let body = await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)").jsonBody
        #expect(body?["status"]?["code"] == "Quarantine")
        #expect(body?["status"]?["quarantine"]?["reason"] == "EncounteredQuarantineException")
        #expect(body?["status"]?["quarantine"]?["error"]?["tenantActionable"] == true)
    }

    @Test func startWithPlainHttpBaseAddressQuarantines() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        #expect(await client.putSecrets(sp, baseAddress: "http://scim.example.com/v2", token: "t").status == 204)
        await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/start")
        #expect(await client.jobStatus(sp, job) == "Quarantine")
    }

    @Test func startWithValidCredentialsGoesNotRunThenActive() async throws {
        var configuration = EmulatorConfiguration()
        configuration.firstCycleMilliseconds = 60_000
        let client = await EngineClient(configuration)
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        await client.putSecrets(sp, baseAddress: "https://scim.example.com/v2", token: "t")
        await client.call("POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/start")
        #expect(await client.jobStatus(sp, job) == "NotRun")
        await client.engine.advanceClock(seconds: 61)
        let body = await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)").jsonBody
        #expect(body?["status"]?["code"] == "Active")
        #expect(body?["schedule"]?["state"] == "Active")
        #expect(body?["status"]?["lastExecution"]?["state"] == "Succeeded")
    }

    @Test func pauseAndRestartWithDocumentedScopes() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let base = "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)"
        await client.call("POST", base + "/start")
        #expect(await client.jobStatus(sp, job) == "Quarantine")
        await client.putSecrets(sp, baseAddress: "https://scim.example.com/v2", token: "t")
        // Restarting without lifting quarantine leaves the job quarantined.
        #expect(await client.call("POST", base + "/restart", #"{"criteria":{"resetScope":"Watermark"}}"#).status == 204)
        #expect(await client.jobStatus(sp, job) == "Quarantine")
        #expect(await client.call("POST", base + "/restart", #"{"criteria":{"resetScope":"Watermark, Escrows, QuarantineState"}}"#).status == 204)
        #expect(await client.jobStatus(sp, job) == "Active")
        #expect(await client.call("POST", base + "/pause").status == 204)
        #expect(await client.jobStatus(sp, job) == "Paused")
        #expect(await client.call("POST", base + "/restart", #"{"criteria": {"resetScope": "ForceDeletes"}}"#).status == 204)
        #expect(await client.call("POST", base + "/restart", #"{"criteria":{"resetScope":"Watermark,Full"}}"#).status == 204)
        #expect(await client.call("POST", base + "/restart").status == 204)
        let invalid = await client.call("POST", base + "/restart", #"{"criteria":{"resetScope":"Everything"}}"#)
        #expect(invalid.status == 400)
        #expect(invalid.jsonBody?["error"]?["message"]?.stringValue?.contains("Everything") == true)
    }
}
