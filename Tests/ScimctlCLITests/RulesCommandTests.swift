import Foundation
import TestSupport
import Testing

/// Totalmobile's bundled profile with one finding a policy may disable: a vendor rule it does not meet.
let profileWithADisableableError: String = {
    let bundled = (try? String(contentsOf: Repository.root.appendingPathComponent("Profiles/totalmobile.yaml"), encoding: .utf8)) ?? ""
    return bundled + "rules:\n  requiredUserTargets: [nickName]\n"
}()

@Suite("scimctl rules and explain")
struct RulesCommandTests {
    @Test func rulesListsEveryAreaAndMarksLockedRules() async throws {
        let result = try await Scimctl.run(["rules"])
        #expect(result.status == 0, "\(result.stderr)")
        for line in ["Mapping expressions:", "Vendor SCIM endpoint (probe):", "Policy file:"] {
            #expect(result.stdout.contains(line))
        }
        let lines = result.stdout.split(separator: "\n")
        let syntax = try #require(lines.first { $0.contains(" yaml.syntax ") })
        #expect(syntax.contains("error") && syntax.contains("!"))
        let assignments = try #require(lines.first { $0.contains(" profile.no-assignments ") })
        #expect(assignments.contains("warning") && !assignments.contains("!"))
    }

    @Test func explainPrintsOneRuleInFull() async throws {
        let result = try await Scimctl.run(["explain", "mapping.unknown-source"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("mapping.unknown-source (error): A source attribute"))
        #expect(result.stdout.contains("Example:\n    - target: phoneNumbers"))
        #expect(result.stdout.contains("Fixed:\n"))
        #expect(result.stdout.contains("--disable mapping.unknown-source"))
        let locked = try await Scimctl.run(["explain", "yaml.syntax"])
        #expect(locked.stdout.contains("Always on:"))
    }

    @Test func explainingAnUnknownIdIsAUsageErrorWithASuggestion() async throws {
        let result = try await Scimctl.run(["explain", "mapping.unknwn-source"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown rule 'mapping.unknwn-source'; did you mean 'mapping.unknown-source'?"))
        let hostile = try await Scimctl.run(["explain", "x\u{1B}]0;owned\u{7}"])
        #expect(hostile.status == 64)
        #expect(!hostile.stderr.contains("\u{1B}"), "control characters are escaped")
    }

    /// docs/rules.md is generated (`make rules-doc`); a change to the registry must regenerate it.
    @Test func committedRulesDocumentIsCurrent() async throws {
        let result = try await Scimctl.run(["rules", "--format", "markdown"])
        #expect(result.status == 0)
        let committed = try String(contentsOf: Repository.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(committed == result.stdout, "docs/rules.md is stale: run `make rules-doc`")
        #expect(committed.contains("### `mapping.unknown-source`"))
    }
}

@Suite("Diagnostics policy on the command line")
struct PolicyCommandTests {
    @Test func disablingAnUnknownRuleIsAUsageError() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "--disable", "profile.no-assignment", "flosum"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown rule 'profile.no-assignment'; did you mean 'profile.no-assignments'?"))
        let render = try await Scimctl.run(["render", "profile", "flosum", "--param", "region=de", "--disable", "nope"])
        #expect(render.status == 64)
        #expect(render.stderr.contains("unknown rule 'nope'"))
    }

    @Test func disablingALockedRuleIsAUsageErrorThatSaysWhy() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "--disable", "mapping.duplicate-target", "flosum"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("rule 'mapping.duplicate-target' cannot be disabled"))
        #expect(result.stderr.contains("Graph"))
    }

    @Test func disablingTypographicQuotesSilencesTheWarningsButNotTheErrors() async throws {
        let directory = try TemporaryDirectory()
        let warned = try directory.write("warn.yaml", warningProfile)
        let silenced = try await Scimctl.run(
            ["validate", "mapping", "--strict", "--disable", "text.typographic-quote", warned.path], in: directory.url)
        #expect(silenced.status == 0, "\(silenced.stdout)")
        let broken = try directory.write(
            "target.yaml", warningProfile.replacingOccurrences(of: "target: displayName", with: "target: emails[type eq “work”].value"))
        let stillFails = try await Scimctl.run(["validate", "mapping", "--disable", "text.typographic-quote", broken.path], in: directory.url)
        #expect(stillFails.status == 1, "\(stillFails.stdout)")
        #expect(stillFails.stdout.contains("error: typographic quote"))
    }

    @Test func thePolicyFileNextToTheProfileRulesValidateAndRenderAlike() async throws {
        let directory = try TemporaryDirectory()
        let profile = try directory.write("profiles/tm.yaml", profileWithADisableableError)
        let validateArguments = ["validate", "mapping", profile.path]
        let renderArguments = ["render", "profile", profile.path, "--param", "customer=contoso"]

        // Without a policy both refuse the profile for the vendor rule.
        let refused = try await Scimctl.run(validateArguments, in: directory.url)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("[vendor.required-target]"))
        let refusedRender = try await Scimctl.run(renderArguments, in: directory.url)
        #expect(refusedRender.status == 1)
        #expect(refusedRender.stderr.contains("[vendor.required-target]"))

        // The policy sits next to the profile; both commands find it from any working directory.
        try directory.write("profiles/.scimctl.yaml", "disable: [vendor.required-target]\n")
        let elsewhere = try TemporaryDirectory()
        let passed = try await Scimctl.run(validateArguments, in: elsewhere.url)
        #expect(passed.status == 0, "\(passed.stdout)")
        #expect(!passed.stdout.contains("vendor.required-target"))
        let rendered = try await Scimctl.run(renderArguments, in: elsewhere.url)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(!rendered.stderr.contains("vendor.required-target"))

        // A severity override raises the no-assignments warning to an error, for both.
        try directory.write(
            "profiles/.scimctl.yaml", "disable: [vendor.required-target]\nseverity:\n  profile.no-assignments: error\n")
        #expect(try await Scimctl.run(validateArguments, in: elsewhere.url).status == 1)
        let strictRender = try await Scimctl.run(renderArguments, in: elsewhere.url)
        #expect(strictRender.status == 1)
        #expect(strictRender.stderr.contains("error: application 'totalmobile'"))
    }

