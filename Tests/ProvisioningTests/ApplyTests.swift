import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import Provisioning
import TestSupport
import Testing
import VendorProfiles

@Suite("apply against the emulator", .serialized)
struct ApplyTests {
    let environment = ["FLOSUM_SCIM_TOKEN": "flosum-canary-token-0123456789"]

    @Test func freshApplyThenReapplyMakesNoWrites() async throws {
        try await EmulatorHarness.with { harness in
            let profile = try bundledProfile("flosum", ["region": "de"])
            try await harness.createExistingApplications(profile.applications)
            let application = try #require(profile.applications.first)
            let planner = Planner(graph: harness.client)

            let (plan, live) = try await planner.plan(application)
            // Flosum's guide configures the app made for single sign-on: it is found, never created.
            #expect(plan.servicePrincipal != .create)
            #expect(!plan.marksServicePrincipal)
            #expect(plan.job == .create)
            #expect(plan.start == .start)
            #expect(plan.hasChanges)

            let backups = temporaryDirectory()
            let outcome = try await harness.applier(backups: backups, environment: environment).apply(plan, live: live)
            #expect(outcome.jobID.hasPrefix("scim."))

            // The tenant now holds exactly what the profile says.
            let tenant = await harness.emulator.engine.tenant()
            let secrets = tenant.secrets[outcome.servicePrincipalID] ?? []
            #expect(secrets.first { $0.key == "BaseAddress" }?.value == "https://global-de.flosum.app/api/v1/scim")
            #expect(secrets.first { $0.key == "SecretToken" }?.value == environment["FLOSUM_SCIM_TOKEN"])
            #expect(secrets.first { $0.key == "SyncAll" }?.value == "false")

            // Second run: reads only, no writes, nothing to change.
            await harness.clearLog()
            let (again, _) = try await planner.plan(application)
            #expect(!again.hasChanges, "second plan should be empty: \(again.secretChanges) \(again.mappingChanges)")
            #expect(await harness.writes().isEmpty)
            #expect(again.reads <= 5)
        }
    }

    @Test func schemaPutPreservesCustomerMappingsAndIsBackedUp() async throws {
        try await EmulatorHarness.with { harness in
            // Totalmobile amends only externalId: a customer mapping on title must survive.
            let profile = try bundledProfile("totalmobile", ["customer": "Contoso"])
            try await harness.createExistingApplications(profile.applications)
            let application = try #require(profile.applications.first)
            #expect(application.tenantURL == "https://contoso.totalmobile-cloud.com/platform/api/scim/v1")
            let planner = Planner(graph: harness.client)
            let backups = temporaryDirectory()
            let env = ["TOTALMOBILE_SCIM_TOKEN": "tm-token"]
            let (plan, live) = try await planner.plan(application)
            let outcome = try await harness.applier(backups: backups, environment: env).apply(plan, live: live)
            #expect(outcome.backupPath != nil)
            let saved = SchemaBackups(directory: backups).list(servicePrincipalID: outcome.servicePrincipalID)
            #expect(saved.count == 1)

            let schemaPath = GraphPaths.schema(servicePrincipalId: outcome.servicePrincipalID, jobId: outcome.jobID)
            let schema = SynchronizationSchema(json: try #require(try await harness.client.send(.get, schemaPath, operation: "read")))
            let users = try #require(schema.synchronizationRules.flatMap(\.objectMappings).first { $0.sourceObjectName == "User" })
            let externalId = try #require(users.attributeMappings.first { $0.targetAttributeName == "externalId" })
            #expect(externalId.source?.name == "objectId")
            // Template defaults the profile does not own are still there.
            #expect(users.attributeMappings.contains { $0.targetAttributeName == "title" })
            #expect(users.attributeMappings.count == 22)
        }
    }

    @Test func missingTokenWritesNothing() async throws {
        try await EmulatorHarness.with { harness in
            let profile = try bundledProfile("flosum", ["region": "us"])
            try await harness.createExistingApplications(profile.applications)
            let application = try #require(profile.applications.first)
            let (plan, live) = try await Planner(graph: harness.client).plan(application)
            await #expect(throws: ProvisioningError.self) {
                _ = try await harness.applier(backups: temporaryDirectory(), environment: [:]).apply(plan, live: live)
            }
            #expect(await harness.writes().isEmpty)
        }
    }
}

@Suite("apply a profile without a secret token", .serialized)
struct TokenlessApplyTests {
    @Test func telemessageAppliesWithoutATokenWhereTheEndpointNeedsNone() async throws {
        var configuration = EmulatorConfiguration()
        configuration.tokenOptionalHosts = ["provisioning-gateway-service-charlie.kapi.telemessage.com"]
        try await EmulatorHarness.with(configuration: configuration) { harness in
            let profile = try bundledProfile("telemessage", ["manager": "Jane Doe"])
            try await harness.createExistingApplications(profile.applications)
            let application = try #require(profile.applications.first)
            let planner = Planner(graph: harness.client)
            let (plan, live) = try await planner.plan(application)
            #expect(plan.secretKeys == ["BaseAddress", "SyncAll"])
            // No environment at all: the profile says the vendor takes no token.
            let outcome = try await harness.applier(backups: temporaryDirectory(), environment: [:]).apply(plan, live: live)
            let tenant = await harness.emulator.engine.tenant()
            let secrets = tenant.secrets[outcome.servicePrincipalID] ?? []
            #expect(!secrets.contains { $0.key == "SecretToken" })
            #expect(secrets.first { $0.key == "BaseAddress" }?.value
                == "https://provisioning-gateway-service-charlie.kapi.telemessage.com/scim/v2")
            let (again, _) = try await planner.plan(application)
            #expect(!again.hasChanges)
        }
    }

    @Test func anEndpointThatNeedsATokenRejectsTheConnectionTest() async throws {
        try await EmulatorHarness.with { harness in
            let profile = try bundledProfile("telemessage", ["manager": "Jane Doe"])
            try await harness.createExistingApplications(profile.applications)
            let application = try #require(profile.applications.first)
            let (plan, live) = try await Planner(graph: harness.client).plan(application)
            let error = await #expect(throws: ProvisioningError.self) {
                _ = try await harness.applier(backups: temporaryDirectory(), environment: [:]).apply(plan, live: live)
            }
            // The failure says how far apply got, so the next run can finish.
            #expect(String(describing: error).contains("test the connection"))
        }
    }
}
