import ArgumentParser
import Diagnostics
import Foundation
import VendorProfiles

/// A profile's text and where it came from.
struct ProfileSource {
    var name: String
    /// The path shown in diagnostics (relative as the user typed it, or `Profiles/NAME.yaml` when bundled).
    var path: String
    var bytes: [UInt8]
    var isBundled: Bool
}

/// Turns PROFILE arguments (paths, directories or bundled names) into sources.
enum ProfileInput {
    /// Reads every profile the arguments name; none means every bundled profile.
    /// Unreadable files and empty directories become diagnostics; an argument that is neither a path nor a
    /// bundled name is a usage error.
    static func sources(for arguments: [String]) throws -> (sources: [ProfileSource], diagnostics: [Diagnostic]) {
        if arguments.isEmpty {
            return (BundledProfiles.names.compactMap(bundled), [])
        }
        var sources: [ProfileSource] = []
        var diagnostics: [Diagnostic] = []
        let fileManager = FileManager.default
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: argument, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    let entries = (try? fileManager.contentsOfDirectory(atPath: argument)) ?? []
                    let profiles = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                    if profiles.isEmpty {
                        diagnostics.append(
                            .error(
                                .noProfiles, "directory '\(argument)' holds no profiles (*.yaml or *.yml)",
                                at: SourceLocation(file: argument, line: 1, column: 1),
                                hint: "name a profile file, a directory of profiles, or a bundled profile"))
                    }
                    for entry in profiles {
                        let path = argument.hasSuffix("/") ? argument + entry : argument + "/" + entry
                        switch read(path) {
                        case .success(let source): sources.append(source)
                        case .failure(let failure): diagnostics.append(failure.diagnostic)
                        }
                    }
                } else {
                    switch read(argument) {
                    case .success(let source): sources.append(source)
                    case .failure(let failure): diagnostics.append(failure.diagnostic)
                    }
                }
            } else if let source = bundled(argument) {
                sources.append(source)
            } else {
                let suggestion = Suggestions.closest(to: argument, in: BundledProfiles.names)
                throw ValidationError(
                    "no profile file or bundled profile named '\(argument)'"
                        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                        + " (bundled: \(BundledProfiles.names.joined(separator: ", ")))")
            }
        }
        return (sources, diagnostics)
    }

    static func bundled(_ name: String) -> ProfileSource? {
        guard let text = BundledProfiles.text(named: name) else { return nil }
        return ProfileSource(name: name, path: BundledProfiles.displayPath(for: name), bytes: Array(text.utf8), isBundled: true)
    }

    static func read(_ path: String) -> Result<ProfileSource, DiagnosticError> {
        let location = SourceLocation(file: path, line: 1, column: 1)
        guard FileManager.default.isReadableFile(atPath: path) else {
            return .failure(
                DiagnosticError(
                    .error(.unreadableFile, "cannot read '\(path)': permission denied", at: location,
                           hint: "check the file's permissions")))
        }
        // Refuse huge files before reading them whole.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            size > ProfileLoader.maximumSize
        {
            return .failure(
                DiagnosticError(
                    .error(
                        .fileTooLarge, "file is \(size) bytes; profiles are limited to \(ProfileLoader.maximumSize) bytes",
                        at: location, hint: "a profile is a few kilobytes of YAML; check that this is the right file")))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(DiagnosticError(.error(.unreadableFile, "cannot read '\(path)'", at: location)))
        }
        return .success(
            ProfileSource(name: ProfileLoader.profileName(forPath: path), path: path, bytes: Array(data), isBundled: false))
    }

    /// Parses repeated `--param KEY=VALUE` options.
    static func parameters(_ pairs: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--param takes KEY=VALUE, not '\(pair)'")
            }
            let key = String(pair[..<equals])
            if values[key] != nil { throw ValidationError("--param \(key) is given twice") }
            values[key] = String(pair[pair.index(after: equals)...])
        }
        return values
    }
}

/// A diagnostic carried as an error value.
struct DiagnosticError: Error {
    var diagnostic: Diagnostic
    init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
}
