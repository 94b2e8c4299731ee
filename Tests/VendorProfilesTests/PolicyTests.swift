import Diagnostics
import Foundation
import Testing

@testable import VendorProfiles

@Suite("The diagnostics registry")
struct DiagnosticRegistryTests {
    @Test func everyEntryIsComplete() {
        let ids = DiagnosticRegistry.all.map(\.id)
        #expect(Set(ids).count == ids.count, "an id is registered twice")
        #expect(ids.count > 100)
        let categories = Set(DiagnosticRegistry.categories.map(\.id))
        for rule in DiagnosticRegistry.all {
            #expect(categories.contains(rule.category), "\(rule.id): no category title")
            #expect(rule.summary.first?.isUppercase == true && rule.summary.last != ".", "\(rule.id): summary style")
            #expect(rule.explanation.count >= 80, "\(rule.id): the explanation is too thin")
            #expect(!rule.explanation.contains("  "), "\(rule.id): a broken line continuation")
            #expect(!rule.example.isEmpty, "\(rule.id): no example")
            #expect(rule.fixed != rule.example, "\(rule.id): the fix is the example")
        }
    }

    @Test func lockedRulesAreErrorsOrGuardErrors() {
        // Advice (notes) never needs locking; every rule that reports errors Graph would reject is locked.
        for rule in DiagnosticRegistry.all where rule.severity == .note {
            #expect(rule.canBeDisabled, "\(rule.id)")
        }
        for id in ["yaml.syntax", "profile.tenant-url", "mapping.duplicate-target", "expression.typographic-quote"] {
            #expect(DiagnosticRegistry.rule(DiagnosticID(id))?.canBeDisabled == false, "\(id)")
        }
        for id in ["profile.no-assignments", "mapping.unknown-source", "vendor.required-target", "probe.filter-value"] {
            #expect(DiagnosticRegistry.rule(DiagnosticID(id))?.canBeDisabled == true, "\(id)")
        }
        // Errors locked, warnings not: a curly apostrophe in a display name constant is a choice.
        let quotes = DiagnosticRegistry.rule(.typographicQuote)
        #expect(quotes?.canBeDisabled == true && quotes?.lockedBecause != nil)
        for rule in DiagnosticRegistry.all where rule.locksErrorsOnly { #expect(rule.lockedBecause != nil, "\(rule.id)") }
    }

    @Test func suggestionsFindTheNearestId() {
        #expect(DiagnosticRegistry.suggestion(for: "mapping.unknwn-source") == "mapping.unknown-source")
        #expect(DiagnosticRegistry.suggestion(for: "MAPPING.UNKNOWN-SOURCE") == "mapping.unknown-source")
        #expect(DiagnosticRegistry.suggestion(for: "no-assignment") == "profile.no-assignments")
        #expect(DiagnosticRegistry.suggestion(for: "nope") == nil)
        #expect(DiagnosticRegistry.suggestion(for: "") == nil)
    }

    @Test func theProfileLayersIdsAreRegistered() {
        let declared: [DiagnosticID] = [
            .fileTooLarge, .yamlSyntax, .unknownKey, .unknownParameter, .tenantURL, .unknownSource, .typographicQuote,
            .vendorPrerequisite, .noAssignments, .pausedAndStarted, .scopingFilter, .previewOutOfScope,
            .previewRFC3966, .simulateValueType, .expressionRegex, .policyInvalid, .policyLockedRule,
        ]
        for id in declared { #expect(DiagnosticRegistry.rule(id) != nil, "\(id)") }
    }
}

@Suite("Diagnostics policy")
struct DiagnosticPolicyTests {
    let warning = Diagnostic.warning(.noAssignments, "nobody assigned")
    let unknownSource = Diagnostic.error(.unknownSource, "'Mobile' is not an attribute")
    let syntax = Diagnostic.error(.yamlSyntax, "invalid YAML")

    @Test func disablingDropsOnlyThatRule() throws {
        var policy = DiagnosticPolicy()
        try policy.disable("profile.no-assignments")
        #expect(policy.apply(to: [warning, unknownSource, syntax]) == [unknownSource, syntax])
        #expect(DiagnosticPolicy().apply(to: [warning, syntax]) == [warning, syntax])
    }

    @Test func unknownAndLockedRulesAreRefused() {
        var policy = DiagnosticPolicy()
        #expect(throws: DiagnosticPolicy.Refusal.unknownRule("profile.no-assignment", suggestion: "profile.no-assignments")) {
            try policy.disable("profile.no-assignment")
        }
        #expect(throws: DiagnosticPolicy.Refusal.self) { try policy.disable("yaml.syntax") }
        #expect(throws: DiagnosticPolicy.Refusal.self) { try policy.setSeverity(.warning, for: "mapping.duplicate-target") }
        #expect(policy.isEmpty)
        do {
            try policy.disable("yaml.syntax")
        } catch {
            #expect(error.message.contains("cannot be disabled"))
            #expect(error.message.contains("yaml.syntax"))
        }
    }

    @Test func disablingARuleWhoseErrorsAreLockedSilencesOnlyItsWarnings() throws {
        let inDescription = Diagnostic.warning(.typographicQuote, "typographic quote in a constant")
        let inTarget = Diagnostic.error(.typographicQuote, "typographic quote in a target")
        var policy = DiagnosticPolicy()
        try policy.disable("text.typographic-quote")
        #expect(policy.apply(to: [inDescription, inTarget]) == [inTarget])
        #expect(throws: DiagnosticPolicy.Refusal.self) { try policy.setSeverity(.note, for: "text.typographic-quote") }
    }

    @Test func severityOverridesRaiseAndLower() throws {
        var policy = DiagnosticPolicy()
        try policy.setSeverity(.error, for: "profile.no-assignments")
        try policy.setSeverity(.warning, for: "mapping.unknown-source")
        // Raising a locked rule is fine: it only makes the check stricter.
        try policy.setSeverity(.error, for: "yaml.yaml11-boolean")
        let adjusted = policy.apply(to: [warning, unknownSource, syntax])
        #expect(adjusted.map(\.severity) == [.error, .warning, .error])
        #expect(adjusted.map(\.id) == [.noAssignments, .unknownSource, .yamlSyntax])
    }

    @Test func flagsAddToTheFile() throws {
        var file = DiagnosticPolicy()
        try file.setSeverity(.error, for: "profile.no-assignments")
        var flags = DiagnosticPolicy()
        try flags.disable("mapping.unknown-source")
        let merged = file.merging(flags)
        #expect(merged.silenced == [.unknownSource])
        #expect(merged.severities == [.noAssignments: .error])
    }
}

@Suite("Policy files")
struct PolicyFileTests {
    func load(_ text: String) -> PolicyFile.Result { PolicyFile.load(bytes: Array(text.utf8), file: ".scimctl.yaml") }

