import ArgumentParser
import Diagnostics
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
        _ = try choice.disableFlags()
    }

    var choice: PolicyChoice { .command(file: policyFile, disabled: disabledRules) }
}

extension PolicyChoice {
    /// A command's choice, with paths shown relative to the current directory.
    static func command(file: String? = nil, disabled: [String] = []) -> PolicyChoice {
        PolicyChoice(file: file, disabled: disabled, displayPath: { ReportPath.relative($0) })
    }

    /// The policy of the `--disable` flags alone; a bad id is a usage error.
    func disableFlags() throws -> DiagnosticPolicy {
        try worded { () throws(Problem) in try flags() }
    }

    /// The policy for a profile at `path`; a policy file's findings go to stderr, and its problems stop the command
    /// with exit status 64.
    func policy(forProfileAt path: String?) throws -> DiagnosticPolicy {
        var cache: [String: DiagnosticPolicy] = [:]
        return try worded { () throws(Problem) in
            try policy(forProfileAt: path, cache: &cache) { Output.findings($0.diagnostics, texts: $0.texts) }
        }
    }

    /// Each source's policy (see `policies(for:cache:report:)`), findings and problems handled as above.
    func policies(for sources: [ProfileSource]) throws -> @Sendable (String?) -> DiagnosticPolicy {
        var cache: [String: DiagnosticPolicy] = [:]
        return try worded { () throws(Problem) in
            try policies(for: sources, cache: &cache) { Output.findings($0.diagnostics, texts: $0.texts) }
        }
    }

    /// Problems are usage errors (exit 64); a file's own diagnostics come before its closing line.
    private func worded<T>(_ body: () throws(Problem) -> T) throws -> T {
        do {
            return try body()
        } catch {
            if case .tooLarge(_, let diagnostics) = error { Output.findings(diagnostics, texts: [:]) }
            guard let message = InputProblemWording.policy(error) else { throw ExitCode.validationFailure }
            guard case .hasErrors = error else { throw ValidationError(message) }
            Output.errLine(message)
            throw ExitCode.validationFailure
        }
    }
}
