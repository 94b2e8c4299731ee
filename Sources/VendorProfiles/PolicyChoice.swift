import Diagnostics
import Foundation

/// Which policy a command runs under: an explicit file or the one found next to the profile, plus `--disable`.
/// Finding, checking and reading the file happen here; the executable only words a `Problem` and prints diagnostics.
public struct PolicyChoice: Sendable {
    /// `--policy FILE`, or nil to discover the nearest `.scimctl.yaml`.
    public var file: String?
    /// `--disable` ids.
    public var disabled: [String]
    /// How a file's path appears in diagnostics and problems (relative to the current directory, say).
    public var displayPath: @Sendable (String) -> String

    public init(file: String? = nil, disabled: [String] = [], displayPath: @escaping @Sendable (String) -> String = { $0 }) {
        self.file = file
        self.disabled = disabled
        self.displayPath = displayPath
    }

    /// Why no policy could be had; every case stops the command before it checks anything.
    public enum Problem: Error, Equatable {
        /// `--disable ID` names an unknown or locked rule.
        case disable(DiagnosticPolicy.Refusal)
        case notFound(file: String)
        /// A FIFO or device would block or never end: only a regular file can be a policy.
        case notRegularFile(file: String)
        /// Refused before reading it whole.
        case tooLarge(file: String, diagnostics: [Diagnostic])
        /// `discovered`: the file was found next to the profile rather than named with `--policy`.
        case unreadable(file: String, discovered: Bool)
        /// The diagnostics were reported when the file was loaded.
        case hasErrors(file: String)
    }

    /// A policy file that was read: its policy and what it reported (warnings, or the errors behind `hasErrors`).
    public struct Report: Sendable {
        public var diagnostics: [Diagnostic]
        /// Source texts by displayed path, for excerpts.
        public var texts: [String: String]
    }

    /// The policy of the `--disable` flags alone.
    public func flags() throws(Problem) -> DiagnosticPolicy {
        var policy = DiagnosticPolicy()
        for id in disabled {
            do {
                try policy.disable(id)
            } catch {
                throw .disable(error)
            }
        }
        return policy
    }

    /// The policy for a profile at `path` (nil for a bundled profile): `--policy FILE`, else the nearest
    /// `.scimctl.yaml` from the profile's directory, else from the current directory; then `--disable` on top.
    /// A file is read once per `cache`; what it reports goes to `report` (also when it then fails with `hasErrors`).
    public func policy(
        forProfileAt path: String?, cache: inout [String: DiagnosticPolicy], report: (Report) -> Void
    ) throws(Problem) -> DiagnosticPolicy {
        let flags = try flags()
        guard let file = file ?? Self.discover(forProfileAt: path) else { return flags }
        if let known = cache[file] { return known.merging(flags) }
        let loaded = try load(file, report: report)
        cache[file] = loaded
        return loaded.merging(flags)
    }

    /// Validate's policies, as `ValidationReport.validate` takes them: each source's own, and the current
    /// directory's for input problems that name no profile. Every policy file is read before anything is checked.
    public func policies(
        for sources: [ProfileSource], cache: inout [String: DiagnosticPolicy], report: (Report) -> Void
    ) throws(Problem) -> @Sendable (_ profilePath: String?) -> DiagnosticPolicy {
        var bySource: [String: DiagnosticPolicy] = [:]
        for source in sources {
            bySource[source.path] = try policy(forProfileAt: source.isBundled ? nil : source.path, cache: &cache, report: report)
        }
        let input = try policy(forProfileAt: nil, cache: &cache, report: report)
        return { [bySource] path in path.flatMap { bySource[$0] } ?? input }
    }

    /// The policy file for a profile at `path`: the nearest one from the profile's directory, else from the current one.
    public static func discover(
        forProfileAt path: String?, currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String? {
        if let path {
            let directory = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
                .deletingLastPathComponent().path
            if let found = PolicyFile.discover(from: directory) { return found }
        }
        return PolicyFile.discover(from: currentDirectory)
    }

    func load(_ file: String, report: (Report) -> Void) throws(Problem) -> DiagnosticPolicy {
        let display = displayPath(file)
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .notFound(file: display)
        }
        let attributes = (try? fileManager.attributesOfItem(atPath: file)) ?? [:]
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw .notRegularFile(file: display)
        }
        if let size = attributes[.size] as? Int, size > PolicyFile.maximumSize {
            throw .tooLarge(
                file: display,
                diagnostics: [.error(.fileTooLarge, "policy file is \(size) bytes; the limit is \(PolicyFile.maximumSize)",
                                     at: SourceLocation(file: display, line: 1, column: 1))])
        }
        guard fileManager.isReadableFile(atPath: file), let data = fileManager.contents(atPath: file) else {
            throw .unreadable(file: display, discovered: self.file == nil)
        }
        let result = PolicyFile.load(bytes: Array(data), file: display)
        if !result.diagnostics.isEmpty {
            report(Report(diagnostics: result.diagnostics, texts: [display: String(decoding: data, as: UTF8.self)]))
        }
        guard let policy = result.policy else { throw .hasErrors(file: display) }
        return policy
    }
}
