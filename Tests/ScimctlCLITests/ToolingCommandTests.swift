import Foundation
import TestSupport
import Testing

@Suite("scimctl schema, manual, completions, profiles, validate expression, preview")
struct ToolingCommandTests {
    @Test func committedJSONSchemaIsCurrent() async throws {
        let result = try await Scimctl.run(["schema"])
        #expect(result.status == 0)
        let committed = try String(
            contentsOf: Repository.root.appendingPathComponent("Schema/profile.schema.json"), encoding: .utf8)
        #expect(result.stdout == committed, "Schema/profile.schema.json is stale: run make schema")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((object?["required"] as? [String])?.contains("applications") == true)
    }

    @Test func everyBundledProfileCarriesTheSchemaModeline() async throws {
        for name in ["andmoney", "eptura", "flosum", "telemessage", "totalmobile"] {
            let text = try Repository.profileText(name)
            #expect(text.hasPrefix("# yaml-language-server: $schema=../Schema/profile.schema.json\n"), "\(name)")
        }
    }

    @Test func manualPageCoversEveryCommand() async throws {
        let result = try await Scimctl.run(["manual"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(".TH SCIMCTL 1"))
        for command in ["validate mapping", "validate expression", "render profile", "plan profile", "apply profile",
            "preview", "simulate", "probe", "profiles", "init", "schema", "export", "status", "provision-on-demand", "logs",
            "restart", "rollback", "auth check", "rules", "explain"]
        {
            #expect(result.stdout.contains(".SS scimctl \(command)\n"), "missing \(command)")
        }
        // No line may start with a dot that roff would take as a request, other than ours.
        let requests = Set(result.stdout.split(separator: "\n").filter { $0.hasPrefix(".") }.map { $0.split(separator: " ").first ?? "" })
        #expect(requests.isSubset(of: [".TH", ".SH", ".SS", ".nf", ".fi", ".B", ".I", ".RI"]), "\(requests)")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsAreGenerated(_ shell: String) async throws {
        let result = try await Scimctl.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.stdout.contains("scimctl"))
        #expect(result.stdout.contains("validate"))
    }

    @Test func customCompletionOffersBundledProfilesAndParameters() async throws {
        // argument-parser's hidden completion entry point, as the generated scripts call it.
        // Arguments: the option or positional, the index of the word being completed, the cursor offset in it,
        // then the command line's words.
        let profiles = try await Scimctl.run(
            ["---completion", "render", "profile", "--", "positional@0", "3", "2", "scimctl", "render", "profile", "fl"])
        #expect(profiles.stdout.split(separator: "\n") == ["flosum"])
        let parameters = try await Scimctl.run(
            ["---completion", "render", "profile", "--", "--param", "5", "3", "scimctl", "render", "profile", "flosum", "--param", "reg"])
        #expect(parameters.stdout.contains("region=de"))
    }

    @Test func profilesListsFiveVendors() async throws {
        let result = try await Scimctl.run(["profiles"])
        #expect(result.status == 0)
        for vendor in ["Totalmobile", "Eptura", "&Money", "TeleMessage", "Flosum"] {
            #expect(result.stdout.contains(vendor))
        }
        #expect(result.stdout.contains("--param region=us|de|jp|au"))
    }

    @Test func validateExpressionReportsColumnsAndPrintsTheGraphTree() async throws {
        let bad = try await Scimctl.run(["validate", "expression", "ToLower([Mail])", "--object", "user"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("<expression>:1:9: error:"))
        #expect(bad.stdout.contains("[expression.attribute-case]"))

        let good = try await Scimctl.run(["validate", "expression", "Join(\" \", [givenName], [surname])", "--format", "json"])
        #expect(good.status == 0, "\(good.stdout)")
        let object = try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any]
        let source = object?["source"] as? [String: Any]
        #expect(source?["type"] as? String == "Function")
        #expect(source?["name"] as? String == "Join")
        #expect((source?["parameters"] as? [Any])?.count == 3)

        let usage = try await Scimctl.run(["validate", "expression", "Not([a])", "--object", "printer"])
        #expect(usage.status == 64)
    }

