import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The OASIS SARIF 2.1.0 schema (oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json), committed next
/// to these tests so they never need the network.
let sarifSchema: Result<JSONSchemaValidator, Error> = Result {
    let url = Repository.root.appendingPathComponent("Tests/ScimctlCLITests/Resources/sarif-schema-2.1.0.json")
    return JSONSchemaValidator(root: try JSONNode.parse(try String(contentsOf: url, encoding: .utf8)))
}

@Suite("SARIF that code scanning accepts")
struct SARIFReportTests {
    @Test func theValidatorRejectsBrokenSARIF() async throws {
        let validator = try sarifSchema.get()
        let good = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a%20b.yaml"}}}]}]}]}"#
        #expect(validator.violations(of: try JSONNode.parse(good)) == [])
        let wrongVersion = good.replacingOccurrences(of: "2.1.0", with: "2.0.0")
        #expect(!validator.violations(of: try JSONNode.parse(wrongVersion)).isEmpty)
        let noMessage = good.replacingOccurrences(of: #""message":{"text":"m"},"#, with: "")
        #expect(validator.violations(of: try JSONNode.parse(noMessage)).contains { $0.contains("'message'") })
        let rawSpace = good.replacingOccurrences(of: "a%20b.yaml", with: "a b.yaml")
        #expect(validator.violations(of: try JSONNode.parse(rawSpace)).contains { $0.contains("uri-reference") })
        let unknownProperty = good.replacingOccurrences(of: #""name":"x""#, with: #""name":"x","colour":"red""#)
        #expect(validator.violations(of: try JSONNode.parse(unknownProperty)).contains { $0.contains("'colour'") })
    }

    @Test func bundledProfilesValidateAgainstTheSchemaWithALocationOnEveryResult() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "--format", "sarif"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONNode.parse(result.stdout)
        #expect(try sarifSchema.get().violations(of: document) == [])
        let results = try #require(Self.results(document))
        // The vendor prerequisites are file-level notes; each must still point at its profile's first line.
        #expect(results.count >= 4)
        for result in results {
            let physical = try #require(Self.firstPhysicalLocation(result), "a result without a location: \(result)")
            #expect(physical["artifactLocation"]?["uri"] != nil)
            #expect(physical["region"]?["startLine"] != nil)
        }
        let prerequisite = try #require(results.first { $0["ruleId"] == .string("vendor.prerequisite") })
        let location = try #require(Self.firstPhysicalLocation(prerequisite))
        #expect(location["artifactLocation"]?["uri"] == .string("Profiles/flosum.yaml"))
        #expect(location["region"]?["startLine"] == .integer(1))
    }

    @Test func pathsArePercentEncodedAndRulesCarryFullMetadata() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("my profiles/broken #1.yaml", brokenProfile)
        try directory.write("my profiles/warn.yaml", warningProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "sarif", "my profiles"], in: directory.url)
        #expect(result.status == 1)
        let document = try JSONNode.parse(result.stdout)
        #expect(try sarifSchema.get().violations(of: document) == [])
        let results = try #require(Self.results(document))
        let unknown = try #require(results.first { $0["ruleId"] == .string("mapping.unknown-source") })
        let physical = try #require(Self.firstPhysicalLocation(unknown))
        #expect(physical["artifactLocation"]?["uri"] == .string("my%20profiles/broken%20%231.yaml"))
        #expect(physical["region"]?["startLine"] == .integer(11))
        #expect(physical["region"]?["startColumn"] == .integer(19))
        // The fix-it travels as a SARIF fix.
        #expect(unknown["fixes"] != nil)

