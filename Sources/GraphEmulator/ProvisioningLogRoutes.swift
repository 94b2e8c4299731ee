import Foundation
import GraphModel


/// One provisioning log entry the emulator recorded, with the facts its `$filter` compares.
struct ProvisioningLogRecord: Sendable {
    var time: Double
    var servicePrincipalId: String
    var jobId: String
    var cycleId: String
    var action: String
    var status: String
    /// The `provisioningObjectSummary` as `GET /auditLogs/provisioning` lists it.
    var json: JSONValue
}

/// What happened to one object, as the provisioning service logs it.
struct ProvisioningLogFacts {
    var action: String
    var status: String
    var errorCode: String?
    var reason: String?
    var steps: [JSONValue]
    var modifiedProperties: [JSONValue]
    var initiatedBy: String
}

/// `GET /auditLogs/provisioning`: entries recorded by provisionOnDemand and by simulated cycles, newest first,
/// filtered by the `$filter` clauses Graph documents for the properties scimctl uses, and paged.
extension EmulatorEngine {
    /// The log keeps this many entries; older ones fall off, as Entra's 30-day retention drops them.
    static let maximumProvisioningLogEntries = 20_000
    /// Graph pages this log; the default page is small so that clients must follow next links.
    static let defaultProvisioningLogPage = 50

