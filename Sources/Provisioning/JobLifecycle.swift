import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

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
    /// `restartScopes` as the restart request's `resetScope` value.
    public static var resetScope: String { RestartScope.make(restartScopes.map(\.rawValue)).description }
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
        } else if running, plan.start != .start {
            let desired = application.scope == .all ? "true" : "false"
            if let saved = live.secrets?["SyncAll"], saved.lowercased() != desired {
                state.restartReason =
                    "the scope changes to \(application.scope == .all ? "all users and groups" : "assigned users and groups only")"
            } else if !plan.scopingFilterChanges.isEmpty {
                state.restartReason = "the scoping filters change"
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
            _ = try await send(.pause(servicePrincipalID: servicePrincipalID, jobID: jobID), graph: graph)
            return ["paused provisioning"]
        }
        if let reason = state.restartReason {
            _ = try await send(
                .restart(servicePrincipalID: servicePrincipalID, jobID: jobID, resetScope: JobStatePlan.resetScope),
                graph: graph)
            return ["restarted provisioning (\(reason))"]
        }
        return []
    }
}

/// Scoping filter changes per object, in words, for the plan.
enum ScopingFilterDiff {
    static func changes(from live: SynchronizationSchema?, to desired: SynchronizationSchema?) -> [String] {
        guard let desired else { return [] }
        let base = live ?? DefaultTemplateSchema.schema()
        return ObjectKind.allCases.compactMap { kind in
            let before = MappingDiff.objectMapping(kind, in: base).map { describe($0.scope) } ?? []
            let after = MappingDiff.objectMapping(kind, in: desired).map { describe($0.scope) } ?? []
            guard before != after else { return nil }
            let from = before.isEmpty ? "none" : before.joined(separator: " OR ")
            let to = after.isEmpty ? "none" : after.joined(separator: " OR ")
            return "\(kind.rawValue) scoping filters: \(from) → \(to)"
        }
    }

    /// `name (department EQUALS "Sales" AND …)` per filter group.
    static func describe(_ scope: ScopingFilter?) -> [String] {
        (scope?.groups ?? []).map { group in
            let clauses = group.clauses.map { clause in
                let values = clause.targetOperandValues
                let value = values.isEmpty ? "" : " \"\(values.joined(separator: "\", \""))\""
                return "\(clause.sourceOperandName ?? "?") \(clause.operatorName ?? "?")\(value)"
            }
            return "\(group.name ?? "filter") (\(clauses.joined(separator: " AND ")))"
        }
    }
}

/// The live scoping filters of an object mapping as profile lines (under `users:` / `groups:`, unindented).
enum ScopingFilterExport {
    static func lines(_ scope: ScopingFilter?, notes: inout [String]) -> [String] {
        let groups = scope?.groups ?? []
        guard !groups.isEmpty else { return [] }
        var lines = ["scopingFilters:"]
        for group in groups {
            lines.append("  - name: \(ProfileYAML.quoted(group.name ?? "filter"))")
            lines.append("    clauses:")
            for clause in group.clauses {
                let name = clause.operatorName ?? ""
                if ScopingOperator(rawValue: name) == nil {
                    notes.append("scoping filter operator '\(name)' is not one scimctl knows; check the exported filter")
                }
                lines.append("      - attribute: \(ProfileYAML.quoted(clause.sourceOperandName ?? ""))")
                lines.append("        operator: \(ProfileYAML.quoted(name))")
                if let value = clause.targetOperandValues.first {
                    lines.append("        value: \(ProfileYAML.quoted(value))")
                }
            }
        }
        return lines
    }
}
