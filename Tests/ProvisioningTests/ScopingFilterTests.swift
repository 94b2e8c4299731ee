import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import Provisioning
import TestSupport
import Testing
import VendorProfiles

@Suite("scoping filters against the emulator", .serialized)
struct ScopingFilterTests {
    let environment = ["TOTALMOBILE_SCIM_TOKEN": "tm-token-for-scoping-tests"]
    static let sales = ScopingFilterRule(
        name: "Sales only",
        clauses: [
            ScopingClause(attribute: "department", operator: .equals, value: "Sales"),
            ScopingClause(attribute: "accountEnabled", operator: .isTrue),
        ])

    func userScope(_ harness: EmulatorHarness) async throws -> JSONValue? {
        let job = try #require(await harness.emulator.engine.tenant().jobs.first)
        let users = job.schema["synchronizationRules"]?.arrayValue?.first?["objectMappings"]?.arrayValue?.first {
            $0["sourceObjectName"]?.stringValue == "User"
        }
        return users?["scope"]
    }

    @Test func filtersAreWrittenKeptWhenSilentAndRestartARunningJob() async throws {
        try await EmulatorHarness.with { harness in
            let backups = temporaryDirectory()
            let silent = try #require(try bundledProfile("totalmobile", ["customer": "Contoso"]).applications.first)
            try await harness.applyUntilConverged(silent, backups: backups, environment: environment)

            var filtered = silent
            filtered.users.scopingFilters = [Self.sales]
            let (plan, live) = try await harness.planner().plan(filtered)
            #expect(plan.scopingFilterChanges == [
                "user scoping filters: none → Sales only (department EQUALS \"Sales\" AND accountEnabled IS TRUE)"
            ])
            #expect(plan.jobState?.restartReason == "the scoping filters change")
            let outcome = try await harness.applier(backups: backups, environment: environment).apply(plan, live: live)
            #expect(outcome.changes.contains("updated attribute mappings"))
            let scope = try #require(try await userScope(harness))
            let group = scope["groups"]?.arrayValue?.first
            let clauses = group?["clauses"]?.arrayValue ?? []
            #expect(group?["name"]?.stringValue == "Sales only")
            #expect(clauses.first?["operatorName"]?.stringValue == "EQUALS")
            #expect(clauses.first?["sourceOperandName"]?.stringValue == "department")
            #expect(clauses.first?["targetOperand"]?["values"]?.arrayValue?.compactMap(\.stringValue) == ["Sales"])
            #expect(clauses.last?["targetOperand"]?["values"]?.arrayValue?.isEmpty == true)

            // Re-plan: nothing; the profile that says nothing keeps the filter (amend).
            await harness.clearLog()
            let (again, _) = try await harness.planner().plan(filtered)
            #expect(!again.hasChanges)
            let (silentPlan, _) = try await harness.planner().plan(silent)
            #expect(!silentPlan.hasChanges)
            #expect(await harness.writes().isEmpty)

            // Export writes the filter back, and planning the export changes nothing.
            let exported = try await ProfileExporter(graph: harness.client).export(
                servicePrincipalID: nil, displayName: silent.displayName, vendor: "Totalmobile")
            #expect(exported.yaml.contains("scopingFilters:"), "\(exported.yaml)")
            let reread = try #require(
                ProfileLoader.load(text: exported.yaml, file: "exported.yaml").profile?.resolve(parameters: [:]).0?
                    .applications.first)
            // Locations differ; compare what the filter says.
            let exportedClauses: [ScopingClause] = reread.users.scopingFilters?.first?.clauses ?? []
            #expect(reread.users.scopingFilters?.map(\.name) == ["Sales only"])
            #expect(exportedClauses.map(\.attribute) == ["department", "accountEnabled"])
            #expect(exportedClauses.map(\.operator) == [ScopingOperator.equals, .isTrue])
            #expect(exportedClauses.map(\.value) == ["Sales", nil])
            let (exportPlan, _) = try await harness.planner().plan(reread)
            #expect(exportPlan.scopingFilterChanges.isEmpty)

            // An empty list clears them.
            var cleared = silent
            cleared.users.scopingFilters = []
            let (clearPlan, clearLive) = try await harness.planner().plan(cleared)
            #expect(clearPlan.scopingFilterChanges.first?.hasSuffix("→ none") == true)
            _ = try await harness.applier(backups: backups, environment: environment).apply(clearPlan, live: clearLive)
            #expect(try await userScope(harness) == .null)
        }
    }
}
