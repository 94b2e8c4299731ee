import Foundation
import GraphModel
import Testing
@testable import GraphHTTP

@Suite struct GraphClientRetryTests {
    @Test func retryAfterWholeSecondsIsHonoured() async throws {
        let harness = ClientHarness(script: [
            status(429, headers: ["Retry-After": "7"]), status(200, body: #"{"id":"sp1"}"#),
        ])
        let result = try await harness.client.send(.get, "/servicePrincipals/sp1", operation: "read the app")
        #expect(result?["id"] == "sp1")
        #expect(harness.clock.sleeps == [7])
        #expect(harness.log.retries.map(\.basis) == [.retryAfter])
        #expect(harness.log.retries.first?.reason == "HTTP 429")
    }

    @Test func retryAfterDecimalSecondsIsHonoured() async throws {
        let harness = ClientHarness(script: [status(503, headers: ["retry-after": "2.5"]), status(204)])
        let result = try await harness.client.send(.delete, "/x", operation: "delete")
        #expect(result == nil)
        #expect(harness.clock.sleeps == [2.5])
    }

    @Test func retryAfterHTTPDateIsHonoured() async throws {
        let clockStart = VirtualClock().now()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: clockStart.addingTimeInterval(30))
        let harness = ClientHarness(script: [status(429, headers: ["Retry-After": date]), status(200, body: "{}")])
        _ = try await harness.client.send(.get, "/x", operation: "read")
        #expect(harness.clock.sleeps == [30])
    }

    @Test func retryAfterForms() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.seconds(from: "120", now: now) == 120)
        #expect(RetryAfter.seconds(from: " 0.25 ", now: now) == 0.25)
        #expect(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:50:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds(from: "Sunday, 06-Nov-94 08:49:47 GMT", now: now) == 10)
        #expect(RetryAfter.seconds(from: "Sun Nov  6 08:49:57 1994", now: now) == 20)
        #expect(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds(from: "-3", now: now) == nil)
        #expect(RetryAfter.seconds(from: "soon", now: now) == nil)
    }

    @Test func transportRetryAfterIsTheFallback() async throws {
        let throttled = HTTPResponse(status: 429, transportRetryAfter: 4)
        let harness = ClientHarness(script: [.success(throttled), status(200, body: "{}")])
        _ = try await harness.client.send(.get, "/x", operation: "read")
        #expect(harness.clock.sleeps == [4])
    }

    @Test func backoffWithFullJitterWithoutRetryAfter() async throws {
        let policy = RetryPolicy(maximumAttempts: 5, deadline: 300, initialBackoff: 2, maximumBackoff: 5)
        let harness = ClientHarness(retry: policy, random: 0.5, script: [
            status(503), status(504), status(503), status(200, body: "{}"),
        ])
        _ = try await harness.client.send(.get, "/x", operation: "read")
        // Ceilings 2, 4, then 8 capped at 5; jitter picks half of each.
        #expect(harness.clock.sleeps == [1, 2, 2.5])
        #expect(harness.log.retries.map(\.basis) == [.backoff, .backoff, .backoff])
        #expect(policy.backoff(afterAttempt: 1, random: 0) == 0)
        #expect(policy.backoff(afterAttempt: 10, random: 0.999_999) < 5)
    }

    @Test func attemptCapStopsRetrying() async throws {
        let harness = ClientHarness(retry: RetryPolicy(maximumAttempts: 3), script: [
            status(503), status(503), status(503), status(200),
        ])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.get, "/x", operation: "read the jobs")
        }
        #expect(error?.status == 503)
        #expect(error?.attempts == 3)
        #expect(harness.transport.requests.count == 3)
        #expect(harness.clock.sleeps.count == 2)
    }

    @Test func deadlineStopsAWaitThatWouldOverrunIt() async throws {
        let harness = ClientHarness(retry: RetryPolicy(maximumAttempts: 10, deadline: 10), script: [
            status(429, headers: ["Retry-After": "6"]), status(429, headers: ["Retry-After": "6"]), status(200),
        ])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.get, "/x", operation: "read")
        }
        #expect(error?.status == 429)
        #expect(error?.message.contains("deadline") == true)
        #expect(harness.clock.sleeps == [6])
        #expect(harness.transport.requests.count == 2)
    }

    @Test func nonRetryableStatusFailsAtOnce() async throws {
        let harness = ClientHarness(script: [status(400, body: #"{"error":{"code":"invalidRequest","message":"bad"}}"#)])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.put, "/x", body: ["a": 1], operation: "replace the schema")
        }
        #expect(error?.kind == .http)
        #expect(error?.code == "invalidRequest")
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func idempotentCallsRetryTimeoutsAndResets() async throws {
        let harness = ClientHarness(script: [failure(.timeout), failure(.connectionReset), status(200, body: "[]")])
        let result = try await harness.client.send(.put, "/x", body: ["k": "v"], operation: "put")
        #expect(result == .array([]))
        #expect(harness.transport.requests.count == 3)
    }

    @Test func nonIdempotentTimeoutIsAmbiguous() async throws {
        let harness = ClientHarness(script: [failure(.timeout), status(201, body: "{}")])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.post, "/applicationTemplates/t/instantiate", body: ["displayName": "x"],
                                              operation: "create the enterprise app")
        }
        #expect(error?.kind == .ambiguous)
        #expect(error?.isAmbiguous == true)
        #expect(error?.description.contains("check before repeating") == true)
        #expect(harness.transport.requests.count == 1)
    }

    @Test func nonIdempotentServerErrorIsAmbiguous() async throws {
        let harness = ClientHarness(script: [status(504), status(201, body: "{}")])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.post, "/servicePrincipals/sp/synchronization/jobs",
                                              body: ["templateId": "scim"], operation: "create the job")
        }
        #expect(error?.kind == .ambiguous)
        #expect(error?.status == 504)
        #expect(harness.transport.requests.count == 1)
    }

    @Test func nonIdempotentThrottlingAndRefusedConnectionsAreRetried() async throws {
        let harness = ClientHarness(script: [
            status(429, headers: ["Retry-After": "1"]), failure(.connectionFailed, notSent: true), status(201, body: #"{"id":"j"}"#),
        ])
        let result = try await harness.client.send(.post, "/jobs", body: [:], operation: "create the job")
        #expect(result?["id"] == "j")
        #expect(harness.transport.requests.count == 3)
    }

    @Test func explicitIdempotencyOverridesTheMethodDefault() async throws {
        let harness = ClientHarness(script: [status(503), status(204)])
        _ = try await harness.client.send(.post, "/jobs/j/start", operation: "start the job", idempotent: true)
        #expect(harness.transport.requests.count == 2)
    }

    @Test func unauthorizedRenewsTheTokenOnce() async throws {
        let harness = ClientHarness(script: [status(401), status(200, body: "{}")])
        _ = try await harness.client.send(.get, "/x", operation: "read")
        #expect(harness.tokens.renewals == 1)
        let headers = harness.transport.requests.map { $0.headers["authorization"] }
        #expect(headers == ["Bearer test-token-1", "Bearer test-token-2"])
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func secondUnauthorizedIsAnError() async throws {
        let harness = ClientHarness(script: [status(401), status(401), status(200)])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.get, "/x", operation: "read")
        }
        #expect(error?.status == 401)
        #expect(harness.transport.requests.count == 2)
    }
}

