import Expressions
import GraphModel
import VendorProfiles

/// Turns a profile's mapping source into Graph's `attributeMappingSource` JSON.
///
/// Expression sources are parsed and sent as the full Graph tree (function name, canonical text, named
/// parameters), which is what Graph itself stores. Text that does not parse (validation reports it before any
/// request is sent) is carried as a `Function` source with the text and the outermost function name.
public enum MappingSourceJSON {
    public static func make(_ source: MappingSource) -> JSONValue {
        switch source {
        case .attribute(let name):
            return Expression.attribute(name).graphSource().json
        case .constant(let value):
            return Expression.constant(value).graphSource().json
        case .expression(let text):
            let trimmed = Substring(text).trimmingWhitespace()
            if let expression = ExpressionParser.parse(trimmed).expression {
                return expression.graphSource().json
            }
            return [
                "expression": .string(trimmed),
                "name": .string(functionName(trimmed)),
                "parameters": [],
                "type": "Function",
            ]
        }
    }

    /// The identifier before the first `(`, or the whole text when it is not a call.
    private static func functionName(_ text: String) -> String {
        guard let open = text.firstIndex(of: "(") else { return text }
        return Substring(text[..<open]).trimmingWhitespace()
    }
}
