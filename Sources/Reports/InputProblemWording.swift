import GraphHTTP
import VendorProfiles
import Provisioning

/// Problems with what the user gave (profile arguments, `--param`, directories, files to fix), worded with the
/// executable's option names.
public enum InputProblemWording {
    /// A profile argument or `--param` pair that cannot be used (a usage error).
    public static func profileInput(_ error: ProfileInputError) -> String {
        switch error {
        case .unknownProfile(let name, let suggestion, let bundled):
            "no profile file or bundled profile named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (bundled: \(bundled.joined(separator: ", ")))"
        case .malformedParameter(let pair): "--param takes KEY=VALUE, not '\(pair)'"
        case .repeatedParameter(let key): "--param \(key) is given twice"
        }
    }

    /// A directory option (`--output`, `--backup-dir`) that cannot take what the command would write.
    public static func directory(_ problem: WritableDirectory.Problem, path: String, option: String) -> String {
        let named = "\(option) '\(TerminalText.escaped(path))'"
        return switch problem {
        case .emptyPath: "\(option) needs a directory path, not an empty string"
        case .isAFile: "\(named) is a file, not a directory; nothing was written"
        case .notWritable: "\(named) is not writable; nothing was written"
        case .underAFile: "\(named) lies under a file, not a directory; nothing was written"
        case .ancestorNotWritable(let ancestor): "\(named) cannot be created: '\(ancestor)' is not writable; nothing was written"
        }
    }

    /// A policy that could not be had: a usage error's text, or for a file with errors the line after its diagnostics.
    /// Nil for a file too large to read, whose diagnostic says so.
    public static func policy(_ problem: PolicyChoice.Problem) -> String? {
        switch problem {
        case .disable(let refusal): "--disable: " + TerminalText.escaped(refusal.message)
        case .notFound(let file): "--policy: no policy file '\(TerminalText.escaped(file))'"
        case .notRegularFile(let file): "the policy file '\(TerminalText.escaped(file))' is not a regular file"
        case .tooLarge: nil
        case .unreadable(let file, let discovered):
            "cannot read the policy file '\(TerminalText.escaped(file))'" + (discovered ? " (found next to the profile)" : "")
        case .hasErrors(let file): "error: the policy file '\(TerminalText.escaped(file))' has errors; nothing was checked"
        }
    }

    /// A fix that could not be written, as one stderr line.
    public static func fix(_ problem: ProfileFileFixer.Problem) -> String {
        switch problem {
        case .refused(let file, let line, let column, let reason):
            "\(TerminalText.escaped(file)):\(line):\(column): fix not applied: \(reason)"
        case .readOnly(let file, let fixes):
            "error: cannot apply \(fixes) fix\(fixes == 1 ? "" : "es") to \(TerminalText.escaped(file)): the file is read-only"
        case .writeFailed(let file, let reason): "error: cannot write \(TerminalText.escaped(file)): \(reason)"
        case .changedWhileFixing(let file): "error: \(TerminalText.escaped(file)) changed while it was being fixed; check it"
        }
    }

    /// Graph connection options that cannot work.
    public static func graphSettings(_ problem: GraphSettingsProblem) -> String {
        switch problem {
        case .unknownCloud(let name): "unknown cloud '\(name)'; use one of \(GraphCloud.all.map(\.name).joined(separator: ", "))"
        case .nonPositiveTimeout: "--timeout must be positive"
        case .unreadableCACertificate(let path): "--cacert '\(path)' is not a readable file"
        }
    }

    /// `probe`'s options that cannot work.
    public static func probeSettings(_ problem: SCIMProbe.SettingsProblem) -> String {
        switch problem {
        case .timeoutOutOfRange: "--timeout must be between 0 and 3600 seconds"
        case .tenantURL(let reason): "--tenant-url: \(reason)"
        case .unreadableCACertificate(let path): "--cacert: cannot read '\(path)'"
        }
    }
}
