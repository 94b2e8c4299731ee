import ArgumentParser
import Foundation
import GraphHTTP
import VendorProfiles
import Provisioning
import Reports

extension ProvisioningScope: ExpressibleByArgument {}

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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
        guard loaded.applications.count == 1, let application = loaded.applications.first else {
            throw ValidationError(
                "profile '\(loaded.resolved.profile.name)' has \(loaded.applications.count) applications; choose one with --app ("
                    + loaded.applications.map(\.name).joined(separator: ", ") + ")")
        }
        let session = usersFile == nil ? try GraphSession.make(graph, concurrency: 2) : nil
        let users = session.map { .tenant(DirectoryReader(graph: $0.client), servicePrincipalID: servicePrincipal.id) }
            ?? SimulationRun.Users.file(usersFile ?? "")
        let progress = Output.progress()
        let started = Date()
        let simulation: SimulationRun
        let result: SimulationReport
        do {
            simulation = try SimulationRun(
                application, rules: loaded.resolved.profile.rules, vendor: loaded.resolved.profile.vendor, scope: scope, users: users)
            Output.err(SimulationRendering.unavailableWarnings(simulation.context))
            result = try await simulation.run(silencing: loaded.policy.silenced, progress: progress.users)
        } catch {
            progress.clear()
            switch error {
            case .mappingDisabled(let name): throw Output.failure("\(name): the user mapping is disabled, so provisioning would send no users")
            case .file(let path, let failure): throw Output.failure("\(path):\(failure.line): \(failure.message)")
            case .graph(let error): throw session?.failure(error) ?? ExitCode.failure
            }
        }
        if graph.verbose, let session { Output.errLine("simulate: \(session.statisticsLine)") }
        progress.finish(users: result.users + result.skipped, seconds: Date().timeIntervalSince(started))

        try report.deliver { SimulationRendering.render(result, as: format.format, context: simulation.context, style: $0) }
        if let output = report.output {
            Output.errLine("\(result.failing) of \(result.users) users would fail; report written to \(output)")
        }
        if result.failing > 0 { throw ExitCode.failure }
    }
}