    @Test func anUnknownFunctionPointsAtAListThatExists() async throws {
        let unknown = try await Scimctl.run(["validate", "expression", "Zqxwv([mail])"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("[expression.unknown-function]"))
        #expect(unknown.stdout.contains("scimctl validate expression --list-functions"), "\(unknown.stdout)")

        let listed = try await Scimctl.run(["validate", "expression", "--list-functions"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("Mid(source, start, length) → String\n"), "\(listed.stdout)")
        #expect(listed.stdout.split(separator: "\n").count > 40)
        let json = try await Scimctl.run(["validate", "expression", "--list-functions", "--format", "json"])
        let functions = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["functions"] as? [Any]
        #expect(functions?.count == listed.stdout.split(separator: "\n").count)

        #expect(try await Scimctl.run(["validate", "expression"]).status == 64)
        #expect(try await Scimctl.run(["validate", "expression", "Mid([mail], 1, 2)", "--list-functions"]).status == 64)
    }

    @Test func previewFlagsVendorValueFormats() async throws {
        let directory = try TemporaryDirectory()
        let user = directory.url.appendingPathComponent("user.json")
        try #"{"givenName":"Ana","surname":"Silva","mail":"ana@contoso.com","mobile":"+44 1234 567890"}"#
            .write(to: user, atomically: true, encoding: .utf8)
        let flagged = try await Scimctl.run(["preview", "telemessage", "--param", "manager=Jane Doe", "--user", user.path])
        #expect(flagged.status == 1)
        #expect(flagged.stderr.contains("[preview.format-international-digits]"))
        let resource = try JSONSerialization.jsonObject(with: Data(flagged.stdout.utf8)) as? [String: Any]
        #expect(resource?["displayName"] as? String == "Jane Doe")
        #expect(resource?["active"] as? Bool == true)
        #expect((resource?["name"] as? [String: Any])?["familyName"] as? String == "Silva")

        try #"{"givenName":"Ana","surname":"Silva","mail":"ana@contoso.com","mobile":"441234567890"}"#
            .write(to: user, atomically: true, encoding: .utf8)
        let clean = try await Scimctl.run(["preview", "telemessage", "--param", "manager=Jane Doe", "--user", user.path])
        #expect(clean.status == 0, "\(clean.stderr)")
        let cleanResource = try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any]
        #expect(cleanResource?["userName"] as? String == "441234567890")

        try "not json".write(to: user, atomically: true, encoding: .utf8)
        let broken = try await Scimctl.run(["preview", "flosum", "--param", "region=us", "--user", user.path])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("error:"))
    }
}

@Suite("scimctl validate mapping --fix inside quoted YAML")
struct FixQuotedYAMLTests {
    @Test func fixesInsideDoubleQuotedValuesAreEscaped() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("quoted.yaml")
        try #"""
            vendor: X
            applications:
              - name: x
                displayName: X
                tenantURL: https://x.example.com/scim
                secretToken: none
                users:
                  mode: amend
                  attributes:
                    - target: active
                      expression: "Switch([IsSoftDeleted], , “False”, \"True\", \"True\", \"False\")"
                    - target: emails[type eq “work”].value
                      source: Mail
            """#.write(to: file, atomically: true, encoding: .utf8)
        let fixed = try await Scimctl.run(["validate", "mapping", file.path, "--fix"])
        #expect(fixed.status == 0, "\(fixed.stdout)")
        #expect(fixed.stderr.contains("applied 4 fixes"))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(#"expression: "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")""#))
        #expect(text.contains(#"- target: emails[type eq "work"].value"#))
        #expect(text.contains("source: mail"))
    }
}

@Suite("scimctl plan usage errors")
struct PlanUsageTests {
    @Test func aPinnedServicePrincipalNeedsOneApplication() async throws {
        let result = try await Scimctl.run(["plan", "profile", "andmoney", "--param", "environment=test", "--service-principal-id", "abc"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--app"))
        let badCloud = try await Scimctl.run(["plan", "profile", "flosum", "--param", "region=us", "--cloud", "mars"])
        #expect(badCloud.status == 64)
        #expect(badCloud.stderr.contains("usgov"))
    }
}
