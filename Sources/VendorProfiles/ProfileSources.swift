import Diagnostics
import Foundation

/// A profile's text and where it came from.
public struct ProfileSource: Sendable {
    public var name: String
    /// The path shown in diagnostics (relative as the user typed it, or `Profiles/NAME.yaml` when bundled).
    public var path: String
    public var bytes: [UInt8]
    public var isBundled: Bool

    public init(name: String, path: String, bytes: [UInt8], isBundled: Bool) {
        self.name = name
        self.path = path
        self.bytes = bytes
        self.isBundled = isBundled
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Why the profile arguments or parameter pairs cannot be used: the caller's mistake (a usage error), which the
/// executable words with its own option names.
public enum ProfileInputError: Error, Sendable, Hashable {
    /// An argument that is neither a path nor a bundled profile name.
    case unknownProfile(String, suggestion: String?, bundled: [String])
    /// A parameter pair without `KEY=`.
    case malformedParameter(String)
    /// A parameter given twice.
    case repeatedParameter(String)
}

/// Turns PROFILE arguments (paths, directories or bundled names) into sources.
public enum ProfileInput {
    /// Reads every profile the arguments name; none means every bundled profile.
    /// Unreadable files and empty directories become diagnostics; an argument that is neither a path nor a
    /// bundled name is a usage error.
    public static func sources(for arguments: [String]) throws(ProfileInputError)
        -> (sources: [ProfileSource], diagnostics: [Diagnostic])
    {
        if arguments.isEmpty {
            return (BundledProfiles.names.compactMap(bundled), [])
        }
        var sources: [ProfileSource] = []
        var diagnostics: [Diagnostic] = []
        let fileManager = FileManager.default
        func add(_ result: Result<ProfileSource, DiagnosticFailure>) {
            switch result {
            case .success(let source): sources.append(source)
            case .failure(let failure): diagnostics.append(failure.diagnostic)
            }
        }
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: argument, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    add(read(argument))
                    continue
                }
                let entries = (try? fileManager.contentsOfDirectory(atPath: argument)) ?? []
                let profiles = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                if profiles.isEmpty {
                    diagnostics.append(
                        .error(
                            .noProfiles, "directory '\(argument)' holds no profiles (*.yaml or *.yml)",
                            at: SourceLocation(file: argument, line: 1, column: 1),
                            hint: "name a profile file, a directory of profiles, or a bundled profile"))
                }
                for entry in profiles { add(read(argument.hasSuffix("/") ? argument + entry : argument + "/" + entry)) }
            } else if let source = bundled(argument) {
                sources.append(source)
            } else {
                throw .unknownProfile(
                    argument, suggestion: Suggestions.closest(to: argument, in: BundledProfiles.names),
                    bundled: BundledProfiles.names)
            }
        }
        return (sources, diagnostics)
    }

    public static func bundled(_ name: String) -> ProfileSource? {
        guard let text = BundledProfiles.text(named: name) else { return nil }
        return ProfileSource(name: name, path: BundledProfiles.displayPath(for: name), bytes: Array(text.utf8), isBundled: true)
    }

    /// A diagnostic carried as an error value.
    public struct DiagnosticFailure: Error {
        public var diagnostic: Diagnostic
    }

    public static func read(_ path: String) -> Result<ProfileSource, DiagnosticFailure> {
        let location = SourceLocation(file: path, line: 1, column: 1)
        guard FileManager.default.isReadableFile(atPath: path) else {
            return .failure(
                DiagnosticFailure(
                    diagnostic: .error(
                        .unreadableFile, "cannot read '\(path)': permission denied", at: location,
                        hint: "check the file's permissions")))
        }
        // Refuse huge files before reading them whole.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            size > ProfileLoader.maximumSize
        {
            return .failure(
                DiagnosticFailure(
                    diagnostic: .error(
                        .fileTooLarge, "file is \(size) bytes; profiles are limited to \(ProfileLoader.maximumSize) bytes",
                        at: location, hint: "a profile is a few kilobytes of YAML; check that this is the right file")))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(DiagnosticFailure(diagnostic: .error(.unreadableFile, "cannot read '\(path)'", at: location)))
        }
        return .success(
            ProfileSource(name: ProfileLoader.profileName(forPath: path), path: path, bytes: Array(data), isBundled: false))
    }

    /// Parses repeated `KEY=VALUE` parameter pairs.
    public static func parameters(_ pairs: [String]) throws(ProfileInputError) -> [String: String] {
        var values: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { throw .malformedParameter(pair) }
            let key = String(pair[..<equals])
            if values[key] != nil { throw .repeatedParameter(key) }
            values[key] = String(pair[pair.index(after: equals)...])
        }
        return values
    }

    /// Texts by path, for caret snippets; arguments that cannot be read give none.
    public static func texts(for arguments: [String]) -> [String: String] {
        guard let sources = try? sources(for: arguments).sources else { return [:] }
        var texts: [String: String] = [:]
        for source in sources { texts[source.path] = source.text }
        return texts
    }
}

