import Diagnostics
import Expressions
import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import Testing
import VendorProfiles

@testable import Provisioning

@Suite("simulate against the emulator", .serialized)
struct SimulationTests {
    static func application(
        _ mappings: [AttributeMapping], scope: ProvisioningScope = .all, usersEnabled: Bool? = nil
    ) -> ResolvedApplication {
        let profile = Profile(
            name: "sim", vendor: "Sim",
            applications: [
                Application(
                    name: "sim", displayName: "Sim Directory App", tenantURL: .template("https://scim.example.com", location: nil),
                    secretToken: .none, scope: scope,
                    users: ObjectMapping(kind: .user, enabled: usersEnabled, mode: .exclusive, mappings: mappings),
                    groups: ObjectMapping(kind: .group, enabled: false))
            ])
        return profile.resolve(parameters: [:]).0!.applications[0]
    }

    /// TeleMessage's shape: users keyed by a digits-only mobile number.
    static let mobileKeyed: [AttributeMapping] = [
        AttributeMapping(target: "userName", source: .attribute("mobile"), matchingPrecedence: 1),
        AttributeMapping(target: "active", source: .expression("Not([IsSoftDeleted])")),
        AttributeMapping(target: "emails[type eq \"work\"].value", source: .attribute("mail")),
        AttributeMapping(target: "displayName", source: .attribute("displayName")),
        AttributeMapping(target: "title", source: .expression(#"IIF([department]="Sales", "Seller", [jobTitle])"#)),
        AttributeMapping(target: "phoneNumbers[type eq \"work\"].value", source: .attribute("telephoneNumber")),
        AttributeMapping(target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", source: .attribute("manager")),
    ]
    static let rules = VendorRules(
        requiredUserTargets: ["displayName"], valueFormats: [ValueFormatRule(target: "userName", format: .internationalDigits)])

    /// Reads every user in the application's scope through Graph and simulates them: `scimctl simulate`'s own run.
    static func run(_ harness: EmulatorHarness, _ application: ResolvedApplication) async throws -> SimulationReport {
        let users = SimulationRun.Users.tenant(DirectoryReader(graph: harness.client), servicePrincipalID: nil)
        return try await SimulationRun(application, rules: rules, vendor: "Sim", users: users).run(progress: { _, _ in })
    }

    static func seeded(_ id: String, _ values: [String: JSONValue]) -> JSONValue {
        var user: [String: JSONValue] = [
            "id": .string(id), "userPrincipalName": .string("\(id)@contoso.example"), "mobile": .string("4477000\(id.count)0000"),
            "mail": .string("\(id)@contoso.example"), "displayName": .string(id), "department": "Sales", "accountEnabled": "True",
        ]
        for (key, value) in values { user[key] = value }
        return .object(user)
    }

    @Test func everyFailureKindInASeededDirectory() async throws {
        try await EmulatorHarness.with { harness in
            var tenant = TenantState()
            tenant.users = [
                Self.seeded("good", ["mobile": "447700000001"]),
                Self.seeded("no-mobile", ["mobile": .null]),
                Self.seeded("formatted", ["mobile": "+44 7700 000002"]),
                Self.seeded("first", ["mobile": "447700000003"]),
                Self.seeded("second", ["mobile": "447700000003"]),
                Self.seeded("no-name", ["mobile": "447700000004", "displayName": .null]),
                Self.seeded("no-department", ["mobile": "447700000005", "department": .null]),
                Self.seeded("long-mail", ["mobile": "447700000006", "mail": .string(String(repeating: "a", count: 260) + "@x.example")]),
                Self.seeded("disabled", ["mobile": .null, "accountEnabled": "False"]),
            ]
            await harness.emulator.engine.replaceTenant(tenant)

            let report = try await Self.run(harness, Self.application(Self.mobileKeyed))
            let byUser = Dictionary(uniqueKeysWithValues: report.failures.map { ($0.id, Set($0.findings.map(\.id.rawValue))) })
            #expect(report.users == 8)
            #expect(report.skipped == 1, "the disabled user is soft-deleted: Entra would not create it")
            #expect(byUser["good"] == nil)
            #expect(byUser["no-mobile"] == ["simulate.matching-attribute-empty"])
            #expect(byUser["formatted"] == ["preview.format-international-digits"])
            #expect(byUser["first"] == ["simulate.duplicate-matching-value"])
            #expect(byUser["second"] == ["simulate.duplicate-matching-value"])
            #expect(byUser["no-name"] == ["simulate.required-target-empty"])
            #expect(byUser["no-department"] == ["simulate.evaluation-error"])
            #expect(byUser["long-mail"] == ["simulate.value-too-long"])
            #expect(report.failing == 7)
            #expect(report.byReason[.simulateDuplicateMatchingValue] == 2)
        }
    }

    @Test func pagesFollowNextLinksWithExactlyTheSelectedProperties() async throws {
        try await EmulatorHarness.with { harness in
            await harness.emulator.engine.setDirectory(EmulatedDirectory(generatedUsers: 2_500, seed: 7))
            await harness.clearLog()

            let report = try await Self.run(harness, Self.application(Self.mobileKeyed))
            let disabled = (0..<2_500).filter(GeneratedUsers.isDisabled).count
            // The fresh tenant's sample user comes first; she has no mobile number.
            #expect(report.users + report.skipped == 2_501)
            #expect(report.skipped == disabled)
            let expectedEmpty = (0..<2_500).filter { GeneratedUsers.hasNoMobile($0) && !GeneratedUsers.isDisabled($0) }.count + 1
            #expect(report.byReason[.simulateMatchingAttributeEmpty] == expectedEmpty)
            let expectedFormatted = (0..<2_500).filter { GeneratedUsers.hasFormattedMobile($0) && !GeneratedUsers.isDisabled($0) }.count
            #expect(report.byReason[DiagnosticID("preview.format-international-digits")] == expectedFormatted)
            let expectedShared = (0..<2_500).filter { GeneratedUsers.sharesMobile($0) && !GeneratedUsers.isDisabled($0) }.count
            #expect(expectedShared > 0)
            #expect(report.byReason[.simulateDuplicateMatchingValue] == expectedShared * 2)

            let requests = await harness.requests().map(\.path)
            #expect(requests.count == 3, "999 + 999 + 503 users: \(requests)")
            let first = try #require(requests.first)
            #expect(first.contains("$top=999"))
            #expect(
                first.contains("$select=id,userPrincipalName,accountEnabled,mobilePhone,mail,displayName,department,jobTitle,businessPhones"),
                "\(first)")
            #expect(first.contains("$expand=manager(") && first.contains("id)"))
            #expect(requests.dropFirst().allSatisfy { $0.contains("skiptoken") })
        }
    }

    @Test func sourceAttributesAreTranslatedToGraphNames() async throws {
        try await EmulatorHarness.with { harness in
            await harness.emulator.engine.setDirectory(EmulatedDirectory(generatedUsers: 30, seed: 1))
            let sources = UserSourceMap(sourceAttributes: [
                "objectId", "mobile", "telephoneNumber", "extensionAttribute1", "manager", "physicalDeliveryOfficeName",
                "appRoleAssignments", "passwordProfile.password",
            ])
            #expect(sources.unavailable.map(\.name) == ["appRoleAssignments", "passwordProfile.password"])
            var users: [SimulatedUser] = []
            try await DirectoryReader(graph: harness.client).forEachPage(sources.usersPath, operation: "list users") { page in
                users += page.compactMap { sources.user(from: $0) }
            }
            let adele = try #require(users.first)
            #expect(adele.attributes["objectId"] == .string("5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13"))
            #expect(adele.attributes["telephoneNumber"] == .string("+1 425 555 0109"), "businessPhones[0]")
            #expect(adele.attributes["IsSoftDeleted"] == .boolean(false))
            let generated = users[30]  // position 29
            #expect(generated.attributes["extensionAttribute1"] == .string("cc-29"))
            #expect(generated.attributes["mobile"] == .string(GeneratedUsers.mobile(29)))
            #expect(generated.attributes["physicalDeliveryOfficeName"] == .string("Floor 5"))
            #expect(users[26].attributes["manager"] == .string(GeneratedUsers.id(1, seed: 1)), "position 25 reports to position 1")
            #expect(users[1].attributes["manager"] == .null)
        }
    }

    @Test func assignedScopeResolvesNestedGroupsAndNeedsTheApp() async throws {
        try await EmulatorHarness.with { harness in
            let application = Self.application(Self.mobileKeyed, scope: .assignedOnly)
            let reader = DirectoryReader(graph: harness.client)
            await #expect(throws: ProvisioningError.self) {
                _ = try await reader.servicePrincipalID(of: application, pinned: nil)
            }
            do {
                _ = try await reader.servicePrincipalID(of: application, pinned: nil)
            } catch {
                #expect(String(describing: error).contains("the app must exist"))
            }

            let created = try await harness.client.send(
                .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
                body: ["displayName": "Sim Directory App"], operation: "create the app")
            let servicePrincipal = try #require(created?["servicePrincipal"]?["id"]?.stringValue)
            let ids = (0..<12).map { GeneratedUsers.id($0, seed: 3) }
            await harness.emulator.engine.setDirectory(
                EmulatedDirectory(
                    generatedUsers: 12, seed: 3,
                    groups: [
                        EmulatedGroup(id: "outer", displayName: "Outer", members: [ids[1], "inner"]),
                        EmulatedGroup(id: "inner", displayName: "Inner", members: [ids[2], ids[3], "outer"]),  // a cycle
                    ],
                    assignments: [
                        servicePrincipal: [
                            EmulatedAssignment(principalId: ids[0], principalType: "User"),
                            EmulatedAssignment(principalId: "outer", principalType: "Group"),
                        ]
                    ]))
            #expect(try await reader.servicePrincipalID(of: application, pinned: nil) == servicePrincipal)
            let assigned = try await reader.assignedUserIDs(servicePrincipalID: servicePrincipal)
            #expect(assigned == Set(ids[0...3]))

            let report = try await Self.run(harness, application)
            #expect(report.users + report.skipped == 4, "scope assigned reads only the assigned users")
        }
    }

    @Test func aFileRunReportsTheBadLineAndSilencedRulesDropOut() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulation-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("users.jsonl").path
        try """
            {"id":"a","userPrincipalName":"a@x.example","mobile":"447700000001","displayName":"A","department":"Sales"}
            {"id":"b","userPrincipalName":"b@x.example","mobile":"+44 7700 000002","displayName":"B","department":"Sales"}
            """.write(toFile: good, atomically: true, encoding: .utf8)
        let run = try SimulationRun(Self.application(Self.mobileKeyed), rules: Self.rules, vendor: "Sim", users: .file(good))
        #expect(run.context.source == good)
        #expect(run.context.unavailable.isEmpty, "a file carries its own attributes")
        var seen: [Int] = []
        let report = try await run.run(progress: { users, _ in seen.append(users) })
        #expect(report.failing == 1)
        #expect(seen == [1, 2])
        let silenced = try await run.run(silencing: [.previewInternationalDigits], progress: { _, _ in })
        #expect(silenced.failing == 0)

        let bad = directory.appendingPathComponent("bad.jsonl").path
        try "{\"id\":\"a\"}\n[1]\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let failing = try SimulationRun(Self.application(Self.mobileKeyed), rules: Self.rules, vendor: "Sim", users: .file(bad))
        await #expect {
            _ = try await failing.run(progress: { _, _ in })
        } throws: { error in
            guard case .file(let path, let failure) = error as? SimulationRun.Failure else { return false }
            return path == bad && failure.line == 2
        }
    }

    @Test func aDisabledUserMappingAndGraphOnlyGapsAreKnownBeforeReading() throws {
        let disabled = Self.application(Self.mobileKeyed, usersEnabled: false)
        #expect {
            _ = try SimulationRun(disabled, rules: Self.rules, vendor: "Sim", users: .file("unused.jsonl"))
        } throws: { error in
            guard case .mappingDisabled(let name) = error as? SimulationRun.Failure else { return false }
            return name == "sim"
        }
        let reader = DirectoryReader(graph: GraphThatIsNeverCalled())
        let unreadable = Self.application(
            Self.mobileKeyed + [AttributeMapping(target: "nickName", source: .attribute("notAnEntraAttribute"))])
        let tenant = try SimulationRun(unreadable, rules: Self.rules, vendor: "Sim", users: .tenant(reader, servicePrincipalID: nil))
        #expect(tenant.context.unavailable.map(\.name) == ["notAnEntraAttribute"])
        #expect(tenant.context.source == "Microsoft Graph")
        let file = try SimulationRun(unreadable, rules: Self.rules, vendor: "Sim", users: .file("users.jsonl"))
        #expect(file.context.unavailable.isEmpty)
    }

    @Test func nextLinksStayOnTheClientsGraphRoot() {
        #expect(DirectoryReader.relativePath(ofNextLink: "https://graph.microsoft.com/v1.0/users?$skiptoken=x") == "/users?$skiptoken=x")
        #expect(DirectoryReader.relativePath(ofNextLink: "https://evil.example/v1.0/users?a=b") == "/users?a=b")
        #expect(DirectoryReader.relativePath(ofNextLink: "https://graph.microsoft.com/beta/users") == nil)
        #expect(DirectoryReader.relativePath(ofNextLink: "not a link") == nil)
    }
}

/// A Graph that fails every call: what a run knows before it reads anything must not need one.
struct GraphThatIsNeverCalled: GraphService {
    struct Called: Error {}
    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion, idempotent: Bool?
    ) async throws -> JSONValue? {
        throw Called()
    }
}
