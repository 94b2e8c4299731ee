import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct FaultTests {
    @Test(arguments: [
        (RetryAfterStyle.integer, 1.5, "2" as String?), (.decimal, 1.5, "1.5"), (.decimal, 2, "2.0"), (.absent, 3, nil),
    ])
    func throttlingSendsRetryAfterInTheConfiguredStyle(style: RetryAfterStyle, seconds: Double, expected: String?) async throws {
        var configuration = EmulatorConfiguration()
        configuration.throttleRate = 1
        configuration.retryAfterStyle = style
        configuration.retryAfterSeconds = seconds
        let client = await EngineClient(configuration)
        let response = await client.call("GET", "/v1.0/servicePrincipals")
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == expected)
        #expect(response.jsonBody?["error"]?["code"] == "activityLimitReached")
        #expect(response.jsonBody?["error"]?["innerError"]?["code"] == "throttledRequest")
    }

    @Test func serverErrorsUseConfiguredStatuses() async throws {
        var configuration = EmulatorConfiguration()
        configuration.serverErrorRate = 1
        configuration.serverErrorStatuses = [503]
        let client = await EngineClient(configuration)
        let response = await client.call("GET", "/v1.0/servicePrincipals")
        #expect(response.status == 503)
        #expect(response.jsonBody?["error"]?["code"] == "serviceNotAvailable")
        #expect(response.headers["Retry-After"] == "1")
    }

    @Test func sameSeedGivesSameFaultSequence() async throws {
        func statuses(seed: UInt64) async -> [Int] {
            var configuration = EmulatorConfiguration()
            configuration.seed = seed
            configuration.throttleRate = 0.3
            configuration.serverErrorRate = 0.3
            let client = await EngineClient(configuration)
            var result: [Int] = []
            for _ in 0..<40 { result.append(await client.call("GET", "/v1.0/servicePrincipals").status) }
            return result
        }
        let first = await statuses(seed: 42)
        #expect(first == (await statuses(seed: 42)))
        #expect(first != (await statuses(seed: 7)))
        #expect(first.contains(200) && first.contains(429))
    }

    @Test func throttleWindowAllowsOnlyTheConfiguredRequests() async throws {
        var configuration = EmulatorConfiguration()
        configuration.throttleLimit = 3
        configuration.throttleWindowMilliseconds = 60_000
        let client = await EngineClient(configuration)
        var statuses: [Int] = []
        for _ in 0..<5 { statuses.append(await client.call("GET", "/v1.0/servicePrincipals").status) }
        #expect(statuses == [200, 200, 200, 429, 429])
        let throttled = await client.call("GET", "/v1.0/servicePrincipals")
        let retryAfter = try #require(throttled.headers["Retry-After"].flatMap { Int($0) })
        #expect((1...60).contains(retryAfter))
        await client.engine.advanceClock(seconds: 61)
        #expect(await client.call("GET", "/v1.0/servicePrincipals").status == 200)
    }

    @Test func droppedConnectionsAreRecorded() async throws {
        var configuration = EmulatorConfiguration()
        configuration.dropRate = 1
        let client = await EngineClient(configuration)
        let reply = await client.engine.handle(EmulatorRequest(method: "GET", target: "/v1.0/servicePrincipals"))
        #expect(reply == .dropConnection)
        let log = await client.engine.recordedRequests()
        #expect(log.last?.fault == "dropped")
        #expect(log.last?.status == nil)
    }

    @Test func controlEndpointsAreNeverFaulted() async throws {
        var configuration = EmulatorConfiguration()
        configuration.throttleRate = 1
        let client = await EngineClient(configuration)
        #expect(await client.call("GET", "/_emulator/state", authorized: false).status == 200)
    }

    @Test func configurationChangesAtRunTime() async throws {
        let client = await EngineClient()
        let put = await client.call("PUT", "/_emulator/config", #"{"serverErrorRate":1,"serverErrorStatuses":[504]}"#, authorized: false)
        #expect(put.status == 200)
        #expect(put.jsonBody?["serverErrorRate"]?.integerValue == 1)
        #expect(await client.call("GET", "/v1.0/servicePrincipals").status == 504)
        #expect(await client.call("PUT", "/_emulator/config", #"{"serverErrorRate":2}"#, authorized: false).status == 400)
        #expect(await client.call("PUT", "/_emulator/config", #"{"bogus":1}"#, authorized: false).status == 400)
        #expect(await client.call("PUT", "/_emulator/config", #"{"scimTarget":"http://example.com"}"#, authorized: false).status == 400)
    }

    @Test func requestLogMarksWrites() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        await client.call("GET", "/v1.0/servicePrincipals/\(sp)")
        await client.call("POST", "/tenant/oauth2/v2.0/token", "grant_type=client_credentials&client_id=a&client_secret=b&scope=x%2F.default", authorized: false)
        let log = await client.call("GET", "/_emulator/requests", authorized: false).jsonBody?["value"]?.arrayValue ?? []
        #expect(log.map { $0["write"] } == [true, false, false])
        #expect(log.map { $0["status"] } == [201, 200, 200])
        #expect(log.first?["method"] == "POST")
        #expect(log[1]["path"]?.stringValue == "/v1.0/servicePrincipals/\(sp)")
    }
}
