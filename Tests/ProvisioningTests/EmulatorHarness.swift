import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import Provisioning
import TestSupport
import VendorProfiles

/// An in-process graph-emulator on 127.0.0.1 and a real libcurl Graph client pointed at it.
///
/// The client's clock is virtual: retry waits (Retry-After or backoff) return at once and are recorded, so tests
/// can check what was waited without waiting.
struct EmulatorHarness {
    static let token = "emulator-static-token-for-tests"
    static let fastRetry = RetryPolicy(maximumAttempts: 8, deadline: 600, initialBackoff: 0.001, maximumBackoff: 0.05)

    let emulator: GraphEmulator
    let client: GraphClient
    let transport: CurlTransport
    let redactor: Redactor
    let clock: VirtualClock
    let port: Int

    /// - Parameter credential: builds the token source from the running emulator; a static token by default.
    static func start(
        configuration: EmulatorConfiguration = EmulatorConfiguration(), retry: RetryPolicy = fastRetry,
        credential: ((GraphEmulator) -> any TokenCredential)? = nil
    ) async throws -> EmulatorHarness {
        var configuration = configuration
        configuration.staticTokens = [token]
        let emulator = GraphEmulator(configuration: configuration)
        let port = try await emulator.start(port: 0)
        let redactor = Redactor()
        let transport = try CurlTransport(configuration: .init(version: "test", maximumConcurrentRequests: 4))
        let tokenSource = credential?(emulator) ?? StaticTokenCredential(token: token)
        let clock = VirtualClock()
        let client = GraphClient(
            baseURL: "http://127.0.0.1:\(port)", transport: transport, tokens: CredentialChain(credential: tokenSource),
            redactor: redactor, options: .init(retry: retry), clock: clock)
        return EmulatorHarness(
            emulator: emulator, client: client, transport: transport, redactor: redactor, clock: clock, port: port)
    }

    func stop() async { await emulator.stop() }

    /// Runs `body` against a fresh emulator and stops the emulator afterwards, also when `body` throws, so no
    /// server outlives its test.
    static func with<T>(
        configuration: EmulatorConfiguration = EmulatorConfiguration(), retry: RetryPolicy = fastRetry,
        credential: ((GraphEmulator) -> any TokenCredential)? = nil, _ body: (EmulatorHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(configuration: configuration, retry: retry, credential: credential)
        return try await withStopping(harness, stop: { await $0.stop() }, body)
    }

    /// An applier whose replication waits move the emulator's clock instead of sleeping.
    func applier(
        backups: String, environment: [String: String], journal: ApplyJournal? = nil, graph: (any GraphService)? = nil
    ) -> Applier {
        let engine = emulator.engine
        return Applier(
            graph: graph ?? client, applicationTemplateID: GraphPaths.nonGalleryTemplateId,
            backups: SchemaBackups(directory: backups), tokens: SecretTokenReader(environment: environment),
            sleep: { seconds in await engine.advanceClock(seconds: seconds) }, journal: journal)
    }

    /// A planner whose replication waits move the emulator's clock instead of sleeping.
    func planner(journal: ApplyJournal? = nil, graph: (any GraphService)? = nil) -> Planner {
        let engine = emulator.engine
        return Planner(
            graph: graph ?? client, journal: journal, sleep: { seconds in await engine.advanceClock(seconds: seconds) })
    }

    /// The journal of this emulator's tenant in `directory`.
    func journal(in directory: String) -> ApplyJournal {
        ApplyJournal(directory: directory, scope: "http://127.0.0.1:\(port)|emulator")
    }

    /// Plans and applies until the plan is empty, as a CI job re-running apply would. Returns the runs it took.
    @discardableResult
    func applyUntilConverged(
        _ application: ResolvedApplication, backups: String, environment: [String: String], maximumRuns: Int = 25
    ) async throws -> Int {
        let planner = Planner(graph: client)
        let applier = applier(backups: backups, environment: environment)
        var lastError: Error?
        for run in 1...maximumRuns {
            do {
                let (plan, live) = try await planner.plan(application)
                if !plan.hasChanges { return run }
                _ = try await applier.apply(plan, live: live)
            } catch {
                lastError = error
            }
        }
        throw HarnessError.notConverged(runs: maximumRuns, lastError: lastError.map { String(describing: $0) } ?? "none")
    }

    func writes() async -> [RecordedRequest] {
        await emulator.engine.recordedRequests().filter(\.write)
    }

    func requests() async -> [RecordedRequest] { await emulator.engine.recordedRequests() }

    func clearLog() async { await emulator.engine.clearRecordedRequests() }

    func get(_ path: String, version: GraphAPIVersion = .v1) async throws -> JSONValue? {
        try await client.send(.get, path, operation: "test read", version: version)
    }
}

/// A bundled profile, resolved, as it ships: Flosum's and &Money's applications say `create: false` (their guides
/// configure apps that already exist), so tests start those from a tenant holding the app (`createExistingApplications`).
func bundledProfile(_ name: String, _ parameters: [String: String]) throws -> ResolvedProfile {
    guard let profile = BundledProfiles.load(named: name)?.profile else { throw HarnessError.noProfile(name) }
    let (resolved, diagnostics) = profile.resolve(parameters: parameters)
    guard let resolved else { throw HarnessError.unresolved(diagnostics.map(\.message)) }
    return resolved
}

extension EmulatorHarness {
    /// Makes each `create: false` application the way the admin did before the guide: an enterprise app with the
    /// profile's display name (for single sign-on, or by the vendor's script), without provisioning. Returns the
    /// service principal ids by application name.
    @discardableResult
    func createExistingApplications(_ applications: [ResolvedApplication]) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for application in applications where !application.create {
            let created = try await client.send(
                .post, GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
                body: ["displayName": .string(application.displayName)], operation: "test: the admin's existing app",
                version: .v1)
            ids[application.name] = created?["servicePrincipal"]?["id"]?.stringValue
        }
        // The admin made them long ago: let any configured replication or listing delay pass.
        let configuration = await emulator.engine.configuration
        let delay = max(configuration.replicationDelayMilliseconds, configuration.listingDelayMilliseconds)
        if delay > 0, !ids.isEmpty { await emulator.engine.advanceClock(seconds: Double(delay) / 1000 + 1) }
        // Not part of what the test runs: the request log starts after them.
        if !ids.isEmpty { await clearLog() }
        return ids
    }

    func createExistingApplications(_ application: ResolvedApplication) async throws {
        try await createExistingApplications([application])
    }
}

enum HarnessError: Error {
    case noProfile(String)
    case unresolved([String])
    case notConverged(runs: Int, lastError: String)
}
