import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import Provisioning
import TestSupport
import Testing
import VendorProfiles

@Suite("assignments against the emulator", .serialized)
struct AssignmentTests {
    let environment = ["TOTALMOBILE_SCIM_TOKEN": "totalmobile-token-for-assignment-tests"]
    static let salesGroup: JSONValue = ["id": "0b7c2a91-5d1e-4f3a-9b6c-7e8d9f0a1b2c", "displayName": "Flosum Users"]
    static let adele = "5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13"
    static let userRole = "18d14569-c3bd-439b-9a66-3a2aee01d14f"
    static let msiamRole = "b9632174-c057-4f7e-951b-be3adc52bfe6"

    func application(_ assignments: [Assignment], mode: AssignmentMode = .amend) throws -> ResolvedApplication {
        // Totalmobile's guide has scimctl create the app, so assignments wait for its roles (see below).
        var application = try #require(try bundledProfile("totalmobile", ["customer": "contoso"]).applications.first)
        application.assignments = assignments
        application.assignmentMode = mode
        application.startProvisioning = false
        return application
    }

    func assignments(_ harness: EmulatorHarness) async -> [JSONValue] {
        await harness.emulator.engine.tenant().appRoleAssignments
    }

    @Test func freshApplyAssignsGroupAndUserThenConverges() async throws {
        try await EmulatorHarness.with { harness in
            try await harness.emulator.engine.seedGroup(Self.salesGroup)
            let application = try application([
                Assignment(principal: .group("Flosum Users")),
                Assignment(principal: .user("ADELE.VANCE@contoso.example"), role: "msiam_access"),
            ])
            let (plan, live) = try await harness.planner().plan(application)
            let planned = try #require(plan.assignments)
            // The app does not exist yet: principals are resolved, roles wait for the app.
            #expect(planned.add.map(\.principalID) == [Self.salesGroup["id"]?.stringValue, Self.adele])
            #expect(planned.add.allSatisfy { $0.roleID == nil })
            let outcome = try await harness.applier(backups: temporaryDirectory(), environment: environment).apply(plan, live: live)
            #expect(outcome.changes.filter { $0.hasPrefix("assigned ") }.count == 2)

            let made = await assignments(harness)
            #expect(made.count == 2)
            let group = try #require(made.first { $0["principalType"]?.stringValue == "Group" })
            #expect(group["appRoleId"]?.stringValue == Self.userRole)
            #expect(group["resourceId"]?.stringValue == outcome.servicePrincipalID)
            let user = try #require(made.first { $0["principalType"]?.stringValue == "User" })
            #expect(user["appRoleId"]?.stringValue == Self.msiamRole)

            await harness.clearLog()
            let (again, _) = try await harness.planner().plan(application)
            #expect(again.assignments?.hasChanges == false)
            #expect(again.assignments?.unchanged == 2)
            #expect(!again.hasChanges)
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func amendKeepsOtherAssignmentsAndExclusiveRemovesThem() async throws {
        try await EmulatorHarness.with { harness in
            try await harness.emulator.engine.seedGroup(Self.salesGroup)
            let backups = temporaryDirectory()
            // Someone assigned Adele in the portal.
            let byHand = try application([Assignment(principal: .user(Self.adele))])
            try await harness.applyUntilConverged(byHand, backups: backups, environment: environment)
            #expect(await assignments(harness).count == 1)

            let amend = try application([Assignment(principal: .group(Self.salesGroup["id"]?.stringValue ?? ""))])
            let (amendPlan, _) = try await harness.planner().plan(amend)
            #expect(amendPlan.assignments?.add.count == 1)
            #expect(amendPlan.assignments?.remove.isEmpty == true)
            try await harness.applyUntilConverged(amend, backups: backups, environment: environment)
            #expect(await assignments(harness).count == 2)

            var exclusive = amend
            exclusive.assignmentMode = .exclusive
            let (exclusivePlan, live) = try await harness.planner().plan(exclusive)
            let removal = try #require(exclusivePlan.assignments?.remove.first)
            #expect(exclusivePlan.assignments?.remove.count == 1)
            #expect(removal.principalID == Self.adele)
            #expect(removal.roleName == "User")
            #expect(exclusivePlan.hasChanges)
            _ = try await harness.applier(backups: backups, environment: environment).apply(exclusivePlan, live: live)
            let left = await assignments(harness)
            #expect(left.map { $0["principalId"]?.stringValue } == [Self.salesGroup["id"]?.stringValue])
            let (settled, _) = try await harness.planner().plan(exclusive)
            #expect(!settled.hasChanges)
        }
    }

    @Test func unknownOrAmbiguousPrincipalsAndRolesAreClearErrors() async throws {
        try await EmulatorHarness.with { harness in
            try await harness.emulator.engine.seedGroup(["id": "11111111-1111-4111-8111-111111111111", "displayName": "Twins"])
            try await harness.emulator.engine.seedGroup(["id": "22222222-2222-4222-8222-222222222222", "displayName": "twins"])

            func failure(_ assignment: Assignment) async throws -> String {
                do {
                    _ = try await harness.planner().plan(try application([assignment]))
                } catch let error as ProvisioningError {
                    guard case .unresolvedAssignment = error else { return "unexpected: \(error)" }
                    return error.description
                }
                return "no error"
            }
            #expect(try await failure(Assignment(principal: .group("Nobody"))).contains("no group has displayName 'Nobody'"))
            let twins = try await failure(Assignment(principal: .group("Twins")))
            #expect(twins.contains("2 groups have displayName 'Twins'"), "\(twins)")
            #expect(twins.contains("11111111-1111-4111-8111-111111111111") && twins.contains("by object id"))
            #expect(
                try await failure(Assignment(principal: .user("99999999-9999-4999-8999-999999999999")))
                    .contains("no user has object id 99999999-9999-4999-8999-999999999999"))
            #expect(try await failure(Assignment(principal: .user("ghost@contoso.example"))).contains("userPrincipalName"))

            // An unknown role is found once the app exists.
            let backups = temporaryDirectory()
            try await harness.applyUntilConverged(try application([]), backups: backups, environment: environment)
            let role = try await failure(Assignment(principal: .user(Self.adele), role: "Administrator"))
            #expect(role.contains("no app role 'Administrator'") && role.contains("User, msiam_access"), "\(role)")
            #expect(await assignments(harness).isEmpty)
        }
    }

    @Test func aNewAppsUnknownRoleFailsAfterCreationWithoutAssigning() async throws {
        try await EmulatorHarness.with { harness in
            let application = try application([Assignment(principal: .user(Self.adele), role: "Owner")])
            let (plan, live) = try await harness.planner().plan(application)
            await #expect(throws: ProvisioningError.self) {
                _ = try await harness.applier(backups: temporaryDirectory(), environment: environment).apply(plan, live: live)
            }
            #expect(await assignments(harness).isEmpty)
        }
    }

