import Diagnostics
import Foundation
import GraphHTTP
import GraphModel

/// Finds the provisioning job the day-2 commands act on.
enum JobLocator {
    /// All jobs of the service principal, in Graph's order.
    static func jobs(servicePrincipalID: String, graph: any GraphService) async throws -> [SynchronizationJobSummary] {
        let listed = try await graph.get(GraphPaths.jobs(servicePrincipalId: servicePrincipalID), "list synchronization jobs")
        return (listed?["value"]?.arrayValue ?? []).compactMap(SynchronizationJobSummary.init(json:))
    }

    /// The job named by `jobID`, else the `scim` job. A lone legacy job is never picked silently.
    static func job(servicePrincipalID: String, jobID: String?, graph: any GraphService) async throws
        -> SynchronizationJobSummary
    {
        let all = try await jobs(servicePrincipalID: servicePrincipalID, graph: graph)
        let chosen = jobID.map { id in all.first { $0.id == id } } ?? all.first { $0.templateID == GraphPaths.scimJobTemplateId }
        guard let chosen else {
            throw ProvisioningError.noProvisioningJob(servicePrincipalID: servicePrincipalID, found: all.map(\.id))
        }
        return chosen
    }
}

/// One member of Graph's restart `resetScope` flags. `None` and `ConnectorDataStore` are left out on purpose:
/// the documentation says not to use them.
public enum ResetScope: String, Sendable, Hashable, CaseIterable {
    case full = "Full"
    case quarantineState = "QuarantineState"
    case watermark = "Watermark"
    case escrows = "Escrows"
    case forceDeletes = "ForceDeletes"

    /// What the reset does, for help texts and confirmations.
    public var meaning: String {
        switch self {
        case .full: "everything below: a fresh start of the job"
        case .quarantineState: "lift the quarantine and try again now"
        case .watermark: "re-evaluate every user and group, not only changes"
        case .escrows: "stop retrying objects that failed"
        case .forceDeletes: "send the deletions held back by the accidental-deletion threshold"
        }
    }

    /// Comma-separated names, any case, spaces allowed (`QuarantineState, Watermark`). Duplicates are dropped.
    public static func parse(_ text: String) throws -> [ResetScope] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var scopes: [ResetScope] = []
        for name in names {
            guard !name.isEmpty else {
                throw ProvisioningError.invalidArgument("the reset scope '\(text)' has an empty entry")
            }
            guard let scope = allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                let suggestion = Suggestions.closest(to: name, in: allCases.map(\.rawValue))
                throw ProvisioningError.invalidArgument(
                    "'\(name)' is not a reset scope"
                        + (suggestion.map { "; did you mean '\($0)'?" }
                            ?? "; use \(allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return scopes
    }
}

/// Restarts provisioning jobs.
public struct JobControl: Sendable {
    public var graph: any GraphService

    public init(graph: any GraphService) { self.graph = graph }

    /// Sends `restart` with the given reset scopes and returns the job id it restarted. Repeating it is harmless.
    public func restart(servicePrincipalID: String, jobID: String? = nil, scopes: [ResetScope]) async throws -> String {
        guard !scopes.isEmpty else { throw ProvisioningError.invalidArgument("name at least one reset scope") }
        let job = try await JobLocator.job(servicePrincipalID: servicePrincipalID, jobID: jobID, graph: graph)
        let body = RestartJobRequest(resetScope: RestartScope.make(scopes.map(\.rawValue))).json
        _ = try await graph.call(
            .post, GraphPaths.jobAction("restart", servicePrincipalId: servicePrincipalID, jobId: job.id), body: body,
            operation: "restart the provisioning job", version: .v1, idempotent: true)
        return job.id
    }
}
