import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A profile with one error: `Mobile` is not an Entra ID attribute (line 11, column 19).
let brokenProfile = """
    vendor: Example
    applications:
      - name: example
        displayName: Example
        tenantURL: https://scim.example.com/scim
        secretToken:
          env: EXAMPLE_TOKEN
        users:
          attributes:
            - target: externalId
              source: Mobile
        scope: all

    """

/// A profile whose only finding is a warning: a typographic quote in a constant (line 11, column 23).
let warningProfile = """
    vendor: Example
    applications:
      - name: example
        displayName: Example
        tenantURL: https://scim.example.com/scim
        secretToken:
          env: EXAMPLE_TOKEN
        users:
          attributes:
            - target: displayName
              constant: Example “Manager”
        scope: all

    """

func jsonObject(_ text: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let object = value as? [String: Any] else { throw CLIExpectationFailure("not a JSON object: \(text)") }
    return object
}

struct CLIExpectationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite("scimctl validate mapping")
struct ValidateCommandTests {
    @Test func everyBundledProfileIsClean() async throws {
        let result = try await Scimctl.run(["validate", "mapping"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // The vendors cannot know who to assign: each application with scope 'assigned' says nobody is assigned.
        #expect(result.stdout.contains("5 profiles checked: 0 errors, 5 warnings"), "\(result.stdout)")
        let warnings = result.stdout.split(separator: "\n").filter { $0.contains(": warning: ") }
        #expect(warnings.count == 5 && warnings.allSatisfy { $0.hasSuffix("[profile.no-assignments]") }, "\(warnings)")
        #expect(!result.stdout.contains("\u{1B}["), "NO_COLOR=1 must turn colour off")
        let silenced = try await Scimctl.run(["validate", "mapping", "--strict", "--disable", "profile.no-assignments"])
        #expect(silenced.status == 0, "\(silenced.stdout)")
        #expect(silenced.stdout.contains("5 profiles checked: 0 errors, 0 warnings"))
    }

    @Test func textFormatHasLocationIdAndCaret() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", file.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let headerIndex = lines.firstIndex {
            $0.hasPrefix("\(file.path):11:19: error: ") && $0.hasSuffix("[mapping.unknown-source]")
        }
        #expect(headerIndex != nil, "\(result.stdout)")
        if let headerIndex, headerIndex + 2 < lines.count {
            #expect(lines[headerIndex + 1] == "          source: Mobile")
            #expect(lines[headerIndex + 2] == String(repeating: " ", count: 18) + "^")
        }
        #expect(result.stdout.contains("hint: did you mean 'mobile'?"))
        #expect(result.stdout.contains("1 profile checked: 1 error, 0 warnings"))
    }

