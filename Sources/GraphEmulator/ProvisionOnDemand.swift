import Expressions
import GraphModel

/// provisionOnDemand evaluates the job's user mappings for one seeded user and answers with the documented
/// `stringKeyStringValuePair` whose key and value are both JSON documents inside strings.
extension EmulatorEngine {
    func provisionOnDemand(_ context: GraphCallContext, jobIndex: Int) async throws -> EmulatorResponse {
        let job = state.jobs[jobIndex]
        if configuration.enforceProvisionOnDemandLimit {
            // Documented limit: 5 requests per 10 seconds.
            let current = now
            var calls = (onDemandCalls[job.id] ?? []).filter { current - $0 < 10 }
            guard calls.count < 5 else {
                throw GraphError(
                    status: 429, code: "TooManyRequests", message: "The rate limit for provisionOnDemand is 5 requests per 10 seconds.",
                    headers: ["Retry-After": String(Int((10 - (current - (calls.first ?? current))).rounded(.up)))])
            }
            calls.append(current)
            onDemandCalls[job.id] = calls
        }
        let body = try context.jsonBody()
        guard let parameters = body["parameters"]?.arrayValue, let parameter = parameters.first else {
            throw GraphError.badRequest("The parameter 'parameters' must hold one {ruleId, subjects} entry.")
        }
        guard let ruleId = parameter["ruleId"]?.stringValue else { throw GraphError.badRequest("'ruleId' is required.") }
        guard let rule = job.schema["synchronizationRules"]?.arrayValue?.first(where: { $0["id"]?.stringValue == ruleId })
        else { throw GraphError.badRequest("The rule '\(ruleId)' does not exist in the job's schema.") }
        guard parameters.count == 1, let subjects = parameter["subjects"]?.arrayValue, subjects.count == 1,
            let subject = subjects.first, let objectId = subject["objectId"]?.stringValue
        else {
            throw GraphError.badRequest("'subjects' must name exactly one object by objectId.")
        }
        let typeName = subject["objectTypeName"]?.stringValue ?? "User"
        if typeName == "Group" {
            return try await provisionGroupOnDemand(context, job: job, rule: rule, group: subject)
        }
        guard typeName == "User" else {
            throw GraphError.badRequest("The emulator provisions only User and Group subjects on demand.")
        }
        guard let user = state.user(id: objectId) else { throw GraphError.notFound(objectId) }

        let started = now
        let problem = await credentialProblem(state.secrets[job.servicePrincipalId] ?? [])
        let mapping = SynchronizationRule(json: rule).objectMapping(for: "User")?.json
        let attributes = user.objectValue ?? [:]
        let userName = attributes["userPrincipalName"].flatMap { $0.stringValue } ?? objectId

        let evaluation = evaluateUserMapping(mapping, attributes: attributes)
        let (modified, evaluated, failures) = (evaluation.modified, evaluation.evaluated, evaluation.failures)

        let enabled = mapping?["enabled"]?.boolValue ?? false
        let outcome: String
        let action: String
        var exportStep: JSONValue
        var errorCode: JSONValue = nil
        var reason: JSONValue = nil
        if let problem {
            outcome = "Failure"
            action = "Other"
            errorCode = .string(problem.code)
            reason = .string(problem.message)
            exportStep = step("EntryExport", "Export", "Failure", problem.message, started, [:])
        } else if !enabled {
            outcome = "Skipped"
            action = "Other"
            reason = "The user object mapping is disabled."
            exportStep = step("EntrySynchronizationSkip", "Export", "Skipped", "The user object mapping is disabled.", started, ["SkipReason": "MappingDisabled"])
        } else if !failures.isEmpty {
            outcome = "Failure"
            action = "Other"
            errorCode = "ExpressionEvaluationFailed"
            reason = .string(failures.joined(separator: "; "))
            exportStep = step("EntryExport", "Export", "Failure", failures.joined(separator: "; "), started, [:])
        } else {
            outcome = "Success"
            action = "Create"
            exportStep = step("EntryExportAdd", "Export", "Success", "User '\(userName)' was created in customappsso", started, .object(evaluated))
        }
        var sourceDetails: [String: JSONValue] = [:]
        for (key, value) in attributes { sourceDetails[key] = .string(EvaluationValue(json: value).texts.joined(separator: ",")) }
        let steps: [JSONValue] = [
            step("EntryImport", "Import", "Success", "Retrieved User '\(userName)' from Azure Active Directory", started, .object(sourceDetails)),
            step("EntryImportObjectNotFound", "Matching", "Success", "User '\(userName)' was not found in customappsso", started, [:]),
            step("EntrySynchronizationScoping", "Scoping", "Success", "Determine if User in scope by evaluating against each scoping filter", started, ["Assigned": "True", "IsActive": "True"]),
            exportStep,
        ]
        let record: JSONValue = [
            "action": .string(action), "changeId": .string(generator.guid()),
            "startTime": .string(Timestamp.iso8601(started, fractional: true)),
            "endTime": .string(Timestamp.iso8601(now, fractional: true)),
            "modifiedProperties": .array(modified), "provisioningSteps": .array(steps),
            "reportableIdentifier": .string(userName),
            "statusInfo": [
                "status": .string(outcome), "errorCode": errorCode, "reason": reason, "additionalDetails": nil,
                "errorCategory": nil, "recommendedAction": nil,
            ],
            "sourceIdentity": ["id": .string(objectId), "type": "User", "displayName": attributes["displayName"] ?? nil, "details": nil],
            "sourceSystem": ["id": nil, "name": "Azure Active Directory", "details": nil],
            "targetIdentity": [
                "id": outcome == "Success" ? .string(generator.guid()) : nil,
                "type": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "displayName": nil, "details": nil,
            ],
            "targetSystem": ["id": nil, "name": "customappsso", "details": nil],
        ]
        // The provisioning log records on-demand runs like cycle activity, with lower-case values as v1.0 lists them.
        let logSteps = steps.map { step in
            logStep(
                step["name"]?.stringValue ?? "", (step["type"]?.stringValue ?? "").lowercased(),
                (step["status"]?.stringValue ?? "").lowercased(), step["description"]?.stringValue ?? "", step["details"] ?? [:])
        }
        recordProvisioningEvent(
            job: job, user: user, cycleId: "ProvisionOnDemand-" + generator.guid(),
            facts: ProvisioningLogFacts(
                action: action.lowercased(), status: outcome.lowercased(), errorCode: errorCode.stringValue,
                reason: reason.stringValue, steps: logSteps, modifiedProperties: modified, initiatedBy: "Provision on demand"),
            at: started)
        var details: [String: JSONValue] = [:]
        if let code = errorCode.stringValue { details["errorCode"] = .string(code) }
        if let message = reason.stringValue { details["errorMessage"] = .string(message) }
        let key: JSONValue = ["result": .string(outcome), "details": .object(details)]
        return .json(
            200,
            [
                "@odata.context": .string("\(context.graphRoot)/$metadata#microsoft.graph.stringKeyStringValuePair"),
                "key": .string(key.serialized()), "value": .string(record.serialized()),
            ])
    }

