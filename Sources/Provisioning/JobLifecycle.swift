import Foundation
import GraphHTTP
import GraphSync
import Profiles

/// What apply does to the job's run state beyond starting it: pause it when the profile says provisioning must be
/// off, and restart it when the scope changed on a running job (Entra keeps evaluating the old scope otherwise).
public struct JobStatePlan: Sendable, Hashable {
    /// The profile says `paused: true` and the job runs: apply pauses it.
    public var pause: Bool
    /// The profile says `paused: true` and the job is not running: nothing to do, and nothing is started.
    public var stayPaused: Bool
    /// Why a restart is needed (the scope changed on a running job), nil when none is.
    public var restartReason: String?

    public var hasChanges: Bool { pause || restartReason != nil }

    /// What a restart for a changed scope resets: re-evaluate every user and group against the new scope.
    public static let restartScopes: [ResetScope] = [.watermark]
}

enum JobLifecyclePlanning {
    /// Adjusts the start decision (a paused profile never starts) and works out pause and restart.
    static func plan(
        _ application: ResolvedApplication, live: LiveState, plan: inout ApplicationPlan, startOverride: Bool?
    ) {
        var state = JobStatePlan(pause: false, stayPaused: false, restartReason: nil)
        let running = live.job?.isRunning ?? false
        if application.paused && startOverride != true {
            plan.start = .notRequested
            if running { state.pause = true } else { state.stayPaused = true }
        } else if running, plan.start != .start, let saved = live.secrets?["SyncAll"] {
            let desired = application.scope == .all ? "true" : "false"
            if saved.lowercased() != desired {
                state.restartReason =
                    "the scope changes to \(application.scope == .all ? "all users and groups" : "assigned users and groups only")"
            }
        }
        plan.jobState = state
    }
}

extension Applier {
    /// Pauses or restarts the job as planned; returns what changed.
    func applyJobState(_ state: JobStatePlan?, servicePrincipalID: String, jobID: String, graph: any GraphService)
        async throws -> [String]
    {
        guard let state else { return [] }
        if state.pause {
            _ = try await graph.call(
                .post, GraphPaths.jobAction("pause", servicePrincipalId: servicePrincipalID, jobId: jobID), body: nil,
                operation: "pause the provisioning job", version: .v1, idempotent: true)
            return ["paused provisioning"]
        }
        if let reason = state.restartReason {
            let body: JSONValue = [
                "criteria": ["resetScope": .string(JobStatePlan.restartScopes.map(\.rawValue).joined(separator: ", "))]
            ]
            _ = try await graph.call(
                .post, GraphPaths.jobAction("restart", servicePrincipalId: servicePrincipalID, jobId: jobID), body: body,
                operation: "restart the provisioning job", version: .v1, idempotent: true)
            return ["restarted provisioning (\(reason))"]
        }
        return []
    }
}
