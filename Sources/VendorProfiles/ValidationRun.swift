import Diagnostics
import Foundation

/// Everything one `validate` run found, grouped by profile.
public struct ValidationReport: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var path: String
        public var diagnostics: [Diagnostic]

        public init(name: String, path: String, diagnostics: [Diagnostic]) {
            self.name = name
            self.path = path
            self.diagnostics = diagnostics
        }
    }

    public var entries: [Entry]
    /// File texts by path, for caret snippets.
    public var texts: [String: String]
    /// Whether warnings fail the run (strict mode), so every format agrees with the exit code.
    public var strict: Bool

    public init(entries: [Entry], texts: [String: String], strict: Bool = false) {
        self.entries = entries
        self.texts = texts
        self.strict = strict
    }

    public var allDiagnostics: [Diagnostic] { entries.flatMap(\.diagnostics) }
    public var errorCount: Int { allDiagnostics.errorCount }
    public var warningCount: Int { allDiagnostics.warningCount }
    /// The run fails on errors, and on warnings in strict mode.
    public var failed: Bool { errorCount > 0 || (strict && warningCount > 0) }

    /// Whether a diagnostic fails the run by itself.
    public func fails(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.severity == .error || (strict && diagnostic.severity == .warning)
    }

    /// Each diagnostic with the file it belongs to: its own location, else the profile it was found in (a
    /// file-level finding such as a vendor prerequisite points at the profile's first line).
    public var locatedDiagnostics: [(diagnostic: Diagnostic, location: SourceLocation?)] {
        entries.flatMap { entry in
            entry.diagnostics.map { diagnostic in
                let fallback = entry.path.isEmpty ? nil : SourceLocation(file: entry.path, line: 1, column: 1)
                return (diagnostic, diagnostic.location ?? fallback)
            }
        }
    }

    /// `validate mapping`'s whole run over its PROFILE arguments. Each profile is judged by the policy `policies`
    /// gives for it, read before anything is fixed so that a broken policy file stops the run first. With `fix`, the
    /// certain fix-its are written to the files, which are then read again (their policies stay as found). Throws
    /// `ProfileInputError` for arguments that name nothing, and whatever `policies` throws.
    public static func run(
        _ arguments: [String], parameters: [String: String], fix: Bool, strict: Bool,
        policies: ([ProfileSource]) throws -> (_ profilePath: String?) -> DiagnosticPolicy
    ) throws -> (report: ValidationReport, fixes: ProfileFileFixer.Outcome?) {
        var (sources, inputDiagnostics) = try ProfileInput.sources(for: arguments)
        let policy = try policies(sources)
        var fixes: ProfileFileFixer.Outcome?
        if fix {
            let outcome = ProfileFileFixer.fix(sources, parameters: parameters)
            if outcome.applied > 0 { (sources, inputDiagnostics) = try ProfileInput.sources(for: arguments) }
            fixes = outcome
        }
        let report = validate(sources, inputDiagnostics: inputDiagnostics, parameters: parameters, policy: policy, strict: strict)
        return (report, fixes)
    }

    /// Loads and validates every source. With several profiles, a parameter only has to be known to one of them;
    /// `policy` gives the diagnostics policy for a profile at a path (nil: the input's own findings).
    public static func validate(
        _ sources: [ProfileSource], inputDiagnostics: [Diagnostic], parameters given: [String: String],
        policy: (_ profilePath: String?) -> DiagnosticPolicy = { _ in DiagnosticPolicy() }, strict: Bool = false
    ) -> ValidationReport {
        var entries: [Entry] = []
        var texts: [String: String] = [:]
        var loaded: [(ProfileSource, Profile?, [Diagnostic])] = []
        for source in sources {
            let result = ProfileLoader.load(bytes: source.bytes, file: source.path, name: source.name)
            texts[source.path] = source.text
            loaded.append((source, result.profile, result.diagnostics))
        }
        let knownAnywhere = Set(loaded.compactMap(\.1).flatMap { $0.parameters.map(\.name) })
        for (source, profile, loadDiagnostics) in loaded {
            var diagnostics = loadDiagnostics
            if let profile {
                let own = Set(profile.parameters.map(\.name))
                let relevant = loaded.count == 1 ? given : given.filter { own.contains($0.key) || !knownAnywhere.contains($0.key) }
                diagnostics += ProfileValidator.validate(profile, parameters: relevant)
            }
            diagnostics = policy(source.path).apply(to: diagnostics).sortedForOutput()
            entries.append(Entry(name: source.name, path: source.path, diagnostics: diagnostics))
        }
        if !inputDiagnostics.isEmpty {
            entries.append(Entry(name: "(input)", path: "", diagnostics: policy(nil).apply(to: inputDiagnostics)))
        }
        return ValidationReport(entries: entries, texts: texts, strict: strict)
    }
}

/// Writes the provable fix-its of profile files to disk (`ProfileFixer` proves them; bundled profiles are
/// read-only). Reports what was applied and, per file, what could not be, for the executable to word.
public enum ProfileFileFixer {
    public enum Problem: Sendable, Hashable {
        /// A fix-it the fixer refused to apply, with its reason.
        case refused(file: String, line: Int, column: Int, reason: String)
        /// Fixes were proved, but the file is read-only.
        case readOnly(file: String, fixes: Int)
        /// Writing the file failed.
        case writeFailed(file: String, reason: String)
        /// The file on disk is not the text that was written (it changed underneath).
        case changedWhileFixing(file: String)
    }

    public struct Outcome: Sendable {
        public var applied: Int
        public var problems: [Problem]
        public var failed: Bool { !problems.isEmpty }
    }

    public static func fix(_ sources: [ProfileSource], parameters: [String: String]) -> Outcome {
        var applied = 0
        var problems: [Problem] = []
        let fileManager = FileManager.default
        for source in sources where !source.isBundled {
            let result = ProfileFixer.fix(text: source.text, file: source.path, name: source.name, parameters: parameters)
            for refusal in result.refused {
                let at = refusal.fixIt.location
                problems.append(.refused(file: source.path, line: at.line, column: at.column, reason: refusal.reason))
            }
            guard result.applied > 0 else { continue }
            // A file nobody may write is read-only on purpose, even for root (who could write it anyway).
            let permissions = (try? fileManager.attributesOfItem(atPath: source.path)[.posixPermissions] as? Int) ?? 0o644
            guard permissions & 0o222 != 0, fileManager.isWritableFile(atPath: source.path) else {
                problems.append(.readOnly(file: source.path, fixes: result.applied))
                continue
            }
            do {
                try result.text.write(toFile: source.path, atomically: true, encoding: .utf8)
            } catch {
                problems.append(.writeFailed(file: source.path, reason: error.localizedDescription))
                continue
            }
            // Re-read what was written: the file on disk must be exactly the text that was proved.
            guard let written = fileManager.contents(atPath: source.path), written == Data(result.text.utf8) else {
                problems.append(.changedWhileFixing(file: source.path))
                continue
            }
            applied += result.applied
        }
        return Outcome(applied: applied, problems: problems)
    }
}