        guard case .array(let runs) = document["runs"], case .array(let rules) = runs.first?["tool"]?["driver"]?["rules"]
        else { throw CLIExpectationFailure("no rules") }
        #expect(rules.count == 2)
        for rule in rules {
            for key in ["id", "name", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration", "properties"] {
                #expect(rule[key] != nil, "rule lacks \(key): \(rule)")
            }
        }
        let rule = try #require(rules.first { $0["id"] == .string("mapping.unknown-source") })
        #expect(rule["name"] == .string("MappingUnknownSource"))
        #expect(rule["shortDescription"]?["text"] == .string("A source attribute Entra ID users or groups do not have"))
        #expect(rule["defaultConfiguration"]?["level"] == .string("error"))
        // The descriptions are the registry's: the explanation, the example and how to disable the rule.
        guard case .string(let full) = rule["fullDescription"]?["text"], case .string(let help) = rule["help"]?["text"],
            case .string(let helpURI) = rule["helpUri"]
        else { throw CLIExpectationFailure("rule text missing") }
        #expect(full.contains("case-sensitive"))
        #expect(help.contains("source: mobile") && help.contains("--disable mapping.unknown-source"))
        #expect(helpURI.hasSuffix("docs/rules.md#mappingunknown-source"))
        let warningRule = try #require(rules.first { $0["id"] == .string("text.typographic-quote") })
        #expect(warningRule["defaultConfiguration"]?["level"] == .string("error"), "the registry's default, not the observed level")
    }

    /// Every rule id declared in the sources is listed by `scimctl rules`, and nothing else is.
    @Test func everyDeclaredRuleIdIsListedByScimctlRules() async throws {
        let sources = Repository.root.appendingPathComponent("Sources")
        let declaration = try NSRegularExpression(pattern: #"DiagnosticID = "([a-z0-9.-]+)""#)
        var ids: Set<String> = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.allObjects.compactMap { $0 as? String } ?? []
        for path in files where path.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            for match in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { ids.insert(String(text[range])) }
            }
        }
        #expect(ids.count > 100)
        let listed = try await Scimctl.run(["rules", "--format", "json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        guard case .array(let rules) = try JSONNode.parse(listed.stdout)["rules"] else {
            throw CLIExpectationFailure("no rules array")
        }
        let registered = Set(rules.compactMap { rule -> String? in
            if case .string(let id) = rule["id"] { return id }
            return nil
        })
        #expect(ids.subtracting(registered).sorted() == [], "declared but not in scimctl rules")
        #expect(registered.subtracting(ids).sorted() == [], "in scimctl rules but never declared")
    }

    static func results(_ document: JSONNode) -> [JSONNode]? {
        guard case .array(let runs) = document["runs"], case .array(let results) = runs.first?["results"] else { return nil }
        return results
    }

    static func firstPhysicalLocation(_ result: JSONNode) -> JSONNode? {
        guard case .array(let locations) = result["locations"] else { return nil }
        return locations.first?["physicalLocation"]
    }
}

@Suite("JUnit, Azure DevOps and Markdown reports")
struct CIFormatTests {
    func junitCounts(_ xml: String) throws -> (failures: String?, names: [String]) {
        let document = try XMLDocument(data: Data(xml.utf8))
        let suite = try document.nodes(forXPath: "//testsuite").first as? XMLElement
        let names = try document.nodes(forXPath: "//testcase").compactMap {
            ($0 as? XMLElement)?.attribute(forName: "name")?.stringValue
        }
        return (suite?.attribute(forName: "failures")?.stringValue, names)
    }

