import Diagnostics
import Foundation
import Yams

extension DiagnosticID {
    public static let policyInvalid: DiagnosticID = "policy.invalid"
    public static let policyUnknownKey: DiagnosticID = "policy.unknown-key"
    public static let policyUnknownRule: DiagnosticID = "policy.unknown-rule"
    public static let policyLockedRule: DiagnosticID = "policy.locked-rule"
}

/// A project's diagnostics policy, `.scimctl.yaml`:
///
///     disable: [profile.no-assignments]      # rules that are off
///     severity:                              # rules reported at another severity
///       probe.matching-not-unique: error
///
/// Loading never traps: a hostile or malformed file comes back as diagnostics and no policy.
public enum PolicyFile {
    public static let fileName = ".scimctl.yaml"
    /// A policy is a few lines; anything larger is not one.
    public static let maximumSize = 64 * 1024
    /// Entries in `disable` plus `severity`: far more than there are rules.
    static let maximumEntries = 1_000

    public struct Result: Sendable {
        /// Nil when the file has any error: a command must not run under half a policy.
        public var policy: DiagnosticPolicy?
        public var diagnostics: [Diagnostic]
    }

    public static func load(bytes: [UInt8], file: String) -> Result {
        let start = SourceLocation(file: file, line: 1, column: 1)
        func failed(_ diagnostic: Diagnostic) -> Result { Result(policy: nil, diagnostics: [diagnostic]) }
        if bytes.count > maximumSize {
            return failed(
                .error(.fileTooLarge, "policy file is \(bytes.count) bytes; the limit is \(maximumSize)", at: start,
                       hint: "a policy lists rule ids; check that this is the right file"))
        }
        if bytes.contains(0) {
            return failed(.error(.binaryFile, "policy file holds binary data, not YAML text", at: start))
        }
        guard let original = String(validating: bytes, as: UTF8.self) else {
            return failed(.error(.binaryFile, "policy file is not valid UTF-8 text", at: start, hint: "save it as UTF-8"))
        }
        let text = original.unicodeScalars.first == "\u{FEFF}" ? String(original.unicodeScalars.dropFirst()) : original
        if let deep = NestingScan.firstExcess(in: text, file: file) { return failed(deep) }
        let root: Node
        do {
            // An empty file (or only comments) is an empty policy.
            guard let composed = try Yams.compose(yaml: text) else { return Result(policy: DiagnosticPolicy(), diagnostics: []) }
            root = composed
        } catch let error as YamlError {
            return failed(ProfileLoader.diagnostic(for: error, file: file))
        } catch {
            return failed(.error(.yamlSyntax, "could not read YAML: \(error)", at: start))
        }
        var reader = Reader(file: file)
        let policy = reader.read(root)
        return Result(policy: reader.diagnostics.hasErrors ? nil : policy, diagnostics: reader.diagnostics)
    }

    /// The policy file that applies to `directory`: the first `.scimctl.yaml` in it or a parent, stopping after the
    /// repository root (a directory holding `.git`) or the filesystem root.
    public static func discover(from directory: String) -> String? {
        let fileManager = FileManager.default
        var current = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        // Bounded: a path has finitely many parents, but a hostile symlink loop must not spin.
        for _ in 0..<256 {
            let candidate = current.appendingPathComponent(fileName).path
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            if fileManager.fileExists(atPath: current.appendingPathComponent(".git").path) { return nil }
            let parent = current.deletingLastPathComponent().standardizedFileURL
            if parent.path == current.path { return nil }
            current = parent
        }
        return nil
    }

    private struct Reader {
        let file: String
        var diagnostics: [Diagnostic] = []
        var entries = 0

        init(file: String) { self.file = file }

        func location(_ node: Node) -> SourceLocation {
            guard let mark = node.mark else { return SourceLocation(file: file, line: 1, column: 1) }
            return SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
        }

        mutating func read(_ root: Node) -> DiagnosticPolicy {
            var policy = DiagnosticPolicy()
            guard case .mapping(let mapping) = root else {
                diagnostics.append(
                    .error(.policyInvalid, "a policy file is a mapping with 'disable' and 'severity'", at: location(root),
                           hint: "write: disable: [RULE-ID, …]"))
                return policy
            }
            for (key, value) in mapping {
                switch key.string {
                case "disable":
                    readDisable(value, into: &policy)
                case "severity":
                    readSeverities(value, into: &policy)
                default:
                    let name = key.string ?? "?"
                    let suggestion = Suggestions.closest(to: name, in: ["disable", "severity"])
                    diagnostics.append(
                        .error(.policyUnknownKey, "unknown key '\(name)' in the policy file", at: location(key),
                               hint: suggestion.map { "did you mean '\($0)'?" } ?? "the keys are 'disable' and 'severity'"))
                }
            }
            return policy
        }

        /// Counts an entry; false (with one diagnostic) once there are too many to be a policy.
        mutating func admit(_ node: Node) -> Bool {
            entries += 1
            if entries == PolicyFile.maximumEntries + 1 {
                diagnostics.append(
                    .error(.policyInvalid, "policy file has more than \(PolicyFile.maximumEntries) entries", at: location(node)))
            }
            return entries <= PolicyFile.maximumEntries
        }

        mutating func refuse(_ refusal: DiagnosticPolicy.Refusal, at node: Node) {
            switch refusal {
            case .unknownRule(let text, let suggestion):
                diagnostics.append(
                    .error(.policyUnknownRule, "unknown rule '\(text)' (scimctl rules lists them)", at: location(node),
                           hint: suggestion.map { "did you mean '\($0)'?" }))
            case .locked(let rule):
                diagnostics.append(
                    .error(.policyLockedRule, refusal.message, at: location(node),
                           hint: "fix what '\(rule.id)' reports instead; scimctl explain \(rule.id)"))
            }
        }

        mutating func readDisable(_ node: Node, into policy: inout DiagnosticPolicy) {
            guard case .sequence(let items) = node else {
                if case .scalar(let scalar) = node, scalar.string.isEmpty, scalar.style == .plain { return }
                diagnostics.append(
                    .error(.policyInvalid, "'disable' takes a list of rule ids", at: location(node),
                           hint: "write: disable: [RULE-ID, …]"))
                return
            }
            for item in items {
                guard admit(item) else { return }
                guard case .scalar(let scalar) = item else {
                    diagnostics.append(.error(.policyInvalid, "a 'disable' entry is a rule id", at: location(item)))
                    continue
                }
                do {
                    try policy.disable(scalar.string)
                } catch {
                    refuse(error, at: item)
                }
            }
        }

        mutating func readSeverities(_ node: Node, into policy: inout DiagnosticPolicy) {
            guard case .mapping(let mapping) = node else {
                if case .scalar(let scalar) = node, scalar.string.isEmpty, scalar.style == .plain { return }
                diagnostics.append(
                    .error(.policyInvalid, "'severity' maps rule ids to note, warning or error", at: location(node),
                           hint: "write: severity: { RULE-ID: error }"))
                return
            }
            for (key, value) in mapping {
                guard admit(key) else { return }
                guard case .scalar(let id) = key else {
                    diagnostics.append(.error(.policyInvalid, "a 'severity' key is a rule id", at: location(key)))
                    continue
                }
                guard case .scalar(let level) = value, let severity = Severity(rawValue: level.string) else {
                    diagnostics.append(
                        .error(.policyInvalid, "the severity of '\(id.string)' must be note, warning or error",
                               at: location(value)))
                    continue
                }
                do {
                    try policy.setSeverity(severity, for: id.string)
                } catch {
                    refuse(error, at: key)
                }
            }
        }
    }
}
