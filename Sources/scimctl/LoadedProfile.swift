import ArgumentParser
import Diagnostics
import Profiles

/// Loads one profile for the commands that act on it (render, preview, plan, apply): validates it with the given
/// parameters, prints any findings on stderr, and fails before anything else happens when one is an error.
enum LoadedProfile {
    /// `policy` is the command's `--policy`/`--disable` choice; commands without those flags still read the
    /// nearest `.scimctl.yaml`, so every command judges the profile as validate does.
    static func resolve(_ argument: String, parameters pairs: [String], policy choice: PolicyChoice = PolicyChoice())
        throws -> ResolvedProfile
    {
        let given = try ProfileInput.parameters(pairs)
        let (sources, inputDiagnostics) = try ProfileInput.sources(for: [argument])
        guard sources.count == 1, let source = sources.first else {
            report(inputDiagnostics, texts: [:])
            if sources.count > 1 {
                throw ValidationError("'\(argument)' names \(sources.count) profiles; name exactly one")
            }
            throw ExitCode.failure
        }
        let texts = [source.path: String(decoding: source.bytes, as: UTF8.self)]
        let policy = try choice.policy(forProfileAt: source.isBundled ? nil : source.path)
        let loaded = ProfileLoader.load(bytes: source.bytes, file: source.path, name: source.name)
        let loadDiagnostics = policy.apply(to: loaded.diagnostics)
        guard let profile = loaded.profile, !loadDiagnostics.hasErrors else {
            report(loadDiagnostics, texts: texts)
            throw ExitCode.failure
        }
        // Validate exactly the variant that will be used (given values, then defaults).
        var diagnostics = loaded.diagnostics + ProfileValidator.validate(profile, parameters: given)
        let (resolved, resolution) = profile.resolve(parameters: given)
        diagnostics += resolution.filter { !diagnostics.contains($0) }
        diagnostics = policy.apply(to: diagnostics)
        let shown = diagnostics.filter { $0.severity != .note || resolved == nil }
        if diagnostics.hasErrors || resolved == nil {
            report(shown, texts: texts)
            // A bad --param value is the caller's mistake, not the profile's: a usage error.
            throw diagnostics.errorsAreParameterUsage ? ExitCode.validationFailure : ExitCode.failure
        }
        if !shown.filter({ $0.severity != .note }).isEmpty { report(shown, texts: texts) }
        guard let resolved else { throw ExitCode.failure }
        return resolved
    }

    static func report(_ diagnostics: [Diagnostic], texts: [String: String]) {
        let renderer = TextRenderer(style: Style(enabled: Output.colorEnabled(forStdout: false)))
        for diagnostic in diagnostics.sortedForOutput() {
            Output.err(renderer.line(for: diagnostic, texts: texts))
        }
    }
}
