import Diagnostics
import Foundation
import VendorProfiles
import Testing

private func scratchDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "scimctl-profiles-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A bundled profile with one fixable finding: a source attribute in the wrong case.
private let fixable = (BundledProfiles.text(named: "eptura") ?? "").replacingOccurrences(
    of: "source: givenName", with: "source: GivenName")

@Suite("profile input, validation runs and fixes on disk")
struct ProfileSourcesTests {
    @Test func unknownNamesAndBadParametersAreTheCallersMistake() throws {
        #expect(throws: ProfileInputError.self) { try ProfileInput.sources(for: ["flosm-no-such"]) }
        do {
            _ = try ProfileInput.sources(for: ["flosun"])
            Issue.record("an unknown profile name must throw")
        } catch {
            guard case .unknownProfile(let name, let suggestion, let bundled) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == "flosun" && suggestion == "flosum" && bundled.contains("flosum"))
        }
        #expect(throws: ProfileInputError.malformedParameter("=x")) { try ProfileInput.parameters(["=x"]) }
        #expect(throws: ProfileInputError.repeatedParameter("a")) { try ProfileInput.parameters(["a=1", "a=2"]) }
        #expect(try ProfileInput.parameters(["a=b=c", "d="]) == ["a": "b=c", "d": ""])
    }

    @Test func anEmptyDirectoryIsAFindingNotAnError() throws {
        let directory = try scratchDirectory()
        let (sources, diagnostics) = try ProfileInput.sources(for: [directory])
        #expect(sources.isEmpty)
        #expect(diagnostics.map(\.id) == [.noProfiles])
    }

    @Test func singleLoadSeparatesParameterMistakesFromProfileDefects() throws {
        let good = try SingleProfileLoad.load("flosum", parameters: ["region": "de"])
        #expect(good.resolved != nil && good.profileCount == 1)
        let badValue = try SingleProfileLoad.load("flosum", parameters: ["region": "mars"])
        #expect(badValue.resolved == nil)
        #expect(badValue.isParameterUsage)
        #expect(badValue.diagnostics.contains { $0.id == .parameterValue })

        let directory = try scratchDirectory()
        for name in ["a.yaml", "b.yaml"] {
            FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(fixable.utf8))
        }
        let two = try SingleProfileLoad.load(directory, parameters: [:])
        #expect(two.resolved == nil && two.profileCount == 2)
    }

    @Test func validationRunsSilenceRulesAndHonourStrict() throws {
        let directory = try scratchDirectory()
        FileManager.default.createFile(atPath: directory + "/example.yaml", contents: Data(fixable.utf8))
        let (sources, input) = try ProfileInput.sources(for: [directory])
        let report = ValidationReport.validate(sources, inputDiagnostics: input, parameters: [:])
        let ids = Set(report.allDiagnostics.map(\.id))
        #expect(!ids.isEmpty)
        #expect(report.texts[directory + "/example.yaml"] == fixable)
        // The policy for the profile's path decides: disabled rules are dropped, the rest stay.
        var policy = DiagnosticPolicy()
        for id in ids { try? policy.disable(id.rawValue) }
        #expect(!policy.silenced.isEmpty)
        let silenced = ValidationReport.validate(sources, inputDiagnostics: input, parameters: [:], policy: { _ in policy })
        #expect(Set(silenced.allDiagnostics.map(\.id)).isDisjoint(with: policy.silenced))
        #expect(silenced.allDiagnostics.count < report.allDiagnostics.count)
        let warningOnly = ValidationReport(
            entries: [.init(name: "x", path: "x.yaml", diagnostics: [.warning(.duplicateTarget, "twice")])], texts: [:])
        #expect(!warningOnly.failed)
        #expect(ValidationReport(entries: warningOnly.entries, texts: [:], strict: true).failed)
    }

    @Test func aFixRunWritesTheFixReadsTheFileAgainAndKeepsThePolicy() throws {
        let directory = try scratchDirectory()
        let file = directory + "/example.yaml"
        FileManager.default.createFile(atPath: file, contents: Data(fixable.utf8))
        var policyReads = 0
        let policies: ([ProfileSource]) throws -> (String?) -> DiagnosticPolicy = { sources in
            policyReads += 1
            #expect(sources.map(\.text) == [fixable], "policies are taken before anything is fixed")
            return { _ in DiagnosticPolicy() }
        }
        let before = try ValidationReport.run([file], parameters: [:], fix: false, strict: false, policies: policies)
        #expect(before.fixes == nil)
        #expect(before.report.allDiagnostics.contains { $0.message.contains("GivenName") })

        let fixed = try ValidationReport.run([file], parameters: [:], fix: true, strict: false, policies: policies)
        #expect(fixed.fixes?.applied == 1 && fixed.fixes?.failed == false)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("source: givenName"))
        #expect(fixed.report.texts[file]?.contains("source: givenName") == true, "the report is of the fixed file")
        #expect(!fixed.report.allDiagnostics.contains { $0.message.contains("GivenName") })
        #expect(policyReads == 2, "one policy read a run, not another after the fix")
        #expect(throws: ProfileInputError.self) {
            _ = try ValidationReport.run([directory + "/none.yaml"], parameters: [:], fix: true, strict: false, policies: policies)
        }
    }

    @Test func fixesAreWrittenAndVerifiedOrReportedPerFile() throws {
        #expect(fixable.contains("source: GivenName"))
        let directory = try scratchDirectory()
        let writable = directory + "/writable.yaml"
        let readOnly = directory + "/read-only.yaml"
        FileManager.default.createFile(atPath: writable, contents: Data(fixable.utf8))
        FileManager.default.createFile(atPath: readOnly, contents: Data(fixable.utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: readOnly)
        let (sources, _) = try ProfileInput.sources(for: [writable, readOnly, "flosum"])
        let outcome = ProfileFileFixer.fix(sources, parameters: [:])
        #expect(outcome.applied == 1)
        #expect(outcome.problems == [.readOnly(file: readOnly, fixes: 1)])
        #expect(try String(contentsOfFile: writable, encoding: .utf8) == fixable.replacingOccurrences(of: "source: GivenName", with: "source: givenName"))
        #expect(try String(contentsOfFile: readOnly, encoding: .utf8) == fixable)
    }
}
