import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import Provisioning
import TestSupport
import Testing
import VendorProfiles

@Suite("pause, resume and restart on scope change against the emulator", .serialized)
struct JobLifecycleTests {
    let environment = ["TOTALMOBILE_SCIM_TOKEN": "tm-token-for-lifecycle-tests"]

    func application() throws -> ResolvedApplication {
        let application = try #require(try bundledProfile("totalmobile", ["customer": "Contoso"]).applications.first)
        #expect(application.startProvisioning)
        return application
    }

    func job(_ harness: EmulatorHarness) async throws -> SynchronizationJobRecord {
        try #require(await harness.emulator.engine.tenant().jobs.first)
    }

    @Test func pausedProfilePausesTheJobAndResumingStartsIt() async throws {
        try await EmulatorHarness.with { harness in
            let backups = temporaryDirectory()
            var application = try application()
            try await harness.applyUntilConverged(application, backups: backups, environment: environment)
            #expect(try await job(harness).scheduleState == "Active")

            application.paused = true
            let (plan, live) = try await harness.planner().plan(application)
            #expect(plan.jobState?.pause == true)
            #expect(plan.start == .notRequested)
            #expect(plan.hasChanges)
            let outcome = try await harness.applier(backups: backups, environment: environment).apply(plan, live: live)
            #expect(outcome.changes == ["paused provisioning"])
            #expect(try await job(harness).statusCode == "Paused")

            await harness.clearLog()
            let (settled, _) = try await harness.planner().plan(application)
            #expect(!settled.hasChanges)
            #expect(settled.jobState?.stayPaused == true)
            #expect(settled.start == .notRequested)
            #expect(await harness.writes().isEmpty)

            application.paused = false
            let (resume, resumeLive) = try await harness.planner().plan(application)
            #expect(resume.start == .start)
            let resumed = try await harness.applier(backups: backups, environment: environment).apply(resume, live: resumeLive)
            #expect(resumed.changes.contains("started provisioning"))
            #expect(try await job(harness).scheduleState == "Active")
        }
    }

    @Test func scopeChangeOnARunningJobRestartsIt() async throws {
        try await EmulatorHarness.with { harness in
            let backups = temporaryDirectory()
            var application = try application()
            try await harness.applyUntilConverged(application, backups: backups, environment: environment)

            application.scope = .all
            let (plan, live) = try await harness.planner().plan(application)
            #expect(plan.jobState?.restartReason?.contains("all users and groups") == true)
            await harness.clearLog()
            let outcome = try await harness.applier(backups: backups, environment: environment).apply(plan, live: live)
            #expect(outcome.changes.contains { $0.hasPrefix("restarted provisioning") })
            let writes = await harness.writes()
            let secrets = writes.firstIndex { $0.method == "PUT" && $0.path.hasSuffix("/secrets") }
            let restart = writes.firstIndex { $0.method == "POST" && $0.path.hasSuffix("/restart") }
            #expect(secrets != nil && restart != nil && secrets! < restart!, "\(writes.map(\.path))")
            let (settled, _) = try await harness.planner().plan(application)
            #expect(!settled.hasChanges)
            #expect(settled.jobState?.restartReason == nil)
        }
    }

    @Test func scopeChangeOnAStoppedJobNeedsNoRestart() async throws {
        try await EmulatorHarness.with { harness in
            var application = try application()
            application.startProvisioning = false
            try await harness.applyUntilConverged(application, backups: temporaryDirectory(), environment: environment)
            application.scope = .all
            let (plan, _) = try await harness.planner().plan(application)
            #expect(!plan.secretChanges.isEmpty)
            #expect(plan.jobState?.restartReason == nil)
        }
    }
}
