import Foundation
import TestSupport
import Testing

/// What the executable does with hostile files and flags: a message and a non-zero exit, never silence, never a
/// write it cannot stand behind, never an escape sequence or a password echoed to the terminal.
@Suite("scimctl with hostile input")
struct HostileInputCLITests {
    static let fixable = """
        vendor: Example
        applications:
          - name: example
            displayName: Example
            tenantURL: https://scim.example.com/scim
            secretToken:
              env: EXAMPLE_TOKEN
            users:
              attributes:
                - target: phoneNumbers[type eq "mobile"].value
                  source: Mobile

        """

    @Test func fixOnAReadOnlyFileFailsWithAMessageAndLeavesItAlone() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", Self.fixable)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
        let result = try await Scimctl.run(["validate", "mapping", "--fix", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is read-only") || result.stderr.contains("read-only"), "\(result.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.fixable)
    }

    @Test func fixOnACRLFFileKeepsItsLineEnds() async throws {
        let directory = try TemporaryDirectory()
        let crlf = Self.fixable.replacingOccurrences(of: "\n", with: "\r\n")
        let file = try directory.write("example.yaml", crlf)
        let fixed = try await Scimctl.run(["validate", "mapping", "--fix", file.path])
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stderr.contains("applied 1 fix"))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == crlf.replacingOccurrences(of: "source: Mobile", with: "source: mobile"))
    }

    @Test func renderIntoAnEmptyOutputPathIsAUsageError() async throws {
        let result = try await Scimctl.run(["render", "profile", "flosum", "--param", "region=us", "--output", ""])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--output needs a directory path"))
    }

    @Test func backupDirThatIsAFileIsRefusedBeforeAnything() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("not-a-directory", "x")
        let result = try await Scimctl.run(
            ["apply", "profile", "flosum", "--param", "region=us", "--yes", "--backup-dir", file.path],
            environment: ["SCIMCTL_ACCESS_TOKEN": "unused", "FLOSUM_SCIM_TOKEN": "unused-token"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("is a file, not a directory; nothing was written"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSError") && !result.stderr.contains("Domain="))
    }

    @Test func expressionStartingWithADashAfterDoubleDash() async throws {
        let result = try await Scimctl.run(["validate", "expression", "--", "-x"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("[expression.unsupported-operator]"))
    }

    @Test func terminalEscapesInKeysAreShownEscaped() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "escape.yaml",
            """
            vendor: Example
            "\\e]0;pwned\\a\\e[2J": 1
            applications: []

            """)
        let result = try await Scimctl.run(["validate", "mapping", file.path])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("\u{1B}"), "an ESC reached the terminal")
        #expect(result.stdout.contains("\\u{1B}]0;pwned"))
    }

    @Test func passwordInATenantURLIsNeverPrinted() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "credentials.yaml",
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://admin:Sup3rS3cretPw@scim.example.com/scim
                secretToken: none
                users: {}

            """)
        for arguments in [["validate", "mapping", file.path], ["render", "profile", file.path]] {
            let result = try await Scimctl.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(!(result.stdout + result.stderr).contains("Sup3rS3cretPw"), "\(arguments)")
            #expect((result.stdout + result.stderr).contains("carries credentials"), "\(arguments)")
        }
    }
}
