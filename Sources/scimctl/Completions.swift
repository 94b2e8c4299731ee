import ArgumentParser
import VendorProfiles

/// Shell completion for profile arguments and `--param`: bundled profile names and their parameter names.
enum Completions {
    /// Bundled profile names; files still complete through the shell's own path completion after a `/` or `.`.
    static let profile = CompletionKind.custom { _, _, prefix in
        BundledProfiles.names.filter { $0.hasPrefix(prefix) }
    }

    /// `KEY=` for every parameter of every bundled profile, plus the allowed values once a key is typed.
    static let parameter = CompletionKind.custom { _, _, prefix in
        BundledProfiles.parameterWords.filter { $0.hasPrefix(prefix) }
    }
}
