import ArgumentParser
import Foundation
import GraphHTTP
import VendorProfiles
import Provisioning
import Reports

extension ProvisioningScope: ExpressibleByArgument {}

/// `scimctl simulate`: evaluate a profile's user mappings over the whole directory, read-only, before provisioning
/// is switched on.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Evaluate a profile's user mappings for every user in scope and report who would fail (reads only).",
        discussion: """
            Users come from the tenant (GET /users, read-only) or, with --users, from a JSON Lines file (one user \
            object a line, Graph or provisioning attribute names). Scope "all" is every user; scope "assigned" is \
            the users and the members of the groups assigned to the app, which must exist. Disabled users are \
            skipped, as Entra does not create soft-deleted users. Exit codes: 0 no user fails, 1 some user fails \
            (or the run failed), 64 usage error.
            """
    )

    @OptionGroup var selection: ProfileSelection

    @Option(
        name: .customLong("users"),
        help: ArgumentHelp("Read users from this JSON Lines file instead of the tenant.", valueName: "FILE.jsonl"))
    var usersFile: String?

    @Option(help: "Users in scope: all or assigned (default: the profile's scope).")
    var scope: ProvisioningScope?

    /// For scope assigned: the app's service principal, instead of finding it by display name.
    @OptionGroup var servicePrincipal: ServicePrincipalOption
    @OptionGroup var format: FormatOption<SimulationRendering.Format>
    @OptionGroup var report: ReportFileOption

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let loaded = try selection.load()
        let resolved = loaded.resolved, applications = loaded.applications
        guard applications.count == 1, let application = applications.first else {
            throw ValidationError(
                "profile '\(resolved.profile.name)' has \(applications.count) applications; choose one with --app ("
                    + applications.map(\.name).joined(separator: ", ") + ")")
        }
        var simulation = DirectorySimulation(application, rules: resolved.profile.rules)
        guard simulation.mappings.enabled else {
            Output.errLine("error: \(application.name): the user mapping is disabled, so provisioning would send no users")
            throw ExitCode.failure
        }
        let sources = UserSourceMap(
            sourceAttributes: simulation.mappings.sourceAttributes, acceptsProvisioningNames: usersFile != nil)
        let scope = self.scope ?? application.scope
        let progress = Output.progress()
        let started = Date()
        var context = SimulationContext(
            application: application.name, vendor: resolved.profile.vendor, scope: scope, source: usersFile ?? "Microsoft Graph")
        if let usersFile {
            do {
                try simulation.addUsers(fromFile: usersFile, sources: sources, progress: progress.users)
            } catch {
                progress.clear()
                Output.errLine("error: \(usersFile):\(error.line): \(error.message)")
                throw ExitCode.failure
            }
        } else {
            for missing in sources.unavailable {
                Output.errLine("warning: source attribute '\(missing.name)' cannot be read from Graph (\(missing.reason)); it is empty for every user")
            }
            context.unavailable = sources.unavailable
            let session = try GraphSession.make(graph, concurrency: 2)
            do {
                try await simulation.addUsers(
                    from: DirectoryReader(graph: session.client), sources: sources, scope: scope, application: application,
                    servicePrincipalID: servicePrincipal.id, progress: progress.users)
            } catch {
                progress.clear()
                throw session.failure(error)
            }
            if graph.verbose { Output.errLine("simulate: \(session.statisticsLine)") }
        }
        // The profile's policy silences simulate's rules too (severity overrides do not apply: these are failures).
        let result = simulation.report().disabling(loaded.policy.silenced)
        progress.finish(users: result.users + result.skipped, seconds: Date().timeIntervalSince(started))

        let style = Style(enabled: report.output == nil && Output.colorEnabled(forStdout: true))
        let rendered = SimulationRendering.render(result, as: format.format, context: context, style: style)
        if let output = report.output {
            try Output.report(rendered, to: output)
            Output.errLine("\(result.failing) of \(result.users) users would fail; report written to \(output)")
        } else {
            Output.out(rendered)
        }
        if result.failing > 0 { throw ExitCode.failure }
    }
}
