import GraphSync
import Profiles
import Provisioning

/// The assignment part of a plan, as text and JSON.
extension PlanRendering {
    static func assignmentsText(_ plan: AssignmentPlan?, style: Style) -> String {
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

    static func assignmentsJSON(_ plan: AssignmentPlan?) -> JSONValue {
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
