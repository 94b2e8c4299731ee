import Diagnostics
import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning
import Reports
import Testing

func flosum(displayName: String? = nil) throws -> ResolvedProfile {
    let profile = try #require(BundledProfiles.load(named: "flosum")?.profile)
    var resolved = try #require(profile.resolve(parameters: ["region": "de"]).0)
    if let displayName { resolved.applications[0].displayName = displayName }
    return resolved
}

@Suite("plan, apply, simulation and day-2 rendering, in process")
struct WorkflowRenderingTests {
    func freshPlan(displayName: String? = nil) throws -> ApplicationPlan {
        let application = try #require(try flosum(displayName: displayName).applications.first)
        return ApplicationPlan(
            application: application, servicePrincipal: .create, job: .create, secretKeys: ["BaseAddress", "SecretToken"],
            secretChanges: ["tenant URL set"], start: .start)
    }

    @Test func planTextListsEveryStepAndTheVerdict() throws {
        let plan = try freshPlan()
        let text = PlanRendering.text([plan], style: Style(enabled: false))
        #expect(text.contains("application \(plan.application.name) \"\(plan.application.displayName)\" → https://"))
        #expect(text.contains("  + create enterprise application (non-gallery template)\n"))
        #expect(text.contains("  ~ set BaseAddress, SecretToken\n      tenant URL set\n"))
        #expect(text.contains("  + start provisioning\n"))
        #expect(text.hasSuffix("Plan: 1 of 1 application to change.\n"))
        let found = ApplicationPlan(
            application: plan.application, servicePrincipal: .found(id: "sp-1"), job: .found(id: "scim.1"),
            start: .alreadyRunning)
        #expect(PlanRendering.verdict([found]) == "No changes. The tenant matches the profile.")
    }

    @Test func planTextNeutralisesAHostileDisplayName() throws {
        let text = PlanRendering.text([try freshPlan(displayName: "Evil\u{1B}[2JApp")], style: Style(enabled: true))
        #expect(text.contains("Evil\\u{1B}[2JApp"))
        #expect(!text.contains("\u{1B}[2J"))
    }

    @Test func planMarkdownAndJSONAgreeWithTheText() throws {
        let plan = try freshPlan(displayName: "A | B")
        let markdown = PlanRendering.markdown([plan])
        #expect(markdown.hasPrefix("### 📝 scimctl plan: 1 of 1 application to change\n"))
        #expect(markdown.contains("A \\| B"))
        #expect(markdown.contains("```diff\n+ create enterprise application"))
        let json = PlanRendering.json([plan])
        #expect(json["changes"]?.boolValue == true)
        let application = try #require(json["applications"]?.arrayValue?.first)
        #expect(application["servicePrincipal"]?["action"]?.stringValue == "create")
        #expect(application["start"]?.stringValue == "start")
        #expect(application["secrets"]?["keys"]?.arrayValue?.count == 2)
    }

    @Test func applySummaryShowsEachOutcomeRedactedByTheCaller() throws {
        let plan = try freshPlan()
        let markdown = ApplyRendering.summaryMarkdown(
            [plan, plan], outcomes: [.failure(FailureMessage("token *** refused | try again")), .failure(FailureMessage("x"))])
        #expect(markdown.contains("| `\(plan.application.name)` | ❌ failed | token \\*\\*\\* refused \\| try again | | |"))
        #expect(markdown.contains("| application | result | changes | service principal | job |"))
        let json = ApplyRendering.json([], plans: [plan], statistics: .init(requestsSent: 3, connectionsOpened: 1))
        #expect(json["requests"]?.integerValue == 3)
        #expect(json["applications"]?.arrayValue?.first?["servicePrincipalId"] == .null)
    }

    @Test func simulationReportsNameTheFailingUsersByReason() throws {
        let resolved = try flosum()
        let application = try #require(resolved.applications.first)
        var simulation = DirectorySimulation(application, rules: resolved.profile.rules)
        simulation.add(SimulatedUser(id: "1", userPrincipalName: "ana@contoso.com", attributes: [:]))
        let report = simulation.report()
        #expect(report.failing == 1)
        let context = SimulationContext(application: application.name, vendor: "Flosum", scope: .assignedOnly, source: "users.jsonl")
        let text = SimulationRendering.text(report, context: context, style: Style(enabled: false))
        #expect(text.hasPrefix("Flosum app '\(application.name)', scope assigned, users from users.jsonl: 1 user evaluated\n"))
        #expect(text.contains("1 of 1 users would fail"))
        #expect(text.contains("ana@contoso.com (1): "))
        let markdown = SimulationRendering.markdown(report, context: context)
        #expect(markdown.contains("**1 of 1 users would fail.**"))
        let json = SimulationRendering.json(report)
        #expect(json["summary"]?["failing"]?.integerValue == 1)
        #expect(json["failures"]?.arrayValue?.first?["id"]?.stringValue == "1")
    }

