import ArgumentParser
import Foundation
import GraphHTTP
import GraphModel
import Provisioning
import Reports
import VendorProfiles

/// `scimctl status`: where each provisioning job stands, and what to do when it is stuck.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the provisioning job state, last run, counts and any quarantine with its remedy (reads only).",
        discussion: """
            Name the application with --service-principal-id, or with a profile (and its --param values) to find it \
            by display name as plan does. With --fail-on, exit 1 when a job is in one of the named states: \
            quarantine (the job is quarantined), failure (the last run failed or runs fail in a row), warning (the \
            last run had entry-level errors or objects wait to be retried). Exit codes: 0 read (and no --fail-on \
            state), 1 error or a --fail-on state, 64 usage error.
            """
    )

    @OptionGroup var servicePrincipal: ServicePrincipalOption

    @Argument(help: "A profile file or bundled profile name (instead of --service-principal-id).")
    var profile: String?

    @OptionGroup var parameters: ParameterOptions

    @Option(name: .customLong("app"), help: "Only this application of the profile.")
    var application: String?

    @OptionGroup var format: FormatOption<PlanFormat>

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp("Exit 1 when a job is in one of these states: quarantine, failure, warning.", valueName: "STATES"))
    var failOn: String?

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        _ = try failingConditions()
        if servicePrincipal.id == nil && profile == nil {
            throw ValidationError("name the application: --service-principal-id ID, or a profile")
        }
        if servicePrincipal.id != nil && profile != nil {
            throw ValidationError("give either --service-principal-id or a profile, not both")
        }
    }

    func failingConditions() throws -> Set<JobCondition> {
        do {
            return try JobCondition.parseList(failOn)
        } catch {
            throw ValidationError(
                "--fail-on: unknown state '\(error.name)'; use a comma-separated list of "
                    + JobCondition.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() async throws {
        let chosen =
            try profile.map { try LoadedProfile.resolve($0, parameters: parameters, application: application).applications } ?? []
        let session = try GraphSession.make(graph)
        let reports: [StatusReport]
        do {
            reports = try await StatusReader(graph: session.client).reports(
                servicePrincipalID: servicePrincipal.id, displayNames: chosen.map(\.displayName))
        } catch {
            throw session.failure(error)
        }
        switch format.format {
        case .json: Output.out(DayTwoRendering.statusJSON(reports, words: RemedyWording.job).serialized(pretty: true) + "\n")
        case .text:
            let style = Style(enabled: Output.colorEnabled(forStdout: true))
            Output.out(DayTwoRendering.statusText(reports, applications: chosen, style: style, words: RemedyWording.job))
        }
        let failing = DayTwoRendering.failOnLines(reports, failing: try failingConditions())
        failing.forEach { Output.errLine($0) }
        if !failing.isEmpty { throw ExitCode.failure }
    }
}
