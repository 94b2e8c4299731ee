import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import Provisioning
import TestSupport
import Testing
import VendorProfiles

/// apply against an emulator that misbehaves the ways Graph does: slow replication, throttling, 5xx, dropped
/// connections, expiring tokens, quarantined jobs and schemas customers edited by hand.
@Suite("apply under faults", .serialized)
struct FaultTests {
    static let creatingToken = ["TOTALMOBILE_SCIM_TOKEN": "totalmobile-canary-token-0123456789"]

    /// An application whose guide has scimctl create it (Totalmobile's), since these tests are about creating one.
    func creatingApplication() throws -> ResolvedApplication {
        try #require(try bundledProfile("totalmobile", ["customer": "contoso"]).applications.first)
    }

    /// Plans and applies once; fails the test with the error when the apply does not finish.
    func applyOnce(_ harness: EmulatorHarness, _ application: ResolvedApplication) async throws -> Applier.Outcome {
        let (plan, live) = try await Planner(graph: harness.client).plan(application)
        return try await harness.applier(backups: temporaryDirectory(), environment: Self.creatingToken).apply(plan, live: live)
    }

    @Test func replicationDelayAfterInstantiateIsWaitedOut() async throws {
        var configuration = EmulatorConfiguration()
        configuration.replicationDelayMilliseconds = 5_000
        try await EmulatorHarness.with(configuration: configuration) { harness in
            let outcome = try await applyOnce(harness, creatingApplication())

            let reads = await harness.requests().filter { $0.method == "GET" && $0.path.hasSuffix("/servicePrincipals/\(outcome.servicePrincipalID)") }
            #expect(reads.contains { $0.status == 404 }, "the new service principal should have been unreadable at first")
            #expect(reads.last?.status == 200)
            let tenant = await harness.emulator.engine.tenant()
            #expect(tenant.servicePrincipals.count == 1)
            #expect(tenant.jobs.count == 1)
            #expect(tenant.jobs.first?.statusCode != "NotConfigured")
        }
    }

    /// Applies against a throttling emulator, then runs `body` with the harness and the number of 429s.
    func throttled(
        style: RetryAfterStyle, seconds: Double, _ body: (EmulatorHarness, Int) async throws -> Void
    ) async throws {
        var configuration = EmulatorConfiguration()
        configuration.seed = 7
        configuration.throttleRate = 0.3
        configuration.retryAfterStyle = style
        configuration.retryAfterSeconds = seconds
        try await EmulatorHarness.with(configuration: configuration) { harness in
            _ = try await applyOnce(harness, creatingApplication())
            try await body(harness, await harness.requests().filter { $0.status == 429 }.count)
        }
    }

    @Test func throttlingWithIntegerRetryAfterIsHonoured() async throws {
        try await throttled(style: .integer, seconds: 2) { harness, throttles in
            #expect(throttles > 0)
            // Every 429 made the client wait exactly what Retry-After said.
            #expect(harness.clock.sleeps.filter { $0 == 2 }.count == throttles)
            await expectConfigured(harness)
        }
    }

    @Test func throttlingWithDecimalRetryAfterIsHonoured() async throws {
        try await throttled(style: .decimal, seconds: 0.25) { harness, throttles in
            #expect(throttles > 0)
            #expect(harness.clock.sleeps.filter { abs($0 - 0.25) < 0.000_1 }.count == throttles)
            await expectConfigured(harness)
        }
    }

    @Test func throttlingWithoutRetryAfterBacksOff() async throws {
        try await throttled(style: .absent, seconds: 30) { harness, throttles in
            #expect(throttles > 0)
            // No header: the client's own capped backoff, never the server's 30 s.
            #expect(harness.clock.sleeps.count == throttles)
            #expect(harness.clock.sleeps.allSatisfy { $0 >= 0 && $0 <= EmulatorHarness.fastRetry.maximumBackoff })
            await expectConfigured(harness)
        }
    }

    @Test func serverErrorBurstsConvergeWithoutDuplicates() async throws {
        var configuration = EmulatorConfiguration()
        configuration.seed = 11
        configuration.serverErrorRate = 0.3
        configuration.serverErrorStatuses = [500, 502, 503, 504]
        try await EmulatorHarness.with(configuration: configuration) { harness in
            // 503/504 are retried in place; 500/502 end the run and the next apply picks up where it stopped.
            try await harness.applyUntilConverged(
                creatingApplication(), backups: temporaryDirectory(), environment: Self.creatingToken, maximumRuns: 40)

            #expect(await harness.requests().contains { $0.fault == "server-error" })
            await expectConfigured(harness)
        }
    }

