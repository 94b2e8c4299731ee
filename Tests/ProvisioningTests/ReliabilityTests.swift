import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import Provisioning
import TestSupport
import Testing
import VendorProfiles

/// apply never creates a second application or job: not when a reply is lost, not when it is killed and re-run at
/// once inside Entra's replication window, not when two run together, not when replicas flap.
@Suite("apply never duplicates", .serialized)
struct ReliabilityTests {
    static let environment = ["TOTALMOBILE_SCIM_TOKEN": "totalmobile-canary-token-0123456789"]

    /// An application whose guide has scimctl create it (Totalmobile's), since these tests are about creating one.
    func creatingApplication() throws -> ResolvedApplication {
        try #require(try bundledProfile("totalmobile", ["customer": "contoso"]).applications.first)
    }

    /// Replication as the real service shows it: unreadable for a moment, missing from listings for longer.
    static func laggingTenant(seed: UInt64 = 1) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.seed = seed
        configuration.replicationDelayMilliseconds = 2_000
        configuration.listingDelayMilliseconds = 60_000
        return configuration
    }

    /// Plans and applies with the journal until nothing is left to do, as someone re-running apply would.
    @discardableResult
    func converge(
        _ harness: EmulatorHarness, _ application: ResolvedApplication, journal: ApplyJournal, maximumRuns: Int = 8
    ) async throws -> Int {
        var lastError = "none"
        for run in 1...maximumRuns {
            do {
                let (plan, live) = try await harness.planner(journal: journal).plan(application)
                if !plan.hasChanges { return run }
                _ = try await harness.applier(backups: temporaryDirectory(), environment: Self.environment, journal: journal)
                    .apply(plan, live: live)
            } catch {
                lastError = String(describing: error)
            }
        }
        Issue.record("apply did not converge in \(maximumRuns) runs; last error: \(lastError)")
        return maximumRuns
    }

    /// Exactly one application and one `scim` job, configured as a fault-free apply leaves them, marked as
    /// scimctl's; a further plan finds nothing to do and a further apply writes nothing.
    func expectOneConfiguredApplication(
        _ harness: EmulatorHarness, _ application: ResolvedApplication, journal: ApplyJournal,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let tenant = await harness.emulator.engine.tenant()
        #expect(tenant.servicePrincipals.count == 1, "service principals: \(tenant.servicePrincipals.map(\.id))",
                sourceLocation: sourceLocation)
        #expect(tenant.jobs.count == 1, "jobs: \(tenant.jobs.map(\.id))", sourceLocation: sourceLocation)
        #expect(
            tenant.servicePrincipals.first?.object["notes"]?.stringValue?.hasPrefix(ScimctlMarker.prefix) == true,
            sourceLocation: sourceLocation)
        let secrets = tenant.secrets.values.first ?? []
        #expect(secrets.contains { $0.key == "BaseAddress" && $0.value == application.tenantURL }, sourceLocation: sourceLocation)
        #expect(secrets.contains { $0.key == "SecretToken" }, sourceLocation: sourceLocation)
        let targets = userMappings(tenant.jobs.first?.schema ?? .null).compactMap { $0["targetAttributeName"]?.stringValue }
        for mapping in application.users.mappings {
            #expect(targets.contains(mapping.target), "mapping \(mapping.target) missing", sourceLocation: sourceLocation)
        }

        await harness.clearLog()
        let (plan, live) = try await harness.planner(journal: journal).plan(application)
        let wantsChanges = plan.hasChanges
        #expect(!wantsChanges, "a re-plan still wants changes", sourceLocation: sourceLocation)
        _ = try await harness.applier(backups: temporaryDirectory(), environment: Self.environment, journal: journal)
            .apply(plan, live: live)
        let writes = await harness.writes()
        #expect(writes.isEmpty, "re-apply wrote: \(writes.map { "\($0.method) \($0.path)" })", sourceLocation: sourceLocation)
    }

    // MARK: - Lost replies

    /// libcurl silently re-sends a request whose reused keep-alive connection died before any reply; for a create
    /// that made a second application. Creates now go on a connection of their own and are never re-sent.
    @Test func aLostReplyToACreateIsNeverResentByTheTransport() async throws {
        var configuration = EmulatorConfiguration()
        configuration.lostReplyRate = 1
        try await EmulatorHarness.with(configuration: configuration) { harness in
            // Warm a keep-alive connection, as the plan's reads do before the first create.
            _ = try await harness.get("/servicePrincipals")
            let error = await #expect(throws: GraphError.self) {
                _ = try await harness.client.send(
                    .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
                    body: ["displayName": "Flosum"], operation: "create", idempotent: false)
            }
            #expect(error?.isAmbiguous == true)
            let posts = await harness.requests().filter { $0.method == "POST" }
            #expect(posts.count == 1, "the create reached the server \(posts.count) times")
            #expect(await harness.emulator.engine.tenant().servicePrincipals.count == 1)
        }
    }

    @Test func lostRepliesAreResolvedByLookingNotByCreatingAgain() async throws {
        var configuration = Self.laggingTenant()
        configuration.lostReplyRate = 1
        let application = try creatingApplication()
        try await EmulatorHarness.with(configuration: configuration) { harness in
            let journal = harness.journal(in: temporaryDirectory())
            let (plan, live) = try await harness.planner(journal: journal).plan(application)
            let outcome = try await harness.applier(
                backups: temporaryDirectory(), environment: Self.environment, journal: journal
            ).apply(plan, live: live)
            let creates = await harness.requests().filter { $0.method == "POST" && $0.fault == "lost-reply" }
            #expect(creates.count == 2, "instantiate and create job both lost their reply")
            #expect(try journal.entry(for: application.displayName)?.servicePrincipal?.id == outcome.servicePrincipalID)
            #expect(try journal.entry(for: application.displayName)?.job?.id == outcome.jobID)
            try await expectOneConfiguredApplication(harness, application, journal: journal)
        }
    }

    // MARK: - Killed and re-run at once

    /// Kills the run at its Nth write, before it is sent or after it took effect but before the answer was seen,
    /// then re-runs at once, while listings still do not show the new app.
    @Test(arguments: [KillSwitch.Moment.afterEffect, .beforeSend])
    func killedAtEveryWriteAndRerunAtOnce(moment: KillSwitch.Moment) async throws {
        let application = try creatingApplication()
        for write in 1...8 {
            try await EmulatorHarness.with(configuration: Self.laggingTenant(seed: UInt64(write))) { harness in
                let journal = harness.journal(in: temporaryDirectory())
                let killer = KillSwitch(harness.client, killAtWrite: write, moment: moment)
                do {
                    let (plan, live) = try await harness.planner(journal: journal, graph: killer).plan(application)
                    _ = try await harness.applier(
                        backups: temporaryDirectory(), environment: Self.environment, journal: journal, graph: killer
                    ).apply(plan, live: live)
                } catch {
                    #expect(killer.fired, "run killed at write \(write) failed for another reason: \(error)")
                }
                try await converge(harness, application, journal: journal)
                try await expectOneConfiguredApplication(harness, application, journal: journal)
            }
        }
    }

    // MARK: - Two at once

    @Test func aSecondConcurrentApplyIsRefusedAndCreatesNothing() async throws {
        let application = try creatingApplication()
        try await EmulatorHarness.with(configuration: Self.laggingTenant()) { harness in
            let state = temporaryDirectory()
            let journal = harness.journal(in: state + "/journal")
            let outcomes = await withTaskGroup(of: Result<Void, any Error>.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do {
                            let lock = try await ApplyLock.acquire(
                                directory: state + "/locks", scope: journal.scope, displayName: application.displayName)
                            defer { lock.release() }
                            let (plan, live) = try await harness.planner(journal: journal).plan(application)
                            _ = try await harness.applier(
                                backups: temporaryDirectory(), environment: Self.environment, journal: journal
                            ).apply(plan, live: live)
                            return .success(())
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var results: [Result<Void, any Error>] = []
                for await result in group { results.append(result) }
                return results
            }
            let refusals = outcomes.compactMap { outcome -> ApplyLockError? in
                if case .failure(let error) = outcome { return error as? ApplyLockError }
                return nil
            }
            let successes = outcomes.filter { if case .success = $0 { true } else { false } }
            // Either one was refused by the lock, or the two ran one after the other.
            #expect(successes.count + refusals.count == 2)
            #expect(refusals.allSatisfy { $0.description.contains("another scimctl apply") })
            try await expectOneConfiguredApplication(harness, application, journal: journal)
        }
    }

    @Test func aQueuedApplyFindsTheAppTheFirstOneCreatedThroughTheJournal() async throws {
        let application = try creatingApplication()
        try await EmulatorHarness.with(configuration: Self.laggingTenant()) { harness in
            let state = temporaryDirectory()
            let journal = harness.journal(in: state + "/journal")
            let first = try await ApplyLock.acquire(
                directory: state + "/locks", scope: journal.scope, displayName: application.displayName)
            // The second apply queues behind the first.
            let second = Task {
                let lock = try await ApplyLock.acquire(
                    directory: state + "/locks", scope: journal.scope, displayName: application.displayName, wait: 60)
                defer { lock.release() }
                let (plan, _) = try await harness.planner(journal: journal).plan(application)
                return plan
            }
            let (plan, live) = try await harness.planner(journal: journal).plan(application)
            _ = try await harness.applier(backups: temporaryDirectory(), environment: Self.environment, journal: journal)
                .apply(plan, live: live)
            first.release()
            let queuedPlan = try await second.value
            // Listings still lag a minute behind, yet the queued plan knows the app and job: nothing to create.
            let (createsApp, createsJob, changes) =
                (queuedPlan.servicePrincipal == .create, queuedPlan.job == .create, queuedPlan.hasChanges)
            #expect(!createsApp)
            #expect(!createsJob)
            #expect(!changes)
        }
    }

    @Test func aHeldLockNamesItsHolderAndIsReleasedWithTheProcessState() async throws {
        let directory = temporaryDirectory()
        let lock = try await ApplyLock.acquire(directory: directory, scope: "tenant", displayName: "Flosum")
        let error = await #expect(throws: ApplyLockError.self) {
            _ = try await ApplyLock.acquire(directory: directory, scope: "tenant", displayName: "Flosum", wait: 0.05)
        }
        #expect(error?.holder?.contains("pid \(getpid())") == true)
        // Another application of the same tenant is independent.
        let other = try await ApplyLock.acquire(directory: directory, scope: "tenant", displayName: "Eptura")
        other.release()
        lock.release()
        let again = try await ApplyLock.acquire(directory: directory, scope: "tenant", displayName: "Flosum")
        again.release()
    }

    // MARK: - Flapping replicas and seeded mixes

    @Test func staleReplicasAfterCreationAreWaitedOut() async throws {
        var configuration = Self.laggingTenant(seed: 3)
        configuration.flapRate = 0.5
        configuration.flapWindowMilliseconds = 120_000
        let application = try creatingApplication()
        try await EmulatorHarness.with(configuration: configuration) { harness in
            let journal = harness.journal(in: temporaryDirectory())
            let (plan, live) = try await harness.planner(journal: journal).plan(application)
            _ = try await harness.applier(backups: temporaryDirectory(), environment: Self.environment, journal: journal)
                .apply(plan, live: live)
            let stale = await harness.requests().filter { $0.fault == "stale-replica" }
            #expect(stale.count >= 3, "the run should have met stale replicas")
            #expect(Set(stale.compactMap(\.status)).isSuperset(of: [404, 403]))
            try await expectOneConfiguredApplication(harness, application, journal: journal)
        }
    }

    /// Lost replies, stale replicas, lagging listings, 5xx (including 500 and 502 on creates), throttling and
    /// dropped connections, seeded: every run ends with one application and one job, fully configured.
    @Test func seededMixesOfEveryFaultConvergeToOneApplication() async throws {
        let application = try creatingApplication()
        for seed in 1...12 {
            var configuration = Self.laggingTenant(seed: UInt64(seed))
            configuration.lostReplyRate = 0.3
            configuration.flapRate = 0.25
            configuration.flapWindowMilliseconds = 30_000
            configuration.serverErrorRate = 0.1
            configuration.serverErrorStatuses = [500, 502, 503, 504]
            configuration.throttleRate = 0.05
            configuration.dropRate = 0.05
            configuration.retryAfterSeconds = 0.01
            try await EmulatorHarness.with(configuration: configuration) { harness in
                let journal = harness.journal(in: temporaryDirectory())
                try await converge(harness, application, journal: journal, maximumRuns: 10)
                let faults = await harness.requests().filter { $0.fault != nil }
                #expect(!faults.isEmpty, "seed \(seed) injected no fault")
                // The emulator's faults are off for the final check, which is about the end state only.
                await harness.emulator.engine.setConfiguration({
                    var calm = Self.laggingTenant(seed: UInt64(seed))
                    calm.staticTokens = [EmulatorHarness.token]
                    return calm
                }())
                try await expectOneConfiguredApplication(harness, application, journal: journal)
            }
        }
    }

    // MARK: - The journal itself

    @Test func aDamagedJournalStopsApplyBeforeAnyWrite() async throws {
        let application = try creatingApplication()
        try await EmulatorHarness.with(configuration: EmulatorConfiguration()) { harness in
            let directory = temporaryDirectory()
            let journal = harness.journal(in: directory)
            try Data("{ not json".utf8).write(to: URL(fileURLWithPath: journal.path(for: application.displayName)))
            let error = await #expect(throws: JournalError.self) {
                _ = try await harness.planner(journal: journal).plan(application)
            }
            #expect(error?.description.contains("is damaged") == true)
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func theJournalHoldsIdsAndTimesOnlyAndIsPrivate() async throws {
        let application = try creatingApplication()
        try await EmulatorHarness.with(configuration: EmulatorConfiguration()) { harness in
            let journal = harness.journal(in: temporaryDirectory())
            let (plan, live) = try await harness.planner(journal: journal).plan(application)
            _ = try await harness.applier(backups: temporaryDirectory(), environment: Self.environment, journal: journal)
                .apply(plan, live: live)
            let path = journal.path(for: application.displayName)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains(Self.environment["TOTALMOBILE_SCIM_TOKEN"] ?? "?"))
            #expect(!text.contains(EmulatorHarness.token))
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }
}