    @Test func readsDisableAndSeverity() throws {
        let result = load(
            """
            # this project assigns users in the portal
            disable: [profile.no-assignments]
            severity:
              probe.matching-not-unique: error
            """)
        #expect(result.diagnostics == [])
        let policy = try #require(result.policy)
        #expect(policy.silenced == [.noAssignments])
        #expect(policy.severities == [DiagnosticID("probe.matching-not-unique"): .error])
    }

    @Test func anEmptyFileIsAnEmptyPolicy() throws {
        #expect(try #require(load("").policy).isEmpty)
        #expect(try #require(load("# nothing yet\n").policy).isEmpty)
        #expect(try #require(load("disable:\n").policy).isEmpty)
    }

    @Test func mistakesPointAtTheEntry() throws {
        let result = load(
            """
            disable:
              - profile.no-assignment
              - yaml.syntax
            disabled: []
            severity:
              mapping.unknown-source: fatal
            """)
        #expect(result.policy == nil)
        let found = result.diagnostics.map { "\($0.id)@\($0.location?.line ?? 0):\($0.location?.column ?? 0)" }
        #expect(
            found == [
                "policy.unknown-rule@2:5", "policy.locked-rule@3:5", "policy.unknown-key@4:1", "policy.invalid@6:27",
            ])
        #expect(result.diagnostics[0].hint == "did you mean 'profile.no-assignments'?")
        #expect(result.diagnostics[2].hint == "did you mean 'disable'?")
    }

