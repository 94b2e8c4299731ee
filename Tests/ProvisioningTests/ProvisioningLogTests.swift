import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning
import TestSupport
import Testing

@Suite("provisioning logs (logs command) against the emulator", .serialized)
struct ProvisioningLogTests {
    let environment = ["EPTURA_SCIM_TOKEN": "eptura-token-for-log-tests"]
    let dayAgo = Date().addingTimeInterval(-86_400)

    /// Eptura provisions all users: its first cycle logs every seeded user.
    func applyEptura(_ harness: EmulatorHarness, extraUsers: Int = 0) async throws -> String {
        for index in 0..<extraUsers {
            try await harness.emulator.engine.seedUser([
                "id": .string(String(format: "00000000-0000-4000-8000-%012d", index)),
                "userPrincipalName": .string("user\(index)@contoso.example"), "mail": .string("user\(index)@contoso.example"),
                "displayName": .string("User \(index)"), "givenName": "User", "surname": .string("N\(index)"),
                "accountEnabled": "True", "IsSoftDeleted": "False",
            ])
        }
        let application = try #require(try bundledProfile("eptura", ["domain": "scim.example.eptura.com"]).applications.first)
        try await harness.applyUntilConverged(application, backups: temporaryDirectory(), environment: environment)
        return try #require(await harness.emulator.engine.tenant().servicePrincipals.first?.id)
    }

    @Test func aCycleAndAnOnDemandRunAreLoggedPerUser() async throws {
        try await EmulatorHarness.with { harness in
            let servicePrincipalID = try await applyEptura(harness)
            let adele = try #require(await harness.emulator.engine.tenant().users.first?["id"]?.stringValue)

            let afterCycle = try await ProvisioningLogReader(graph: harness.client).read(servicePrincipalID: servicePrincipalID, since: dayAgo)
            #expect(afterCycle.subjects.map(\.id) == [adele])
            #expect(afterCycle.subjects.first?.latest?.action == .create)
            #expect(afterCycle.subjects.first?.latest?.status == .success)
            #expect(afterCycle.subjects.first?.latest?.remedy == nil)
            #expect(afterCycle.subjects.first?.displayName == "Adele Vance")
            #expect(afterCycle.subjects.first?.latest?.modifiedProperties.contains("userName") == true)

            _ = try await OnDemandProvisioner(graph: harness.client).provision(servicePrincipalID: servicePrincipalID, objectID: adele)
            let afterOnDemand = try await ProvisioningLogReader(graph: harness.client).read(servicePrincipalID: servicePrincipalID, since: dayAgo)
            #expect(afterOnDemand.eventCount == 2)
            #expect(afterOnDemand.subjects.count == 1)
            let events = try #require(afterOnDemand.subjects.first?.events)
            #expect(events.first?.cycleID?.hasPrefix("ProvisionOnDemand-") == true, "newest first")
            #expect(events.allSatisfy { $0.jobID?.hasPrefix("scim.") == true })

            // Another app's log stays out, and a window after the entries is empty.
            let other = try await ProvisioningLogReader(graph: harness.client).read(
                servicePrincipalID: "11111111-2222-4333-8444-555555555555", since: dayAgo)
            #expect(other.subjects.isEmpty)
            let later = try await ProvisioningLogReader(graph: harness.client).read(
                servicePrincipalID: servicePrincipalID, since: Date().addingTimeInterval(10 * 86_400))
            #expect(later.subjects.isEmpty)
        }
    }

