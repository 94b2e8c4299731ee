import ArgumentParser
import Foundation
import GraphHTTP

/// Options every command that talks to Graph takes.
struct GraphOptions: ParsableArguments {
    @Option(help: "National cloud: global, usgov, usgovdod or china.")
    var cloud: String = "global"

    @Option(
        name: .customLong("graph-url"),
        help: ArgumentHelp("Graph root URL (env SCIMCTL_GRAPH_URL); http only to loopback, e.g. the emulator.", valueName: "URL"))
    var graphURL: String?

    @Option(
        name: .customLong("authority-host"),
        help: ArgumentHelp("Login host for tokens (env AZURE_AUTHORITY_HOST).", valueName: "URL"))
    var authorityHost: String?

    @Option(help: ArgumentHelp("PEM bundle of extra trusted root certificates.", valueName: "FILE"))
    var cacert: String?

    @Option(help: "Time budget in seconds for each Graph request, retries included.")
    var timeout: Double = 300

    @Flag(name: .shortAndLong, help: "Print each request, retry and timing on stderr (secrets masked).")
    var verbose = false

    @Flag(name: .customLong("trace-bodies"), help: "With --verbose, include request and response bodies (secrets masked).")
    var traceBodies = false

    func validate() throws {
        guard GraphCloud.named(cloud) != nil else {
            throw ValidationError("unknown cloud '\(cloud)'; use one of \(GraphCloud.all.map(\.name).joined(separator: ", "))")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let cacert, !FileManager.default.isReadableFile(atPath: cacert) {
            throw ValidationError("--cacert '\(cacert)' is not a readable file")
        }
    }
}

/// A configured Graph client with its transport and credential, built once per run.
struct GraphSession {
    var client: GraphClient
    var credentials: CredentialChain
    var transport: CurlTransport
    var cloud: GraphCloud
    var redactor: Redactor

    static func make(_ options: GraphOptions, concurrency: Int = 4) throws -> GraphSession {
        let environment = ProcessInfo.processInfo.environment
        guard let cloud = GraphCloud.named(options.cloud) else { throw ValidationError("unknown cloud '\(options.cloud)'") }
        let redactor = Redactor()
        let transport: CurlTransport
        do {
            transport = try CurlTransport(
                configuration: .init(
                    version: Scimctl.version, caCertificatePath: options.cacert, maximumConcurrentRequests: concurrency))
        } catch {
            // A transport that cannot be set up (libcurl cannot be initialised) fails the command: never exit 0.
            Output.errLine("error: \(redactor.redact(String(describing: error)))")
            throw ExitCode.failure
        }
        let verbose = options.verbose
        let events: GraphEventSink = { event in
            if case .warning = event {
                Output.errLine(event.description)
                return
            }
            guard verbose else { return }
            Output.errLine("  · \(event.description)")
        }
        let credentials: CredentialChain
        do {
            credentials = try CredentialChain(
                environment: environment, cloud: cloud,
                authorityHost: options.authorityHost ?? environment["AZURE_AUTHORITY_HOST"], transport: transport,
                redactor: redactor, events: events)
        } catch {
            Output.errLine("error: \(error)")
            throw ExitCode.failure
        }
        // Normalised: a pasted `https://graph.microsoft.com/v1.0` must not become `/v1.0/v1.0/...`.
        let baseURL: String
        do {
            baseURL = try cloud.graphBaseURL(override: options.graphURL, environment: environment)
        } catch {
            throw ValidationError("--graph-url: \(error)")
        }
        let client = GraphClient(
            baseURL: baseURL, transport: transport, tokens: credentials, redactor: redactor,
            options: .init(
                retry: RetryPolicy(deadline: options.timeout), traceBodies: options.traceBodies && options.verbose),
            events: events)
        return GraphSession(client: client, credentials: credentials, transport: transport, cloud: cloud, redactor: redactor)
    }

    /// Which tenant this session writes to, for the apply journal and lock names: the Graph root plus the tenant
    /// id (from AZURE_TENANT_ID, else the token's `tid` claim). Never the token itself.
    func tenantScope() async -> String {
        let environment = ProcessInfo.processInfo.environment
        var tenant = environment["AZURE_TENANT_ID"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if tenant == nil, let token = try? await credentials.accessToken(forceRenewal: false) {
            tenant = AccessTokenClaims.tenantID(in: token)?.lowercased()
        }
        return client.baseURL + "|" + (tenant ?? "tenant-of-the-token")
    }

    /// Requests sent and connections opened, for `--verbose`.
    var statisticsLine: String {
        let stats = transport.statistics
        return "\(stats.requestsSent) request\(stats.requestsSent == 1 ? "" : "s"), \(stats.connectionsOpened) connection\(stats.connectionsOpened == 1 ? "" : "s")"
    }
}