    @Test func droppedConnectionsConvergeWithoutDuplicates() async throws {
        var configuration = EmulatorConfiguration()
        configuration.seed = 5
        configuration.dropRate = 0.3
        try await EmulatorHarness.with(configuration: configuration) { harness in
            try await harness.applyUntilConverged(creatingApplication(), backups: temporaryDirectory(), environment: Self.creatingToken)

            #expect(await harness.requests().contains { $0.fault == "dropped" })
            await expectConfigured(harness)
        }
    }

    @Test func tokenExpiringMidRunIsRenewedAfter401() async throws {
        var configuration = EmulatorConfiguration()
        configuration.tokenLifetimeSeconds = 60
        let issued = IssuedTokens()
        let credential: (GraphEmulator) -> any TokenCredential = { emulator in
            EmulatorIssuedCredential(engine: emulator.engine, issued: issued)
        }
        try await EmulatorHarness.with(configuration: configuration, credential: credential) { harness in
            let application = try creatingApplication()

            let (plan, live) = try await Planner(graph: harness.client).plan(application)
            #expect(issued.count == 1)
            // The token dies between plan and apply, as in a long confirmation pause.
            await harness.emulator.engine.advanceClock(seconds: 120)
            _ = try await harness.applier(backups: temporaryDirectory(), environment: Self.creatingToken).apply(plan, live: live)

            #expect(issued.count == 2, "one renewal after the 401")
            let unauthorized = await harness.requests().filter { $0.status == 401 }
            #expect(unauthorized.count == 1)
            await expectConfigured(harness)
        }
    }

    @Test func quarantinedJobIsExplainedAndRestartClearsIt() async throws {
        try await EmulatorHarness.with { harness in
            let outcome = try await applyOnce(harness, creatingApplication())

            // The SCIM endpoint starts rejecting the token: the service quarantines the job.
            var state = await harness.emulator.engine.tenant().json(masked: false)
            var jobs = try #require(state["jobs"]?.arrayValue)
            let index = try #require(jobs.firstIndex { $0["id"]?.stringValue == outcome.jobID })
            jobs[index]["statusCode"] = "Quarantine"
            jobs[index]["quarantine"] = [
                "began": .double(Date().timeIntervalSince1970), "seriesCount": 3,
                "errorCode": "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
                "errorMessage": "You appear to have entered invalid credentials: the SCIM endpoint answered HTTP 401.",
            ]
            state["jobs"] = .array(jobs)
            await harness.emulator.engine.replaceTenant(try TenantState(json: state))

            let reader = StatusReader(graph: harness.client)
            let report = try await reader.report(servicePrincipalID: outcome.servicePrincipalID)
            let job = try #require(report.jobs.first)
            #expect(job.code == "Quarantine")
            let quarantine = try #require(job.quarantine)
            #expect(quarantine.explanation.hasPrefix("credentials rejected"))
            #expect(quarantine.remedy == .checkCredentials)
            #expect(report.servicePrincipalID == outcome.servicePrincipalID)
            #expect(quarantine.seriesCount == 3)
            #expect(job.summary.hasPrefix("quarantined: credentials rejected"))

            // A quarantined job does not count as running: plan shows the start that would lift it...
            let (plan, _) = try await Planner(graph: harness.client).plan(creatingApplication())
            #expect(plan.start == .start)
            // ...and restart with QuarantineState lifts it without touching the configuration.
            let restarted = try await JobControl(graph: harness.client).restart(
                servicePrincipalID: outcome.servicePrincipalID, scopes: [.quarantineState])
            #expect(restarted == outcome.jobID)
            let restart = await harness.requests().last { $0.path.hasSuffix("/restart") }
            #expect(restart?.status == 204)
            let after = try await reader.report(servicePrincipalID: outcome.servicePrincipalID)
            #expect(after.jobs.first?.code != "Quarantine")
            #expect(after.jobs.first?.quarantine == nil)
        }
    }

