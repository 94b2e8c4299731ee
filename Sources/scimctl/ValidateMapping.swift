import ArgumentParser
import Diagnostics
import VendorProfiles
import Reports

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
            summary. Policy files: docs/policy.md. Exit status: 0 no errors (and no warnings with --strict), \
            1 findings, 64 usage error (including a bad --param value, an unknown --disable id or a broken policy file).
            """
    )

    @Argument(help: "Profile files, directories or bundled profile names.", completion: Completions.profile)
    var profiles: [String] = []

    @OptionGroup var parameters: ParameterOptions
    @OptionGroup var format: FormatOption<DiagnosticFormat>
    @OptionGroup var report: ReportFileOption

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(help: "Apply the suggested fixes to the profile files in place, then report what is left.")
    var fix = false

    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        let given = try parameters.values
        let (result, fixes) = try usage {
            try ValidationReport.run(profiles, parameters: given, fix: fix, strict: strict) { try policy.choice.policies(for: $0) }
        }
        fixes?.problems.forEach { Output.errLine(InputProblemWording.fix($0)) }
        if let applied = fixes?.applied, applied > 0 { Output.errLine("applied \(applied) fix\(applied == 1 ? "" : "es")") }
        // Beside a report file, stdout gets annotations for the CI system scimctl runs in (or text).
        try report.deliver(
            { format.format.renderer(color: $0.enabled, toolVersion: Scimctl.version).render(result) },
            terminal: { CIEnvironment().annotationFormat.renderer(color: $0.enabled, toolVersion: Scimctl.version).render(result) })
        Output.stepSummary(MarkdownDiagnosticRenderer().render(result))
        if result.allDiagnostics.errorsAreParameterUsage { throw ExitCode.validationFailure }
        if result.failed || fixes?.failed == true { throw ExitCode.failure }
    }
}
