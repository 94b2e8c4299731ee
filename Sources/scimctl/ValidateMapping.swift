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
            summary. Exit status: 0 no errors (and no warnings with --strict), 1 findings, 64 usage error \
            (including a bad --param value).
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

    @Option(name: .customLong("disable"), help: ArgumentHelp("Silence a rule by its id.", valueName: "ID"))
    var disabledRules: [String] = []

    func run() async throws {
        let given = try ProfileInput.parameters(parameters)
        var (sources, inputDiagnostics) = try ProfileInput.sources(for: profiles)
        if fix {
            let fixed = applyFixes(to: sources, parameters: given)
            if fixed > 0 {
                Output.errLine("applied \(fixed) fix\(fixed == 1 ? "" : "es")")
                (sources, inputDiagnostics) = try ProfileInput.sources(for: profiles)
            }
        }
        var report = validate(sources, inputDiagnostics: inputDiagnostics, parameters: given)
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
        if report.failed { throw ExitCode.failure }
    }

    func validate(_ sources: [ProfileSource], inputDiagnostics: [Diagnostic], parameters given: [String: String])
        -> ValidationReport
    {
        let silenced = Set(disabledRules.map(DiagnosticID.init(rawValue:)))
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
            diagnostics = diagnostics.filter { !silenced.contains($0.id) }.sortedForOutput()
            entries.append(ValidationReport.Entry(name: source.name, path: source.path, diagnostics: diagnostics))
        }
        if !inputDiagnostics.isEmpty {
            entries.append(
                ValidationReport.Entry(
                    name: "(input)", path: "", diagnostics: inputDiagnostics.filter { !silenced.contains($0.id) }))
        }
        return ValidationReport(entries: entries, texts: texts)
    }

    /// Applies every fix-it to files on disk (bundled profiles are read-only). Returns how many were applied.
    func applyFixes(to sources: [ProfileSource], parameters: [String: String]) -> Int {
        var applied = 0
        for source in sources where !source.isBundled {
            let result = ProfileLoader.load(bytes: source.bytes, file: source.path, name: source.name)
            var fixes = result.diagnostics.compactMap(\.fixIt)
            if let profile = result.profile, !result.diagnostics.hasErrors {
                fixes += ProfileValidator.validate(profile, parameters: parameters).compactMap(\.fixIt)
            }
            fixes = fixes.filter { $0.location.file == source.path }
            guard !fixes.isEmpty else { continue }
            let text = String(decoding: source.bytes, as: UTF8.self)
            let (rewritten, count) = FixApplier.apply(Array(Set(fixes)), to: text)
            guard count > 0, (try? rewritten.write(toFile: source.path, atomically: true, encoding: .utf8)) != nil
            else { continue }
            applied += count
        }
        return applied
    }
}

/// Applies non-overlapping fix-its to a text, last first so earlier positions stay valid.
enum FixApplier {
    static func apply(_ fixes: [FixIt], to text: String) -> (String, Int) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        let ordered = fixes.sorted {
            ($0.location.line, $0.location.column) > ($1.location.line, $1.location.column)
        }
        var count = 0
        var lastStart: (Int, Int)?
        for fix in ordered {
            let lineIndex = fix.location.line - 1
            let start = fix.location.column - 1
            guard lineIndex >= 0, lineIndex < lines.count, start >= 0, start + fix.length <= lines[lineIndex].count
            else { continue }
            // Skip a fix that overlaps one already applied on the same line.
            if let (line, column) = lastStart, line == lineIndex, start + fix.length > column { continue }
            let replacement =
                isInsideDoubleQuotedValue(lines[lineIndex], column: start) ? escapedForDoubleQuotes(fix.replacement) : fix.replacement
            lines[lineIndex].replaceSubrange(start..<start + fix.length, with: Array(replacement.unicodeScalars))
            lastStart = (lineIndex, start)
            count += 1
        }
        let rewritten = lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
        return (rewritten, count)
    }

    /// Whether `column` falls inside a double-quoted YAML value on this line (`key: "…"` or `- "…"`), where a
    /// straight quote or backslash in a fix must be escaped to keep the YAML valid.
    static func isInsideDoubleQuotedValue(_ line: [Unicode.Scalar], column: Int) -> Bool {
        // The value starts after the first `: "` (a mapping value) or after a leading `- "` (a list item).
        var valueStart: Int?
        for index in line.indices.dropLast(2) where line[index] == ":" && line[index + 1] == " " && line[index + 2] == "\"" {
            valueStart = index + 3
            break
        }
        let indent = line.prefix { $0 == " " }.count
        if valueStart == nil, indent + 2 < line.count, line[indent] == "-", line[indent + 1] == " ", line[indent + 2] == "\"" {
            valueStart = indent + 3
        }
        guard let valueStart else { return false }
        return column >= valueStart
    }

    static func escapedForDoubleQuotes(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
