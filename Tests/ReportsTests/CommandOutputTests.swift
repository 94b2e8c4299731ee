import Diagnostics
import Expressions
import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles
import Provisioning
import Reports
import Testing

/// What the executable writes, decided in the library: progress, report files, CI detection and wording.
@Suite("progress, report files and command wording, in process")
struct CommandOutputTests {
    /// Collects what a `ProgressDisplay` writes.
    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [String] = []
        var written: [String] { lock.withLock { parts } }
        func write(_ text: String) { lock.withLock { parts.append(text) } }
    }

    func event(_ kind: ProgressEvent.Kind, detail: String = "") -> ProgressEvent {
        ProgressEvent(application: "flosum", kind: kind, step: "write schema", detail: detail, seconds: kind == .finished ? 1.25 : nil)
    }

    @Test func progressRewritesItsLineOnlyWhenInteractive() {
        let terminal = Sink()
        let display = ProgressDisplay(interactive: true, write: terminal.write)
        display.report(event(.started))
        display.report(event(.finished))
        #expect(
            terminal.written == [
                ProgressRendering.clearLine + "  … flosum: write schema", ProgressRendering.clearLine,
                "  ✓ flosum: write schema (1.2s)\n",
            ])

        let log = Sink()
        let plain = ProgressDisplay(interactive: false, write: log.write)
        plain.report(event(.started))
        plain.report(event(.finished))
        plain.report(event(.detail, detail: "GET /jobs"))
        #expect(log.written == ["  ✓ flosum: write schema (1.2s)\n"], "no transient line and no detail without --verbose in a log")
        let verbose = Sink()
        ProgressDisplay(interactive: false, verbose: true, write: verbose.write).report(event(.detail, detail: "GET /jobs"))
        #expect(verbose.written == ["  · flosum: GET /jobs\n"])
    }

    @Test func simulationCountsAreThrottled() {
        let log = Sink()
        let plain = ProgressDisplay(interactive: false, write: log.write)
        for users in stride(from: 100, through: 25_000, by: 100) { plain.users(users, failing: 1) }
        #expect(log.written.count == 2, "a plain line every 10,000 users")
        #expect(log.written.first == "simulate: \(ProgressRendering.simulationCount(users: 10_000, failing: 1))\n")

        let terminal = Sink()
        let display = ProgressDisplay(interactive: true, write: terminal.write)
        for users in stride(from: 100, through: 2_000, by: 100) { display.users(users, failing: 0) }
        #expect(terminal.written.count == 4, "the transient count moves every 500 users")
        display.finish(users: 2_000, seconds: 3)
        #expect(terminal.written.suffix(2) == [ProgressRendering.clearLine, ProgressRendering.simulationDone(users: 2_000, seconds: 3) + "\n"])
    }

    @Test func colourOnlyOnATerminalThatWantsIt() {
        #expect(Style.allowed(onTerminal: true, environment: ["TERM": "xterm-256color"]))
        #expect(!Style.allowed(onTerminal: false, environment: [:]))
        #expect(!Style.allowed(onTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(Style.allowed(onTerminal: true, environment: ["NO_COLOR": ""]), "an empty NO_COLOR does not count")
        #expect(!Style.allowed(onTerminal: true, environment: ["TERM": "dumb"]))
    }

    @Test func ciEnvironmentPicksTheAnnotationFormat() {
        #expect(CIEnvironment(["GITHUB_ACTIONS": "true", "CI": "true"]).annotationFormat == .github)
        #expect(CIEnvironment(["TF_BUILD": "True"]).annotationFormat == .azureDevOps)
        #expect(CIEnvironment([:]).annotationFormat == .text)
        #expect(CIEnvironment(["CI": "1"]).isCI)
        #expect(!CIEnvironment(["TERM": "xterm"]).isCI)
        #expect(CIEnvironment(["GITHUB_STEP_SUMMARY": ""]).stepSummaryPath == nil)
    }

    @Test func reportFilesWriteAndAppendTheJobSummary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scimctl-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let report = directory.appendingPathComponent("plan.md").path
        try ReportFiles.write("# plan\n", to: report)
        #expect(try String(contentsOfFile: report, encoding: .utf8) == "# plan\n")
        #expect(throws: ReportFileError.self) { try ReportFiles.write("x", to: report + "/under-a-file.md") }

        let summary = directory.appendingPathComponent("summary.md").path
        FileManager.default.createFile(atPath: summary, contents: Data("before\n".utf8))
        let environment = CIEnvironment(["GITHUB_STEP_SUMMARY": summary])
        #expect(ReportFiles.appendToStepSummary("table", environment: environment) == nil)
        #expect(try String(contentsOfFile: summary, encoding: .utf8) == "before\ntable\n")
        #expect(ReportFiles.appendToStepSummary("x", environment: CIEnvironment([:])) == nil, "no summary outside Actions")
        let missing = CIEnvironment(["GITHUB_STEP_SUMMARY": directory.appendingPathComponent("no/such.md").path])
        #expect(ReportFiles.appendToStepSummary("x", environment: missing)?.hasPrefix("warning: cannot append to GITHUB_STEP_SUMMARY") == true)
    }

    @Test func remediesAreWordedWithTheCommandsOptions() {
        let ambiguous = ProvisioningError.ambiguousApplication("Flosum", ids: ["a", "b"])
        #expect(RemedyWording.describe(ambiguous) == String(describing: ambiguous) + "; pin one with --service-principal-id")
        #expect(RemedyWording.describe(ProvisioningError.notFound("x")) == String(describing: ProvisioningError.notFound("x")))
        #expect(
            RemedyWording.job(.resumeOrRestartFully, servicePrincipalID: "sp-1")
                == "run scimctl restart --service-principal-id sp-1 --reset-scope QuarantineState; if it returns, "
                + "scimctl restart --service-principal-id sp-1 --reset-scope Full")
    }

    @Test func inputProblemsNameTheOption() {
        #expect(
            InputProblemWording.profileInput(.unknownProfile("flosm", suggestion: "flosum", bundled: ["flosum", "eptura"]))
                == "no profile file or bundled profile named 'flosm'; did you mean 'flosum'? (bundled: flosum, eptura)")
        #expect(InputProblemWording.profileInput(.malformedParameter("region")) == "--param takes KEY=VALUE, not 'region'")
        #expect(
            InputProblemWording.directory(.isAFile, path: "out\u{1B}[2J", option: "--output")
                == "--output 'out\\u{1B}[2J' is a file, not a directory; nothing was written")
        #expect(
            InputProblemWording.fix(.readOnly(file: "a.yaml", fixes: 2))
                == "error: cannot apply 2 fixes to a.yaml: the file is read-only")
        #expect(InputProblemWording.graphSettings(.unknownCloud("mars")) == "unknown cloud 'mars'; use one of global, usgov, usgovdod, china")
        #expect(InputProblemWording.probeSettings(.unreadableCACertificate("ca.pem")) == "--cacert: cannot read 'ca.pem'")
    }

    @Test func policyProblemsSayWhichFileAndWhy() throws {
        #expect(InputProblemWording.policy(.notFound(file: "p\u{1B}.yaml")) == "--policy: no policy file 'p\\u{1B}.yaml'")
        #expect(InputProblemWording.policy(.notRegularFile(file: "fifo")) == "the policy file 'fifo' is not a regular file")
        #expect(InputProblemWording.policy(.unreadable(file: "a", discovered: false)) == "cannot read the policy file 'a'")
        #expect(
            InputProblemWording.policy(.unreadable(file: "a", discovered: true))
                == "cannot read the policy file 'a' (found next to the profile)")
        #expect(
            InputProblemWording.policy(.hasErrors(file: ".scimctl.yaml"))
                == "error: the policy file '.scimctl.yaml' has errors; nothing was checked")
        #expect(InputProblemWording.policy(.tooLarge(file: "big", diagnostics: [])) == nil)
        let locked = try #require(DiagnosticRegistry.rule("yaml.syntax"))
        let text = try #require(InputProblemWording.policy(.disable(.locked(locked))))
        #expect(text.hasPrefix("--disable: ") && text.contains("yaml.syntax"))
    }

    @Test func applyReportSaysWhatHappened() throws {
        let plan = try WorkflowRenderingTests().freshPlan()
        let quiet = ApplyRendering.report(.noChanges([plan])) { _ in "unused" }
        #expect(quiet.lines.isEmpty && !quiet.failed && quiet.statisticsSuffix == ", 0 writes")
        #expect(quiet.summaryMarkdown.hasPrefix("### 📝 scimctl apply:"))

        let dry = ApplyRendering.report(.dryRun([plan])) { _ in "unused" }
        #expect(dry.lines == ["dry run: nothing was written"] && dry.statisticsSuffix == nil)
        #expect(dry.summaryMarkdown.hasSuffix("Dry run: nothing was written.\n"))

        let failed = ApplyRendering.report(.applied([plan], [.failure(ProvisioningError.notFound("job"))])) { "said: \($0)" }
        #expect(failed.failed && failed.succeeded.isEmpty)
        #expect(failed.lines == ["error: said: \(ProvisioningError.notFound("job"))"])
        #expect(failed.summaryMarkdown.contains("❌ failed"))

        #expect(ApplyRendering.stopLine(.declined(ProvisioningError.notFound("x"))) == nil)
        #expect(
            ApplyRendering.stopLine(.lock(ProvisioningError.ambiguousApplication("A", ids: [])))?
                .hasSuffix("; pin one with --service-principal-id") == true)
        #expect(ApplyRendering.stopLine(.probeFailed) == "error: the vendor's SCIM endpoint failed the probe; nothing was written")
        #expect(ApplyRendering.stopLine(.probe(.transport("libcurl cannot start"))) == "error: libcurl cannot start")
    }

    @Test func failOnNamesEachJobInAFailingState() {
        let quarantined = StatusReader.status(
            of: ["id": "scim.1", "status": ["code": "Quarantine", "quarantine": ["reason": "EncounteredQuarantineException"]]],
            servicePrincipalID: "sp-1")
        let report = StatusReport(servicePrincipalID: "sp-1", displayName: "Flosum", jobs: [quarantined])
        #expect(
            DayTwoRendering.failOnLines([report], failing: [.quarantine, .warning])
                == ["error: job scim.1 of 'Flosum' is in state 'quarantine' (--fail-on)"])
        #expect(DayTwoRendering.failOnLines([report], failing: [.warning]).isEmpty)
    }

    @Test func formatsRenderTheSameReportsAsTheirRenderers() throws {
        let plan = try WorkflowRenderingTests().freshPlan()
        #expect(PlanRendering.render([plan], as: .markdown) == PlanRendering.markdown([plan]))
        #expect(PlanRendering.render([plan], as: .json) == PlanRendering.json([plan]).serialized(pretty: true) + "\n")
        #expect(PlanRendering.render([plan], as: .text) == PlanRendering.text([plan], style: Style(enabled: false)))
        #expect(ProgressRendering.statistics(.init(requestsSent: 1, connectionsOpened: 2)) == "1 request, 2 connections")
        let warning = GraphEvent.warning(CredentialWarning(message: "the certificate expires in 3 days"))
        #expect(ProgressRendering.graphEvent(warning, verbose: false) == "warning: the certificate expires in 3 days")
        #expect(ProgressRendering.graphEvent(warning, verbose: true) == "warning: the certificate expires in 3 days")
    }

    @Test func profileListShowsParametersAndApplications() throws {
        let profile = try #require(BundledProfiles.load(named: "flosum")?.profile)
        let lines = ProfileListRendering.text([("flosum", profile)]).split(separator: "\n").map(String.init)
        #expect(lines.first == "flosum  (Flosum)")
        #expect(lines.contains { $0.hasPrefix("  --param region=us|de|jp|au  the region of your Flosum tenant") })
        #expect(lines.last?.hasPrefix("  app ") == true)
        #expect(lines.count == 1 + profile.parameters.count + profile.applications.count)
    }

    /// An unsigned token with `claims` as its payload: enough for reading grants, which never verifies.
    static func token(_ claims: [String: Any]) throws -> String {
        func segment(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return segment(Data(#"{"alg":"none"}"#.utf8)) + "." + segment(try JSONSerialization.data(withJSONObject: claims)) + ".sig"
    }

    @Test func theFunctionListHasEveryFunctionAndSaysWhereOnesOutsideTheReferenceComeFrom() {
        let lines = ExpressionRendering.functionList(style: Style(enabled: false)).split(separator: "\n")
        #expect(lines.count == FunctionCatalog.all.count)
        #expect(lines.contains("Join(separator, source…) → String"))
        for function in FunctionCatalog.all where function.availability != .provisioning {
            #expect(lines.contains { $0.hasPrefix(function.synopsis) && $0.hasSuffix(")") && $0.contains("  (") }, "\(function.name)")
        }
        let json = ExpressionRendering.functionListJSON()["functions"]?.arrayValue
        #expect(json?.count == FunctionCatalog.all.count)
        #expect(json?.first { $0["name"]?.stringValue == "Switch" }?["maxArguments"] == .null)
    }

    @Test func permissionLinesNameWhatEachCommandLacks() throws {
        let readOnly = try Self.token(["roles": ["Synchronization.Read.All", "Application.Read.All"]])
        let lines = CredentialRendering.permissionLines(token: readOnly)
        #expect(lines.first == "roles: Application.Read.All, Synchronization.Read.All")
        #expect(lines.contains("validate: ok (offline, no permission needed)"))
        #expect(lines.contains("plan: ok"))
        #expect(lines.contains { $0.hasPrefix("apply: missing Synchronization.ReadWrite.All (to create, configure and start") })
        #expect(lines.contains("assignments: missing AppRoleAssignment.ReadWrite.All (to assign users and groups to the application)"))
        #expect(GraphPermissions.lacking([.plan, .apply, .logs], token: readOnly) == [.apply, .logs])
        #expect(GraphPermissions.lacking([.validate, .plan], token: readOnly).isEmpty)

        let delegated = try Self.token(["scp": "Application.ReadWrite.OwnedBy AuditLog.Read.All"])
        let delegatedLines = CredentialRendering.permissionLines(token: delegated)
        #expect(delegatedLines.prefix(2) == ["roles: none", "delegated scopes: Application.ReadWrite.OwnedBy, AuditLog.Read.All"])
        #expect(delegatedLines.last?.hasPrefix("note: Application.ReadWrite.OwnedBy covers only applications") == true)

        #expect(CredentialRendering.permissionLines(token: "opaque") == [
            "permissions: unknown (the token is not a JWT, so its roles cannot be read)"
        ])
        #expect(GraphPermissions.lacking([.plan], token: "opaque") == [.plan], "unreadable grants satisfy nothing")
        #expect(GraphPermissions.lacking([], token: "opaque").isEmpty)
    }
}