    @Test func failuresCarryTheCodeTheReasonAndARemedy() async throws {
        try await EmulatorHarness.with { harness in
            let servicePrincipalID = try await applyEptura(harness)
            let adele = try #require(await harness.emulator.engine.tenant().users.first?["id"]?.stringValue)
            // The app's credentials stop working: a plain-http tenant URL.
            _ = try await harness.client.send(
                .put, GraphPaths.secrets(servicePrincipalId: servicePrincipalID),
                body: ["value": [["key": "BaseAddress", "value": "http://scim.example.eptura.com/scim/v1/"], ["key": "SecretToken", "value": "t"]]],
                operation: "test: break the credentials", version: .v1)
            let result = try await OnDemandProvisioner(graph: harness.client).provision(servicePrincipalID: servicePrincipalID, objectID: adele)
            #expect(result.result == "Failure")

            let failed = try await ProvisioningLogReader(graph: harness.client).read(
                servicePrincipalID: servicePrincipalID, since: dayAgo, failedOnly: true)
            #expect(failed.eventCount == 1, "the successful cycle entry is filtered out")
            let event = try #require(failed.subjects.first?.latest)
            #expect(event.status == .failure)
            #expect(event.errorCode == "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable")
            #expect(event.reason?.contains("https") == true)
            #expect(event.remedy?.contains("fresh token") == true)
            // --failed is sent to Graph as a filter, not only applied locally.
            let reads = await harness.requests().filter { $0.path.hasPrefix("/v1.0/auditLogs/provisioning") }
            #expect(reads.last?.path.removingPercentEncoding?.contains("provisioningStatusInfo/status eq 'failure'") == true)
        }
    }

    @Test func pagesAreFollowedAndBounded() async throws {
        try await EmulatorHarness.with { harness in
            let servicePrincipalID = try await applyEptura(harness, extraUsers: 120)
            await harness.clearLog()
            let all = try await ProvisioningLogReader(graph: harness.client).read(servicePrincipalID: servicePrincipalID, since: dayAgo)
            #expect(all.eventCount == 121)
            #expect(Set(all.subjects.map(\.id)).count == 121)
            #expect(!all.truncated)
            #expect(await harness.requests().count == 3, "121 entries in pages of 50")

            let bounded = try await ProvisioningLogReader(graph: harness.client, maximumPages: 2).read(
                servicePrincipalID: servicePrincipalID, since: dayAgo)
            #expect(bounded.eventCount == 100)
            #expect(bounded.truncated)
        }
    }

