import GraphModel

extension EmulatorEngine {
    func schemaRoutes(_ context: inout GraphCallContext, _ path: [String], jobIndex: Int) async throws -> EmulatorResponse {
        let method = context.request.method
        if path.isEmpty {
            switch method {
            case "GET":
                return .json(200, state.jobs[jobIndex].schema)
            case "PUT":
                let schema = try context.jsonBody()
                try Self.checkSchema(schema)
                // PUT replaces the schema wholesale: whatever the caller omits is gone.
                state.jobs[jobIndex].schema = schema
                return .noContent()
            case "DELETE":
                // The documentation's text says "201 No Content"; its example and the service answer 204.
                state.jobs[jobIndex].schema = DefaultSchemaSource.scimSchema()
                return .noContent()
            default:
                throw GraphError.methodNotAllowed(method)
            }
        }
        guard path.count == 1 else { throw GraphError.unknownSegment(path[1]) }
        switch path[0] {
        case "parseExpression":
            guard method == "POST" else { throw GraphError.methodNotAllowed(method) }
            return try parseExpression(context)
        case "functions":
            guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
            return .json(200, ["@odata.context": .string("\(context.graphRoot)/$metadata#functions"), "value": .array(ExpressionSupport.functionSchemas())])
        case "filterOperators":
            guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
            return .json(200, ["value": .array(ScopingOperators.schemas)])
        default:
            throw GraphError.unknownSegment(path[0])
        }
    }

    /// The checks the service makes on a schema PUT that matter to scimctl: the basic shape, and that every mapped
    /// target attribute is declared on the target object ("Edit attribute list" must come first).
    static func checkSchema(_ schema: JSONValue) throws {
        guard let rules = schema["synchronizationRules"]?.arrayValue else {
            throw GraphError.badRequest("The schema must contain a 'synchronizationRules' array.")
        }
        guard let directories = schema["directories"]?.arrayValue else {
            throw GraphError.badRequest("The schema must contain a 'directories' array.")
        }
        for rule in rules {
            guard rule.objectValue != nil else { throw GraphError.badRequest("Every synchronization rule must be an object.") }
            let targetName = rule["targetDirectoryName"]?.stringValue
            let directory = directories.first { $0["name"]?.stringValue == targetName }
            for objectMapping in rule["objectMappings"]?.arrayValue ?? [] {
                guard let mappings = objectMapping["attributeMappings"]?.arrayValue else { continue }
                let objectName = objectMapping["targetObjectName"]?.stringValue
                let declared = directory?["objects"]?.arrayValue?
                    .first { $0["name"]?.stringValue == objectName }?["attributes"]?.arrayValue
                let names = Set((declared ?? []).compactMap { $0["name"]?.stringValue?.lowercased() })
                for mapping in mappings {
                    guard let target = mapping["targetAttributeName"]?.stringValue, !target.isEmpty else {
                        throw GraphError.badRequest("Every attribute mapping needs a 'targetAttributeName'.")
                    }
                    if let priority = mapping["matchingPriority"], !priority.isNull, priority.integerValue == nil {
                        throw GraphError.badRequest("'matchingPriority' of '\(target)' must be an integer.")
                    }
                    if declared != nil, !names.contains(target.lowercased()) {
                        throw GraphError.badRequest(
                            "The attribute '\(target)' is not defined on object '\(objectName ?? "")' of directory '\(targetName ?? "")'.")
                    }
                }
            }
        }
    }

    private func parseExpression(_ context: GraphCallContext) throws -> EmulatorResponse {
        let body = try context.jsonBody()
        guard let expression = body["expression"]?.stringValue else {
            throw GraphError.badRequest("The parameter 'expression' is required.")
        }
        var inputs: [String: JSONValue] = [:]
        for property in body["testInputObject"]?["properties"]?.arrayValue ?? [] {
            if let key = property["key"]?.stringValue { inputs[key] = property["value"] ?? nil }
        }
        let outcome = ExpressionSupport.parse(expression)
        var response: [String: JSONValue] = [
            "error": nil, "parsingSucceeded": .bool(outcome.source != nil), "evaluationSucceeded": false,
            "evaluationResult": nil, "parsedExpression": outcome.source ?? nil,
        ]
        if let failure = outcome.error {
            response["error"] = ["code": "InvalidExpression", "message": .string(failure), "target": "expression", "details": []]
        } else if body["testInputObject"] != nil, let source = outcome.source {
            switch ExpressionSupport.evaluate(source: source, expression: expression, attributes: inputs) {
            case .success(let values):
                response["evaluationSucceeded"] = true
                response["evaluationResult"] = .array(values.map { .string($0) })
            case .failure(let message):
                response["error"] = ["code": "EvaluationFailed", "message": .string(message), "target": "expression", "details": []]
            }
        }
        return .json(200, .object(response))
    }
}

/// Scoping-filter operators, named as the portal shows them.
enum ScopingOperators {
    static let schemas: [JSONValue] = [
        ("EQUALS", "Binary"), ("NOT EQUALS", "Binary"), ("IS TRUE", "Unary"), ("IS FALSE", "Unary"),
        ("IS NULL", "Unary"), ("IS NOT NULL", "Unary"), ("REGEX MATCH", "Binary"), ("NOT REGEX MATCH", "Binary"),
        ("Greater_Than", "Binary"), ("Greater_Than_OR_EQUALS", "Binary"), ("Includes", "Binary"), ("ENDS_WITH", "Binary"),
        ("&", "Binary"), ("!&", "Binary"),
    ].map { name, arity in
        [
            "name": .string(name), "arity": .string(arity), "multivaluedComparisonType": "All",
            "supportedAttributeTypes": ["String", "Integer", "Boolean"],
        ]
    }
}