    @Test func exportWritesPortalAssignmentsAndPlanningTheExportChangesNothing() async throws {
        try await EmulatorHarness.with { harness in
            try await harness.emulator.engine.seedGroup(Self.salesGroup)
            // Made "in the portal": a group with the default role and a user with msiam_access.
            let portal = try application([
                Assignment(principal: .group("Flosum Users")), Assignment(principal: .user(Self.adele), role: "msiam_access"),
            ])
            try await harness.applyUntilConverged(portal, backups: temporaryDirectory(), environment: environment)

            let exported = try await ProfileExporter(graph: harness.client).export(
                servicePrincipalID: nil, displayName: portal.displayName, vendor: "Flosum")
            #expect(exported.yaml.contains("    assignments:\n"), "\(exported.yaml)")
            #expect(exported.yaml.contains("  - group: \"\(Self.salesGroup["id"]?.stringValue ?? "")\"  # Flosum Users"))
            #expect(exported.yaml.contains("    role: \"msiam_access\""))
            let loaded = ProfileLoader.load(text: exported.yaml, file: "exported.yaml")
            let profile = try #require(loaded.profile, "\(loaded.diagnostics)")
            let reread = try #require(profile.resolve(parameters: [:]).0?.applications.first)
            #expect(reread.assignments.count == 2)
            await harness.clearLog()
            let (plan, _) = try await harness.planner().plan(reread)
            #expect(plan.assignments?.hasChanges == false)
            #expect(plan.assignments?.unchanged == 2)
            #expect(await harness.writes().isEmpty)
        }
    }
}
