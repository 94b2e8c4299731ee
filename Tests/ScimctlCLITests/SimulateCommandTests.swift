import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("scimctl simulate", .serialized)
struct SimulateCommandTests {
    static let telemessage = ["simulate", "telemessage", "--param", "manager=Jane Doe"]

    static func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func generatedDirectoryThroughTheEmulatorGivesTheDocumentedJSONShape() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory, extraArguments: ["--users", "3000"]) { emulator in
            let result = try await Scimctl.run(
                Self.telemessage + ["--scope", "all", "--graph-url", emulator.url, "--format", "json"],
                environment: ["SCIMCTL_ACCESS_TOKEN": emulator.token])
            #expect(result.status == 1, "some generated users fail: \(result.stderr)")
            let document = try Self.jsonObject(result.stdout)
            #expect(Set(document.keys) == ["summary", "failures"])
            let summary = try #require(document["summary"] as? [String: Any])
            #expect(Set(summary.keys) == ["users", "failing", "byReason"])
            let failures = try #require(document["failures"] as? [[String: Any]])
            #expect(summary["failing"] as? Int == failures.count)
            // 3,000 generated plus the sample user, minus the disabled ones.
            #expect(summary["users"] as? Int == 3_001 - (0..<3_000).filter { $0 % 71 == 3 }.count)
            let byReason = try #require(summary["byReason"] as? [String: Int])
            #expect(Set(byReason.keys) == ["simulate.matching-attribute-empty", "preview.format-international-digits", "simulate.duplicate-matching-value"])
            for failure in failures {
                #expect(Set(failure.keys) == ["user", "id", "findings"])
                let findings = try #require(failure["findings"] as? [[String: Any]])
                #expect(!findings.isEmpty)
                for finding in findings { #expect(Set(finding.keys) == ["id", "target", "message"]) }
            }
            #expect(!result.stderr.contains(emulator.token))
        }
    }

    @Test func textAndMarkdownGroupFindingsByReason() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory, extraArguments: ["--users", "1200"]) { emulator in
            let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "CI": "true"]
            let text = try await Scimctl.run(Self.telemessage + ["--scope", "all", "--graph-url", emulator.url], environment: environment)
            #expect(text.status == 1)
            #expect(text.stdout.contains("users would fail"))
            #expect(text.stdout.contains("simulate.matching-attribute-empty ("))
            #expect(text.stdout.contains("… and "))
            #expect(text.stderr.contains("users read in"))

            let report = directory.url.appendingPathComponent("report.md").path
            let markdown = try await Scimctl.run(
                Self.telemessage + ["--scope", "all", "--graph-url", emulator.url, "--format", "markdown", "--output", report],
                environment: environment)
            #expect(markdown.status == 1)
            #expect(markdown.stdout.isEmpty, "the report goes to the file")
            let written = try String(contentsOfFile: report, encoding: .utf8)
            #expect(written.hasPrefix("## scimctl simulate: telemessage"))
            #expect(written.contains("| `preview.format-international-digits` |"))
        }
    }

    @Test func assignedScopeWithoutTheAppIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory, extraArguments: ["--users", "10"]) { emulator in
            let result = try await Scimctl.run(
                Self.telemessage + ["--graph-url", emulator.url], environment: ["SCIMCTL_ACCESS_TOKEN": emulator.token])
            #expect(result.status == 1)
            #expect(result.stderr.contains("TeleMessage (Jane Doe)"))
            #expect(result.stderr.contains("--scope all"))
        }
    }

    /// PUT to an emulator control endpoint; returns the status.
    static func put(_ url: String, _ body: String) async throws -> Int {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = "PUT"
        request.httpBody = Data(body.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test func assignedScopeReadsTheAppsUsersAndGroups() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(
            directory: directory,
            extraArguments: ["--users", "200", "--token-optional-host", "provisioning-gateway-service-charlie.kapi.telemessage.com"]) { emulator in
            let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token]
            let apply = try await Scimctl.run(
                ["apply", "profile", "telemessage", "--param", "manager=Jane Doe", "--graph-url", emulator.url, "--yes", "--no-start",
                 "--format", "json", "--backup-dir", directory.url.appendingPathComponent("backups").path],
                environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            let applications = try #require(try Self.jsonObject(apply.stdout)["applications"] as? [[String: Any]])
            let servicePrincipal = try #require(applications.first?["servicePrincipalId"] as? String)
            // Generated user ids end in their position: user 13 has no mobile number, user 7 a formatted one.
            func user(_ position: Int) -> String { String(format: "00000000-0000-4000-8000-%012x", position) }
            let body = """
                {"generatedUsers": 200, "groups": [{"id": "g-outer", "members": ["g-inner", "\(user(13))"]},
                                                   {"id": "g-inner", "members": ["\(user(7))", "\(user(8))"]}],
                 "assignments": [{"servicePrincipalId": "\(servicePrincipal)", "principalId": "\(user(1))", "principalType": "User"},
                                 {"servicePrincipalId": "\(servicePrincipal)", "principalId": "g-outer", "principalType": "Group"}]}
                """
            #expect(try await Self.put(emulator.url + "/_emulator/directory", body) == 200)

            let result = try await Scimctl.run(
                Self.telemessage + ["--graph-url", emulator.url, "--format", "json"], environment: environment)
            #expect(result.status == 1, "\(result.stderr)")
            let document = try Self.jsonObject(result.stdout)
            let summary = try #require(document["summary"] as? [String: Any])
            #expect(summary["users"] as? Int == 4, "users 1, 7, 8 and 13 (nested group included), nobody else")
            let failures = try #require(document["failures"] as? [[String: Any]])
            #expect(failures.compactMap { $0["id"] as? String } == [user(7), user(13)])
        }
    }

    @Test func sourceAttributesGraphCannotGiveAreNamed() async throws {
        let directory = try TemporaryDirectory()
        let text = try Repository.profileText("telemessage").replacingOccurrences(
            of: "        - target: externalId\n          source: mobile\n",
            with: "        - target: externalId\n          source: mobile\n"
                + "        - target: roles[primary eq \"True\"].value\n          expression: SingleAppRoleAssignment([appRoleAssignments])\n")
        #expect(text.contains("SingleAppRoleAssignment"))
        let profile = try directory.write("roles.yaml", text).path
        try await withRunningEmulator(directory: directory, extraArguments: ["--users", "3"]) { emulator in
            let result = try await Scimctl.run(
                ["simulate", profile, "--param", "manager=Jane Doe", "--scope", "all", "--graph-url", emulator.url],
                environment: ["SCIMCTL_ACCESS_TOKEN": emulator.token])
            #expect(result.stderr.contains("warning: source attribute 'appRoleAssignments' cannot be read from Graph"), "\(result.stderr)")
            #expect(result.stdout.contains("'appRoleAssignments' is not readable from Graph"))
        }
    }

    @Test func jsonLinesFileOffline() async throws {
        let directory = try TemporaryDirectory()
        let users = try directory.write(
            "users.jsonl",
            """
            {"id":"u1","userPrincipalName":"ana@contoso.example","mobilePhone":"441234567890","mail":"ana@contoso.example","accountEnabled":true}
            {"id":"u2","userPrincipalName":"ben@contoso.example","mobilePhone":"+44 1234 567891","accountEnabled":true}

            {"id":"u3","userPrincipalName":"eva@contoso.example","mobile":"441234567890","accountEnabled":true}
            {"id":"u4","userPrincipalName":"off@contoso.example","accountEnabled":false}
            """
        ).path
        let result = try await Scimctl.run(Self.telemessage + ["--users", users, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let document = try Self.jsonObject(result.stdout)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["users"] as? Int == 3)
        #expect(summary["failing"] as? Int == 3)
        #expect(
            summary["byReason"] as? [String: Int]
                == ["simulate.duplicate-matching-value": 2, "preview.format-international-digits": 1])
        let failures = try #require(document["failures"] as? [[String: Any]])
        #expect(failures.map { $0["user"] as? String } == ["ana@contoso.example", "ben@contoso.example", "eva@contoso.example"])
        let ben = try #require(failures[1]["findings"] as? [[String: Any]])
        #expect(ben.map { $0["target"] as? String } == ["userName", "externalId"])

        let clean = try directory.write(
            "clean.jsonl", #"{"id":"u1","userPrincipalName":"ana@contoso.example","mobilePhone":"441234567890"}"# + "\n").path
        let passed = try await Scimctl.run(Self.telemessage + ["--users", clean])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout.contains("no user would fail"))
    }

    @Test func brokenInputAndUsageErrors() async throws {
        let directory = try TemporaryDirectory()
        let broken = try directory.write("broken.jsonl", "{\"id\":\"u1\"}\n{\"id\": \n").path
        let bad = try await Scimctl.run(Self.telemessage + ["--users", broken])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("broken.jsonl:2:"), "\(bad.stderr)")

        let noID = try directory.write("noid.jsonl", "[1,2]\n").path
        let array = try await Scimctl.run(Self.telemessage + ["--users", noID])
        #expect(array.status == 1)
        #expect(array.stderr.contains("noid.jsonl:1: each line must be one JSON object"))

        let missing = try await Scimctl.run(Self.telemessage + ["--users", directory.url.appendingPathComponent("none.jsonl").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read"))

        #expect(try await Scimctl.run(Self.telemessage + ["--format", "yaml"]).status == 64)
        let twoApps = try await Scimctl.run(["simulate", "andmoney", "--param", "environment=test", "--users", broken])
        #expect(twoApps.status == 64, "\(twoApps.stderr)")
        #expect(twoApps.stderr.contains("--app"))
    }
}
