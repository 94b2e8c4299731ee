import Diagnostics
import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning
import TestSupport
import Testing

/// Records what the workflow told its caller.
final class WorkflowCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var planned: [[ApplicationPlan]] = []
    private var confirmations = 0
    private var events: [ProgressEvent] = []

    func plannedCount() -> Int { lock.withLock { planned.count } }
    func confirmationCount() -> Int { lock.withLock { confirmations } }
    func eventCount() -> Int { lock.withLock { events.count } }
    func recordPlan(_ plans: [ApplicationPlan]) { lock.withLock { planned.append(plans) } }
    func recordConfirmation() { lock.withLock { confirmations += 1 } }
    func recordEvent(_ event: ProgressEvent) { lock.withLock { events.append(event) } }
}

private struct Declined: Error {}

@Suite("apply workflow against the emulator", .serialized)
struct ApplyWorkflowTests {
    let environment = ["FLOSUM_SCIM_TOKEN": "flosum-canary-token-0123456789"]

    func workflow(
        _ harness: EmulatorHarness, state: String, tokens: [String: String], dryRun: Bool = false,
        probe: SCIMProbe.Settings? = nil
    ) -> ApplyWorkflow {
        var options = ApplyWorkflow.Options()
        options.dryRun = dryRun
        options.probe = probe
        let engine = harness.emulator.engine
        return ApplyWorkflow(
            graph: harness.client, applicationTemplateID: GraphPaths.nonGalleryTemplateId,
            state: ApplyStateLocation(projectDirectory: state, environment: ["XDG_STATE_HOME": state + "/user"]),
            scope: "http://127.0.0.1:\(harness.port)|emulator",
            backups: SchemaBackups(directory: state + "/backups"), tokens: SecretTokenReader(environment: tokens),
            options: options, sleep: { seconds in await engine.advanceClock(seconds: seconds) })
    }

    /// How the workflow stopped; nil (and a recorded issue) when it did not.
    func stopped(
        _ workflow: ApplyWorkflow, _ applications: [ResolvedApplication], calls: WorkflowCalls = WorkflowCalls(),
        confirm: ([ApplicationPlan]) async throws -> Void
    ) async -> ApplyWorkflow.Stop? {
        do {
            let result = try await workflow.run(applications, planned: calls.recordPlan, confirm: confirm, progress: { _ in })
            Issue.record("the workflow should have stopped, but ended with \(result)")
            return nil
        } catch {
            return error
        }
    }

    @Test func aFailedProbeStopsBeforeGraphIsRead() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            await harness.clearLog()
            // Nothing listens on the discard port of loopback: the connection test fails.
            let probe = SCIMProbe.Settings(tenantURL: "http://127.0.0.1:9/scim", timeout: 5, clientVersion: "test")
            let probed = WorkflowCalls()
            var reports: [SCIMProbeReport] = []
            let gated = workflow(harness, state: temporaryDirectory(), tokens: environment, probe: probe)
            do {
                let result = try await gated.run(
                    [application], probed: { reports = $0 }, planned: probed.recordPlan, confirm: { _ in }, progress: { _ in })
                Issue.record("the probe should have stopped the workflow, but it ended with \(result)")
            } catch {
                guard case .probeFailed = error as? ApplyWorkflow.Stop else {
                    Issue.record("expected probeFailed, got \(error)")
                    return
                }
            }
            #expect(reports.count == 1 && reports[0].diagnostics.hasErrors)
            #expect(probed.plannedCount() == 0, "no plan is made after a failed probe")
            #expect(await harness.requests().isEmpty, "Graph was not read")

