import ArgumentParser
import GraphHTTP
import Reports

/// Options every command that talks to Graph takes.
struct GraphOptions: ParsableArguments {
    @Option(help: "National cloud: global, usgov, usgovdod or china.")
    var cloud: String = "global"

    @Option(help: ArgumentHelp("Graph root URL (env SCIMCTL_GRAPH_URL); http only to loopback, e.g. the emulator.", valueName: "URL"))
    var graphURL: String?

    @Option(help: ArgumentHelp("Login host for tokens (env AZURE_AUTHORITY_HOST).", valueName: "URL"))
    var authorityHost: String?

    @Option(help: ArgumentHelp("PEM bundle of extra trusted root certificates.", valueName: "FILE"))
    var cacert: String?

    @Option(help: "Time budget in seconds for each Graph request, retries included.")
    var timeout: Double = 300

    @Flag(name: .shortAndLong, help: "Print each request, retry and timing on stderr (secrets masked).")
    var verbose = false

    @Flag(help: "With --verbose, include request and response bodies (secrets masked).")
    var traceBodies = false

    /// The connection these options describe.
    var settings: GraphConnectionSettings {
        GraphConnectionSettings(
            clientVersion: Scimctl.version, cloud: cloud, graphURL: graphURL, authorityHost: authorityHost,
            caCertificatePath: cacert, timeout: timeout, traceBodies: traceBodies && verbose)
    }

    func validate() throws {
        if let problem = settings.problem { throw ValidationError(InputProblemWording.graphSettings(problem)) }
    }
}

extension GraphSession {
    /// The session the options describe; Graph's warnings (and with `--verbose`, every event) go to stderr.
    static func make(_ options: GraphOptions, concurrency: Int = 4) throws -> GraphSession {
        let verbose = options.verbose
        do {
            return try make(options.settings, concurrency: concurrency) { event in
                if let line = ProgressRendering.graphEvent(event, verbose: verbose) { Output.errLine(line) }
            }
        } catch {
            switch error {
            case .unknownCloud(let name): throw ValidationError("unknown cloud '\(name)'")
            case .graphURL(let reason): throw ValidationError("--graph-url: \(reason)")
            // A transport that cannot be set up fails the command: never exit 0.
            case .transport(let message): throw Output.failure(message)
            case .credentials(let reason): throw Output.failure("\(reason)")
            }
        }
    }

    /// A session for working on `applications` at once: each has up to three independent requests in flight (see
    /// `Applier.apply`).
    static func make(_ options: GraphOptions, applicationsAtOnce applications: Int) throws -> GraphSession {
        try make(options, concurrency: applications * 3)
    }

    /// Requests sent and connections opened, for `--verbose`.
    var statisticsLine: String { ProgressRendering.statistics(transport.statistics) }

    /// How the day-2 commands end on a library or Graph error: one redacted line on stderr, exit 1.
    func failure(_ error: any Error) -> ExitCode {
        Output.failure(redactor.redact(RemedyWording.describe(error)))
    }

    /// Runs one library call; an error ends the command as `failure` words it.
    func attempt<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw failure(error)
        }
    }
}
