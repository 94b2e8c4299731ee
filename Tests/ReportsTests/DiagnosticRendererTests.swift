import Diagnostics
import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles
import Reports
import Testing

/// A report with one profile holding an error (with a fix-it), a warning and a note, plus a file-level finding.
func sampleReport(strict: Bool = false, message: String = "unknown source attribute 'mial'") -> ValidationReport {
    let file = "profiles/my app.yaml"
    let text = "vendor: Contoso\nusers:\n  - source: mial\n    target: emails\n"
    let error = Diagnostic.error(
        .unknownSource, message, at: SourceLocation(file: file, line: 3, column: 15), hint: "did you mean 'mail'?",
        fixIt: FixIt(location: SourceLocation(file: file, line: 3, column: 15), length: 4, replacement: "mail"))
    let warning = Diagnostic.warning(.duplicateTarget, "two mappings write 'emails'", at: SourceLocation(file: file, line: 4, column: 13))
    var prerequisite = Diagnostic.note(.vendorPrerequisite, "enable SCIM in the vendor's admin console")
    prerequisite.notes = ["see the vendor's guide"]
    return ValidationReport(
        entries: [.init(name: "my app", path: file, diagnostics: [error, warning, prerequisite])],
        texts: [file: text], strict: strict)
}

@Suite("diagnostics renderers, in process")
struct DiagnosticRendererTests {
    @Test func textShowsACaretUnderTheSpotAndASummary() {
        let text = TextRenderer(style: Style(enabled: false)).render(sampleReport())
        #expect(text.contains("profiles/my app.yaml:3:15: error: unknown source attribute 'mial' [mapping.unknown-source]"))
        #expect(text.contains("  - source: mial\n              ^\n"))
        #expect(text.contains("  hint: did you mean 'mail'?"))
        #expect(text.hasSuffix("1 profile checked: 1 error, 1 warning\n"))
        #expect(!text.contains("\u{1B}["), "no colour when the style is off")
    }

    @Test func textNeutralisesTerminalEscapesFromHostileInput() {
        let report = sampleReport(message: "bad key '\u{1B}]0;owned\u{07}' \u{202E}evil")
        let text = TextRenderer(style: Style(enabled: false)).render(report)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{202E}"))
        #expect(text.contains("\\u{1B}]0;owned\\u{7}"))
        #expect(TerminalText.escaped("a\tb\nc", keepNewlines: true) == "a\tb\nc")
        #expect(TerminalText.escaped("a\nb") == "a\\u{A}b")
    }

    @Test func snippetsMaskURLPasswordsAndSkipControlCharacters() {
        let line = "tenantURL: https://admin:hunter2@scim.example.com/v2"
        let snippet = TextRenderer.snippet(text: line, line: 1, column: 12)
        #expect(snippet?.line == "tenantURL: https://admin:***@scim.example.com/v2")
        #expect(snippet?.caretPad == String(repeating: " ", count: 11))
        #expect(TextRenderer.snippet(text: "a: \u{1B}[2J", line: 1, column: 1) == nil)
        #expect(TextRenderer.snippet(text: "one line", line: 2, column: 1) == nil)
    }

    @Test func jsonCarriesEveryFieldAndTheSummary() throws {
        let text = JSONRenderer().render(sampleReport())
        let document = try JSONValue(parsing: Array(text.utf8))
        let diagnostics = try #require(document["diagnostics"]?.arrayValue)
        #expect(diagnostics.count == 3)
        #expect(diagnostics[0]["fixIt"]?["replacement"]?.stringValue == "mail")
        #expect(diagnostics[2]["file"] == .null)
        #expect(document["summary"]?["errors"]?.integerValue == 1)
        #expect(document["summary"]?["warnings"]?.integerValue == 1)
    }

