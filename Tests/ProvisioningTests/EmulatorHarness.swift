import Foundation
import GraphEmulator
import GraphHTTP
import GraphSync
import Profiles
import Provisioning

/// An in-process graph-emulator on 127.0.0.1 and a real libcurl Graph client pointed at it.
struct EmulatorHarness {
    static let token = "emulator-static-token-for-tests"

    let emulator: GraphEmulator
    let client: GraphClient
    let transport: CurlTransport
    let redactor: Redactor
    let port: Int

    static func start(configuration: EmulatorConfiguration = EmulatorConfiguration(), retry: RetryPolicy = RetryPolicy(
        maximumAttempts: 8, deadline: 60, initialBackoff: 0.01, maximumBackoff: 0.05)) async throws -> EmulatorHarness {
        var configuration = configuration
        configuration.staticTokens = [token]
        let emulator = GraphEmulator(configuration: configuration)
        let port = try await emulator.start(port: 0)
        let redactor = Redactor()
        let transport = try CurlTransport(configuration: .init(version: "test", maximumConcurrentRequests: 4))
        let credential = StaticTokenCredential(token: token)
        let client = GraphClient(
            baseURL: "http://127.0.0.1:\(port)", transport: transport, tokens: CredentialChain(credential: credential),
            redactor: redactor, options: .init(retry: retry))
        return EmulatorHarness(emulator: emulator, client: client, transport: transport, redactor: redactor, port: port)
    }

    func stop() async { await emulator.stop() }

    func applier(backups: String, environment: [String: String]) -> Applier {
        Applier(
            graph: client, applicationTemplateID: GraphPaths.nonGalleryTemplateId,
            backups: SchemaBackups(directory: backups), tokens: SecretTokenReader(environment: environment),
            sleep: { _ in try await Task.sleep(for: .milliseconds(5)) })
    }

    func writes() async -> [RecordedRequest] {
        await emulator.engine.recordedRequests().filter(\.write)
    }

    func clearLog() async { await emulator.engine.clearRecordedRequests() }
}

func bundledProfile(_ name: String, _ parameters: [String: String]) throws -> ResolvedProfile {
    guard let profile = BundledProfiles.load(named: name)?.profile else { throw HarnessError.noProfile(name) }
    let (resolved, diagnostics) = profile.resolve(parameters: parameters)
    guard let resolved else { throw HarnessError.unresolved(diagnostics.map(\.message)) }
    return resolved
}

enum HarnessError: Error {
    case noProfile(String)
    case unresolved([String])
}

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "scimctl-tests-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
