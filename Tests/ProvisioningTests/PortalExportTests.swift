import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning
import TestSupport
import Testing

@Suite("export of an application built in the portal", .serialized)
struct PortalExportTests {
    static let userRoleID = "18d14569-c3bd-439b-9a66-3a2aee01d14f"

    /// What an administrator clicks together in the portal, as raw Graph calls: the app, its job, credentials with
    /// a notification e-mail, a scoping filter, two assignments, started and then paused.
    func buildInThePortal(_ harness: EmulatorHarness) async throws -> (id: String, appID: String) {
        let client = harness.client
        let engine = harness.emulator.engine
        try await engine.seedGroup(["id": "6b000000-0000-4000-8000-000000000001", "displayName": "Portal Users"])
        let adele = try #require(await engine.tenant().users.first?["id"]?.stringValue)
        let created = try await client.send(
            .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
            body: ["displayName": "Portal App"], operation: "portal: create the app", version: .v1)
        let id = try #require(created?["servicePrincipal"]?["id"]?.stringValue)
        let appID = try #require(created?["servicePrincipal"]?["appId"]?.stringValue)
        let job = try await client.send(
            .post, GraphPaths.jobs(servicePrincipalId: id), body: ["templateId": "scim"], operation: "portal: job", version: .v1)
        let jobID = try #require(job?["id"]?.stringValue)
        _ = try await client.send(
            .put, GraphPaths.secrets(servicePrincipalId: id),
            body: [
                "value": [
                    ["key": "BaseAddress", "value": "https://scim.portal.example/scim"], ["key": "SecretToken", "value": "portal-token"],
                    ["key": "SyncAll", "value": "false"],
                    ["key": "SyncNotificationSettings", "value": .string(SecretsBody.notificationSettings(recipients: "ops@contoso.example"))],
                ]
            ],
            operation: "portal: credentials", version: .v1)
        var schema = try #require(try await client.send(
            .get, GraphPaths.schema(servicePrincipalId: id, jobId: jobID), operation: "portal: read schema", version: .v1))
        var rules = try #require(schema["synchronizationRules"]?.arrayValue)
        var mappings = try #require(rules[0]["objectMappings"]?.arrayValue)
        let userIndex = try #require(mappings.firstIndex { $0["sourceObjectName"]?.stringValue == "User" })
        mappings[userIndex]["scope"] = [
            "categoryFilterGroups": [], "inputFilterGroups": [],
            "groups": [["name": "Sales only", "clauses": [["operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": ["values": ["Sales"]]]]]],
        ]
        rules[0]["objectMappings"] = .array(mappings)
        schema["synchronizationRules"] = .array(rules)
        schema["@odata.context"] = nil
        _ = try await client.send(
            .put, GraphPaths.schema(servicePrincipalId: id, jobId: jobID), body: schema, operation: "portal: scoping filter", version: .v1)
        for (principal, type) in [(adele, "User"), ("6b000000-0000-4000-8000-000000000001", "Group")] {
            _ = try await client.send(
                .post, GraphPaths.servicePrincipal(id) + "/appRoleAssignedTo",
                body: ["principalId": .string(principal), "resourceId": .string(id), "appRoleId": .string(Self.userRoleID)],
                operation: "portal: assign \(type)", version: .v1)
        }
        _ = try await client.send(.post, GraphPaths.jobAction("start", servicePrincipalId: id, jobId: jobID), operation: "portal: start", version: .v1)
        _ = try await client.send(.post, GraphPaths.jobAction("pause", servicePrincipalId: id, jobId: jobID), operation: "portal: pause", version: .v1)
        return (id, appID)
    }

    @Test func exportThenPlanOfAPortalAppShowsNoChanges() async throws {
        try await EmulatorHarness.with { harness in
            let built = try await buildInThePortal(harness)

            let exported = try await ProfileExporter(graph: harness.client).export(
                servicePrincipalID: nil, displayName: "Portal App", vendor: "Portal")
            #expect(exported.notes.isEmpty, "\(exported.notes)")
            for line in [
                "create: false", "appId: \"\(built.appID)\"", "scope: assigned", "notificationEmail: \"ops@contoso.example\"",
                "paused: true", "- group: ", "- user: ", "name: \"Sales only\"",
            ] {
                #expect(exported.yaml.contains(line), "missing \(line)\n\(exported.yaml)")
            }
            let loaded = ProfileLoader.load(text: exported.yaml, file: "exported.yaml")
            #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.message))")
            let profile = try #require(loaded.profile)
            #expect(!ProfileValidator.validate(profile).hasErrors)
            let application = try #require(profile.resolve(parameters: [:]).0?.applications.first)
            #expect(application.create == false)
            #expect(application.appID == built.appID)
            #expect(application.paused)

            await harness.clearLog()
            let (plan, _) = try await harness.planner().plan(application)
            #expect(plan.servicePrincipal == .found(id: built.id))
            #expect(!plan.hasChanges, "\(plan)\n\(exported.yaml)")
            #expect(await harness.writes().isEmpty)

            // Renamed in the portal afterwards: the appId still finds it, and a second app of the old name does not confuse it.
            _ = try await harness.client.send(
                .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
                body: ["displayName": "Portal App"], operation: "another app of that name", version: .v1)
            let (again, _) = try await harness.planner().plan(application)
            #expect(again.servicePrincipal == .found(id: built.id))
        }
    }

    @Test func anAppScimctlCreatedIsExportedWithoutCreateFalse() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("totalmobile", ["customer": "Contoso"]).applications.first)
            try await harness.applyUntilConverged(application, backups: temporaryDirectory(), environment: ["TOTALMOBILE_SCIM_TOKEN": "t"])
            let exported = try await ProfileExporter(graph: harness.client).export(
                servicePrincipalID: nil, displayName: application.displayName, vendor: "Totalmobile")
            #expect(!exported.yaml.contains("create: false"))
            #expect(!exported.yaml.contains("appId:"))
        }
    }
}
