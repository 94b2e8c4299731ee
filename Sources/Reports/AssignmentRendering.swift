import GraphModel
import Provisioning
import VendorProfiles

/// The assignment part of a plan, as text and JSON.
extension PlanRendering {
    public static func assignmentsText(_ plan: AssignmentPlan?, style: Style) -> String {
        guard let plan else { return "" }
        var output = ""
        if !plan.hasChanges {
            output += "  = user and group assignments unchanged (\(plan.unchanged) listed)\n"
            return output
        }
        output += style.yellow("  ~ user and group assignments") + (plan.mode == .exclusive ? " (exclusive)" : "") + "\n"
        for entry in plan.add { output += style.green("      + assign \(entry)") + "\n" }
        for entry in plan.remove { output += style.red("      - unassign \(entry)") + "\n" }
        return output
    }

    public static func assignmentsJSON(_ plan: AssignmentPlan?) -> JSONValue {
        guard let plan else { return .null }
        func entry(_ entry: AssignmentPlan.Entry) -> JSONValue {
            [
                "principalId": .string(entry.principalID), "principalType": .string(entry.principalType),
                "principalName": .string(entry.principalName), "role": .string(entry.roleName),
                "appRoleId": entry.roleID.map { .string($0) } ?? .null,
            ]
        }
        return [
            "mode": .string(plan.mode.rawValue), "add": .array(plan.add.map(entry)),
            "remove": .array(plan.remove.map(entry)), "unchanged": .integer(Int64(plan.unchanged)),
        ]
    }
}

/// Pause and restart, as plans show them.
extension PlanRendering {
    public static func jobStateText(_ state: JobStatePlan?, style: Style) -> String {
        guard let state else { return "" }
        if state.pause { return style.yellow("  ~ pause provisioning") + " (the profile says paused: true)\n" }
        if state.stayPaused { return "  = provisioning stays off (the profile says paused: true)\n" }
        if let reason = state.restartReason {
            return style.yellow("  ~ restart provisioning") + " (\(reason); Entra re-evaluates every object)\n"
        }
        return ""
    }

    public static func jobStateJSON(_ state: JobStatePlan?) -> JSONValue {
        guard let state else { return .null }
        return [
            "pause": .bool(state.pause), "paused": .bool(state.pause || state.stayPaused),
            "restart": state.restartReason.map { ["reason": .string($0)] } ?? .null,
        ]
    }
}
