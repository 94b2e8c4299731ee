import ArgumentParser
import Diagnostics
import GraphHTTP
import GraphModel
import Provisioning
import Reports
import VendorProfiles

/// `--param KEY=VALUE`, repeatable.
struct ParameterOptions: ParsableArguments {
    @Option(
        name: .customLong("param"), help: ArgumentHelp("A profile parameter.", valueName: "KEY=VALUE"),
        completion: Completions.parameter)
    var pairs: [String] = []

    var values: [String: String] {
        get throws { try usage { try ProfileInput.parameters(pairs) } }
    }
}

/// `--param` and `--app`: which variant of a profile, and which of its applications (all of them without `--app`).
struct ProfileVariant: ParsableArguments {
    @OptionGroup var parameters: ParameterOptions

    @Option(name: .customLong("app"), help: "Only this application of the profile.")
    var application: String?

    func load(_ profile: String, policy: PolicyChoice = .command()) throws -> LoadedProfile {
        try LoadedProfile(profile, parameters: parameters, application: application, policy: policy)
    }
}

/// The profile a command acts on: PROFILE, its variant, and the policy it is judged by.
struct ProfileSelection: ParsableArguments {
    @Argument(help: "A profile file or bundled profile name.", completion: Completions.profile)
    var profile: String

    @OptionGroup var variant: ProfileVariant
    @OptionGroup var policy: PolicyOptions

    func load() throws -> LoadedProfile { try variant.load(profile, policy: policy.choice) }
}

/// `--service-principal-id` where the app can also be found another way (by display name).
struct ServicePrincipalOption: ParsableArguments {
    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp(
            "The enterprise application's service principal object id (instead of finding the app by display name).",
            valueName: "ID"))
    var id: String?
}

/// The application a day-2 read acts on: a profile's (found by appId or display name, as plan finds it) or the one
/// `--service-principal-id` names.
struct ApplicationTarget: ParsableArguments {
    @Argument(help: "A profile file or bundled profile name (or use --service-principal-id).", completion: Completions.profile)
    var profile: String?

    @OptionGroup var variant: ProfileVariant
    @OptionGroup var servicePrincipal: ServicePrincipalOption

    func validate() throws {
        switch (profile, servicePrincipal.id) {
        case (nil, nil): throw ValidationError("name the application: a profile, or --service-principal-id ID")
        case (_?, _?): throw ValidationError("give either a profile or --service-principal-id, not both")
        default: break
        }
    }

    /// The profile's chosen applications; none with `--service-principal-id`.
    func applications() throws -> [ResolvedApplication] {
        try profile.map { try variant.load($0).applications } ?? []
    }
}

/// The job a day-2 command acts on: the application's `--service-principal-id` and, optionally, `--job-id`.
struct JobTargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The enterprise application's service principal object id.", valueName: "ID"))
    var servicePrincipalID: String

    @Option(help: ArgumentHelp("The job to act on (default: the scim job).", valueName: "ID"))
    var jobID: String?
}

/// What plan and apply share: the profile and its application, how to reach Graph, and where apply keeps what must
/// survive the process (the journal of creates and the locks).
struct ProfileTargetOptions: ParsableArguments {
    @OptionGroup var selection: ProfileSelection
    @OptionGroup var servicePrincipal: ServicePrincipalOption

    @Flag(help: "Rewrite the secret token even when the saved settings match.")
    var updateSecrets = false

    @OptionGroup var graph: GraphOptions

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Where apply journals the objects it creates and keeps its locks (also mirrored per user under "
                + "$XDG_STATE_HOME/scimctl); keep it between runs.", valueName: "DIR"))
    var stateDirectory: String = ".scimctl"

    func load() throws -> LoadedProfile {
        let loaded = try selection.load()
        if servicePrincipal.id != nil, loaded.applications.count > 1 {
            throw ValidationError(
                "--service-principal-id names one application, but profile '\(loaded.resolved.profile.name)' has "
                    + "\(loaded.applications.count); choose one with --app")
        }
        return loaded
    }

    /// A Graph session for `parallel` applications at once, and the apply workflow through it; `configure` adds the
    /// command's own settings.
    func workflow(
        parallel: Int, backups: SchemaBackups = SchemaBackups(), configure: (inout ApplyWorkflow.Options) -> Void = { _ in }
    ) async throws -> (GraphSession, ApplyWorkflow) {
        let session = try GraphSession.make(graph, applicationsAtOnce: parallel)
        var options = ApplyWorkflow.Options(
            servicePrincipalID: servicePrincipal.id, updateSecrets: updateSecrets, replicationTimeout: graph.timeout,
            parallel: parallel)
        configure(&options)
        let state = ApplyStateLocation(projectDirectory: stateDirectory)
        return (session, await ApplyWorkflow(session: session, state: state, backups: backups, options: options))
    }
}