/// Stands in for a process that dies at its Nth write: every call after that fails as well.
final class KillSwitch: GraphService, @unchecked Sendable {
    enum Moment: String, Sendable, CustomTestStringConvertible {
        /// The request never left the machine (the journal has the intent).
        case beforeSend
        /// The write took effect, the answer was never seen (the journal has the intent, not the id).
        case afterEffect
        var testDescription: String { rawValue }
    }

    struct Killed: Error {}

    let inner: any GraphService
    let killAtWrite: Int
    let moment: Moment
    private let lock = NSLock()
    private var writes = 0
    private var dead = false

    init(_ inner: any GraphService, killAtWrite: Int, moment: Moment) {
        self.inner = inner
        self.killAtWrite = killAtWrite
        self.moment = moment
    }

    var fired: Bool { lock.withLock { dead } }

    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion,
        idempotent: Bool?
    ) async throws -> JSONValue? {
        let isTheWrite: Bool = try lock.withLock {
            if dead { throw Killed() }
            guard method != .get else { return false }
            writes += 1
            guard writes == killAtWrite else { return false }
            dead = true
            return true
        }
        if isTheWrite && moment == .beforeSend { throw Killed() }
        let result = try await inner.call(method, path, body: body, operation: operation, version: version, idempotent: idempotent)
        if isTheWrite { throw Killed() }
        return result
    }
}