@Suite struct GraphClientRequestTests {
    @Test func graphErrorBodyIsMapped() async throws {
        let body = """
            {"error":{"code":"activityLimitReached","message":"The request has been throttled",
             "innerError":{"code":"throttledRequest","date":"2021-11-30T12:17:46",
             "request-id":"01c3bdb8-fbb1-4613-96ad-be961ba99e11"}}}
            """
        let harness = ClientHarness(retry: RetryPolicy(maximumAttempts: 1), script: [status(429, body: body)])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.get, "/servicePrincipals/abc/synchronization/jobs?$top=1",
                                              operation: "list the jobs")
        }
        #expect(error?.operation == "list the jobs")
        #expect(error?.status == 429)
        #expect(error?.code == "activityLimitReached")
        #expect(error?.innerCode == "throttledRequest")
        #expect(error?.message.hasPrefix("The request has been throttled") == true)
        #expect(error?.requestID == "01c3bdb8-fbb1-4613-96ad-be961ba99e11")
        #expect(error?.path == "/v1.0/servicePrincipals/abc/synchronization/jobs")
        let text = error?.description ?? ""
        #expect(text.contains("list the jobs failed: HTTP 429 activityLimitReached"))
        #expect(text.contains("request-id 01c3bdb8-fbb1-4613-96ad-be961ba99e11"))
    }

    @Test func responseHeaderRequestIDWins() async throws {
        let harness = ClientHarness(script: [
            status(404, headers: ["request-id": "from-header"],
                   body: #"{"error":{"code":"Request_ResourceNotFound","message":"gone","innerError":{"request-id":"from-body"}}}"#),
        ])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.get, "/servicePrincipals/x", operation: "read the app")
        }
        #expect(error?.requestID == "from-header")
        #expect(error?.isNotFound == true)
    }

    @Test func nonJSONErrorBodyKeepsTheStatus() async throws {
        let harness = ClientHarness(script: [status(502, body: "<html>bad gateway</html>")])
        let error = await #expect(throws: GraphError.self) {
            // A POST that is not idempotent: 502 is not repeated, so the one scripted answer is the error.
            _ = try await harness.client.send(.post, "/x", operation: "create", idempotent: false)
        }
        #expect(error?.status == 502)
        #expect(error?.code == nil)
    }

    @Test func invalidJSONSuccessIsReported() async throws {
        let harness = ClientHarness(script: [status(200, body: "{not json")])
        let error = await #expect(throws: GraphError.self) {
            _ = try await harness.client.send(.get, "/x", operation: "read")
        }
        #expect(error?.kind == .invalidResponse)
    }

    @Test func requestsCarryVersionHeadersAndBody() async throws {
        let harness = ClientHarness(script: [status(200, body: "{}"), status(200, body: "{}")])
        _ = try await harness.client.send(.put, "/servicePrincipals/sp/synchronization/secrets",
                                          body: ["value": []], operation: "write secrets")
        _ = try await harness.client.send(.get, "/servicePrincipals/sp/synchronization/secrets",
                                          operation: "read secrets", version: .beta)
        let requests = harness.transport.requests
        #expect(requests.map(\.url) == [
            "https://graph.microsoft.com/v1.0/servicePrincipals/sp/synchronization/secrets",
            "https://graph.microsoft.com/beta/servicePrincipals/sp/synchronization/secrets",
        ])
        #expect(requests.first?.headers["content-type"] == "application/json")
        #expect(requests.first?.headers["client-request-id"] == "00000000-0000-0000-0000-000000000001")
        #expect(requests.first.map { String(decoding: $0.body, as: UTF8.self) } == #"{"value":[]}"#)
        #expect(requests.last?.headers["content-type"] == nil)
        #expect(requests.last?.body.isEmpty == true)
    }

    @Test func queryTextIsPercentEncoded() {
        #expect(GraphClient.encodePath("/servicePrincipals?$filter=displayName eq 'Acme \"HR\"'")
            == "/servicePrincipals?$filter=displayName%20eq%20'Acme%20%22HR%22'")
        #expect(GraphClient.encodePath("/a%20b") == "/a%20b")
    }

    @Test func tracesAreEmittedPerAttempt() async throws {
        let harness = ClientHarness(script: [
            status(503, headers: ["request-id": "r1"]), status(200, headers: ["request-id": "r2"], body: "{}"),
        ])
        _ = try await harness.client.send(.get, "/servicePrincipals?$filter=x", operation: "find")
        let traces = harness.log.traces
        #expect(traces.map(\.status) == [503, 200])
        #expect(traces.map(\.attempt) == [1, 2])
        #expect(traces.map(\.requestID) == ["r1", "r2"])
        #expect(traces.first?.url == "https://graph.microsoft.com/v1.0/servicePrincipals")
        #expect(traces.first?.requestBody == nil)
        #expect(traces.first?.description.hasPrefix("GET https://graph.microsoft.com/v1.0/servicePrincipals -> 503") == true)
    }
}

