import Foundation
import GraphModel
import Provisioning
import VendorProfiles

/// Turns plans into the readable diff `plan` and `apply` show, or into JSON.
public enum PlanRendering {
    /// `plan`'s formats: `markdown` is the text for a pull-request comment.
    public enum Format: String, CaseIterable, Sendable { case text, json, markdown }

    /// The plan in one format; `style` colours text only.
    public static func render(_ plans: [ApplicationPlan], as format: Format, style: Style = Style(enabled: false)) -> String {
        switch format {
        case .text: text(plans, style: style)
        case .json: json(plans).serialized(pretty: true) + "\n"
        case .markdown: markdown(plans)
        }
    }

    public static func text(_ plans: [ApplicationPlan], style: Style) -> String {
        var output = ""
        for plan in plans {
            let app = plan.application
            output += style.bold("application \(app.name)") + " \"\(TerminalText.escaped(app.displayName))\" → \(TerminalText.escaped(app.tenantURL))\n"
            output += changes(plan, style: style) + "\n"
        }
        output += verdict(plans, style: style) + "\n"
        return output
    }

    public static func verdict(_ plans: [ApplicationPlan], style: Style = Style(enabled: false)) -> String {
        let changing = plans.filter(\.hasChanges).count
        return changing == 0
            ? style.green("No changes. The tenant matches the profile.")
            : style.bold("Plan: \(changing) of \(plans.count) application\(plans.count == 1 ? "" : "s") to change.")
    }

    /// The plan as Markdown, for a pull-request comment or a job summary: one section per application with its
    /// changes in a `diff` block (so additions and removals are coloured).
    public static func markdown(_ plans: [ApplicationPlan], title: String = "scimctl plan") -> String {
        let changing = plans.filter(\.hasChanges).count
        let headline =
            changing == 0
            ? "no changes, the tenant matches the profile"
            : "\(changing) of \(plans.count) application\(plans.count == 1 ? "" : "s") to change"
        var output = "### \(changing == 0 ? "✅" : "📝") \(title): \(headline)\n\n"
        for plan in plans {
            let app = plan.application
            output += "#### \(plan.hasChanges ? "~" : "=") `\(Markdown.code(app.name))` \(Markdown.cell(app.displayName))"
            output += " → \(Markdown.cell(app.tenantURL))\n\n"
            // Unindented so `+`/`-` start the line, as diff highlighting expects.
            let body = changes(plan, style: Style(enabled: false)).split(separator: "\n").map { line in
                line.hasPrefix("  ") ? String(line.dropFirst(2)) : String(line)
            }.joined(separator: "\n")
            let fence = Markdown.fence(for: body)
            output += "\(fence)diff\n\(body)\n\(fence)\n\n"
        }
        return output
    }

    /// One application's changes, two-space indented, each line ending in a newline.
    public static func changes(_ plan: ApplicationPlan, style: Style) -> String {
        var output = ""
        switch plan.servicePrincipal {
        case .create: output += style.green("  + create enterprise application") + " (non-gallery template)\n"
        case .found(let id): output += "  = enterprise application found: \(id)\n"
        }
        if let since = plan.pendingCreateSince {
            output += style.yellow(
                "  ! an earlier apply sent a create at \(ISO8601DateFormatter().string(from: since)) and never saw the "
                    + "answer: apply looks for that object before creating one") + "\n"
        }
        if plan.marksServicePrincipal {
            output += style.green("  + mark the application as created by scimctl") + " (service principal notes)\n"
        }
        switch plan.job {
        case .create: output += style.green("  + create provisioning job") + " (template scim)\n"
        case .found(let id): output += "  = provisioning job found: \(id)\n"
        }
        if let legacy = plan.legacyJobID {
            output += style.yellow("  ! legacy customappsso job \(legacy) is left alone") + "\n"
        }
        if plan.secretKeys.isEmpty {
            output += "  = tenant URL, token and scope unchanged\n"
        } else {
            output += style.yellow("  ~ set \(plan.secretKeys.joined(separator: ", "))") + "\n"
            for change in plan.secretChanges { output += "      \(change)\n" }
        }
        for change in plan.mappingChanges {
            output += style.yellow("  ~ \(change.object.rawValue) mappings") + "\n"
            if let enabled = change.enabled {
                output += "      provisioning \(enabled.from.map { $0 ? "on" : "off" } ?? "unset") → \(enabled.to ? "on" : "off")\n"
            }
            if let actions = change.actions {
                output += "      target object actions \(actions.from ?? "unset") → \(actions.to)\n"
            }
            for mapping in change.added { output += style.green("      + \(TerminalText.escaped("\(mapping)"))") + "\n" }
            for mapping in change.removed { output += style.red("      - \(TerminalText.escaped("\(mapping)"))") + "\n" }
            for (from, to) in change.changed {
                output += style.yellow("      ~ \(TerminalText.escaped("\(from)"))") + "\n"
                    + style.yellow("        → \(TerminalText.escaped("\(to)"))") + "\n"
            }
        }
        for change in plan.scopingFilterChanges { output += style.yellow("  ~ \(TerminalText.escaped(change))") + "\n" }
        if plan.desiredSchema == nil && plan.mappingChanges.isEmpty {
            output += "  = attribute mappings unchanged\n"
        } else if plan.mappingChanges.isEmpty && plan.scopingFilterChanges.isEmpty {
            output += "  ~ schema metadata differs (custom attribute definitions)\n"
        }
        output += assignmentsText(plan.assignments, style: style)
        output += jobStateText(plan.jobState, style: style)
        switch plan.start {
        case .start: output += style.green("  + start provisioning") + "\n"
        case .alreadyRunning: output += "  = provisioning already running\n"
        case .notRequested: output += "  = provisioning not started (the profile does not ask for it)\n"
        }
        let writes = plan.writes()
        if !writes.isEmpty {
            output += "  requests apply sends, in order:\n"
            for write in writes {
                output += "      \(write.method) \(TerminalText.escaped(write.path))  (\(TerminalText.escaped(write.operation)))\n"
            }
        }
        return output
    }