    @Test func statusTextPhrasesRemediesInTheCallersWords() throws {
        let quarantined: JSONValue = [
            "id": "scim.1", "templateId": "scim", "schedule": ["state": "Active"],
            "status": ["code": "Quarantine", "quarantine": ["reason": "TooManyDeletes"]],
        ]
        let notStarted: JSONValue = ["id": "scim.2", "templateId": "scim", "status": ["code": "NotRun"]]
        let report = StatusReport(
            servicePrincipalID: "sp-1", displayName: "Contoso \u{1B}[2J",
            jobs: [StatusReader.status(of: quarantined, servicePrincipalID: "sp-1"), StatusReader.status(of: notStarted, servicePrincipalID: "sp-1")])
        let text = DayTwoRendering.statusText(report, style: Style(enabled: false)) { remedy, id in "<\(remedy) for \(id)>" }
        #expect(text.contains("    what to do: <reviewDeletions for sp-1>\n"))
        #expect(text.hasPrefix("application \"Contoso \\u{1B}[2J\" (service principal sp-1)\n"))
        #expect(text.contains("    configured but not started: <start for sp-1>\n"))
        let json = DayTwoRendering.statusJSON([report, report]) { remedy, _ in "\(remedy)" }
        #expect(json["applications"]?.arrayValue?.count == 2)
        #expect(json["applications"]?.arrayValue?.first?["jobs"]?.arrayValue?.last?["summary"]?.stringValue == "configured but not started: start")
    }

    @Test func simulateWarningsAndApplyNotesALineEach() throws {
        var context = SimulationContext(application: "app", vendor: "Sim", scope: .all, source: "Microsoft Graph")
        #expect(SimulationRendering.unavailableWarnings(context).isEmpty)
        context.unavailable = [.init(name: "appRoleAssignments", reason: "Graph has no such user property")]
        #expect(SimulationRendering.unavailableWarnings(context) == "warning: source attribute 'appRoleAssignments' cannot be "
            + "read from Graph (Graph has no such user property); it is empty for every user\n")
        let flosum = try #require(BundledProfiles.load(named: "flosum")?.profile)
        let notes = ApplyRendering.prerequisiteNotes(flosum).split(separator: "\n")
        #expect(notes.count == flosum.rules.prerequisites.count && !notes.isEmpty)
        #expect(notes.allSatisfy { $0.hasPrefix("note: Flosum prerequisite: ") })
    }

    @Test func rollbackTextAndDriftWording() {
        #expect(DayTwoRendering.rollbackText([]) == "  ~ schema metadata differs (attribute definitions or rule settings)\n")
        let schema = SynchronizationSchema(json: ["id": "scim", "directories": []])
        var plan = RollbackPlan(
            servicePrincipalID: "sp-1", jobID: "scim.1", backupPath: "b/sp-1/1-schema.json", current: schema, restored: schema,
            mappingChanges: [])
        #expect(DayTwoRendering.rollbackText(plan)
            == "restore b/sp-1/1-schema.json onto job scim.1\nthe job's schema already matches the backup; nothing to do\n")
        plan.restored = SynchronizationSchema(json: ["id": "scim", "directories": [], "version": "2"])
        #expect(DayTwoRendering.rollbackText(plan)
            == "restore b/sp-1/1-schema.json onto job scim.1\n  ~ schema metadata differs (attribute definitions or rule settings)\n")
        let restored = Rollback.Outcome(jobID: "scim.1", savedCurrentTo: "b/sp-1/2-schema.json", restoredFrom: "b/sp-1/1-schema.json", changed: true)
        #expect(DayTwoRendering.rolledBackText(restored)
            == "the replaced schema was saved to b/sp-1/2-schema.json\nrestored job scim.1 from b/sp-1/1-schema.json\n")
        #expect(DayTwoRendering.driftText(.runsWhilePaused).contains("apply pauses it"))
        #expect(DayTwoRendering.driftText(.pausedWhileStartRequested).contains("apply starts it again"))
    }

    @Test func profileSkeletonLoadsAndTheSchemaDescribesIt() throws {
        let yaml = ProfileSkeleton.yaml(vendor: "Contoso")
        let loaded = ProfileLoader.load(text: yaml, file: "contoso.yaml")
        #expect(loaded.profile?.vendor == "Contoso")
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.message))")
        let schema = ProfileJSONSchema.document()
        #expect(schema["$schema"]?.stringValue == "http://json-schema.org/draft-07/schema#")
        #expect(schema["properties"]?["applications"] != nil)
        #expect(ProfileJSONSchema.anchored("[a-z]+") == "^(?:[a-z]+)$")
    }
}
