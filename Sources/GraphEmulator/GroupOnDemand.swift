import GraphModel


/// A group's direct members, and on-demand provisioning of a group with up to five of its members (Graph's limit
/// for one request).
extension EmulatorEngine {
    static let onDemandMembersPerRequest = 5

    /// `GET /groups/{id}/members[/microsoft.graph.user]`: direct members of a seeded or loaded group, paged.
    func groupMemberRoutes(_ context: GraphCallContext, _ path: [String]) throws -> EmulatorResponse? {
        guard path.count >= 3, path[0] == "groups", path[2] == "members" else { return nil }
        guard path.count == 3 || (path.count == 4 && path[3] == "microsoft.graph.user") else {
            throw GraphError.unknownSegment(path.last ?? "members")
        }
        guard context.request.method == "GET" else { throw GraphError.methodNotAllowed(context.request.method) }
        let groupId = path[1].lowercased()
        guard groupExists(groupId) else { throw GraphError.notFound(path[1]) }
        let usersOnly = path.count == 4
        var members: [JSONValue] = []
        for member in groupMemberIDs(groupId) {
            if groupExists(member) {
                if !usersOnly {
                    let group = state.groups.first { $0["id"]?.stringValue?.lowercased() == member }
                    members.append(["@odata.type": "#microsoft.graph.group", "id": group?["id"] ?? .string(member), "displayName": group?["displayName"] ?? nil])
                }
            } else if let user = state.user(id: member) {
                var shaped = Self.graphShape(ofSeeded: user).user
                shaped["@odata.type"] = "#microsoft.graph.user"
                members.append(.object(shaped))
            } else {
                members.append(["@odata.type": "#microsoft.graph.user", "id": .string(member)])
            }
        }
        return try page(context, members, entitySet: "directoryObjects")
    }

