import ArgumentParser
import Diagnostics
import Expressions
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
            An expression that begins with '-' goes after '--': scimctl validate expression -- '-x'. \
            --list-functions prints the functions instead (with --format json, as data).
            """
    )

    @Argument(help: "The expression, e.g. 'Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")'.")
    var expression: String?

    @Option(help: "Check attribute references against Entra ID user or group attributes.")
    var object: SourceObjectType?

    @Flag(help: "List the functions of the expression language instead.")
    var listFunctions = false

    @OptionGroup var format: FormatOption<ReportFormat>

    func validate() throws {
        guard (expression == nil) == listFunctions else {
            throw ValidationError(listFunctions ? "--list-functions takes no expression" : "give an expression to check")
        }
    }

    func run() async throws {
        guard let expression else {
            return Output.out(format.render(json: ExpressionRendering.functionListJSON, text: ExpressionRendering.functionList))
        }
        let file = "<expression>"
        let checked = ExpressionChecker.check(expression, object: object, at: SourceLocation(file: file, line: 1, column: 1))
        Output.out(format.render(
            json: { ExpressionRendering.json(checked, expression: expression) },
            text: { ExpressionRendering.text(checked, expression: expression, file: file, style: $0) }))
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

    @OptionGroup var selection: ProfileSelection

    @Option(help: ArgumentHelp("A JSON file with the sample user's Entra ID attributes.", valueName: "FILE.json"))
    var user: String

    func run() async throws {
        let loaded = try selection.load()
        // Without --app, the first application.
        guard let app = loaded.applications.first else { throw ExitCode.failure }
        let object: [String: EvaluationValue]
        do {
            object = try SampleObject.attributes(fromFileAt: user)
        } catch {
            if case .file(.unreadable) = error { throw ValidationError("cannot read the sample user file '\(user)'") }
            throw Output.failure("\(user): \(error)")
        }
        let (mappings, found) = MappingPreview.evaluate(app, kind: .user, rules: loaded.resolved.profile.rules, object: object)
        // Judged by the policy validate and apply use for this profile.
        let diagnostics = loaded.policy.apply(to: found)
        Output.out(SCIMResource.user(from: mappings).serialized(pretty: true) + "\n")
        Output.findings(diagnostics, texts: [:])
        if diagnostics.hasErrors { throw ExitCode.failure }
    }
}
