import ArgumentParser
import GraphHTTP
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

    @OptionGroup var target: ApplicationTarget

    @OptionGroup var format: FormatOption<ReportFormat>

    @Option(
        help: ArgumentHelp("Exit 1 when a job is in one of these states: quarantine, failure, warning.", valueName: "STATES"),
        transform: { text throws(JobCondition.UnknownName) in try JobCondition.parseList(text) })
    var failOn: Set<JobCondition> = []

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let chosen = try target.applications()
        let session = try GraphSession.make(graph)
        let reports = try await session.attempt {
            try await StatusReader(graph: session.client).reports(
                servicePrincipalID: target.servicePrincipal.id, displayNames: chosen.map(\.displayName))
        }
        Output.out(format.render(
            json: { DayTwoRendering.statusJSON(reports, words: RemedyWording.job) },
            text: { DayTwoRendering.statusText(reports, applications: chosen, style: $0, words: RemedyWording.job) }))
        let failing = DayTwoRendering.failOnLines(reports, failing: failOn)
        failing.forEach { Output.errLine($0) }
        if !failing.isEmpty { throw ExitCode.failure }
    }
}
