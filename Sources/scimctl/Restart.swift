import ArgumentParser
import GraphHTTP
import Provisioning

/// `scimctl restart`: Graph's job restart with explicit reset scopes.
struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Restart a provisioning job, resetting the given scopes.",
        discussion: """
            Scopes (comma-separated): \(ResetScope.allCases.map { "\($0.rawValue) — \($0.meaning)" }.joined(separator: "; ")). \
            Example: scimctl restart --service-principal-id ID --reset-scope QuarantineState,Watermark
            """
    )

    @OptionGroup var target: JobTargetOptions

    @Option(help: ArgumentHelp("What to reset: Full, QuarantineState, Watermark, Escrows, ForceDeletes.", valueName: "SCOPES"))
    var resetScope: String

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        do {
            _ = try ResetScope.parse(resetScope)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() async throws {
        let scopes = try ResetScope.parse(resetScope)
        let session = try GraphSession.make(graph)
        let job = try await session.attempt {
            try await JobControl(graph: session.client).restart(
                servicePrincipalID: target.servicePrincipalID, jobID: target.jobID, scopes: scopes)
        }
        Output.outLine("restarted job \(job) (reset: \(scopes.map(\.rawValue).joined(separator: ", ")))")
        Output.outLine("check progress with: scimctl status --service-principal-id \(target.servicePrincipalID)")
    }
}