/// One profile loaded for the commands that act on it (render, preview, plan, apply), validated with exactly the
/// parameters it will be used with.
public struct SingleProfileLoad: Sendable {
    /// The resolved profile; nil when it cannot be used.
    public var resolved: ResolvedProfile?
    /// The findings to show, in output order (empty when there is nothing worth showing).
    public var diagnostics: [Diagnostic]
    /// File texts by path, for caret snippets.
    public var texts: [String: String]
    /// How many profiles the argument named (a directory can name several; exactly one is usable).
    public var profileCount: Int
    /// Whether the failure is the caller's parameter values rather than the profile (a usage error).
    public var isParameterUsage: Bool

    /// `policy` gives the diagnostics policy for the profile's file (nil for a bundled profile), so a profile is judged
    /// by the same rules as `validate` judges it.
    public static func load(
        _ argument: String, parameters given: [String: String],
        policy: (_ profilePath: String?) throws -> DiagnosticPolicy = { _ in DiagnosticPolicy() }
    ) throws -> SingleProfileLoad {
        let (sources, inputDiagnostics) = try ProfileInput.sources(for: [argument])
        guard sources.count == 1, let source = sources.first else {
            return SingleProfileLoad(
                resolved: nil, diagnostics: inputDiagnostics.sortedForOutput(), texts: [:], profileCount: sources.count,
                isParameterUsage: false)
        }
        let texts = [source.path: source.text]
        let rules = try policy(source.isBundled ? nil : source.path)
        let loaded = ProfileLoader.load(bytes: source.bytes, file: source.path, name: source.name)
        let loadDiagnostics = rules.apply(to: loaded.diagnostics)
        guard let profile = loaded.profile, !loadDiagnostics.hasErrors else {
            return SingleProfileLoad(
                resolved: nil, diagnostics: loadDiagnostics.sortedForOutput(), texts: texts, profileCount: 1,
                isParameterUsage: false)
        }
        var diagnostics = loaded.diagnostics + ProfileValidator.validate(profile, parameters: given)
        let (resolved, resolution) = profile.resolve(parameters: given)
        diagnostics += resolution.filter { !diagnostics.contains($0) }
        diagnostics = rules.apply(to: diagnostics)
        let shown = diagnostics.filter { $0.severity != .note || resolved == nil }.sortedForOutput()
        if diagnostics.hasErrors || resolved == nil {
            return SingleProfileLoad(
                resolved: nil, diagnostics: shown, texts: texts, profileCount: 1,
                isParameterUsage: diagnostics.errorsAreParameterUsage)
        }
        let worthShowing = shown.contains { $0.severity != .note }
        return SingleProfileLoad(
            resolved: resolved, diagnostics: worthShowing ? shown : [], texts: texts, profileCount: 1, isParameterUsage: false)
    }
}

extension Array where Element == Diagnostic {
    /// Whether every error is about the parameter values the user typed (unknown name, missing or disallowed
    /// value): a usage error, not a defect of the profile.
    public var errorsAreParameterUsage: Bool {
        let usage: Set<DiagnosticID> = [.unknownParameter, .missingParameter, .parameterValue]
        let errors = filter { $0.severity == .error }
        return !errors.isEmpty && errors.allSatisfy { usage.contains($0.id) }
    }
}
