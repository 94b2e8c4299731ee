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
