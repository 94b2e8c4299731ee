import Expressions
import Foundation
import GraphModel

/// What the emulator needs from the mapping-expression language, all delegated to the Expressions module:
/// parse text into Graph's `attributeMappingSource` tree, evaluate a source against a user, list the functions.
enum ExpressionSupport {
    enum Evaluation: Equatable {
        case success([String])
        case failure(String)
    }

    /// Random-using functions get a fixed source so provisionOnDemand answers are repeatable.
    static let evaluator = ExpressionEvaluator(clock: { Date() }, random: { _ in 0 })

    static func parse(_ text: String) -> (source: JSONValue?, error: String?) {
        let result = ExpressionParser.parse(text)
        guard let expression = result.expression else {
            let message = result.diagnostics.first { $0.severity == .error }?.message ?? "the expression could not be parsed"
            return (nil, message)
        }
        return (expression.graphSource().json, nil)
    }

    /// Evaluates a Graph source tree (or, when the tree cannot be rebuilt, its expression text) against a user.
    static func evaluate(source: JSONValue, expression: String, attributes: [String: JSONValue]) -> Evaluation {
        let tree = Expression(graphJSON: source) ?? ExpressionParser.parse(expression).expression
        guard let tree else { return .failure("the mapping source is not a valid expression") }
        var object: [String: EvaluationValue] = [:]
        for (name, value) in attributes { object[name] = EvaluationValue(json: value) }
        do {
            return .success(try evaluator.evaluate(tree, object: object).texts)
        } catch let error as EvaluationError {
            return .failure(error.description)
        } catch {
            return .failure("the expression could not be evaluated")
        }
    }

    /// `schema/functions`: every provisioning function with its parameters under their Graph names.
    static func functionSchemas() -> [JSONValue] {
        FunctionCatalog.all.filter { $0.availability == .provisioning }.map { signature in
            [
                "name": .string(signature.name),
                "parameters": .array(
                    signature.parameters.map { parameter in
                        [
                            "name": .string(parameter.graphKey), "type": .string(attributeType(parameter.type)),
                            "required": .bool(parameter.isRequired),
                            "allowMultipleOccurrences": .bool(parameter.isRepeating),
                        ]
                    }),
            ]
        }
    }

    /// The catalog describes types in prose; Graph reports one of its attributeType names.
    private static func attributeType(_ description: String) -> String {
        for name in ["Boolean", "Integer", "DateTime", "Binary", "Reference"] where description.hasPrefix(name) {
            return name
        }
        return "String"
    }
}
