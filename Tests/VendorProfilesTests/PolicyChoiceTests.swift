import Diagnostics
import Foundation
import TestSupport
import Testing

@testable import VendorProfiles

@Suite("Choosing a command's policy")
struct PolicyChoiceTests {
    /// A project directory (bounded by `.git`, so discovery never climbs into the real temporary directory).
    func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return directory
    }

    func policy(_ choice: PolicyChoice, forProfileAt path: String? = nil) throws(PolicyChoice.Problem)
        -> (policy: DiagnosticPolicy, reports: [PolicyChoice.Report])
    {
        var cache: [String: DiagnosticPolicy] = [:]
        var reports: [PolicyChoice.Report] = []
        let policy = try choice.policy(forProfileAt: path, cache: &cache) { reports.append($0) }
        return (policy, reports)
    }

    @Test func disableFlagsAloneWhenNoFileApplies() throws {
        let directory = try project()
        let found = try policy(PolicyChoice(disabled: ["profile.no-assignments"]), forProfileAt: directory.path + "/app.yaml")
        #expect(found.policy.silenced == ["profile.no-assignments"])
        #expect(found.reports.isEmpty)
    }

    @Test func unknownAndLockedDisableIDsAreProblems() {
        #expect(throws: PolicyChoice.Problem.disable(.unknownRule("profile.no-asignments", suggestion: "profile.no-assignments"))) {
            try PolicyChoice(disabled: ["profile.no-asignments"]).flags()
        }
        let locked = #expect(throws: PolicyChoice.Problem.self) { try PolicyChoice(disabled: ["yaml.syntax"]).flags() }
        guard case .disable(.locked(let rule)) = locked else {
            Issue.record("expected a locked rule, got \(String(describing: locked))")
            return
        }
        #expect(rule.id == "yaml.syntax")
    }

    @Test func discoveryPrefersTheProfilesDirectoryThenTheCurrentOne() throws {
        let directory = try project()
        try directory.write("profiles/.scimctl.yaml", "disable: [profile.no-assignments]\n")
        try directory.write(".scimctl.yaml", "disable: []\n")
        let nested = directory.path + "/profiles/app.yaml"
        #expect(PolicyChoice.discover(forProfileAt: nested, currentDirectory: "/") == directory.path + "/profiles/.scimctl.yaml")
        // A relative profile path is taken from the current directory.
        #expect(
            PolicyChoice.discover(forProfileAt: "profiles/app.yaml", currentDirectory: directory.path)
                == directory.path + "/profiles/.scimctl.yaml")
        // A bundled profile (no path) uses the current directory's file.
        #expect(PolicyChoice.discover(forProfileAt: nil, currentDirectory: directory.path) == directory.path + "/.scimctl.yaml")
    }

    @Test func aDiscoveredFileMergesWithTheFlagsAndIsReadOncePerCache() throws {
        let directory = try project()
        try directory.write(".scimctl.yaml", "disable: [profile.no-assignments]\nseverity:\n  probe.matching-not-unique: error\n  bogus: 1\n")
        let choice = PolicyChoice(disabled: ["mapping.unknown-source"])
        var cache: [String: DiagnosticPolicy] = [:]
        var reports: [PolicyChoice.Report] = []
        func load() throws(PolicyChoice.Problem) -> DiagnosticPolicy {
            try choice.policy(forProfileAt: directory.path + "/app.yaml", cache: &cache) { reports.append($0) }
        }
        // The unknown severity value makes this file invalid; fix it and try again.
        #expect(throws: PolicyChoice.Problem.self) { try load() }
        try directory.write(".scimctl.yaml", "disable: [profile.no-assignments]\n")
        reports = []
        let first = try load()
        let second = try load()
        #expect(first == second)
        #expect(first.silenced == ["profile.no-assignments", "mapping.unknown-source"])
        #expect(reports.isEmpty)
        #expect(cache.count == 1)
    }

    @Test func aFileWithErrorsReportsThemWithItsTextThenFails() throws {
        let directory = try project()
        let file = try directory.write("policy.yaml", "disable: [profile.no-asignments]\n").path
        var reports: [PolicyChoice.Report] = []
        var cache: [String: DiagnosticPolicy] = [:]
        let choice = PolicyChoice(file: file, displayPath: { _ in "shown.yaml" })
        #expect(throws: PolicyChoice.Problem.hasErrors(file: "shown.yaml")) {
            try choice.policy(forProfileAt: nil, cache: &cache) { reports.append($0) }
        }
        #expect(reports.count == 1)
        #expect(reports.first?.diagnostics.map(\.id) == [.policyUnknownRule])
        #expect(reports.first?.diagnostics.first?.location?.file == "shown.yaml")
        #expect(reports.first?.texts == ["shown.yaml": "disable: [profile.no-asignments]\n"])
        #expect(cache.isEmpty, "a failed file is not cached")
    }

    @Test func filesThatAreNotPoliciesAreRefusedBeforeReading() throws {
        let directory = try project()
        let missing = directory.path + "/missing.yaml"
        #expect(throws: PolicyChoice.Problem.notFound(file: missing)) { try policy(PolicyChoice(file: missing)) }
        #expect(throws: PolicyChoice.Problem.notFound(file: directory.path)) { try policy(PolicyChoice(file: directory.path)) }

        let fifo = directory.path + "/fifo.yaml"
        try #require(mkfifo(fifo, 0o600) == 0)
        #expect(throws: PolicyChoice.Problem.notRegularFile(file: fifo)) { try policy(PolicyChoice(file: fifo)) }

        let large = try directory.write("large.yaml", "# " + String(repeating: "x", count: PolicyFile.maximumSize) + "\n").path
        let tooLarge = #expect(throws: PolicyChoice.Problem.self) { try policy(PolicyChoice(file: large)) }
        guard case .tooLarge(let file, let diagnostics) = tooLarge else {
            Issue.record("expected too large, got \(String(describing: tooLarge))")
            return
        }
        #expect(file == large)
        #expect(diagnostics.map(\.id) == [.fileTooLarge])
        #expect(diagnostics.first?.message.contains("the limit is \(PolicyFile.maximumSize)") == true)
    }

    @Test func validateJudgesEachSourceByItsOwnFile() throws {
        let directory = try project()
        try directory.write(".scimctl.yaml", "disable: [mapping.unknown-source]\n")
        try directory.write("strict/.scimctl.yaml", "disable: []\n")
        func source(_ path: String, bundled: Bool = false) -> ProfileSource {
            ProfileSource(name: "p", path: path, bytes: [], isBundled: bundled)
        }
        let sources = [source(directory.path + "/strict/a.yaml"), source(directory.path + "/b.yaml"), source("flosum", bundled: true)]
        var cache: [String: DiagnosticPolicy] = [:]
        let choice = PolicyChoice(disabled: ["profile.no-assignments"])
        let policies = try choice.policies(for: sources, cache: &cache) { _ in }
        #expect(policies(directory.path + "/strict/a.yaml").silenced == ["profile.no-assignments"])
        #expect(policies(directory.path + "/b.yaml").silenced == ["profile.no-assignments", "mapping.unknown-source"])
        // A bundled profile and input problems fall back to the current directory's file (none here, or the real one).
        #expect(policies("flosum") == policies(nil))
        #expect(policies(nil).silenced.contains("profile.no-assignments"))
    }
}