            // Two applications and one replacement URL: the probe cannot run, and nothing is read either.
            let pair = try bundledProfile("andmoney", ["environment": "test"]).applications
            let stop = await stopped(
                workflow(harness, state: temporaryDirectory(), tokens: environment, probe: probe), pair, confirm: { _ in })
            guard case .probe(.tenantURLNeedsOneApplication(let count)) = stop else {
                Issue.record("expected the probe to refuse two applications, got \(String(describing: stop))")
                return
            }
            #expect(count == 2)
            #expect(await harness.requests().isEmpty)
        }
    }

    @Test func plansConfirmsAppliesThenFindsNothingToDo() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            let state = temporaryDirectory()
            let calls = WorkflowCalls()
            let first = try await workflow(harness, state: state, tokens: environment).run(
                [application], planned: calls.recordPlan, confirm: { _ in calls.recordConfirmation() },
                progress: calls.recordEvent)
            guard case .applied(let plans, let outcomes) = first else {
                Issue.record("expected an apply, got \(first)")
                return
            }
            #expect(plans.count == 1 && plans[0].hasChanges)
            #expect(calls.plannedCount() == 1 && calls.confirmationCount() == 1 && calls.eventCount() > 0)
            let outcome = try #require(try outcomes.first?.get())
            #expect(outcome.jobID.hasPrefix("scim."))
            // The locks were taken in both state folders and released again.
            #expect(FileManager.default.fileExists(atPath: state + "/locks"))
            #expect(FileManager.default.fileExists(atPath: state + "/user/scimctl/locks"))

            await harness.clearLog()
            let second = try await workflow(harness, state: state, tokens: environment).run(
                [application], planned: calls.recordPlan, confirm: { _ in calls.recordConfirmation() }, progress: { _ in })
            guard case .noChanges = second else {
                Issue.record("expected no changes, got \(second)")
                return
            }
            #expect(calls.confirmationCount() == 1, "nothing to confirm when nothing changes")
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func aDeclinedConfirmationWritesNothing() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            let stop = await stopped(workflow(harness, state: temporaryDirectory(), tokens: environment), [application]) { _ in
                throw Declined()
            }
            guard case .declined(let reason) = stop else {
                Issue.record("expected .declined, got \(String(describing: stop))")
                return
            }
            #expect(reason is Declined)
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func aMissingSecretTokenStopsBeforeConfirmationAndWrites() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            let calls = WorkflowCalls()
            let stop = await stopped(workflow(harness, state: temporaryDirectory(), tokens: [:]), [application], calls: calls) { _ in
                calls.recordConfirmation()
            }
            guard case .secretToken(let name, _) = stop else {
                Issue.record("expected .secretToken, got \(String(describing: stop))")
                return
            }
            #expect(name == application.name)
            #expect(calls.plannedCount() == 1)
            #expect(calls.confirmationCount() == 0)
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func aDryRunPlansWithoutLocksOrWrites() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            let state = temporaryDirectory()
            let result = try await workflow(harness, state: state, tokens: environment, dryRun: true).run(
                [application], planned: { _ in }, confirm: { _ in throw Declined() }, progress: { _ in })
            guard case .dryRun(let plans) = result else {
                Issue.record("expected a dry run, got \(result)")
                return
            }
            #expect(plans.first?.hasChanges == true)
            #expect(!FileManager.default.fileExists(atPath: state + "/locks"))
            #expect(await harness.writes().isEmpty)
        }
    }
}

/// Counts how many operations run at once.
private actor Gauge {
    var running = 0
    var peak = 0
    func enter() {
        running += 1
        peak = max(peak, running)
    }
    func leave() { running -= 1 }
}

private struct Boom: Error, Equatable { var index: Int }

@Suite("bounded concurrency")
struct BoundedConcurrencyTests {
    @Test func keepsTheElementsOrderAndTheLimit() async throws {
        let gauge = Gauge()
        let results = try await BoundedConcurrency.map(Array(0..<12), limit: 3) { value in
            await gauge.enter()
            // Later elements finish first, so order comes from the loop, not from completion.
            try await Task.sleep(for: .milliseconds(12 - value))
            await gauge.leave()
            return value * 10
        }
        #expect(results == (0..<12).map { $0 * 10 })
        #expect(await gauge.peak <= 3)
        #expect(await gauge.peak >= 2)
    }

    @Test func theFirstErrorEndsMap() async {
        await #expect(throws: Boom(index: 2)) {
            try await BoundedConcurrency.map(Array(0..<5), limit: 1) { value in
                if value == 2 { throw Boom(index: 2) }
                return value
            }
        }
    }

    @Test func resultsKeepsEveryOutcome() async {
        let results = await BoundedConcurrency.results(Array(0..<4), limit: 0) { value in
            if value % 2 == 1 { throw Boom(index: value) }
            return value
        }
        #expect(results.count == 4)
        #expect((try? results[0].get()) == 0)
        #expect((try? results[2].get()) == 2)
        #expect(results[1].failure as? Boom == Boom(index: 1))
        #expect(results[3].failure as? Boom == Boom(index: 3))
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