    @Test func theEmulatorRefusesFiltersItCannotApply() async throws {
        try await EmulatorHarness.with { harness in
            for filter in [
                "userPrincipalName eq 'a@b.c'", "activityDateTime ge 2026-01-01T00:00:00Z",
                "servicePrincipal/id eq 'x' or jobId eq 'y'", "servicePrincipal/id ne 'x'", "activityDateTime gt yesterday",
            ] {
                let path = "/auditLogs/provisioning?$filter=" + (filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                do {
                    _ = try await harness.get(path)
                    Issue.record("the filter \(filter) must be refused")
                } catch let error as GraphError {
                    #expect(error.status == 400, "\(filter)")
                }
            }
            #expect(try await harness.get("/auditLogs/provisioning")?["value"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func theProfileNamesTheAppByDisplayNameOrAppID() async throws {
        try await EmulatorHarness.with { harness in
            var application = try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
            let reader = ProvisioningLogReader(graph: harness.client)
            await #expect(throws: ProvisioningError.self) { _ = try await reader.servicePrincipalID(for: application) }
            let ids = try await harness.createExistingApplications([application])
            #expect(try await reader.servicePrincipalID(for: application) == ids["flosum"])
            // A second app of the same name: ambiguous by name, exact by appId.
            let second = try await harness.client.send(
                .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
                body: ["displayName": "Flosum"], operation: "test: a second Flosum", version: .v1)
            do {
                _ = try await reader.servicePrincipalID(for: application)
                Issue.record("two apps named Flosum must be ambiguous")
            } catch let error as ProvisioningError {
                #expect(error.description.contains("2 service principals are named 'Flosum'"))
            }
            application.appID = second?["servicePrincipal"]?["appId"]?.stringValue
            #expect(try await reader.servicePrincipalID(for: application) == second?["servicePrincipal"]?["id"]?.stringValue)
        }
    }

    @Test func summariesMapGraphValuesAndExplainSkips() {
        let entries: [JSONValue] = [
            [
                "id": "1", "activityDateTime": "2026-11-20T10:00:00Z", "provisioningAction": "stagedDelete",
                "provisioningStatusInfo": ["status": "skipped", "errorInformation": nil],
                "provisioningSteps": [["name": "EntrySynchronizationSkip", "status": "skipped", "description": "User 'b' was skipped", "details": ["SkipReason": "NotEffectivelyEntitled"]]],
                "sourceIdentity": ["id": "b", "displayName": "B", "identityType": "User"],
            ],
            [
                "id": "2", "activityDateTime": "2026-11-20T11:00:00Z", "provisioningAction": "somethingNew",
                "provisioningStatusInfo": ["status": "failure", "errorInformation": ["errorCode": "VendorSaidNo", "reason": "no"]],
                "sourceIdentity": ["id": "a", "displayName": "A", "identityType": "User"],
            ],
            [
                "id": "3", "activityDateTime": "2026-11-20T12:00:00Z", "provisioningAction": "update",
                "provisioningStatusInfo": ["status": "success"], "sourceIdentity": ["id": "b", "identityType": "User"],
            ],
            // The same entry again, as an overlapping page would repeat it.
            [
                "id": "3", "activityDateTime": "2026-11-20T12:00:00Z", "provisioningAction": "update",
                "provisioningStatusInfo": ["status": "success"], "sourceIdentity": ["id": "b", "identityType": "User"],
            ],
        ]
        let summary = ProvisioningLogReader.summarise(entries, servicePrincipalID: "sp", since: Date(timeIntervalSince1970: 0), failedOnly: false)
        #expect(summary.eventCount == 3)
        #expect(summary.subjects.map(\.id) == ["a", "b"], "the failing user comes first")
        let failing = summary.subjects[0].events[0]
        #expect(failing.action == .other)
        #expect(failing.remedy == ProvisioningRemedy.remedy(errorCode: "VendorSaidNo"))
        #expect(failing.remedy?.contains("provision-on-demand") == true)
        let b = summary.subjects[1]
        #expect(b.events.map(\.id) == ["3", "1"])
        #expect(b.latest?.action == .update)
        #expect(b.events[1].action == .delete)
        #expect(b.events[1].status == .skipped)
        #expect(b.events[1].errorCode == "NotEffectivelyEntitled")
        #expect(b.events[1].remedy?.contains("assign") == true)
        #expect(summary.countsByStatus == [.success: 1, .failure: 1, .skipped: 1])
    }

    @Test func sinceTakesDurationsAndDates() throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(try ProvisioningLogWindow.start("30m", now: now) == now.addingTimeInterval(-1_800))
        #expect(try ProvisioningLogWindow.start("24h", now: now) == now.addingTimeInterval(-86_400))
        #expect(try ProvisioningLogWindow.start("7d", now: now) == now.addingTimeInterval(-7 * 86_400))
        #expect(try ProvisioningLogWindow.start("2026-01-02", now: now) == ISO8601DateFormatter().date(from: "2026-01-02T00:00:00Z"))
        #expect(try ProvisioningLogWindow.start("2026-01-02T08:30:00+01:00", now: now) == ISO8601DateFormatter().date(from: "2026-01-02T07:30:00Z"))
        for bad in ["", "24", "h", "0h", "-5m", "1.5h", "7 days", "yesterday", "2026-13-01", "2099-01-01", "99999999d"] {
            #expect(throws: ProvisioningLogWindow.InvalidSince.self, "\(bad)") { try ProvisioningLogWindow.start(bad, now: now) }
        }
        #expect(
            ProvisioningLogReader.filter(servicePrincipalID: "o'k", since: Date(timeIntervalSince1970: 1_790_000_000), failedOnly: false)
                == "servicePrincipal/id eq 'o''k' and activityDateTime gt 2026-09-21T14:13:20Z")
    }
}