    public static func json(_ plans: [ApplicationPlan]) -> JSONValue {
        [
            "changes": .bool(plans.contains(where: \.hasChanges)),
            "applications": .array(plans.map(json)),
        ]
    }

    public static func json(_ plan: ApplicationPlan) -> JSONValue {
        func summary(_ mapping: MappingSummary) -> JSONValue {
            [
                "target": .string(mapping.target), "source": .string(mapping.source),
                "matchingPrecedence": mapping.matchingPriority.map { .integer(Int64($0)) } ?? .null,
                "apply": .string(mapping.flowType), "default": mapping.defaultValue.map { .string($0) } ?? .null,
            ]
        }
        var servicePrincipal: JSONValue
        switch plan.servicePrincipal {
        case .create: servicePrincipal = ["action": "create"]
        case .found(let id): servicePrincipal = ["action": "found", "id": .string(id)]
        }
        servicePrincipal["mark"] = .bool(plan.marksServicePrincipal)
        servicePrincipal["pendingCreateSince"] =
            plan.pendingCreateSince.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null
        let job: JSONValue
        switch plan.job {
        case .create: job = ["action": "create"]
        case .found(let id): job = ["action": "found", "id": .string(id)]
        }
        let start: String
        switch plan.start {
        case .start: start = "start"
        case .alreadyRunning: start = "already-running"
        case .notRequested: start = "not-requested"
        }
        return [
            "name": .string(plan.application.name),
            "displayName": .string(plan.application.displayName),
            "tenantURL": .string(plan.application.tenantURL),
            "servicePrincipal": servicePrincipal,
            "job": job,
            "legacyJob": plan.legacyJobID.map { .string($0) } ?? .null,
            "secrets": [
                "keys": .array(plan.secretKeys.map { .string($0) }),
                "changes": .array(plan.secretChanges.map { .string($0) }),
            ],
            "schemaChanged": .bool(plan.desiredSchema != nil),
            "mappings": .array(
                plan.mappingChanges.map { change in
                    [
                        "object": .string(change.object.rawValue),
                        "enabled": change.enabled.map { ["from": $0.from.map { .bool($0) } ?? .null, "to": .bool($0.to)] } ?? .null,
                        "actions": change.actions.map { ["from": $0.from.map { .string($0) } ?? .null, "to": .string($0.to)] } ?? .null,
                        "added": .array(change.added.map(summary)),
                        "removed": .array(change.removed.map(summary)),
                        "changed": .array(change.changed.map { ["from": summary($0.from), "to": summary($0.to)] }),
                    ]
                }),
            "assignments": assignmentsJSON(plan.assignments),
            "jobState": jobStateJSON(plan.jobState),
            "scopingFilters": .array(plan.scopingFilterChanges.map { .string($0) }),
            "start": .string(start),
            "requests": .array(
                plan.writes().map { write in
                    [
                        "method": .string(write.method), "path": .string(write.path),
                        "operation": .string(write.operation), "needs": write.needs.map { .string($0.rawValue) } ?? .null,
                    ]
                }),
            "changes": .bool(plan.hasChanges),
        ]
    }
}