    func provisioningLogRoutes(_ context: inout GraphCallContext, _ path: [String]) throws -> EmulatorResponse? {
        guard path.first == "auditLogs" else { return nil }
        guard path.count == 2, path[1] == "provisioning" else { throw GraphError.unknownSegment(path.last ?? "auditLogs") }
        guard context.request.method == "GET" else { throw GraphError.methodNotAllowed(context.request.method) }
        let clauses = try ProvisioningLogFilter.parse(context.query["$filter"])
        var top = Self.defaultProvisioningLogPage
        if let text = context.query["$top"] {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw GraphError.badRequest("Invalid $top value '\(text)': it must be between 1 and 1000.")
            }
            top = value
        }
        var offset = 0
        if let token = context.query["$skiptoken"] {
            guard token.hasPrefix("log"), let value = Int(token.dropFirst(3)), value >= 0 else {
                throw GraphError.badRequest("Invalid skip token.")
            }
            offset = value
        }
        let matching = provisioningLog.reversed().filter { record in clauses.allSatisfy { $0.matches(record) } }
        let page = matching.dropFirst(offset).prefix(top)
        var body: [String: JSONValue] = [
            "@odata.context": .string("\(context.graphRoot)/$metadata#auditLogs/provisioning"),
            "value": .array(page.map(\.json)),
        ]
        let end = offset + page.count
        if end < matching.count {
            var query: [String] = []
            if let filter = context.query["$filter"] { query.append("$filter=\(Self.queryEncoded(filter))") }
            query.append("$top=\(top)")
            query.append("$skiptoken=log\(end)")
            body["@odata.nextLink"] = .string("\(context.graphRoot)/auditLogs/provisioning?\(query.joined(separator: "&"))")
        }
        return .json(200, .object(body))
    }

    /// Appends one entry in Graph's v1.0 `provisioningObjectSummary` shape.
    func recordProvisioningEvent(
        job: SynchronizationJobRecord, user: JSONValue, cycleId: String, facts: ProvisioningLogFacts, at time: Double
    ) {
        let servicePrincipal = state.servicePrincipals.first { $0.id == job.servicePrincipalId }
        let userID = user["id"]?.stringValue ?? ""
        let userName = user["userPrincipalName"]?.stringValue ?? userID
        var errorInformation: JSONValue = nil
        if facts.status == "failure" || facts.errorCode != nil {
            errorInformation = [
                "errorCode": facts.errorCode.map(JSONValue.string) ?? nil, "reason": facts.reason.map(JSONValue.string) ?? nil,
                "additionalDetails": nil, "errorCategory": facts.status == "failure" ? "NonServiceFailure" : nil,
                "recommendedAction": nil,
            ]
        }
        let entry: JSONValue = [
            "id": .string(generator.guid()), "activityDateTime": .string(Timestamp.iso8601(time)),
            "tenantId": "00000000-0000-0000-0000-00000000e1e1", "jobId": .string(job.id), "cycleId": .string(cycleId),
            "changeId": .string(generator.guid()), "provisioningAction": .string(facts.action),
            "durationInMilliseconds": 120,
            "provisioningStatusInfo": ["status": .string(facts.status), "errorInformation": errorInformation],
            "provisioningSteps": .array(facts.steps), "modifiedProperties": .array(facts.modifiedProperties),
            "servicePrincipal": [
                "id": .string(job.servicePrincipalId), "displayName": .string(servicePrincipal?.displayName ?? ""),
            ],
            "sourceSystem": ["id": nil, "displayName": "Azure Active Directory", "details": [:]],
            "targetSystem": [
                "id": nil, "displayName": .string(servicePrincipal?.displayName ?? "customappsso"),
                "details": [
                    "ApplicationId": .string(servicePrincipal?.appId ?? ""),
                    "ServicePrincipalId": .string(job.servicePrincipalId),
                    "ServicePrincipalDisplayName": .string(servicePrincipal?.displayName ?? ""),
                ],
            ],
            "initiatedBy": ["id": "", "displayName": .string(facts.initiatedBy), "initiatorType": "system"],
            "sourceIdentity": [
                "id": .string(userID), "displayName": .string(user["displayName"]?.stringValue ?? userName),
                "identityType": "User", "details": [:],
            ],
            "targetIdentity": [
                "id": facts.status == "success" ? .string(generator.guid()) : "", "displayName": .string(userName),
                "identityType": "User", "details": [:],
            ],
        ]
        if provisioningLog.count >= Self.maximumProvisioningLogEntries {
            provisioningLog.removeFirst(provisioningLog.count - Self.maximumProvisioningLogEntries + 1)
        }
        provisioningLog.append(
            ProvisioningLogRecord(
                time: time, servicePrincipalId: job.servicePrincipalId, jobId: job.id, cycleId: cycleId,
                action: facts.action, status: facts.status, json: entry))
    }

    /// A job's first cycle: every seeded user in scope (all of them with SyncAll, else those assigned directly or
    /// through a group) is evaluated against the user mapping and logged as created, skipped or failed.
    func recordCycle(jobIndex: Int, at time: Double) {
        let job = state.jobs[jobIndex]
        let cycleId = generator.guid()
        let rule = job.schema["synchronizationRules"]?.arrayValue?.first
        let mapping = rule?["objectMappings"]?.arrayValue?.first { $0["sourceObjectName"]?.stringValue == "User" }
        let syncAll = (state.secrets[job.servicePrincipalId] ?? []).contains { $0.key == "SyncAll" && $0.value.lowercased() == "true" }
        let inScope = syncAll ? state.users : assignedSeededUsers(of: job.servicePrincipalId)
        for user in inScope.prefix(1_000) {
            let facts = cycleFacts(mapping: mapping, user: user, at: time)
            recordProvisioningEvent(job: job, user: user, cycleId: cycleId, facts: facts, at: time)
        }
    }

    private func cycleFacts(mapping: JSONValue?, user: JSONValue, at time: Double) -> ProvisioningLogFacts {
        let attributes = user.objectValue ?? [:]
        let userName = attributes["userPrincipalName"]?.stringValue ?? user["id"]?.stringValue ?? "?"
        let importStep = logStep("EntryImportAdd", "import", "success", "Received User '\(userName)' change of type (Add) from Azure Active Directory", [:])
        guard mapping?["enabled"]?.boolValue == true else {
            return ProvisioningLogFacts(
                action: "other", status: "skipped", errorCode: nil, reason: nil,
                steps: [importStep, logStep("EntrySynchronizationSkip", "matching", "skipped", "User '\(userName)' was skipped: the user object mapping is disabled", ["SkipReason": "MappingDisabled"])],
                modifiedProperties: [], initiatedBy: "Azure AD Provisioning Service")
        }
        let evaluation = evaluateUserMapping(mapping, attributes: attributes)
        let matching = logStep("EntrySynchronizationAdd", "matching", "success", "User '\(userName)' will be created in the app (no matching user was found)", [:])
        if !evaluation.failures.isEmpty {
            let message = evaluation.failures.joined(separator: "; ")
            return ProvisioningLogFacts(
                action: "create", status: "failure", errorCode: "ExpressionEvaluationFailed", reason: message,
                steps: [importStep, matching, logStep("EntryExportAdd", "export", "failure", "Failed to create User '\(userName)'", [:])],
                modifiedProperties: evaluation.modified, initiatedBy: "Azure AD Provisioning Service")
        }
        return ProvisioningLogFacts(
            action: "create", status: "success", errorCode: nil, reason: nil,
            steps: [importStep, matching, logStep("EntryExportAdd", "export", "success", "User '\(userName)' was created in the app", ["ReportableIdentifier": .string(userName)])],
            modifiedProperties: evaluation.modified, initiatedBy: "Azure AD Provisioning Service")
    }

    func logStep(_ name: String, _ type: String, _ status: String, _ description: String, _ details: JSONValue) -> JSONValue {
        [
            "name": .string(name), "provisioningStepType": .string(type), "status": .string(status),
            "description": .string(description), "details": details,
        ]
    }

    /// Seeded users assigned to the service principal, directly or through (nested) groups, each once.
    func assignedSeededUsers(of servicePrincipalId: String) -> [JSONValue] {
        var principals: [(id: String, type: String)] = state.appRoleAssignments
            .filter { $0["resourceId"]?.stringValue == servicePrincipalId }
            .compactMap { assignment in
                guard let id = assignment["principalId"]?.stringValue else { return nil }
                return (id.lowercased(), assignment["principalType"]?.stringValue ?? "User")
            }
        principals += (directory.assignments[servicePrincipalId] ?? []).map { ($0.principalId.lowercased(), $0.principalType) }
        var userIDs: Set<String> = []
        var visitedGroups: Set<String> = []
        var groupQueue = principals.filter { $0.type == "Group" }.map(\.id)
        for principal in principals where principal.type == "User" { userIDs.insert(principal.id) }
        while let group = groupQueue.popLast() {
            guard visitedGroups.insert(group).inserted else { continue }
            for member in groupMemberIDs(group) {
                if groupExists(member) { groupQueue.append(member) } else { userIDs.insert(member) }
            }
        }
        return state.users.filter { userIDs.contains(($0["id"]?.stringValue ?? "").lowercased()) }
    }

    /// Members of a group seeded into the tenant (`members` ids) or loaded with the directory, lower-cased.
    func groupMemberIDs(_ groupId: String) -> [String] {
        let seeded = state.groups.first { $0["id"]?.stringValue?.lowercased() == groupId }
        let loaded = directory.groups.first { $0.id.lowercased() == groupId }
        return ((seeded?["members"]?.arrayValue ?? []).compactMap(\.stringValue) + (loaded?.members ?? [])).map { $0.lowercased() }
    }

    func groupExists(_ id: String) -> Bool {
        state.groups.contains { $0["id"]?.stringValue?.lowercased() == id } || directory.groups.contains { $0.id.lowercased() == id }
    }
}