    @Test func wrongShapesAreRefused() {
        for text in [
            "- profile.no-assignments", "disable: profile.no-assignments", "disable: [[a, b]]", "severity: [error]",
            "just text", "severity: {profile.no-assignments: [error]}",
        ] {
            let result = load(text)
            #expect(result.policy == nil, "\(text)")
            #expect(result.diagnostics.map(\.id).allSatisfy { $0 == .policyInvalid }, "\(text): \(result.diagnostics)")
            #expect(!result.diagnostics.isEmpty, "\(text)")
        }
    }

    @Test func hostileFilesComeBackAsDiagnostics() {
        let huge = PolicyFile.load(bytes: Array(repeating: UInt8(ascii: "#"), count: PolicyFile.maximumSize + 1), file: "p")
        #expect(huge.diagnostics.map(\.id) == [.fileTooLarge])
        #expect(PolicyFile.load(bytes: [0x64, 0x00, 0x3A], file: "p").diagnostics.map(\.id) == [.binaryFile])
        #expect(PolicyFile.load(bytes: [0x64, 0xFF, 0xFE], file: "p").diagnostics.map(\.id) == [.binaryFile])
        #expect(load("disable: [a\n").diagnostics.map(\.id) == [.yamlSyntax])
        #expect(load("disable: [a]\ndisable: [b]\n").diagnostics.map(\.id) == [.duplicateKey])
        #expect(load(String(repeating: "[", count: 10_000)).diagnostics.map(\.id) == [.nestingTooDeep])
        // An alias bomb: each level repeats the one before; only the top level is ever walked.
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { bomb += "l\(level): &l\(level) [" + Array(repeating: level == 1 ? "*a" : "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        bomb += "disable: *l9\n"
        let exploded = load(bomb)
        #expect(exploded.policy == nil)
        // One finding per top-level key (a, l1…l9) and per entry of `disable`, never per expanded node.
        #expect(exploded.diagnostics.count == 20)
        #expect(exploded.diagnostics.allSatisfy { $0.id == .policyUnknownKey || $0.id == .policyInvalid })
        let many = "disable: [" + Array(repeating: "profile.no-assignments", count: 2_000).joined(separator: ", ") + "]"
        #expect(load(many).diagnostics.map(\.id) == [.policyInvalid])
    }

    @Test func discoveryWalksUpToTheRepositoryRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let repository = root.appendingPathComponent("repo")
        let profiles = repository.appendingPathComponent("vendors/profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        // A policy above the repository must not leak into it.
        try Data("disable: []\n".utf8).write(to: root.appendingPathComponent(PolicyFile.fileName))
        #expect(PolicyFile.discover(from: profiles.path) != nil)
        try FileManager.default.createDirectory(at: repository.appendingPathComponent(".git"), withIntermediateDirectories: true)
        #expect(PolicyFile.discover(from: profiles.path) == nil)
        let policy = repository.appendingPathComponent(PolicyFile.fileName)
        try Data("disable: []\n".utf8).write(to: policy)
        #expect(PolicyFile.discover(from: profiles.path) == policy.standardizedFileURL.path)
        let nearer = profiles.appendingPathComponent(PolicyFile.fileName)
        try Data("disable: []\n".utf8).write(to: nearer)
        #expect(PolicyFile.discover(from: profiles.path) == nearer.standardizedFileURL.path)
    }
}