    /// A Group subject: every linked member must be a direct member of the group and a seeded user; each is evaluated
    /// against the user mapping and logged. The answer describes the group, with one export step per member.
    func provisionGroupOnDemand(_ context: GraphCallContext, job: SynchronizationJobRecord, rule: JSONValue, group subject: JSONValue)
        async throws -> EmulatorResponse
    {
        let groupId = subject["objectId"]?.stringValue ?? ""
        guard let group = state.groups.first(where: { $0["id"]?.stringValue?.lowercased() == groupId.lowercased() }) else {
            throw GraphError.notFound(groupId)
        }
        let links = subject["links"]?["members"]?.arrayValue ?? []
        guard links.count <= Self.onDemandMembersPerRequest else {
            throw GraphError.badRequest(
                "On-demand provisioning accepts one group with up to \(Self.onDemandMembersPerRequest) members per request.")
        }
        let memberIDs = Set(groupMemberIDs(groupId.lowercased()))
        var users: [JSONValue] = []
        for link in links {
            guard let id = link["objectId"]?.stringValue else { throw GraphError.badRequest("Every member needs an objectId.") }
            guard memberIDs.contains(id.lowercased()) else {
                throw GraphError.badRequest("'\(id)' is not a member of group '\(groupId)'.")
            }
            guard let user = state.user(id: id) else { throw GraphError.notFound(id) }
            users.append(user)
        }
        let started = now
        let problem = await credentialProblem(state.secrets[job.servicePrincipalId] ?? [])
        let mapping = rule["objectMappings"]?.arrayValue?.first { $0["sourceObjectName"]?.stringValue == "User" }
        let enabled = mapping?["enabled"]?.boolValue ?? false
        let groupName = group["displayName"]?.stringValue ?? groupId
        let cycleId = "ProvisionOnDemand-" + generator.guid()
        var steps: [JSONValue] = [
            step("EntryImport", "Import", "Success", "Retrieved Group '\(groupName)' from Azure Active Directory", started, [:])
        ]
        var failed = 0
        var skipped = 0
        for user in users {
            let userName = user["userPrincipalName"]?.stringValue ?? user["id"]?.stringValue ?? "?"
            let facts: ProvisioningLogFacts
            if let problem {
                failed += 1
                facts = ProvisioningLogFacts(
                    action: "other", status: "failure", errorCode: problem.code, reason: problem.message, steps: [], modifiedProperties: [],
                    initiatedBy: "Provision on demand")
                steps.append(step("EntryExport", "Export", "Failure", "User '\(userName)': \(problem.message)", started, ["MemberObjectId": user["id"] ?? nil]))
            } else if !enabled {
                skipped += 1
                facts = ProvisioningLogFacts(
                    action: "other", status: "skipped", errorCode: nil, reason: nil,
                    steps: [logStep("EntrySynchronizationSkip", "export", "skipped", "The user object mapping is disabled.", ["SkipReason": "MappingDisabled"])],
                    modifiedProperties: [], initiatedBy: "Provision on demand")
                steps.append(step("EntrySynchronizationSkip", "Export", "Skipped", "User '\(userName)' was skipped: the user object mapping is disabled", started, ["MemberObjectId": user["id"] ?? nil]))
            } else {
                let evaluation = evaluateUserMapping(mapping, attributes: user.objectValue ?? [:])
                if evaluation.failures.isEmpty {
                    facts = ProvisioningLogFacts(
                        action: "create", status: "success", errorCode: nil, reason: nil, steps: [], modifiedProperties: evaluation.modified,
                        initiatedBy: "Provision on demand")
                    steps.append(step("EntryExportAdd", "Export", "Success", "User '\(userName)' was created in customappsso", started, ["MemberObjectId": user["id"] ?? nil]))
                } else {
                    failed += 1
                    let message = evaluation.failures.joined(separator: "; ")
                    facts = ProvisioningLogFacts(
                        action: "create", status: "failure", errorCode: "ExpressionEvaluationFailed", reason: message, steps: [],
                        modifiedProperties: evaluation.modified, initiatedBy: "Provision on demand")
                    steps.append(step("EntryExport", "Export", "Failure", "User '\(userName)': \(message)", started, ["MemberObjectId": user["id"] ?? nil]))
                }
            }
            recordProvisioningEvent(job: job, user: user, cycleId: cycleId, facts: facts, at: started)
        }
        let outcome = problem != nil || failed > 0 ? "Failure" : (skipped > 0 && skipped == users.count ? "Skipped" : "Success")
        var details: [String: JSONValue] = [:]
        if let problem {
            details["errorCode"] = .string(problem.code)
            details["errorMessage"] = .string(problem.message)
        } else if failed > 0 {
            details["errorMessage"] = .string("\(failed) of \(users.count) members could not be provisioned.")
        }
        let record: JSONValue = [
            "action": users.isEmpty ? "Other" : "Update", "changeId": .string(generator.guid()),
            "startTime": .string(Timestamp.iso8601(started, fractional: true)), "endTime": .string(Timestamp.iso8601(now, fractional: true)),
            "modifiedProperties": [["displayName": "members", "oldValue": nil, "newValue": .string(JSONValue.array(users.compactMap { $0["id"] }).serialized())]],
            "provisioningSteps": .array(steps), "reportableIdentifier": .string(groupName),
            "statusInfo": [
                "status": .string(outcome), "errorCode": details["errorCode"] ?? nil, "reason": details["errorMessage"] ?? nil,
                "additionalDetails": nil, "errorCategory": nil, "recommendedAction": nil,
            ],
            "sourceIdentity": ["id": .string(groupId), "type": "Group", "displayName": .string(groupName), "details": nil],
            "sourceSystem": ["id": nil, "name": "Azure Active Directory", "details": nil],
            "targetIdentity": ["id": nil, "type": "Group", "displayName": nil, "details": nil],
            "targetSystem": ["id": nil, "name": "customappsso", "details": nil],
        ]
        let key: JSONValue = ["result": .string(outcome), "details": .object(details)]
        return .json(
            200,
            [
                "@odata.context": .string("\(context.graphRoot)/$metadata#microsoft.graph.stringKeyStringValuePair"),
                "key": .string(key.serialized()), "value": .string(record.serialized()),
            ])
    }
}
