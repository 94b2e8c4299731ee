import ArgumentParser
import Diagnostics
import Foundation
import Profiles

extension DiagnosticFormat: ExpressibleByArgument {}

struct ValidateMapping: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Validate vendor profiles offline.",
        discussion: """
            PROFILE is a profile file, a directory of profiles, or a bundled profile name; none means every \
            bundled profile. Parameters not given are checked with every allowed value (or the parameter's \
            example), so every variant of a profile is validated. \
            With --output FILE the report goes to FILE and stdout gets annotations for the CI system scimctl runs in \
            (GitHub Actions, Azure Pipelines) or text. In GitHub Actions a Markdown summary is appended to the job \
            summary. Rules are disabled with --disable or a policy file (the nearest .scimctl.yaml, see \
            docs/policy.md). Exit status: 0 no errors (and no warnings with --strict), 1 findings, 64 usage error \
            (including a bad --param value, an unknown --disable id or a broken policy file).
            """
    )

    @Argument(help: "Profile files, directories or bundled profile names.", completion: Completions.profile)
    var profiles: [String] = []

    @Option(
        name: .customLong("param"), help: ArgumentHelp("A profile parameter.", valueName: "KEY=VALUE"),
        completion: Completions.parameter)
    var parameters: [String] = []

    @Option(help: "Output format: text, json, github, sarif, junit, azure-devops or markdown.")
    var format: DiagnosticFormat = .text

    @Option(help: ArgumentHelp("Write the report to FILE; stdout then gets CI annotations or text.", valueName: "FILE"))
    var output: String?

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(help: "Apply the suggested fixes to the profile files in place, then report what is left.")
    var fix = false

    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        let given = try ProfileInput.parameters(parameters)
        var (sources, inputDiagnostics) = try ProfileInput.sources(for: profiles)
        var fixFailed = false
        // A broken policy file stops the run before --fix touches anything.
        var policies: [String: DiagnosticPolicy] = [:]
        for source in sources {
            _ = try policy.choice.policy(forProfileAt: source.isBundled ? nil : source.path, cache: &policies)
        }
        if fix {
            let (fixed, failed) = applyFixes(to: sources, parameters: given)
            fixFailed = failed
            if fixed > 0 {
                Output.errLine("applied \(fixed) fix\(fixed == 1 ? "" : "es")")
                (sources, inputDiagnostics) = try ProfileInput.sources(for: profiles)
            }
        }
        var report = try validate(sources, inputDiagnostics: inputDiagnostics, parameters: given)
        report.strict = strict
        if let output {
            try ReportFiles.write(format.renderer(color: false).render(report), to: output)
            let annotations = CIEnvironment.annotationFormat
            Output.out(annotations.renderer(color: annotations == .text && Output.colorEnabled(forStdout: true)).render(report))
        } else {
            let color = format == .text && Output.colorEnabled(forStdout: true)
            Output.out(format.renderer(color: color).render(report))
        }
        ReportFiles.appendToStepSummary(MarkdownDiagnosticRenderer().render(report))
        if report.allDiagnostics.errorsAreParameterUsage { throw ExitCode.validationFailure }
        if report.failed || fixFailed { throw ExitCode.failure }
    }

    func validate(_ sources: [ProfileSource], inputDiagnostics: [Diagnostic], parameters given: [String: String])
        throws -> ValidationReport
    {
        // Each profile is judged by the policy plan and apply would use for it (the nearest .scimctl.yaml).
        var policies: [String: DiagnosticPolicy] = [:]
        var entries: [ValidationReport.Entry] = []
        var texts: [String: String] = [:]
        var loaded: [(ProfileSource, Profile?, [Diagnostic])] = []
        for source in sources {
            let result = ProfileLoader.load(bytes: source.bytes, file: source.path, name: source.name)
            texts[source.path] = String(decoding: source.bytes, as: UTF8.self)
            loaded.append((source, result.profile, result.diagnostics))
        }
        // With several profiles, a parameter only has to be known to one of them.
        let knownAnywhere = Set(loaded.compactMap(\.1).flatMap { $0.parameters.map(\.name) })
        for (source, profile, loadDiagnostics) in loaded {
            var diagnostics = loadDiagnostics
            if let profile {
                let own = Set(profile.parameters.map(\.name))
                let relevant = loaded.count == 1 ? given : given.filter { own.contains($0.key) || !knownAnywhere.contains($0.key) }
                diagnostics += ProfileValidator.validate(profile, parameters: relevant)
            }
            let rules = try policy.choice.policy(forProfileAt: source.isBundled ? nil : source.path, cache: &policies)
            diagnostics = rules.apply(to: diagnostics).sortedForOutput()
            entries.append(ValidationReport.Entry(name: source.name, path: source.path, diagnostics: diagnostics))
        }
        if !inputDiagnostics.isEmpty {
            let rules = try policy.choice.policy(forProfileAt: nil, cache: &policies)
            entries.append(ValidationReport.Entry(name: "(input)", path: "", diagnostics: rules.apply(to: inputDiagnostics)))
        }
        return ValidationReport(entries: entries, texts: texts)
    }

    /// Applies the provable fix-its to files on disk (bundled profiles are read-only). Returns how many were
    /// applied and whether any could not be (a read-only file, an edit that could not be proved): those are reported
    /// on stderr and make the command fail.
    func applyFixes(to sources: [ProfileSource], parameters: [String: String]) -> (applied: Int, failed: Bool) {
        var applied = 0
        var failed = false
        let fileManager = FileManager.default
        for source in sources where !source.isBundled {
            let text = String(decoding: source.bytes, as: UTF8.self)
            let result = ProfileFixer.fix(text: text, file: source.path, name: source.name, parameters: parameters)
            for refusal in result.refused {
                let at = refusal.fixIt.location
                Output.errLine(
                    "\(Output.escapedForTerminal(source.path)):\(at.line):\(at.column): fix not applied: \(refusal.reason)")
                failed = true
            }
            guard result.applied > 0 else { continue }
            // A file nobody may write is read-only on purpose, even for root (who could write it anyway).
            let permissions = (try? fileManager.attributesOfItem(atPath: source.path)[.posixPermissions] as? Int) ?? 0o644
            guard permissions & 0o222 != 0, fileManager.isWritableFile(atPath: source.path) else {
                Output.errLine(
                    "error: cannot apply \(result.applied) fix\(result.applied == 1 ? "" : "es") to "
                        + "\(Output.escapedForTerminal(source.path)): the file is read-only")
                failed = true
                continue
            }
            do {
                try result.text.write(toFile: source.path, atomically: true, encoding: .utf8)
            } catch {
                Output.errLine("error: cannot write \(Output.escapedForTerminal(source.path)): \(error.localizedDescription)")
                failed = true
                continue
            }
            // Re-read what was written: the file on disk must be exactly the text that was proved.
            guard let written = fileManager.contents(atPath: source.path), written == Data(result.text.utf8) else {
                Output.errLine("error: \(Output.escapedForTerminal(source.path)) changed while it was being fixed; check it")
                failed = true
                continue
            }
            applied += result.applied
        }
        return (applied, failed)
    }
}