/// The `$filter` of `GET /auditLogs/provisioning`: clauses joined by `and`, each comparing one documented property.
/// Anything else is refused with 400, as Graph refuses filters it cannot apply.
enum ProvisioningLogFilter {
    enum Clause {
        case equals(KeyPath<ProvisioningLogRecord, String>, String, caseSensitive: Bool)
        case time(String, Double)

        func matches(_ record: ProvisioningLogRecord) -> Bool {
            switch self {
            case .equals(let property, let value, let caseSensitive):
                return caseSensitive ? record[keyPath: property] == value : record[keyPath: property].lowercased() == value.lowercased()
            case .time(let comparison, let moment):
                // Log times are whole seconds on the wire; compare what the client can see.
                let time = record.time.rounded(.down)
                switch comparison {
                case "gt": return time > moment
                case "lt": return time < moment
                default: return time == moment
                }
            }
        }
    }

    static func parse(_ filter: String?) throws -> [Clause] {
        guard let filter, !filter.trimmingSpaces.isEmpty else { return [] }
        let parts = splitOnAnd(filter)
        return try parts.map { try clause(String($0), whole: filter) }
    }

    /// Splits on ` and ` outside quoted literals.
    static func splitOnAnd(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var quoted = false
        while index < text.endIndex {
            if text[index] == "'" { quoted.toggle() }
            if !quoted, text[index...].lowercased().hasPrefix(" and ") {
                parts.append(text[start..<index])
                index = text.index(index, offsetBy: 5)
                start = index
                continue
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }

    static func clause(_ text: String, whole: String) throws -> Clause {
        func invalid() -> GraphError { GraphError.badRequest("Invalid filter clause: '\(whole)'.", code: "BadRequest") }
        let parts = text.trimmingSpaces.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3 else { throw invalid() }
        let property = String(parts[0])
        let comparison = parts[1].lowercased()
        let literal = String(parts[2])
        if property == "activityDateTime" {
            guard ["eq", "gt", "lt"].contains(comparison) else {
                throw GraphError.badRequest("activityDateTime supports only eq, gt and lt, not '\(comparison)'.", code: "BadRequest")
            }
            guard let date = ISO8601DateFormatter().date(from: literal) ?? fractionalDate(literal) else { throw invalid() }
            return .time(comparison, date.timeIntervalSince1970)
        }
        let properties: [String: (KeyPath<ProvisioningLogRecord, String>, Bool)] = [
            "servicePrincipal/id": (\.servicePrincipalId, false), "jobId": (\.jobId, true),
            "cycleId": (\.cycleId, true), "provisioningAction": (\.action, true),
            "provisioningStatusInfo/status": (\.status, true),
        ]
        guard let (keyPath, caseSensitive) = properties[property] else {
            throw GraphError.badRequest("Filtering on '\(property)' is not supported.", code: "BadRequest")
        }
        guard comparison == "eq" else {
            throw GraphError.badRequest("The emulator compares '\(property)' with eq only, not '\(comparison)'.", code: "BadRequest")
        }
        guard literal.count >= 2, literal.first == "'", literal.last == "'",
            let value = EqualityFilter.unescaped(literal.dropFirst().dropLast())
        else { throw invalid() }
        return .equals(keyPath, value, caseSensitive: caseSensitive)
    }

    static func fractionalDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
