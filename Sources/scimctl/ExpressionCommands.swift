import ArgumentParser
import Diagnostics
import Expressions
import Foundation
import GraphSync
import Profiles

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

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    func run() async throws {
        let file = "<expression>"
        let checked = ExpressionChecker.check(expression, object: object, at: SourceLocation(file: file, line: 1, column: 1))
        switch format {
        case .text:
            let renderer = TextRenderer(style: Style(enabled: Output.colorEnabled(forStdout: true)))
            for diagnostic in checked.diagnostics {
                Output.out(renderer.line(for: diagnostic, texts: [file: expression]))
            }
            if let tree = checked.expression, checked.isValid {
                Output.outLine("valid: \(ExpressionPrinter.print(tree))")
            }
        case .json:
            var document: [String: JSONValue] = [
                "valid": .bool(checked.isValid),
                "diagnostics": .array(
                    checked.diagnostics.map { diagnostic in
                        [
                            "severity": .string(diagnostic.severity.rawValue), "id": .string(diagnostic.id.rawValue),
                            "message": .string(diagnostic.message),
                            "column": diagnostic.location.map { .integer(Int64($0.column)) } ?? .null,
                            "hint": diagnostic.hint.map { .string($0) } ?? .null,
                        ]
                    }),
            ]
            if let tree = checked.expression, checked.isValid {
                document["canonical"] = .string(ExpressionPrinter.print(tree))
                document["source"] = MappingSourceJSON.make(.expression(expression))
            }
            Output.out(JSONValue.object(document).serialized(pretty: true) + "\n")
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

    @Option(
        name: .customLong("param"), help: ArgumentHelp("A profile parameter.", valueName: "KEY=VALUE"),
        completion: Completions.parameter)
    var parameters: [String] = []

    @Option(name: .customLong("app"), help: "Preview this application (default: the first).")
    var application: String?

    func run() async throws {
        let resolved = try LoadedProfile.resolve(profile, parameters: parameters)
        guard let app = application.map({ name in resolved.applications.first { $0.name == name } }) ?? resolved.applications.first
        else {
            throw ValidationError("profile '\(resolved.profile.name)' has no application '\(application ?? "")'")
        }
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
        let policyPath = FileManager.default.fileExists(atPath: profile) ? profile : nil
        let diagnostics = try PolicyChoice().policy(forProfileAt: policyPath).apply(to: found)
        Output.out(SCIMResource.user(from: mappings).serialized(pretty: true) + "\n")
        LoadedProfile.report(diagnostics, texts: [:])
        if diagnostics.hasErrors { throw ExitCode.failure }
    }
}

/// Reads a sample Entra object from JSON into evaluator values.
enum SampleObject {
    struct NotAnObject: Error, CustomStringConvertible {
        var description: String { "the sample must be a JSON object of attribute names to values" }
    }

    static func attributes(from json: JSONValue) throws -> [String: EvaluationValue] {
        guard let members = json.objectValue else { throw NotAnObject() }
        var result: [String: EvaluationValue] = [:]
        for (key, value) in members {
            switch value {
            case .null: result[key] = .null
            case .bool(let flag): result[key] = .boolean(flag)
            case .integer(let number): result[key] = .number(number)
            case .double(let number): result[key] = .string(String(number))
            case .string(let text): result[key] = .string(text)
            case .array(let items): result[key] = .multi(items.compactMap { $0.stringValue ?? $0.integerValue.map(String.init) })
            case .object: result[key] = .string(value.serialized())
            }
        }
        // An assigned, enabled user is not soft-deleted unless the sample says so.
        if result["IsSoftDeleted"] == nil { result["IsSoftDeleted"] = .boolean(false) }
        return result
    }
}

/// Shapes evaluated mappings into the SCIM resource Entra would send (RFC 7643 paths).
enum SCIMResource {
    static let coreUser = "urn:ietf:params:scim:schemas:core:2.0:User"

    static func user(from mappings: [PreviewedMapping]) -> JSONValue {
        var resource: [String: JSONValue] = [:]
        var schemas: [String] = [coreUser]
        for mapping in mappings {
            guard let value = mapping.value, !value.texts.isEmpty else { continue }
            let target = mapping.mapping.target
            let type = SCIMTemplate.targetAttribute(named: target, for: .user)?.type ?? .string
            let json = jsonValue(value, type: type)
            if target.hasPrefix("urn:"), let colon = target.lastIndex(of: ":") {
                let schema = String(target[..<colon])
                let attribute = String(target[target.index(after: colon)...])
                if !schemas.contains(schema) { schemas.append(schema) }
                var extensionObject = resource[schema]?.objectValue ?? [:]
                extensionObject[attribute] = json
                resource[schema] = .object(extensionObject)
            } else if let open = target.firstIndex(of: "["), let close = target.firstIndex(of: "]") {
                // emails[type eq "work"].value → "emails": [{"type": "work", "value": …}]
                let name = String(target[..<open])
                let filter = target[target.index(after: open)..<close]
                let parts = filter.components(separatedBy: " eq ")
                let filterKey = parts.first ?? "type"
                let filterValue = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : ""
                let subAttribute = target[target.index(after: close)...].drop { $0 == "." }
                var list = resource[name]?.arrayValue ?? []
                let index = list.firstIndex { $0[filterKey]?.stringValue == filterValue }
                var entry = index.map { list[$0].objectValue ?? [:] } ?? [filterKey: .string(filterValue)]
                entry[subAttribute.isEmpty ? "value" : String(subAttribute)] = json
                if let index { list[index] = .object(entry) } else { list.append(.object(entry)) }
                resource[name] = .array(list)
            } else if let dot = target.firstIndex(of: ".") {
                let parent = String(target[..<dot])
                var object = resource[parent]?.objectValue ?? [:]
                object[String(target[target.index(after: dot)...])] = json
                resource[parent] = .object(object)
            } else {
                resource[target] = json
            }
        }
        resource["schemas"] = .array(schemas.map { .string($0) })
        return .object(resource)
    }

    static func jsonValue(_ value: EvaluationValue, type: CustomAttribute.AttributeType) -> JSONValue {
        if case .multi(let values) = value { return .array(values.map { .string($0) }) }
        let text = value.text ?? ""
        switch type {
        case .boolean:
            if text.lowercased() == "true" { return .bool(true) }
            if text.lowercased() == "false" { return .bool(false) }
            return .string(text)
        case .integer:
            return Int64(text).map { .integer($0) } ?? .string(text)
        default:
            return .string(text)
        }
    }
}