    /// The user mapping's attribute values for one source user, as on-demand provisioning and cycles send them.
    func evaluateUserMapping(_ mapping: JSONValue?, attributes: [String: JSONValue])
        -> (modified: [JSONValue], evaluated: [String: JSONValue], failures: [String])
    {
        var modified: [JSONValue] = []
        var evaluated: [String: JSONValue] = [:]
        var failures: [String] = []
        for attributeMapping in mapping?["attributeMappings"]?.arrayValue ?? [] {
            guard let target = attributeMapping["targetAttributeName"]?.stringValue else { continue }
            var result: [String] = []
            if let source = attributeMapping["source"], !source.isNull {
                switch ExpressionSupport.evaluate(
                    source: source, expression: source["expression"]?.stringValue ?? "", attributes: attributes)
                {
                case .success(let values): result = values
                case .failure(let message): failures.append("\(target): \(message)")
                }
            }
            if result.isEmpty, let fallback = attributeMapping["defaultValue"]?.stringValue { result = [fallback] }
            guard let first = result.first else { continue }
            let shown: JSONValue = result.count == 1 ? .string(first) : .string(JSONValue.array(result.map { .string($0) }).serialized())
            evaluated[target] = shown
            modified.append(["displayName": .string(target), "oldValue": nil, "newValue": shown])
        }

        return (modified, evaluated, failures)
    }

    func step(_ name: String, _ type: String, _ status: String, _ description: String, _ time: Double, _ details: JSONValue)
        -> JSONValue
    {
        [
            "name": .string(name), "type": .string(type), "status": .string(status), "description": .string(description),
            "timestamp": .string(Timestamp.iso8601(time, fractional: true)), "details": details,
        ]
    }
}