    @Test func junitFailuresAgreeWithTheExitCode() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("profiles/warn.yaml", warningProfile)
        let lenient = try await Scimctl.run(["validate", "mapping", "--format", "junit", "profiles"], in: directory.url)
        #expect(lenient.status == 0)
        #expect(try junitCounts(lenient.stdout).failures == "0")
        let strict = try await Scimctl.run(["validate", "mapping", "--format", "junit", "--strict", "profiles"], in: directory.url)
        #expect(strict.status == 1)
        #expect(try junitCounts(strict.stdout).failures == "1")
        #expect(strict.stdout.contains("warnings (--strict)"))
    }

    @Test func junitCaseNamesAreUniqueRelativePaths() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("a/example.yaml", brokenProfile)
        try directory.write("b/example.yaml", warningProfile)
        let absolute = directory.url.appendingPathComponent("a/example.yaml").path
        let result = try await Scimctl.run(
            ["validate", "mapping", "--format", "junit", "a/example.yaml", "b", absolute], in: directory.url)
        #expect(result.status == 1)
        let names = try junitCounts(result.stdout).names
        #expect(names == ["a/example.yaml", "b/example.yaml", "a/example.yaml #2"])
    }

    @Test func azureDevOpsLoggingCommands() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("broken.yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "azure-devops", "broken.yaml"], in: directory.url)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix("##vso[task.logissue type=error;sourcepath=broken.yaml;linenumber=11;columnnumber=19;code=mapping.unknown-source]")
                    && $0.contains("'Mobile'")
            }, "\(result.stdout)")
        #expect(lines.last?.hasPrefix("##vso[task.complete result=Failed;]") == true)

        try directory.write("warn.yaml", warningProfile)
        let warned = try await Scimctl.run(["validate", "mapping", "--format", "azure-devops", "warn.yaml"], in: directory.url)
        #expect(warned.status == 0)
        #expect(warned.stdout.contains("##vso[task.logissue type=warning;sourcepath=warn.yaml;"))
        #expect(warned.stdout.contains("##vso[task.complete result=SucceededWithIssues;]"))
        let strict = try await Scimctl.run(["validate", "mapping", "--format", "azure-devops", "--strict", "warn.yaml"], in: directory.url)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("##vso[task.logissue type=error;sourcepath=warn.yaml;"))
        #expect(strict.stdout.contains("##vso[task.complete result=Failed;]"))
    }

    @Test func azureDevOpsEscapesCommandSyntaxInValues() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("odd;name].yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "azure-devops", "odd;name].yaml"], in: directory.url)
        #expect(result.stdout.contains("sourcepath=odd%3Bname%5D.yaml;"), "\(result.stdout)")
    }

    @Test func outputFileKeepsAnnotationsOnStdoutAndSummaryGoesToTheJob() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("broken.yaml", brokenProfile)
        let summary = try directory.write("summary.md", "# earlier step\n")
        let result = try await Scimctl.run(
            ["validate", "mapping", "broken.yaml", "--format", "sarif", "--output", "scimctl.sarif"], in: directory.url,
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("::error file=broken.yaml,line=11,col=19,title=mapping.unknown-source::"))
        let sarif = try String(contentsOf: directory.url.appendingPathComponent("scimctl.sarif"), encoding: .utf8)
        #expect(try sarifSchema.get().violations(of: try JSONNode.parse(sarif)) == [])
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        #expect(markdown.hasPrefix("# earlier step\n"), "the summary is appended to, never replaced")
        #expect(markdown.contains("scimctl validate: 1 profile, 1 error, 0 warnings"))
        #expect(markdown.contains("| error | `broken.yaml:11:19` | `mapping.unknown-source` |"))

        let azure = try await Scimctl.run(
            ["validate", "mapping", "broken.yaml", "--format", "junit", "--output", "junit.xml"], in: directory.url,
            environment: ["TF_BUILD": "True"])
        #expect(azure.stdout.contains("##vso[task.logissue type=error;"))
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("junit.xml").path))
    }

    @Test func unwritableOutputFails() async throws {
        let directory = try TemporaryDirectory()
        let result = try await Scimctl.run(
            ["validate", "mapping", "flosum", "--format", "sarif", "--output", "no/such/dir/x.sarif"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot write --output 'no/such/dir/x.sarif'"))
    }

    @Test func markdownEscapesTableSyntax() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("p.yaml", brokenProfile.replacingOccurrences(of: "source: Mobile", with: "source: Mob|ile"))
        let result = try await Scimctl.run(["validate", "mapping", "--format", "markdown", "p.yaml"], in: directory.url)
        #expect(result.status == 1)
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("| error") }
        #expect(!rows.isEmpty)
        for row in rows {
            // Exactly the four cells' borders: an unescaped pipe in the message would add a column.
            let borders = row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(borders == 5, "\(row)")
        }
    }
}

