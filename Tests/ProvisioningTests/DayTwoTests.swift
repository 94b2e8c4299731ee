import Diagnostics
import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import Provisioning
import TestSupport
import Testing
import VendorProfiles

@Suite("export, rollback, status, restart and provision on demand", .serialized)
struct DayTwoTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var profile: String
        var parameters: [String: String]
        var application: String
        var environment: [String: String]
        var testDescription: String { profile }
    }

    // TeleMessage (no token) is left out: the emulator's connection test insists on a SecretToken.
    static let cases: [Case] = [
        Case(profile: "flosum", parameters: ["region": "de"], application: "flosum", environment: ["FLOSUM_SCIM_TOKEN": "f"]),
        Case(
            profile: "totalmobile", parameters: ["customer": "Contoso"], application: "totalmobile",
            environment: ["TOTALMOBILE_SCIM_TOKEN": "t"]),
        Case(
            profile: "andmoney", parameters: ["environment": "test"], application: "rooms",
            environment: ["ANDMONEY_ROOMS_SCIM_TOKEN": "r"]),
        Case(profile: "eptura", parameters: ["domain": "scim.contoso.eptura.com"], application: "eptura", environment: ["EPTURA_SCIM_TOKEN": "e"]),
    ]

    @Test(arguments: cases)
    func exportThenPlanShowsNoChanges(_ example: Case) async throws {
        try await EmulatorHarness.with { harness in
            let resolved = try bundledProfile(example.profile, example.parameters)
            try await harness.createExistingApplications(resolved.applications)
            let application = try #require(resolved.applications.first { $0.name == example.application })
            var environment = example.environment
            if case .environment(let variable) = application.secretToken, environment[variable] == nil {
                environment[variable] = "token"
            }
            try await harness.applyUntilConverged(application, backups: temporaryDirectory(), environment: environment)

            let exported = try await ProfileExporter(graph: harness.client).export(
                servicePrincipalID: nil, displayName: application.displayName, vendor: resolved.profile.vendor)
            let loaded = ProfileLoader.load(text: exported.yaml, file: "exported.yaml")
            #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.message))\n\(exported.yaml)")
            let profile = try #require(loaded.profile)
            let findings = ProfileValidator.validate(profile)
            #expect(!findings.hasErrors, "\(findings.map(\.message))\n\(exported.yaml)")
            let (again, _) = profile.resolve(parameters: [:])
            let reread = try #require(again?.applications.first)
            #expect(reread.displayName == application.displayName)
            #expect(reread.tenantURL == application.tenantURL)
            #expect(reread.scope == application.scope)

            await harness.clearLog()
            let (plan, _) = try await Planner(graph: harness.client).plan(reread)
            #expect(!plan.hasChanges, "\(plan.secretChanges) \(plan.mappingChanges)\n\(exported.yaml)")
            #expect(plan.start != .start)
            #expect(await harness.writes().isEmpty)
            #expect(exported.notes.isEmpty, "\(exported.notes)")
        }
    }

    @Test func exportWritesOnlyWhatDiffersFromTheTemplate() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("totalmobile", ["customer": "Contoso"]).applications.first)
            try await harness.createExistingApplications(application)
            try await harness.applyUntilConverged(
                application, backups: temporaryDirectory(), environment: ["TOTALMOBILE_SCIM_TOKEN": "t"])
            let tenant = await harness.emulator.engine.tenant()
            let servicePrincipalID = try #require(tenant.servicePrincipals.first?.id)

            let amend = try await ProfileExporter(graph: harness.client).export(
                servicePrincipalID: servicePrincipalID, displayName: nil, vendor: "Totalmobile")
            #expect(amend.yaml.contains("mode: amend"))
            #expect(amend.yaml.contains("- target: \"externalId\"\n          source: \"objectId\""))
            #expect(!amend.yaml.contains("\"userName\""), "unchanged defaults are not listed")
            #expect(amend.yaml.contains("env: TOTALMOBILE_SCIM_TOKEN"))
            #expect(amend.yaml.contains("startProvisioning: true"))
            #expect(!amend.yaml.contains("\"t\""), "the token never appears")

            let full = try await ProfileExporter(graph: harness.client).export(
                servicePrincipalID: servicePrincipalID, displayName: nil, vendor: "Totalmobile", exclusive: true)
            #expect(full.yaml.contains("mode: exclusive"))
            #expect(full.yaml.contains("- target: \"userName\"\n          source: \"userPrincipalName\"\n          matchingPrecedence: 1"))
            let profile = try #require(ProfileLoader.load(text: full.yaml, file: "full.yaml").profile)
            #expect(profile.applications.first?.users.mappings.count == 22)
        }
    }

    @Test func exportRendersConstantsDefaultsAndFlowTypesSafely() throws {
        var schema = DefaultTemplateSchema.json
        let odd: JSONValue = [
            "targetAttributeName": "nickName", "matchingPriority": 0, "flowType": "ObjectAddOnly",
            "defaultValue": "line one\nsays \"hi\"", "flowBehavior": "FlowWhenChanged", "exportMissingReferences": false,
            "source": ["expression": "\"{region}\"", "name": "{region}", "parameters": [], "type": "Constant"],
        ]
        schema = try appendingUserMapping(odd, to: schema)
        let job = try #require(
            StatusReaderFixtures.job(["id": "scim.1", "templateId": "scim", "schedule": ["state": "Disabled"]]))
        let snapshot = ExportSnapshot(
            servicePrincipalID: "sp", displayName: "Odd App", job: job, schema: SynchronizationSchema(json: schema),
            secrets: ["BaseAddress": "https://odd.example.com/scim", "SyncAll": "true"])
        let exported = ProfileExporter.render(snapshot)
        #expect(exported.yaml.contains("secretToken: none"))
        #expect(exported.yaml.contains("scope: all"))
        #expect(exported.yaml.contains("startProvisioning: false"))
        #expect(exported.yaml.contains("apply: on-create"))
        // A constant with braces becomes an expression literal, which is never read as a placeholder.
        #expect(exported.yaml.contains("expression: \"\\\"{region}\\\"\""))
        let loaded = ProfileLoader.load(text: exported.yaml, file: "odd.yaml")
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.message))\n\(exported.yaml)")
        let mappings = loaded.profile?.applications.first?.users.mappings ?? []
        let title = try #require(mappings.last { $0.target == "nickName" })
        #expect(title.defaultValue == "line one\nsays \"hi\"")
        #expect(title.applyWhen == .onCreate)
        #expect(title.source == .expression("\"{region}\""))
    }

    @Test func rollbackRestoresTheNewestBackupAndCanBeUndone() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("totalmobile", ["customer": "Contoso"]).applications.first)
            try await harness.createExistingApplications(application)
            let backups = temporaryDirectory()
            let environment = ["TOTALMOBILE_SCIM_TOKEN": "t"]
            let (plan, live) = try await Planner(graph: harness.client).plan(application)
            let outcome = try await harness.applier(backups: backups, environment: environment).apply(plan, live: live)
            let schemaPath = GraphPaths.schema(servicePrincipalId: outcome.servicePrincipalID, jobId: outcome.jobID)
            let applied = try #require(try await harness.get(schemaPath))

            let rollback = Rollback(graph: harness.client, backups: SchemaBackups(directory: backups))
            let undo = try await rollback.prepare(servicePrincipalID: outcome.servicePrincipalID)
            #expect(undo.backupPath == outcome.backupPath)
            #expect(undo.hasChanges)
            let change = try #require(undo.mappingChanges.first)
            #expect(change.changed.map(\.to.target) == ["externalId"])
            #expect(change.changed.first?.to.source == "[mailNickname]")
            let result = try await rollback.execute(undo)
            #expect(result.changed)
            let restored = try #require(try await harness.get(schemaPath))
            #expect(restored == (try SchemaBackups(directory: backups).load(undo.backupPath)).json)
            #expect(SchemaBackups(directory: backups).list(servicePrincipalID: outcome.servicePrincipalID).count == 2)

            // The replaced schema is now the newest backup: rolling back again returns to the applied state.
            let redo = try await rollback.prepare(servicePrincipalID: outcome.servicePrincipalID)
            #expect(redo.backupPath == result.savedCurrentTo)
            _ = try await rollback.execute(redo)
            #expect(try await harness.get(schemaPath) == applied)
            let (again, _) = try await Planner(graph: harness.client).plan(application)
            #expect(again.desiredSchema == nil)

            // Nothing to do when the job already holds the backup.
            let same = try await rollback.prepare(servicePrincipalID: outcome.servicePrincipalID, file: redo.backupPath)
            #expect(!same.hasChanges)
            await harness.clearLog()
            #expect(try await rollback.execute(same).changed == false)
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func rollbackRefusesAnotherJobsSchemaAndMissingBackups() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
            try await harness.createExistingApplications(application)
            let backups = temporaryDirectory()
            try await harness.applyUntilConverged(application, backups: backups, environment: ["FLOSUM_SCIM_TOKEN": "f"])
            let servicePrincipalID = try #require(await harness.emulator.engine.tenant().servicePrincipals.first?.id)
            let store = SchemaBackups(directory: backups)
            let rollback = Rollback(graph: harness.client, backups: store)

            var foreign = DefaultTemplateSchema.json
            foreign["id"] = "scim.0000000000000000000000000000000f"
            let path = try store.save(SynchronizationSchema(json: foreign), servicePrincipalID: "other")
            await #expect(throws: ProvisioningError.self) {
                _ = try await rollback.prepare(servicePrincipalID: servicePrincipalID, file: path)
            }
            await #expect(throws: ProvisioningError.self) {
                _ = try await rollback.prepare(servicePrincipalID: "no-backups-here")
            }
            let junk = backups + "/junk.json"
            try "{\"hello\": 1}".write(toFile: junk, atomically: true, encoding: .utf8)
            await #expect(throws: ProvisioningError.self) {
                _ = try await rollback.prepare(servicePrincipalID: servicePrincipalID, file: junk)
            }
        }
    }

    @Test func backupsSortNewestLastWithinOneSecond() throws {
        let store = SchemaBackups(directory: temporaryDirectory())
        let moment = Date(timeIntervalSince1970: 1_750_000_000)
        var paths: [String] = []
        for _ in 0..<11 { paths.append(try store.save(DefaultTemplateSchema.schema(), servicePrincipalID: "sp", now: moment)) }
        #expect(store.list(servicePrincipalID: "sp") == paths)
    }

    @Test func provisionOnDemandRunsTheUserRuleAndUnpacksTheSteps() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            try await harness.applyUntilConverged(
                application, backups: temporaryDirectory(), environment: ["FLOSUM_SCIM_TOKEN": "f"])
            let tenant = await harness.emulator.engine.tenant()
            let servicePrincipalID = try #require(tenant.servicePrincipals.first?.id)
            let ruleID = try #require(tenant.jobs.first?.schema["synchronizationRules"]?.arrayValue?.first?["id"]?.stringValue)
            let user = try #require(tenant.users.first)
            let userID = try #require(user["id"]?.stringValue)

            // The whole flosum mapping, Switch expression included, is evaluated for the seeded user.
            let result = try await OnDemandProvisioner(graph: harness.client).provision(
                servicePrincipalID: servicePrincipalID, objectID: userID)
            #expect(result.result == "Success")
            #expect(result.succeeded)
            #expect(result.ruleID == ruleID)
            #expect(result.action == "Create")
            #expect(result.steps.map(\.type) == ["Import", "Matching", "Scoping", "Export"])
            #expect(result.steps.first?.details.contains { $0.key == "mail" && $0.value == user["mail"]?.stringValue } == true)
            let userName = result.modifiedProperties.first { $0.name == "userName" }
            #expect(userName?.newValue == user["mail"]?.stringValue)
            let active = result.modifiedProperties.first { $0.name == "active" }
            #expect(active?.newValue?.lowercased() == "true")

            await #expect(throws: GraphError.self) {
                _ = try await OnDemandProvisioner(graph: harness.client).provision(
                    servicePrincipalID: servicePrincipalID, objectID: "00000000-0000-0000-0000-000000000000")
            }
        }
    }

    @Test func onDemandResultToleratesTextThatIsNotJSON() {
        let result = OnDemandProvisioner.result(["key": "not json", "value": "{"], jobID: "j", ruleID: "r")
        #expect(result.result == "Unknown")
        #expect(result.reason == "not json")
        #expect(result.steps.isEmpty)
    }

    @Test func resetScopesParseAnyCaseAndSuggestFixes() throws {
        #expect(try ResetScope.parse("QuarantineState, watermark,Escrows") == [.quarantineState, .watermark, .escrows])
        #expect(try ResetScope.parse("Full,full") == [.full])
        do {
            _ = try ResetScope.parse("QuarantinState")
            Issue.record("a misspelt scope must be rejected")
        } catch {
            #expect(String(describing: error).contains("did you mean 'QuarantineState'"))
        }
        #expect(throws: ProvisioningError.self) { try ResetScope.parse("Watermark,,Full") }
        #expect(throws: ProvisioningError.self) { try ResetScope.parse("None") }
    }

    @Test func restartSendsTheScopesAsOneFlagsString() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            try await harness.applyUntilConverged(
                application, backups: temporaryDirectory(), environment: ["FLOSUM_SCIM_TOKEN": "f"])
            let servicePrincipalID = try #require(await harness.emulator.engine.tenant().servicePrincipals.first?.id)
            await harness.clearLog()
            _ = try await JobControl(graph: harness.client).restart(
                servicePrincipalID: servicePrincipalID, scopes: [.watermark, .escrows, .quarantineState])
            let posts = await harness.writes()
            #expect(posts.count == 1)
            #expect(posts.first?.status == 204)
            await #expect(throws: ProvisioningError.self) {
                _ = try await JobControl(graph: harness.client).restart(
                    servicePrincipalID: servicePrincipalID, jobID: "scim.nope", scopes: [.full])
            }
        }
    }

    @Test func statusExplainsEachQuarantineReason() throws {
        func quarantined(_ reason: String, code: String? = nil, message: String? = nil) -> JobStatus {
            var error: JSONValue = .null
            if code != nil || message != nil {
                error = ["code": code.map(JSONValue.string) ?? .null, "message": message.map(JSONValue.string) ?? .null]
            }
            let job: JSONValue = [
                "id": "scim.abc", "templateId": "scim", "schedule": ["state": "Active", "interval": "PT40M"],
                "status": [
                    "code": "Quarantine", "countSuccessiveCompleteFailures": 4,
                    "quarantine": [
                        "reason": .string(reason), "seriesBegan": "2025-06-01T10:00:00Z", "nextAttempt": "",
                        "seriesCount": 4, "error": error,
                    ],
                    "lastExecution": [
                        "state": "Failed", "timeBegan": "2025-06-01T10:00:00Z", "timeEnded": "0001-01-01T00:00:00Z",
                        "countImported": 12, "countExported": 0, "countEscrowed": 12,
                    ],
                ],
            ]
            return StatusReader.status(of: job, servicePrincipalID: "sp-1")
        }
        let deletes = quarantined("TooManyDeletes")
        #expect(deletes.quarantine?.remedy == .reviewDeletions)
        #expect(deletes.quarantine?.since == "2025-06-01T10:00:00Z")
        #expect(deletes.quarantine?.nextAttempt == nil, "an empty date means unknown")
        #expect(deletes.lastExecution?.ended == nil)
        #expect(deletes.lastExecution?.escrowed == 12)
        #expect(deletes.successiveFailures == 4)

        let credentials = quarantined("EncounteredQuarantineException", code: "Unauthorized", message: "HTTP 401")
        #expect(credentials.quarantine?.explanation.hasPrefix("credentials rejected") == true)
        let escrows = quarantined("EncounteredEscrowProportionThreshold")
        #expect(escrows.quarantine?.remedy == .fixFailingObjects)
        #expect(credentials.quarantine?.remedy == .checkCredentials)
        let other = quarantined("EncounteredQuarantineException", code: "Boom", message: "the target said no")
        #expect(other.quarantine?.explanation == "the provisioning service hit an error: the target said no")
        #expect(other.quarantine?.remedy == .fixCause)
        // The JSON carries the remedy in the caller's words, and the summary without one when the job is quarantined.
        let json = other.json { "words for \($0)" }
        #expect(json["quarantine"]?["remedy"]?.stringValue == "words for fixCause")
        #expect(json["summary"]?.stringValue == "quarantined: the provisioning service hit an error: the target said no")

        let fresh = StatusReader.status(of: ["id": "scim.x", "status": ["code": "NotConfigured"]], servicePrincipalID: "sp")
        #expect(fresh.quarantine == nil)
        #expect(fresh.summary == "not configured")
        #expect(fresh.remedy == .applyProfile)
        #expect(fresh.summary { _ in "apply it" } == "not configured: apply it")
    }
}

enum StatusReaderFixtures {
    /// A job summary from JSON, through the same decoding Provisioning uses.
    static func job(_ json: JSONValue) -> SynchronizationJobSummary? {
        SynchronizationJobSummary(json: json)
    }
}