    @Test func anExplicitPolicyWinsOverTheNearestOne() async throws {
        let directory = try TemporaryDirectory()
        let profile = try directory.write("tm.yaml", profileWithADisableableError)
        try directory.write(".scimctl.yaml", "disable: [vendor.required-target]\n")
        let other = try directory.write("strict.yaml", "disable: []\n")
        #expect(try await Scimctl.run(["validate", "mapping", profile.path], in: directory.url).status == 0)
        #expect(try await Scimctl.run(["validate", "mapping", profile.path, "--policy", other.path], in: directory.url).status == 1)
        // --disable adds to the file.
        let flagged = try await Scimctl.run(
            ["validate", "mapping", profile.path, "--policy", other.path, "--disable", "vendor.required-target"],
            in: directory.url)
        #expect(flagged.status == 0, "\(flagged.stdout)")
        let missing = try await Scimctl.run(["validate", "mapping", profile.path, "--policy", "nowhere.yaml"], in: directory.url)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("no policy file 'nowhere.yaml'"))
    }

    @Test func brokenOrHostilePolicyFilesStopTheCommandWithExit64() async throws {
        let cases: [(String, [UInt8], String)] = [
            ("unknown rule", Array("disable: [profile.no-assignment]\n".utf8), "[policy.unknown-rule]"),
            ("locked rule", Array("disable: [yaml.syntax]\n".utf8), "[policy.locked-rule]"),
            ("bad shape", Array("- profile.no-assignments\n".utf8), "[policy.invalid]"),
            ("unknown key", Array("disabled: []\n".utf8), "did you mean 'disable'?"),
            ("YAML error", Array("disable: [a\n".utf8), "[yaml.syntax]"),
            ("binary", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01], "[file.binary]"),
            ("deep", Array(String(repeating: "[", count: 50_000).utf8), "[yaml.too-deep]"),
            ("huge", Array(repeating: UInt8(ascii: "#"), count: 70_000), "[file.too-large]"),
        ]
        for (name, bytes, expected) in cases {
            let directory = try TemporaryDirectory()
            let profile = try directory.write("tm.yaml", profileWithADisableableError)
            try Data(bytes).write(to: directory.url.appendingPathComponent(".scimctl.yaml"))
            for arguments in [["validate", "mapping", profile.path], ["render", "profile", profile.path, "--param", "customer=x"]] {
                let result = try await Scimctl.run(arguments, in: directory.url)
                #expect(result.status == 64, "\(name): \(arguments[0]) exited \(result.status): \(result.stderr)")
                #expect(result.stderr.contains(expected), "\(name): \(result.stderr)")
                #expect(result.stderr.contains(".scimctl.yaml"), "\(name): the file is named")
            }
        }
    }
}