    @Test func statusReportsFollowTheIdOrEachDisplayName() async throws {
        try await EmulatorHarness.with { harness in
            let application = try creatingApplication()
            let outcome = try await applyOnce(harness, application)
            let reader = StatusReader(graph: harness.client)
            let byID = try await reader.reports(servicePrincipalID: outcome.servicePrincipalID, displayNames: ["ignored"])
            #expect(byID.map(\.servicePrincipalID) == [outcome.servicePrincipalID])
            let byName = try await reader.reports(servicePrincipalID: nil, displayNames: [application.displayName])
            #expect(byName.map(\.servicePrincipalID) == [outcome.servicePrincipalID])
            #expect(byName.first?.jobs.map(\.id) == [outcome.jobID])
            await #expect(throws: ProvisioningError.self) {
                try await reader.reports(servicePrincipalID: nil, displayNames: [application.displayName, "No Such App"])
            }
        }
    }

    @Test func customerMappingsInTheLiveSchemaSurviveAnAmendApply() async throws {
        try await EmulatorHarness.with { harness in
            let client = harness.client
            // A tenant set up by hand: the app, its job, and a customer mapping plus an unknown member on it.
            let created = try #require(
                try await client.send(
                    .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
                    body: ["displayName": "Totalmobile"], operation: "seed app"))
            let servicePrincipalID = try #require(created["servicePrincipal"]?["id"]?.stringValue)
            let job = try #require(
                try await client.send(
                    .post, GraphPaths.jobs(servicePrincipalId: servicePrincipalID), body: ["templateId": "scim"],
                    operation: "seed job"))
            let jobID = try #require(job["id"]?.stringValue)
            let schemaPath = GraphPaths.schema(servicePrincipalId: servicePrincipalID, jobId: jobID)
            var schema = try #require(try await harness.get(schemaPath))
            let costCenter = "urn:ietf:params:scim:schemas:extension:contoso:2.0:User:costCenter"
            let customer: JSONValue = [
                "targetAttributeName": .string(costCenter),
                "source": ["expression": "[extensionAttribute1]", "name": "extensionAttribute1", "parameters": [], "type": "Attribute"],
                "matchingPriority": 0, "flowBehavior": "FlowWhenChanged", "flowType": "ObjectAddOnly", "defaultValue": "none",
                "exportMissingReferences": false, "customerNote": "added by the identity team in 2023",
            ]
            schema = try appendingUserMapping(customer, to: schema)
            schema = try appendingTargetAttribute(
                ["name": .string(costCenter), "type": "String", "multivalued": false, "anchor": false, "caseExact": false,
                 "required": false, "mutability": "ReadWrite", "flowNullValues": false, "metadata": [], "apiExpressions": [],
                 "referencedObjects": []],
                to: schema)
            _ = try await client.send(.put, schemaPath, body: schema, operation: "seed schema")
            let before = try #require(try await harness.get(schemaPath))

            let application = try #require(try bundledProfile("totalmobile", ["customer": "Contoso"]).applications.first)
            let backups = temporaryDirectory()
            try await harness.applyUntilConverged(application, backups: backups, environment: ["TOTALMOBILE_SCIM_TOKEN": "tm"])

            let after = try #require(try await harness.get(schemaPath))
            let keptCustomer = userMappings(after).first {
                $0["targetAttributeName"]?.stringValue == customer["targetAttributeName"]?.stringValue
            }
            #expect(keptCustomer == customer, "the customer mapping must come back exactly as it was")
            // Only externalId changed; every other mapping is as it was, in the same order.
            let changed = zip(userMappings(before), userMappings(after)).filter { $0 != $1 }
            #expect(changed.count == 1)
            #expect(changed.first?.1["targetAttributeName"]?.stringValue == "externalId")
            #expect(userMappings(before).count == userMappings(after).count)
            #expect(after["directories"] == before["directories"], "the customer's attribute definition is kept as it was")
            #expect(SchemaBackups(directory: backups).list(servicePrincipalID: servicePrincipalID).count == 1)
        }
    }

    /// 50 seeded runs under ~30% faults (throttling, 5xx, drops) each end exactly where a fault-free apply does.
    @Test func seededFaultRunsAllConvergeToTheFaultFreeState() async throws {
        let application = try creatingApplication()
        try await EmulatorHarness.with { harness in
            let engine = harness.emulator.engine

            try await harness.applyUntilConverged(application, backups: temporaryDirectory(), environment: Self.creatingToken)
            let reference = try Snapshot(await engine.tenant())

            var faulty = EmulatorConfiguration()
            faulty.staticTokens = [EmulatorHarness.token]
            faulty.throttleRate = 0.115
            faulty.serverErrorRate = 0.115
            faulty.dropRate = 0.115
            faulty.retryAfterSeconds = 0.01
            var runs: [Int] = []
            for seed in 1...50 {
                faulty.seed = UInt64(seed)
                await engine.setConfiguration(faulty)
                await engine.reset()
                let taken = try await harness.applyUntilConverged(
                    application, backups: temporaryDirectory(), environment: Self.creatingToken)
                runs.append(taken)
                let state = try Snapshot(await engine.tenant())
                #expect(state == reference, "seed \(seed) ended in a different state")
            }
            let faults = await engine.recordedRequests().filter { $0.fault != nil }.count
            #expect(faults > 0)
            #expect(runs.allSatisfy { $0 >= 2 })
        }
    }

    @Test func freshApplyTakesAboutElevenRequestsAndReapplyOnlyReads() async throws {
        try await EmulatorHarness.with { harness in
            let application = try creatingApplication()
            let planner = Planner(graph: harness.client)
            let applier = harness.applier(backups: temporaryDirectory(), environment: Self.creatingToken)

            let (plan, live) = try await planner.plan(application)
            _ = try await applier.apply(plan, live: live)
            let fresh = await harness.requests()
            // Graph compiles each distinct expression once (a POST that changes nothing).
            let compiled = fresh.filter { $0.path.hasSuffix("/parseExpression") }
            #expect(compiled.count == GraphExpressionTrees.expressions(of: application).count)
            #expect(fresh.count - compiled.count <= 11, "fresh apply: \(fresh.map { "\($0.method) \($0.path)" })")
            // instantiate, mark, job, secrets, test connection, schema, start
            #expect(fresh.filter(\.write).count - compiled.count == 7)

            await harness.clearLog()
            let (again, current) = try await planner.plan(application)
            #expect(!again.hasChanges)
            _ = try await applier.apply(again, live: current)
            let reapply = await harness.requests()
            #expect(reapply.count <= 5)
            #expect(reapply.allSatisfy { $0.method == "GET" })
        }
    }

    func expectConfigured(_ harness: EmulatorHarness) async {
        let tenant = await harness.emulator.engine.tenant()
        #expect(tenant.servicePrincipals.count == 1, "no duplicate applications")
        #expect(tenant.applications.count == 1)
        #expect(tenant.jobs.count == 1, "no duplicate jobs")
        let secrets = tenant.secrets.values.first ?? []
        #expect(secrets.first { $0.key == "BaseAddress" }?.value == "https://contoso.totalmobile-cloud.com/platform/api/scim/v1")
        #expect(tenant.jobs.first?.scheduleState == "Active")
    }
}

