import ArgumentParser
import Diagnostics
import Foundation
import Reports
import VendorProfiles

/// `--policy FILE` and `--disable ID`, shared by validate and every command that loads a profile, so they all
/// judge a profile by the same rules.
struct PolicyOptions: ParsableArguments {
    @Option(
        name: .customLong("disable"),
        help: ArgumentHelp("Disable a rule by its id (repeatable; scimctl rules lists them).", valueName: "ID"),
        completion: .list(DiagnosticRegistry.all.filter(\.canBeDisabled).map(\.id.rawValue)))
    var disabledRules: [String] = []

    @Option(
        name: .customLong("policy"),
        help: ArgumentHelp(
            "Read the diagnostics policy from FILE instead of the nearest .scimctl.yaml.", valueName: "FILE"))
    var policyFile: String?

    /// An unknown or locked id is a usage error before anything is read.
    func validate() throws {
        _ = try choice.flags()
    }

    var choice: PolicyChoice { PolicyChoice(file: policyFile, disabled: disabledRules) }
}

/// Which policy a command runs under: an explicit file or the one found next to the profile, plus `--disable`.
struct PolicyChoice {
    var file: String?
    var disabled: [String] = []

    /// The policy of the `--disable` flags alone.
    func flags() throws -> DiagnosticPolicy {
        var policy = DiagnosticPolicy()
        for id in disabled {
            do {
                try policy.disable(id)
            } catch {
                throw ValidationError("--disable: " + TerminalText.escaped(error.message))
            }
        }
        return policy
    }

    /// The policy for a profile at `path` (nil for a bundled profile): `--policy FILE`, else the nearest
    /// `.scimctl.yaml` from the profile's directory, else from the current directory; then `--disable` on top.
    /// A policy file with problems prints them and stops the command with exit status 64.
    func policy(forProfileAt path: String?, cache: inout [String: DiagnosticPolicy]) throws -> DiagnosticPolicy {
        let flags = try flags()
        guard let file = file ?? Self.discover(forProfileAt: path) else { return flags }
        if let known = cache[file] { return known.merging(flags) }
        let loaded = try Self.load(file, explicit: self.file != nil)
        cache[file] = loaded
        return loaded.merging(flags)
    }

    func policy(forProfileAt path: String?) throws -> DiagnosticPolicy {
        var cache: [String: DiagnosticPolicy] = [:]
        return try policy(forProfileAt: path, cache: &cache)
    }

    static func discover(forProfileAt path: String?) -> String? {
        let current = FileManager.default.currentDirectoryPath
        if let path {
            let directory = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: current, isDirectory: true))
                .deletingLastPathComponent().path
            if let found = PolicyFile.discover(from: directory) { return found }
        }
        return PolicyFile.discover(from: current)
    }

    static func load(_ file: String, explicit: Bool) throws -> DiagnosticPolicy {
        let display = ReportPath.relative(file)
        let shown = TerminalText.escaped(display)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ValidationError("--policy: no policy file '\(shown)'")
        }
        let attributes = (try? FileManager.default.attributesOfItem(atPath: file)) ?? [:]
        // A FIFO or device would block or never end: only a regular file can be a policy.
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw ValidationError("the policy file '\(shown)' is not a regular file")
        }
        // Refuse huge files before reading them whole.
        if let size = attributes[.size] as? Int, size > PolicyFile.maximumSize {
            LoadedProfile.report(
                [.error(.fileTooLarge, "policy file is \(size) bytes; the limit is \(PolicyFile.maximumSize)",
                        at: SourceLocation(file: display, line: 1, column: 1))], texts: [:])
            throw ExitCode.validationFailure
        }
        guard FileManager.default.isReadableFile(atPath: file), let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read the policy file '\(shown)'" + (explicit ? "" : " (found next to the profile)"))
        }
        let result = PolicyFile.load(bytes: Array(data), file: display)
        if !result.diagnostics.isEmpty {
            LoadedProfile.report(result.diagnostics, texts: [display: String(decoding: data, as: UTF8.self)])
        }
        guard let policy = result.policy else {
            Output.errLine("error: the policy file '\(shown)' has errors; nothing was checked")
            throw ExitCode.validationFailure
        }
        return policy
    }
}