    @Test func jsonFormat() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "json", file.path])
        #expect(result.status == 1)
        let document = try jsonObject(result.stdout)
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        let finding = try #require(diagnostics.first { $0["id"] as? String == "mapping.unknown-source" })
        #expect(finding["severity"] as? String == "error")
        #expect((finding["message"] as? String)?.contains("'Mobile'") == true)
        #expect(finding["file"] as? String == file.path)
        #expect(finding["line"] as? Int == 11)
        #expect(finding["column"] as? Int == 19)
        #expect(finding["hint"] as? String == "did you mean 'mobile'?")
        let fixIt = try #require(finding["fixIt"] as? [String: Any])
        #expect(fixIt["replacement"] as? String == "mobile")
        for diagnostic in diagnostics {
            for key in ["severity", "id", "message", "file", "line", "column", "hint"] {
                #expect(diagnostic.keys.contains(key), "diagnostic lacks '\(key)'")
            }
        }
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["profiles"] as? Int == 1)
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["warnings"] as? Int == 0)
    }

    @Test func githubFormat() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "github", file.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        let errors = lines.filter { $0.hasPrefix("::error file=") }
        #expect(errors.count == 1)
        #expect(errors.first?.contains(",line=11,col=19,title=mapping.unknown-source::") == true)
        #expect(lines.allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") || $0.hasPrefix("::notice ") })
    }

    @Test func sarifFormat() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "sarif", file.path])
        #expect(result.status == 1)
        let document = try jsonObject(result.stdout)
        #expect(document["version"] as? String == "2.1.0")
        let runs = try #require(document["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        #expect(results.allSatisfy { $0["ruleId"] is String })
        let finding = try #require(results.first { $0["ruleId"] as? String == "mapping.unknown-source" })
        #expect(finding["level"] as? String == "error")
        let locations = try #require(finding["locations"] as? [[String: Any]])
        let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 11)
        #expect(region["startColumn"] as? Int == 19)
        let driver = try #require((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.contains { $0["id"] as? String == "mapping.unknown-source" })
    }

    @Test func junitFormatHasOneTestCasePerProfile() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("profiles/broken.yaml", brokenProfile)
        try directory.write("profiles/flosum.yaml", try Repository.profileText("flosum"))
        try directory.write("profiles/notes.txt", "not a profile")
        let result = try await Scimctl.run(["validate", "mapping", "--format", "junit", "profiles"], in: directory.url)
        #expect(result.status == 1)
        let document = try XMLDocument(data: Data(result.stdout.utf8))
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 2)
        let failing = try document.nodes(forXPath: "//testcase[failure]").compactMap {
            ($0 as? XMLElement)?.attribute(forName: "name")?.stringValue
        }
        #expect(failing == ["profiles/broken.yaml"])
        let failureText = try document.nodes(forXPath: "//failure").first?.stringValue ?? ""
        #expect(failureText.contains("[mapping.unknown-source]"))
    }

    @Test func strictTurnsAWarningIntoFailure() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", warningProfile)
        let lenient = try await Scimctl.run(["validate", "mapping", file.path])
        #expect(lenient.status == 0, "\(lenient.stdout)")
        #expect(lenient.stdout.contains("warning: typographic quote"))
        #expect(lenient.stdout.contains("0 errors, 2 warnings"))
        let strict = try await Scimctl.run(["validate", "mapping", "--strict", file.path])
        #expect(strict.status == 1)
    }

    @Test func disableSilencesARule() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--disable", "mapping.unknown-source", file.path])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(!result.stdout.contains("mapping.unknown-source"))
        #expect(result.stdout.contains("0 errors"))
    }

    @Test func fixRewritesTheFileAndTheRerunIsClean() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "example.yaml",
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken:
                  env: EXAMPLE_TOKEN
                users:
                  attributes:
                    - target: emails[type eq “work”].value
                      source: mail
                    - target: phoneNumbers[type eq "mobile"].value
                      source: Mobile
                scope: all

            """)
        let before = try await Scimctl.run(["validate", "mapping", file.path])
        #expect(before.status == 1)
        let fixed = try await Scimctl.run(["validate", "mapping", "--fix", file.path])
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stderr.contains("applied 3 fixes"))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("- target: emails[type eq \"work\"].value"))
        #expect(text.contains("source: mobile"))
        #expect(!text.contains("Mobile"))
        #expect(!text.contains("“"))
        let after = try await Scimctl.run(["validate", "mapping", file.path])
        #expect(after.status == 0)
        #expect(after.stdout.contains("1 profile checked: 0 errors, 0 warnings"))
    }

    @Test func directoryOfProfiles() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("eptura.yaml", try Repository.profileText("eptura"))
        try directory.write("totalmobile.yml", try Repository.profileText("totalmobile"))
        let result = try await Scimctl.run(["validate", "mapping", "--format", "json", directory.url.path])
        #expect(result.status == 0, "\(result.stdout)")
        let summary = try #require(try jsonObject(result.stdout)["summary"] as? [String: Any])
        #expect(summary["profiles"] as? Int == 2)
        #expect(summary["errors"] as? Int == 0)
    }

    @Test func directoryWithoutProfiles() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("README.md", "# nothing here")
        let result = try await Scimctl.run(["validate", "mapping", directory.url.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("[file.no-profiles]"))
        #expect(result.stdout.contains("holds no profiles"))
    }

    /// A profile that cannot be read by anyone, root included (CI runs as root, and mode 000 does not stop root):
    /// `example.yaml` in the directory is itself a directory, so listing finds it and reading it fails.
    @Test func unreadableFile() async throws {
        let directory = try TemporaryDirectory()
        let unreadable = directory.url.appendingPathComponent("example.yaml")
        try FileManager.default.createDirectory(at: unreadable, withIntermediateDirectories: false)
        let result = try await Scimctl.run(["validate", "mapping", directory.url.path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("[file.unreadable]"), "\(result.stdout)")
        #expect(result.stdout.contains("cannot read '\(unreadable.path)'"), "\(result.stdout)")
    }

    @Test func bundledProfileByName() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "flosum", "--param", "region=jp"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("note: Flosum prerequisite: SAML single sign-on"))
    }

    @Test func parameterValueOutsideTheAllowedListIsAUsageError() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "flosum", "--param", "region=fr"])
        #expect(result.status == 64)
        #expect(result.stdout.contains("[param.value]"))
    }
}

@Suite("scimctl validate mapping on hostile files")
struct HostileFileTests {
    @Test func binaryFile() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("garbage.yaml")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0xFF]).write(to: file)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "json", file.path])
        #expect(result.status == 1)
        let diagnostics = try #require(try jsonObject(result.stdout)["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.compactMap { $0["id"] as? String } == ["file.binary"])
    }

    @Test func oversizedFileIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "huge.yaml", "vendor: Example\n#" + String(repeating: "x", count: 1 << 20) + "\n")
        let result = try await Scimctl.run(["validate", "mapping", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("[file.too-large]"))
    }

    @Test func strictIgnoresNotes() async throws {
        // Flosum's prerequisites are notes, not warnings.
        let result = try await Scimctl.run(["validate", "mapping", "--strict", "--disable", "profile.no-assignments", "flosum"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("note:"))
    }

    @Test func fileAndBundledNameTogether() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let result = try await Scimctl.run(["validate", "mapping", "--format", "junit", "telemessage", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("name=\"Profiles/telemessage.yaml\" file=\"Profiles/telemessage.yaml\""))
        #expect(result.stdout.contains("name=\"\(file.path)\""))
    }
}

@Suite("scimctl usage errors")
struct UsageErrorTests {
    @Test func unknownFlag() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "--bogus"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--bogus"))
    }

    @Test func unknownBundledName() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "flosm"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("did you mean 'flosum'?"))
    }

    @Test func parameterWithoutEquals() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "flosum", "--param", "region"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--param takes KEY=VALUE"))
    }

    @Test func unknownFormat() async throws {
        let result = try await Scimctl.run(["validate", "mapping", "--format", "xml"])
        #expect(result.status == 64)
    }
}

@Suite("scimctl profiles and --version")
struct InformationCommandTests {
    @Test func profilesListsTheFiveBundledProfiles() async throws {
        let result = try await Scimctl.run(["profiles"])
        #expect(result.status == 0)
        let names = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.compactMap {
            $0.split(separator: " ").first.map(String.init)
        }
        #expect(names == ["andmoney", "eptura", "flosum", "telemessage", "totalmobile"])
        #expect(result.stdout.contains("--param region=us|de|jp|au"))
    }

    @Test func version() async throws {
        let result = try await Scimctl.run(["--version"])
        #expect(result.status == 0)
        let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.split(separator: ".").count == 3)
        #expect(version.split(separator: ".").allSatisfy { Int($0) != nil })
    }
}