@Suite("validate and apply share one policy", .serialized)
struct PolicyApplyTests {
    @Test func aProfileThatValidatesUnderThePolicyIsNotRefusedByPlanOrApply() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let profile = try directory.write("profiles/tm.yaml", profileWithADisableableError)
            let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "TOTALMOBILE_SCIM_TOKEN": "policy-vendor-token"]
            let target = [profile.path, "--param", "customer=contoso", "--graph-url", emulator.url]

            let refused = try await Scimctl.run(["plan", "profile"] + target, in: directory.url, environment: environment)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("[vendor.required-target]"))

            try directory.write("profiles/.scimctl.yaml", "disable: [vendor.required-target]\n")
            #expect(try await Scimctl.run(["validate", "mapping", profile.path], in: directory.url).status == 0)
            let plan = try await Scimctl.run(
                ["plan", "profile"] + target + ["--detailed-exitcode"], in: directory.url, environment: environment)
            #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
            #expect(!plan.stderr.contains("vendor.required-target"))
            let apply = try await Scimctl.run(
                ["apply", "profile"] + target + ["--yes", "--backup-dir", directory.url.appendingPathComponent("backups").path],
                in: directory.url, environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(!apply.stderr.contains("vendor.required-target"))
        }
    }
}

@Suite("simulate under the policy")
struct SimulatePolicyTests {
    @Test func disabledRulesLeaveTheSimulationReport() async throws {
        let directory = try TemporaryDirectory()
        let users = try directory.write(
            "users.jsonl",
            """
            {"id":"u1","userPrincipalName":"ana@contoso.example","mobilePhone":"441234567890","accountEnabled":true}
            {"id":"u2","userPrincipalName":"ben@contoso.example","mobilePhone":"+44 1234 567891","accountEnabled":true}
            {"id":"u3","userPrincipalName":"eva@contoso.example","mobile":"441234567890","accountEnabled":true}
            """
        ).path
        let arguments = ["simulate", "telemessage", "--param", "manager=Jane Doe", "--users", users, "--format", "json"]
        let all = try await Scimctl.run(arguments, in: directory.url)
        #expect(all.status == 1)
        #expect(all.stdout.contains("simulate.duplicate-matching-value"))

        let silenced = try await Scimctl.run(arguments + ["--disable", "simulate.duplicate-matching-value"], in: directory.url)
        #expect(silenced.status == 1, "the phone number format still fails one user")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(silenced.stdout.utf8)) as? [String: Any])
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["byReason"] as? [String: Int] == ["preview.format-international-digits": 1])
        #expect(summary["failing"] as? Int == 1)
    }
}

@Suite("policy files that are not files")
struct PolicySpecialFileTests {
    @Test func aFIFOOrDeviceIsRefusedWithoutBlocking() async throws {
        let directory = try TemporaryDirectory()
        let profile = try directory.write("tm.yaml", profileWithADisableableError)
        let fifo = directory.url.appendingPathComponent(".scimctl.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try await Scimctl.run(["validate", "mapping", profile.path], in: directory.url)
        #expect(result.status == 64)
        #expect(result.stderr.contains("is not a regular file"))
        let device = try await Scimctl.run(["validate", "mapping", profile.path, "--policy", "/dev/zero"], in: directory.url)
        #expect(device.status == 64)
        #expect(device.stderr.contains("is not a regular file"))
    }

    @Test func aBrokenPolicyStopsFixBeforeItWrites() async throws {
        let directory = try TemporaryDirectory()
        let profile = try directory.write("broken.yaml", brokenProfile)
        try directory.write(".scimctl.yaml", "disable: [nope]\n")
        let result = try await Scimctl.run(["validate", "mapping", "--fix", profile.path], in: directory.url)
        #expect(result.status == 64)
        #expect(try String(contentsOf: profile, encoding: .utf8) == brokenProfile, "--fix wrote under a broken policy")
    }
}
