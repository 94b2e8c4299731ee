import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning
import TestSupport
import Testing

/// Records what the provisioner waited, moving the emulator clock instead of sleeping.
final class RecordedWaits: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    var all: [Double] { lock.withLock { waits } }
    func add(_ seconds: Double) { lock.withLock { waits.append(seconds) } }
}

@Suite("provision on demand by principal name, mail and group members", .serialized)
struct OnDemandSubjectTests {
    static func userID(_ index: Int) -> String { String(format: "0000000a-0000-4000-8000-%012d", index) }

    /// Eptura (all users in scope) applied to a tenant with `users` extra users and a group "Pilot" holding them.
    func start(users: Int, configuration: EmulatorConfiguration = EmulatorConfiguration()) async throws
        -> (harness: EmulatorHarness, servicePrincipalID: String)
    {
        let harness = try await EmulatorHarness.start(configuration: configuration)
        let engine = harness.emulator.engine
        for index in 0..<users {
            try await engine.seedUser([
                "id": .string(Self.userID(index)), "userPrincipalName": .string("u\(index)@contoso.example"),
                "mail": .string("first.last\(index)@contoso.example"), "displayName": .string("User \(index)"),
                "givenName": "User", "surname": .string("N\(index)"), "accountEnabled": "True", "IsSoftDeleted": "False",
            ])
        }
        try await engine.seedGroup([
            "id": "6a000000-0000-4000-8000-000000000001", "displayName": "Pilot",
            "members": .array((0..<users).map { .string(Self.userID($0)) }),
        ])
        let application = try #require(try bundledProfile("eptura", ["domain": "scim.example.eptura.com"]).applications.first)
        try await harness.applyUntilConverged(application, backups: temporaryDirectory(), environment: ["EPTURA_SCIM_TOKEN": "t"])
        let servicePrincipalID = try #require(await engine.tenant().servicePrincipals.first?.id)
        return (harness, servicePrincipalID)
    }

    @Test func usersAreFoundByObjectIDPrincipalNameOrMail() async throws {
        let (harness, servicePrincipalID) = try await start(users: 2)
        try await withStopping(harness, stop: { await $0.stop() }) { harness in
            let provisioner = OnDemandProvisioner(graph: harness.client)
            #expect(try await provisioner.resolveUser("u1@contoso.example").id == Self.userID(1))
            #expect(try await provisioner.resolveUser("FIRST.LAST1@contoso.example").id == Self.userID(1))
            #expect(try await provisioner.resolveUser(Self.userID(0)).name == "u0@contoso.example")

            let byMail = try await provisioner.resolveUser("first.last0@contoso.example")
            let result = try await provisioner.provision(servicePrincipalID: servicePrincipalID, objectID: byMail.id)
            #expect(result.succeeded)

            do {
                _ = try await provisioner.resolveUser("nobody@contoso.example")
                Issue.record("an unknown user must be an error")
            } catch let error as ProvisioningError {
                #expect(error.description.contains("userPrincipalName or mail is 'nobody@contoso.example'"))
            }
            await #expect(throws: ProvisioningError.self) { _ = try await provisioner.resolveUser("0000000a-0000-4000-8000-999999999999") }

            // Two users sharing a mail address: which one is meant must be said by object id.
            try await harness.emulator.engine.seedUser([
                "id": "0000000b-0000-4000-8000-000000000000", "userPrincipalName": "other@contoso.example",
                "mail": "first.last0@contoso.example",
            ])
            do {
                _ = try await provisioner.resolveUser("first.last0@contoso.example")
                Issue.record("an ambiguous mail must be an error")
            } catch let error as ProvisioningError {
                #expect(error.description.contains("2 users have mail 'first.last0@contoso.example'"))
                #expect(error.description.contains(Self.userID(0)))
            }
        }
    }

    @Test func groupsAreFoundByNameOrIDAndAmbiguityIsAnError() async throws {
        let (harness, _) = try await start(users: 1)
        try await withStopping(harness, stop: { await $0.stop() }) { harness in
            let provisioner = OnDemandProvisioner(graph: harness.client)
            #expect(try await provisioner.resolveGroup("pilot").id == "6a000000-0000-4000-8000-000000000001")
            #expect(try await provisioner.resolveGroup("6a000000-0000-4000-8000-000000000001").name == "Pilot")
            await #expect(throws: ProvisioningError.self) { _ = try await provisioner.resolveGroup("Nobody's group") }
            try await harness.emulator.engine.seedGroup(["id": "6a000000-0000-4000-8000-000000000002", "displayName": "Pilot"])
            do {
                _ = try await provisioner.resolveGroup("Pilot")
                Issue.record("two groups with one name must be an error")
            } catch let error as ProvisioningError {
                #expect(error.description.contains("2 groups are named 'Pilot'"))
            }
        }
    }