@Suite("exit codes")
struct ExitCodeTests {
    @Test func badParameterValuesAreUsageErrors() async throws {
        let validate = try await Scimctl.run(["validate", "mapping", "flosum", "--param", "region=xx"])
        #expect(validate.status == 64, "\(validate.stdout)")
        #expect(validate.stdout.contains("[param.value]"))
        let render = try await Scimctl.run(["render", "profile", "flosum", "--param", "region=xx"])
        #expect(render.status == 64)
        #expect(render.stderr.contains("not an allowed value of parameter 'region'"))
        let unknown = try await Scimctl.run(["render", "profile", "flosum", "--param", "regoin=us"])
        #expect(unknown.status == 64)
        let plan = try await Scimctl.run(
            ["plan", "profile", "flosum", "--param", "region=xx", "--graph-url", "http://127.0.0.1:9"],
            environment: ["SCIMCTL_ACCESS_TOKEN": "unused"])
        #expect(plan.status == 64)
    }

    @Test func aBrokenProfileIsStillAFinding() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let render = try await Scimctl.run(["render", "profile", file.path])
        #expect(render.status == 1)
    }

    @Test func unreadableCACertificateIsAUsageError() async throws {
        let result = try await Scimctl.run(
            ["status", "--service-principal-id", "x", "--cacert", "/nonexistent/ca.pem"],
            environment: ["SCIMCTL_ACCESS_TOKEN": "unused"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--cacert"))
    }

    @Test func aUsageErrorFoundWhileRunningShowsThatCommandsUsage() async throws {
        let planned = try await Scimctl.run(["plan", "profile", "flosum", "--param", "region=de", "--app", "nope"])
        #expect(planned.status == 64)
        #expect(planned.stderr.contains("Error: profile 'flosum' has no application 'nope' (it has: flosum)\n"))
        #expect(planned.stderr.contains("Usage: scimctl plan profile "), "\(planned.stderr)")
        #expect(planned.stderr.contains("See 'scimctl plan profile --help'"))
        let explained = try await Scimctl.run(["explain", "mapping.unknown-sourc"])
        #expect(explained.status == 64)
        #expect(explained.stderr.contains("See 'scimctl explain --help'"), "\(explained.stderr)")
    }

    @Test func unknownResetScopeIsAUsageErrorBeforeAnyRequest() async throws {
        for scopes in ["Quarantine", "Watermark,", ""] {
            let result = try await Scimctl.run(
                ["restart", "--service-principal-id", "x", "--reset-scope", scopes, "--graph-url", "http://127.0.0.1:9"],
                environment: ["SCIMCTL_ACCESS_TOKEN": "unused"])
            #expect(result.status == 64, "\(scopes): \(result.stderr)")
            #expect(result.stderr.contains("--reset-scope"), "\(result.stderr)")
        }
        let suggested = try await Scimctl.run(["restart", "--service-principal-id", "x", "--reset-scope", "QuarantineStat"])
        #expect(suggested.stderr.contains("QuarantineState"))
    }

    @Test func unknownFailOnStateIsAUsageError() async throws {
        let result = try await Scimctl.run(["status", "--service-principal-id", "x", "--fail-on", "quarantine,sadness"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("sadness"))
    }
}

@Suite("plan, apply and status in CI, against the graph-emulator executable", .serialized)
struct CIEmulatorTests {
    /// Calls one of the emulator's control endpoints with curl (loopback only).
    func control(_ emulator: RunningEmulator, _ method: String, _ path: String, body: String? = nil) async throws -> String {
        var arguments = ["-sS", "--fail", "-X", method, emulator.url + path]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try await Scimctl.runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["curl"] + arguments, directory: nil,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"], timeout: .seconds(60))
        guard result.status == 0 else { throw CLIExpectationFailure("curl \(method) \(path): \(result.stderr)") }
        return result.stdout
    }

    @Test func planMarkdownOutputFileAndJobSummaries() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let summary = try directory.write("summary.md", "")
            let environment = [
                "SCIMCTL_ACCESS_TOKEN": emulator.token, "FLOSUM_SCIM_TOKEN": "ci-canary-vendor-token",
                "GITHUB_STEP_SUMMARY": summary.path,
            ]
            let target = ["flosum", "--param", "region=au", "--graph-url", emulator.url]
            // Flosum's guide configures the app made for single sign-on: it exists before the plan.
            try await emulator.createExistingApplication(displayName: "Flosum")

            let markdown = try await Scimctl.run(["plan", "profile"] + target + ["--format", "markdown"], environment: environment)
            #expect(markdown.status == 0, "\(markdown.stderr)")
            #expect(markdown.stdout.hasPrefix("### 📝 scimctl plan: 1 of 1 application to change\n"))
            #expect(markdown.stdout.contains("```diff\n= enterprise application found: "))
            #expect(markdown.stdout.contains("+ create provisioning job (template scim)"))

            let planFile = directory.url.appendingPathComponent("plan.json").path
            let toFile = try await Scimctl.run(
                ["plan", "profile"] + target + ["--format", "json", "--output", planFile, "--detailed-exitcode"],
                environment: environment)
            #expect(toFile.status == 2)
            #expect(toFile.stdout.contains("+ create provisioning job"), "stdout keeps the text plan")
            let plan = try jsonObject(try String(contentsOfFile: planFile, encoding: .utf8))
            #expect(plan["changes"] as? Bool == true)

            let apply = try await Scimctl.run(["apply", "profile"] + target + ["--yes"], environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            let written = try String(contentsOf: summary, encoding: .utf8)
            #expect(written.components(separatedBy: "### 📝 scimctl plan:").count == 3, "two plans appended")
            #expect(written.contains("### 📝 scimctl apply:"))
            #expect(written.contains("| `flosum` | ✅ done |"))
            #expect(!written.contains("ci-canary-vendor-token") && !written.contains(emulator.token))
        }
    }

    @Test func statusFailOnQuarantine() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "FLOSUM_SCIM_TOKEN": "ci-canary-vendor-token"]
            let target = ["flosum", "--param", "region=us", "--graph-url", emulator.url]
            try await emulator.createExistingApplication(displayName: "Flosum")
            let apply = try await Scimctl.run(["apply", "profile"] + target + ["--yes"], environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")

            let healthy = try await Scimctl.run(["status"] + target + ["--fail-on", "quarantine,failure,warning"], environment: environment)
            #expect(healthy.status == 0, "\(healthy.stdout)\(healthy.stderr)")

            // Quarantine the job in the emulator's tenant, as the service does after rejected credentials.
            let state = try JSONSerialization.jsonObject(with: Data(try await control(emulator, "GET", "/_emulator/state").utf8))
            guard var tenant = state as? [String: Any], var jobs = tenant["jobs"] as? [[String: Any]], !jobs.isEmpty else {
                throw CLIExpectationFailure("no jobs in the emulator state")
            }
            jobs[0]["statusCode"] = "Quarantine"
            tenant["jobs"] = jobs
            let body = String(decoding: try JSONSerialization.data(withJSONObject: tenant), as: UTF8.self)
            _ = try await control(emulator, "PUT", "/_emulator/state", body: body)

            let plain = try await Scimctl.run(["status"] + target, environment: environment)
            #expect(plain.status == 0, "without --fail-on, status only reports")
            #expect(plain.stdout.contains("Quarantine"))
            let onWarning = try await Scimctl.run(["status"] + target + ["--fail-on", "warning"], environment: environment)
            #expect(onWarning.status == 0, "\(onWarning.stderr)")
            let onQuarantine = try await Scimctl.run(["status"] + target + ["--fail-on", "failure,quarantine"], environment: environment)
            #expect(onQuarantine.status == 1)
            #expect(onQuarantine.stderr.contains("is in state 'quarantine' (--fail-on)"))
        }
    }
}