    @Test func githubAnnotationsEscapeDataAndProperties() {
        let output = GitHubRenderer().render(sampleReport(message: "50% off\r\nnext line"))
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("::error file=profiles/my app.yaml,line=3,col=15,title=mapping.unknown-source::50%25 off%0D%0Anext line%0A"))
        // The file-level note points at the profile's first line.
        #expect(lines[2].hasPrefix("::notice file=profiles/my app.yaml,line=1,col=1,"))
        #expect(GitHubRenderer.escapeProperty("a:b,c") == "a%3Ab%2Cc")
    }

    @Test func sarifLocatesEveryResultAndEncodesURIs() throws {
        let text = SARIFRenderer(toolVersion: "9.9.9").render(sampleReport())
        let document = try JSONValue(parsing: Array(text.utf8))
        #expect(document["version"]?.stringValue == "2.1.0")
        let run = try #require(document["runs"]?.arrayValue?.first)
        #expect(run["tool"]?["driver"]?["version"]?.stringValue == "9.9.9")
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.arrayValue)
        let results = try #require(run["results"]?.arrayValue)
        #expect(results.count == 3)
        for result in results {
            let uri = result["locations"]?.arrayValue?.first?["physicalLocation"]?["artifactLocation"]?["uri"]?.stringValue
            #expect(uri == "profiles/my%20app.yaml")
            let index = try #require(result["ruleIndex"]?.integerValue)
            #expect(rules[Int(index)]["id"] == result["ruleId"])
        }
        let fix = results[0]["fixes"]?.arrayValue?.first?["artifactChanges"]?.arrayValue?.first
        #expect(fix?["replacements"]?.arrayValue?.first?["deletedRegion"]?["endColumn"]?.integerValue == 19)
        #expect(ReportPath.relative("/repo/profiles/a.yaml", to: "/repo") == "profiles/a.yaml")
        #expect(ReportPath.relative("/elsewhere/a.yaml", to: "/repo") == "/elsewhere/a.yaml")
        #expect(ReportPath.percentEncoded("/x y/ä#.yaml") == "/x%20y/%C3%A4%23.yaml")
    }

    @Test func junitFailsCasesAsTheExitCodeDoesAndEscapesXML() {
        var report = sampleReport(message: "a <tag> & \"quote\"\u{01}")
        report.entries.append(.init(name: "clean", path: "profiles/my app.yaml", diagnostics: []))
        let relaxed = JUnitRenderer().render(report)
        #expect(relaxed.contains("tests=\"2\" failures=\"1\""))
        #expect(relaxed.contains("name=\"profiles/my app.yaml #2\""))
        #expect(relaxed.contains("a &lt;tag&gt; &amp; &quot;quote&quot;"))
        #expect(!relaxed.contains("\u{01}"))
        #expect(relaxed.contains("<failure message=\"1 error\""))
        report.strict = true
        #expect(JUnitRenderer().render(report).contains("<failure message=\"1 error, 1 warning (--strict)\""))
    }

    @Test func azureDevOpsLogsIssuesAndCompletesWithTheOutcome() {
        let failing = AzureDevOpsRenderer().render(sampleReport(message: "100%; done]"))
        #expect(failing.contains("##vso[task.logissue type=error;sourcepath=profiles/my app.yaml;linenumber=3;columnnumber=15;code=mapping.unknown-source]100%AZP25; done]"))
        #expect(failing.contains("##vso[task.logissue type=warning;"))
        #expect(failing.contains("note: enable SCIM"))
        #expect(failing.hasSuffix("##vso[task.complete result=Failed;]1 profile checked: 1 errors, 1 warnings\n"))
        #expect(AzureDevOpsRenderer.escapeProperty("a;b]") == "a%3Bb%5D")
        let clean = ValidationReport(entries: [.init(name: "a", path: "a.yaml", diagnostics: [])], texts: [:])
        #expect(AzureDevOpsRenderer().render(clean) == "1 profile checked: 0 errors, 0 warnings\n")
    }

    @Test func markdownTablesCannotBeBrokenOutOf() {
        let output = MarkdownDiagnosticRenderer().render(sampleReport(message: "a | b <script> `x`"))
        #expect(output.hasPrefix("### ❌ scimctl validate: 1 profile, 1 error, 1 warning\n"))
        #expect(output.contains("a \\| b &lt;script&gt; \\`x\\`"))
        #expect(Markdown.fence(for: "has ```` inside") == "`````")
        #expect(Markdown.code("a`b|c\nd") == "a'b\\|c d")
        let clean = ValidationReport(entries: [.init(name: "a", path: "a.yaml", diagnostics: [])], texts: [:])
        #expect(MarkdownDiagnosticRenderer().render(clean).hasSuffix("No findings.\n"))
    }

    @Test func everyFormatHasARenderer() {
        for format in DiagnosticFormat.allCases {
            let output = format.renderer(color: false, toolVersion: "1").render(sampleReport())
            #expect(!output.isEmpty, "\(format.rawValue) rendered nothing")
        }
    }
}
