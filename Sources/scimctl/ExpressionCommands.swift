import ArgumentParser
import Diagnostics
import Expressions
import Foundation
import GraphModel
import ProfileTranslation
import Reports
import VendorProfiles

extension SourceObjectType: ExpressibleByArgument {}

struct ValidateExpression: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expression",
        abstract: "Check one attribute-mapping expression: syntax, functions, arity and (with --object) attributes.",
        discussion: """
            Exit status: 0 valid, 1 invalid, 64 usage error. --format json prints the Graph attributeMappingSource tree. \
            An expression that begins with '-' goes after '--': scimctl validate expression -- '-x'.
            """
    )

    @Argument(help: "The expression, e.g. 'Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")'.")
    var expression: String

    @Option(help: "Check attribute references against Entra ID user or group attributes.")
    var object: SourceObjectType?

    @OptionGroup var format: FormatOption<PlanFormat>

    func run() async throws {
        let file = "<expression>"
        let checked = ExpressionChecker.check(expression, object: object, at: SourceLocation(file: file, line: 1, column: 1))
        switch format.format {
        case .text:
            let style = Style(enabled: Output.colorEnabled(forStdout: true))
            Output.out(ExpressionRendering.text(checked, expression: expression, file: file, style: style))
        case .json:
            Output.out(ExpressionRendering.json(checked, expression: expression).serialized(pretty: true) + "\n")
        }
        if !checked.isValid { throw ExitCode.failure }
    }
}

struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a profile's user mappings against a sample user and print the SCIM resource the vendor receives.",
        discussion: """
            FILE.json holds Entra ID attributes: {"givenName":"Ana","surname":"Silva","mail":"ana@contoso.com", \
            "mobile":"+44 1234 567890","IsSoftDeleted":false}. Vendor value formats are checked on the results \
            (TeleMessage digits-only mobile numbers, Eptura RFC 3966 phone numbers). Exit 1 when any check fails.
            """
    )

    @Argument(help: "A profile file or bundled profile name.", completion: Completions.profile)
    var profile: String

    @Option(help: ArgumentHelp("A JSON file with the sample user's Entra ID attributes.", valueName: "FILE.json"))
    var user: String

    @OptionGroup var parameters: ParameterOptions

    @Option(name: .customLong("app"), help: "Preview this application (default: the first).")
    var application: String?

    func run() async throws {
        let (resolved, applications) = try LoadedProfile.resolve(profile, parameters: parameters, application: application)
        guard let app = applications.first else { throw ExitCode.failure }  // resolve refuses an empty choice
        guard let data = FileManager.default.contents(atPath: user) else {
            throw ValidationError("cannot read the sample user file '\(user)'")
        }
        let object: [String: EvaluationValue]
        do {
            object = try SampleObject.attributes(from: JSONValue(parsing: Array(data)))
        } catch {
            Output.errLine("error: \(user): \(error)")
            throw ExitCode.failure
        }
        let (mappings, found) = MappingPreview.evaluate(app, kind: .user, rules: resolved.profile.rules, object: object)
        // Judged by the policy validate and apply use for this profile.
        let diagnostics = try PolicyChoice.command().policy(forProfileArgument: profile).apply(to: found)
        Output.out(SCIMResource.user(from: mappings).serialized(pretty: true) + "\n")
        LoadedProfile.report(diagnostics, texts: [:])
        if diagnostics.hasErrors { throw ExitCode.failure }
    }
}