@Suite struct GraphCloudTests {
    @Test func cloudsHaveDistinctEndpoints() {
        #expect(GraphCloud.named("USGOV")?.graphURL == "https://graph.microsoft.us")
        #expect(GraphCloud.usgovdod.loginURL == "https://login.microsoftonline.us")
        #expect(GraphCloud.china.scope == "https://microsoftgraph.chinacloudapi.cn/.default")
        #expect(GraphCloud.global.nonGalleryTemplateID == "8adf8e6e-67b2-4cf2-a259-e3dc5476c621")
        #expect(GraphCloud.named("mars") == nil)
        #expect(Set(GraphCloud.all.map(\.graphURL)).count == 4)
    }

    @Test func graphURLOverrides() throws {
        let cloud = GraphCloud.global
        #expect(try cloud.graphBaseURL(override: nil, environment: [:]) == "https://graph.microsoft.com")
        #expect(try cloud.graphBaseURL(override: nil, environment: ["SCIMCTL_GRAPH_URL": "http://127.0.0.1:8080/v1.0/"])
            == "http://127.0.0.1:8080")
        #expect(try cloud.graphBaseURL(override: "https://graph.example/", environment: ["SCIMCTL_GRAPH_URL": "http://localhost:1"])
            == "https://graph.example")
        #expect(throws: HTTPTransportError.self) {
            _ = try cloud.graphBaseURL(override: "http://graph.example.com", environment: [:])
        }
        #expect(try cloud.authorityURL(override: nil, environment: ["AZURE_AUTHORITY_HOST": "login.microsoftonline.us"])
            == "https://login.microsoftonline.us")
    }

    @Test func settingsProblemsAreFoundBeforeAnyRequest() {
        var settings = GraphConnectionSettings(clientVersion: "test")
        #expect(settings.problem == nil)
        settings.cloud = "USGov"
        #expect(settings.problem == nil, "cloud names are case-insensitive")
        settings.cloud = "mars"
        #expect(settings.problem == .unknownCloud("mars"))
        settings.cloud = "china"
        settings.timeout = 0
        #expect(settings.problem == .nonPositiveTimeout)
        settings.timeout = 30
        settings.caCertificatePath = "/no/such/bundle.pem"
        #expect(settings.problem == .unreadableCACertificate("/no/such/bundle.pem"))
    }
}