/// A command's output formats; text is the default.
protocol OutputFormat: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {
    static var text: Self { get }
}

/// Text or JSON, for the commands that offer just those.
enum ReportFormat: String, OutputFormat { case text, json }
extension PlanRendering.Format: OutputFormat {}
extension SimulationRendering.Format: OutputFormat {}
extension DiagnosticFormat: OutputFormat {}

/// `--format`, with the formats a command offers (the help lists them).
struct FormatOption<Format: OutputFormat>: ParsableArguments {
    @Option(help: ArgumentHelp("Output format.", valueName: "FORMAT"))
    var format: Format = .text
}

extension FormatOption where Format == ReportFormat {
    /// The report in the chosen format: pretty JSON, or text coloured when stdout allows it.
    func render(json: () -> JSONValue, text: (Style) -> String) -> String {
        switch format {
        case .json: json().serialized(pretty: true) + "\n"
        case .text: text(Style(enabled: Output.colorEnabled(forStdout: true)))
        }
    }
}

/// `--output FILE`: the report in `--format` goes to a file.
struct ReportFileOption: ParsableArguments {
    @Option(help: ArgumentHelp("Write the report in --format to FILE.", valueName: "FILE"))
    var output: String?

    /// `report` renders the report in `--format` (a style colours text only). With `--output FILE` the report goes to
    /// FILE uncoloured and `terminal`'s text (if any) to stdout; without it the report goes to stdout, coloured when
    /// stdout allows.
    func deliver(_ report: (Style) -> String, terminal: ((Style) -> String)? = nil) throws {
        let stdoutStyle = Style(enabled: Output.colorEnabled(forStdout: true))
        guard let output else { return Output.out(report(stdoutStyle)) }
        try Output.report(report(Style(enabled: false)), to: output)
        if let terminal { Output.out(terminal(stdoutStyle)) }
    }
}

/// The one confirmation before a command writes to the tenant: `--yes`, or `yes` typed on a terminal.
struct ConfirmationOption: ParsableArguments {
    @Flag(help: "Go ahead without asking.")
    var yes = false

    /// Throws (exit 1, nothing written) unless confirmed.
    func require(_ question: String, command: String) throws {
        guard !yes else { return }
        guard Output.stdinIsTerminal else {
            throw Output.failure("\(command) needs confirmation: pass --yes (stdin is not a terminal); nothing was written")
        }
        Output.err("\(question) Type 'yes' to continue: ")
        guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
            Output.errLine("cancelled; nothing was written")
            throw ExitCode.failure
        }
    }
}

/// Profile input mistakes as usage errors (exit 64), worded with the option names.
func usage<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ProfileInputError {
        throw ValidationError(InputProblemWording.profileInput(error))
    }
}

/// One profile loaded for a command that acts on it, with the policy it was judged by and the applications `--app`
/// chose (all of them without it). Findings go to stderr, and an error stops the command.
struct LoadedProfile {
    var resolved: ResolvedProfile
    var policy: DiagnosticPolicy
    var applications: [ResolvedApplication]

    /// `choice` is the command's `--policy`/`--disable`; commands without those flags still read the nearest
    /// `.scimctl.yaml`, so every command judges the profile as validate does.
    init(_ argument: String, parameters: ParameterOptions, application: String?, policy choice: PolicyChoice = .command())
        throws
    {
        let given = try parameters.values
        var policy = DiagnosticPolicy()
        let load = try usage {
            try SingleProfileLoad.load(argument, parameters: given) { path in
                policy = try choice.policy(forProfileAt: path)
                return policy
            }
        }
        Output.findings(load.diagnostics, texts: load.texts)
        if load.profileCount > 1 { throw ValidationError("'\(argument)' names \(load.profileCount) profiles; name exactly one") }
        // A bad --param value is the caller's mistake, not the profile's: a usage error.
        guard let resolved = load.resolved else { throw load.isParameterUsage ? ExitCode.validationFailure : ExitCode.failure }
        let chosen = resolved.applications(named: application)
        if chosen.isEmpty, let application {
            throw ValidationError(
                "profile '\(resolved.profile.name)' has no application '\(application)' (it has: "
                    + resolved.applications.map(\.name).joined(separator: ", ") + ")")
        }
        (self.resolved, self.policy, self.applications) = (resolved, policy, chosen)
    }
}

/// Shell completion for profile arguments and `--param`: bundled profile names and their parameter names.
enum Completions {
    /// Bundled profile names; files still complete through the shell's own path completion after a `/` or `.`.
    static let profile = CompletionKind.custom { _, _, prefix in
        BundledProfiles.names.filter { $0.hasPrefix(prefix) }
    }

    /// `KEY=` for every parameter of every bundled profile, plus the allowed values once a key is typed.
    static let parameter = CompletionKind.custom { _, _, prefix in
        BundledProfiles.parameterWords.filter { $0.hasPrefix(prefix) }
    }
}