/// What must come out the same after any apply: apps, jobs, schema and secrets, without generated ids.
struct Snapshot: Equatable {
    var applications: [String]
    var jobs: [String]
    var schemas: [JSONValue]
    var secrets: [[String]]

    init(_ tenant: TenantState) throws {
        applications = tenant.servicePrincipals.map(\.displayName)
        jobs = tenant.jobs.map { "\($0.templateId) \($0.statusCode) \($0.scheduleState)" }
        schemas = tenant.jobs.map { job in
            var schema = job.schema
            schema["id"] = nil  // the job id
            return schema
        }
        secrets = tenant.secrets.values.map { $0.map { "\($0.key)=\($0.value)" } }
    }
}

func userMappings(_ schema: JSONValue) -> [JSONValue] {
    for rule in schema["synchronizationRules"]?.arrayValue ?? [] {
        for mapping in rule["objectMappings"]?.arrayValue ?? [] where mapping["sourceObjectName"]?.stringValue == "User" {
            return mapping["attributeMappings"]?.arrayValue ?? []
        }
    }
    return []
}

func appendingUserMapping(_ mapping: JSONValue, to schema: JSONValue) throws -> JSONValue {
    var copy = schema
    var rules = try #require(copy["synchronizationRules"]?.arrayValue)
    for ruleIndex in rules.indices {
        var objectMappings = rules[ruleIndex]["objectMappings"]?.arrayValue ?? []
        for index in objectMappings.indices where objectMappings[index]["sourceObjectName"]?.stringValue == "User" {
            var list = objectMappings[index]["attributeMappings"]?.arrayValue ?? []
            list.append(mapping)
            objectMappings[index]["attributeMappings"] = .array(list)
        }
        rules[ruleIndex]["objectMappings"] = .array(objectMappings)
    }
    copy["synchronizationRules"] = .array(rules)
    return copy
}

/// Counts the tokens a credential handed out.
final class IssuedTokens: @unchecked Sendable {
    private let lock = NSLock()
    private var issued = 0
    var count: Int { lock.withLock { issued } }
    func record() { lock.withLock { issued += 1 } }
}

/// Tokens straight from the emulator, with no expiry the client could see: only a 401 tells it to renew.
struct EmulatorIssuedCredential: TokenCredential {
    let engine: EmulatorEngine
    let issued: IssuedTokens

    var summary: CredentialDescription { CredentialDescription(method: .accessToken, detail: "emulator-issued") }

    func requestToken() async throws -> AccessToken {
        issued.record()
        return AccessToken(value: await engine.issueToken(), expiresOn: nil)
    }
}

func appendingTargetAttribute(_ attribute: JSONValue, to schema: JSONValue) throws -> JSONValue {
    var copy = schema
    var directories = try #require(copy["directories"]?.arrayValue)
    for directoryIndex in directories.indices where directories[directoryIndex]["name"]?.stringValue == "customappsso" {
        var objects = directories[directoryIndex]["objects"]?.arrayValue ?? []
        for index in objects.indices where objects[index]["name"]?.stringValue == "User" {
            objects[index]["attributes"] = .array((objects[index]["attributes"]?.arrayValue ?? []) + [attribute])
        }
        directories[directoryIndex]["objects"] = .array(objects)
    }
    copy["directories"] = .array(directories)
    return copy
}