@Suite("auth check: the token's Graph permissions")
struct AuthPermissionTests {
    static let signature = "c2lnbmF0dXJlLW5ldmVyLXNob3du"

    /// An unsigned-looking JWT with these claims (scimctl only reads the payload; Graph verifies tokens).
    static func token(_ claims: [String: Any]) throws -> String {
        func encode(_ object: [String: Any]) throws -> String {
            try JSONSerialization.data(withJSONObject: object).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        var payload = claims
        payload["exp"] = Int(Date().timeIntervalSince1970) + 3600
        return try encode(["alg": "RS256", "typ": "JWT"]) + "." + encode(payload) + "." + signature
    }

    func check(_ token: String, _ extra: [String] = []) async throws -> ProcessResult {
        try await Scimctl.run(["auth", "check", "--graph-url", "http://127.0.0.1:9"] + extra, environment: ["SCIMCTL_ACCESS_TOKEN": token])
    }

    @Test func readOnlyRolesAllowPlanButNotApply() async throws {
        let token = try Self.token(["roles": ["Application.Read.All", "Synchronization.Read.All"]])
        let plain = try await check(token)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("roles: Application.Read.All, Synchronization.Read.All\n"))
        #expect(plain.stdout.contains("plan: ok\n"))
        #expect(plain.stdout.contains("apply: missing Synchronization.ReadWrite.All"))
        #expect(plain.stdout.contains("assignments: missing AppRoleAssignment.ReadWrite.All"))
        let forPlan = try await check(token, ["--for", "plan"])
        #expect(forPlan.status == 0)
        let forApply = try await check(token, ["--for", "plan", "--for", "apply"])
        #expect(forApply.status == 1)
        #expect(forApply.stderr.contains("every permission that apply needs"), "only the command that lacks one is named")
        for result in [plain, forPlan, forApply] {
            #expect(!result.stdout.contains(Self.signature) && !result.stderr.contains(Self.signature))
            #expect(!result.stdout.contains(token) && !result.stderr.contains(token))
        }
    }

