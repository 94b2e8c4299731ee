import Diagnostics
import Expressions
import GraphModel
import ProfileTranslation

/// `validate expression --format json`: validity, findings and, when valid, the canonical text and Graph tree.
public enum ExpressionRendering {
    /// `validate expression`: the findings with carets, then the canonical text when it is valid.
    public static func text(_ checked: CheckedExpression, expression: String, file: String, style: Style) -> String {
        let findings = checked.diagnostics.map { TextRenderer(style: style).line(for: $0, texts: [file: expression]) }.joined()
        guard let tree = checked.expression, checked.isValid else { return findings }
        return findings + "valid: \(ExpressionPrinter.print(tree))\n"
    }

    /// `validate expression --list-functions`: every function a line with its synopsis and what it returns, and for
    /// one outside the app-provisioning reference, where it is documented instead.
    public static func functionList(style: Style) -> String {
        FunctionCatalog.all.map { function in
            let note = availabilityNote(function.availability).map { style.dim("  (\($0))") } ?? ""
            return style.bold(function.synopsis) + " → " + function.returns + note + "\n"
        }.joined()
    }

    /// The catalogue as data: name, arity, parameters and availability of every function.
    public static func functionListJSON() -> JSONValue {
        .object(["functions": .array(FunctionCatalog.all.map { function in
            [
                "name": .string(function.name), "synopsis": .string(function.synopsis), "returns": .string(function.returns),
                "minArguments": .integer(Int64(function.minArguments)),
                "maxArguments": function.maxArguments.map { .integer(Int64($0)) } ?? .null,
                "availability": .string(function.availability.rawValue),
                "parameters": .array(function.parameters.map { .string($0.name) }),
            ]
        })])
    }

    static func availabilityNote(_ availability: FunctionAvailability) -> String? {
        switch availability {
        case .provisioning: nil
        case .cloudSyncOnly: "documented for Cloud Sync only; app provisioning may refuse it"
        case .legacyGraphSchema: "only in Graph's 2019 function list; not in current documentation"
        }
    }

    public static func json(_ checked: CheckedExpression, expression: String) -> JSONValue {
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
        return .object(document)
    }
}