    @Test func membersGoFiveToARequestAndTheRateIsKept() async throws {
        var configuration = EmulatorConfiguration()
        configuration.enforceProvisionOnDemandLimit = true
        let (harness, servicePrincipalID) = try await start(users: 27, configuration: configuration)
        try await withStopping(harness, stop: { await $0.stop() }) { harness in
            let provisioner = OnDemandProvisioner(graph: harness.client)
            let group = try await provisioner.resolveGroup("Pilot")
            let members = try await provisioner.members(of: group, limit: 50)
            #expect(members.count == 27)
            #expect(members.first?.name == "u0@contoso.example")

            await harness.clearLog()
            let waits = RecordedWaits()
            let engine = harness.emulator.engine
            let batches = try await provisioner.provision(
                servicePrincipalID: servicePrincipalID, group: group, members: members,
                wait: { seconds in
                    waits.add(seconds)
                    await engine.advanceClock(seconds: seconds)
                })
            #expect(batches.map(\.members.count) == [5, 5, 5, 5, 5, 2])
            #expect(batches.allSatisfy { $0.result.result == "Success" })
            #expect(waits.all == [10], "one pause after the first five requests")
            let posts = await harness.requests().filter { $0.path.hasSuffix("/provisionOnDemand") }
            #expect(posts.count == 6)
            #expect(posts.allSatisfy { $0.status == 200 }, "never throttled")

            // Every member shows up in the provisioning log.
            let log = try await ProvisioningLogReader(graph: harness.client).read(
                servicePrincipalID: servicePrincipalID, since: Date().addingTimeInterval(-86_400))
            let onDemand = log.subjects.filter { $0.events.contains { $0.cycleID?.hasPrefix("ProvisionOnDemand-") == true } }
            #expect(onDemand.count == 27)

            await #expect(throws: ProvisioningError.self) { _ = try await provisioner.members(of: group, limit: 20) }
        }
    }

    @Test func requestsAreResolvedProvisionedAndLabelled() async throws {
        let (harness, servicePrincipalID) = try await start(users: 7)
        try await withStopping(harness, stop: { await $0.stop() }) { harness in
            let provisioner = OnDemandProvisioner(graph: harness.client)
            let byName = try await provisioner.provision(
                .subject("u3@contoso.example", kind: .user), servicePrincipalID: servicePrincipalID)
            #expect(byName.map(\.label) == ["user u3@contoso.example (\(Self.userID(3)))"])
            #expect(byName.first?.result.succeeded == true)

            // A group named by id is labelled with its display name.
            let group = try await provisioner.provision(
                .subject("6a000000-0000-4000-8000-000000000001", kind: .group), servicePrincipalID: servicePrincipalID)
            #expect(group.map(\.label) == ["group Pilot (6a000000-0000-4000-8000-000000000001)"])

            let batches = try await provisioner.provision(
                .membersOf("Pilot", limit: 50), servicePrincipalID: servicePrincipalID, wait: { _ in })
            #expect(batches.map(\.label) == [
                "group Pilot with u0@contoso.example, u1@contoso.example, u2@contoso.example, u3@contoso.example, u4@contoso.example",
                "group Pilot with u5@contoso.example, u6@contoso.example",
            ])
            await #expect(throws: ProvisioningError.self) {
                _ = try await provisioner.provision(.membersOf("Pilot", limit: 6), servicePrincipalID: servicePrincipalID)
            }
        }
    }

    @Test func theEmulatorHoldsGroupRequestsToGraphsLimits() async throws {
        let (harness, servicePrincipalID) = try await start(users: 7)
        try await withStopping(harness, stop: { await $0.stop() }) { harness in
            let tenant = await harness.emulator.engine.tenant()
            let job = try #require(tenant.jobs.first)
            let ruleID = try #require(job.schema["synchronizationRules"]?.arrayValue?.first?["id"]?.stringValue)
            let path = GraphPaths.jobAction("provisionOnDemand", servicePrincipalId: servicePrincipalID, jobId: job.id)
            func request(members: [String], subjects extra: [JSONValue] = []) async throws {
                let group: JSONValue = [
                    "objectId": "6a000000-0000-4000-8000-000000000001", "objectTypeName": "Group",
                    "links": ["members": .array(members.map { ["objectId": .string($0), "objectTypeName": "User"] })],
                ]
                _ = try await harness.client.send(
                    .post, path, body: ["parameters": [["ruleId": .string(ruleID), "subjects": .array([group] + extra)]]],
                    operation: "test", version: .v1, idempotent: false)
            }
            try await request(members: (0..<5).map(Self.userID))
            for (members, extra) in [
                ((0..<6).map(Self.userID), [JSONValue]()),  // six members
                (["0000000b-0000-4000-8000-000000000000"], []),  // not a member
                ([Self.userID(0)], [["objectId": .string(Self.userID(1)), "objectTypeName": "User"]]),  // two subjects
            ] {
                do {
                    try await request(members: members, subjects: extra)
                    Issue.record("the emulator must refuse \(members.count) members with \(extra.count) extra subjects")
                } catch let error as GraphError {
                    #expect(error.status == 400)
                }
            }
        }
    }
}