    @Test func writeRolesAllowApplyAndOwnedByIsExplained() async throws {
        let full = try Self.token(["roles": ["Application.Read.All", "Synchronization.ReadWrite.All", "Application.ReadWrite.All"]])
        #expect(try await check(full, ["--for", "apply"]).status == 0)
        let owned = try await check(try Self.token(["roles": ["Application.ReadWrite.OwnedBy"]]), ["--for", "apply"])
        #expect(owned.status == 1, "finding existing apps by name needs Application.Read.All")
        #expect(owned.stdout.contains("note: Application.ReadWrite.OwnedBy covers only applications this identity owns"))
    }

    @Test func delegatedScopesCountAndOpaqueTokensCannotBeConfirmed() async throws {
        let delegated = try Self.token(["scp": "Application.Read.All Synchronization.ReadWrite.All"])
        let result = try await check(delegated, ["--for", "plan"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("roles: none\ndelegated scopes: Application.Read.All, Synchronization.ReadWrite.All\n"))
        let opaque = try await check("opaque-token-value-1234", ["--for", "validate"])
        #expect(opaque.status == 1)
        #expect(opaque.stdout.contains("permissions: unknown"))
        #expect(try await check("opaque-token-value-1234").status == 0)
        #expect(try await check(delegated, ["--for", "everything"]).status == 64)
    }
}
