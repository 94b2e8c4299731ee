import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import Provisioning
import TestSupport
import Testing
import VendorProfiles

@Suite("existing applications (create: false) against the emulator", .serialized)
struct ExistingApplicationTests {
    let environment = ["FLOSUM_SCIM_TOKEN": "flosum-token-for-existing-app-tests"]

    /// Makes an enterprise app the way the portal (or a vendor's script) would.
    func makeApp(_ harness: EmulatorHarness, _ displayName: String) async throws -> (id: String, appID: String) {
        let created = try await harness.client.send(
            .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
            body: ["displayName": .string(displayName)], operation: "test: create the app", version: .v1)
        let id = try #require(created?["servicePrincipal"]?["id"]?.stringValue)
        let appID = try #require(created?["servicePrincipal"]?["appId"]?.stringValue)
        return (id, appID)
    }

    @Test func flosumNeverCreatesItsApp() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
            #expect(application.create == false)
            do {
                _ = try await harness.planner().plan(application)
                Issue.record("planning an absent create: false app must fail")
            } catch let error as ProvisioningError {
                guard case .existingApplicationMissing = error else { throw error }
                #expect(error.description.contains("no enterprise application named 'Flosum' was found"))
                // The library names no command-line option; it says what can be done, and the executable words it.
                #expect(!error.description.contains("--"))
                #expect(error.remedy == .pointAtExistingApplication)
            }
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func anExistingAppIsConfiguredNotCreated() async throws {
        try await EmulatorHarness.with { harness in
            let made = try await makeApp(harness, "Flosum")
            await harness.clearLog()
            let application = try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
            let (plan, live) = try await harness.planner().plan(application)
            #expect(plan.servicePrincipal == .found(id: made.id))
            #expect(!plan.marksServicePrincipal)
            let outcome = try await harness.applier(backups: temporaryDirectory(), environment: environment).apply(plan, live: live)
            #expect(outcome.servicePrincipalID == made.id)
            let writes = await harness.writes()
            #expect(!writes.contains { $0.path.contains("instantiate") })
            #expect(await harness.emulator.engine.tenant().servicePrincipals.count == 1)
        }
    }

    @Test func appIdPicksOneOfTwoAppsWithTheSameName() async throws {
        try await EmulatorHarness.with { harness in
            _ = try await makeApp(harness, "Flosum")
            let second = try await makeApp(harness, "Flosum")
            var application = try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
            await #expect(throws: ProvisioningError.self) { _ = try await harness.planner().plan(application) }
            application.appID = second.appID
            let (plan, _) = try await harness.planner().plan(application)
            #expect(plan.servicePrincipal == .found(id: second.id))
            application.appID = "00000000-1111-4222-8333-444444444444"
            await #expect(throws: ProvisioningError.self) { _ = try await harness.planner().plan(application) }
        }
    }

    @Test func appIdIsReadResolvedAndChecked() throws {
        let text = """
            vendor: Example
            parameters:
              client: {description: the app's client id, example: 0f1e2d3c-4b5a-4968-8776-655443322110}
            applications:
              - name: example
                displayName: Example
                create: false
                appId: "{client}"
                tenantURL: https://scim.example.com/scim
                secretToken: none
                scope: all
                users: {}
            """
        let loaded = ProfileLoader.load(text: text, file: "existing.yaml")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let profile = try #require(loaded.profile)
        let resolved = try #require(profile.resolve(parameters: ["client": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"]).0)
        #expect(resolved.applications.first?.create == false)
        #expect(resolved.applications.first?.appID == "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d")
        let bad = ProfileLoader.load(text: text.replacingOccurrences(of: "\"{client}\"", with: "not-a-guid"), file: "bad.yaml")
        #expect(bad.diagnostics.contains { $0.id == .invalidValue && $0.message.contains("appId") })
    }
}
