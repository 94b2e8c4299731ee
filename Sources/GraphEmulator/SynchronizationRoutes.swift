import GraphModel

/// The names Graph accepts as synchronization secret keys (the closed `synchronizationSecret` enum).
enum SynchronizationSecretKey {
    static let all: Set<String> = [
        "None", "UserName", "Password", "SecretToken", "AppKey", "BaseAddress", "ClientIdentifier", "ClientSecret",
        "SingleSignOnType", "Sandbox", "Url", "Domain", "ConsumerKey", "ConsumerSecret", "TokenKey", "TokenExpiration",
        "Oauth2AccessToken", "Oauth2AccessTokenCreationTime", "Oauth2RefreshToken", "SyncAll", "InstanceName",
        "Oauth2ClientId", "Oauth2ClientSecret", "CompanyId", "UpdateKeyOnSoftDelete", "SynchronizationSchedule",
        "SystemOfRecord", "SandboxName", "EnforceDomain", "SyncNotificationSettings", "SkipOutOfScopeDeletions",
        "Oauth2AuthorizationCode", "Oauth2RedirectUri", "ApplicationTemplateIdentifier", "Oauth2TokenExchangeUri",
        "Oauth2AuthorizationUri", "AuthenticationType", "Server", "PerformInboundEntitlementGrants",
        "HardDeletesEnabled", "SyncAgentCompatibilityKey", "SyncAgentADContainer", "ValidateDomain", "TestReferences",
        "ConnectionString",
    ]
}

/// `criteria.resetScope` checked as Graph checks it: every name a member of `synchronizationJobRestartScope`.
enum RestartScopeCheck {
    static let members = Set(RestartScope.members)

    /// Flags arrive as comma-separated names, with or without spaces after the commas.
    static func parse(_ text: String) throws -> Set<String> {
        let names = text.split(separator: ",").map { $0.trimmingSpaces }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw GraphError.badRequest("The value '\(text)' is not valid for resetScope.")
        }
        for name in names where !members.contains(name) {
            throw GraphError.badRequest(
                "Requested value '\(name)' was not found in synchronizationJobRestartScope.")
        }
        return Set(names)
    }
}

extension EmulatorEngine {
    static let scimTemplateId = "scim"

    func synchronizationRoutes(_ context: inout GraphCallContext, _ path: [String], servicePrincipalIndex: Int)
        async throws -> EmulatorResponse
    {
        let method = context.request.method
        let servicePrincipal = state.servicePrincipals[servicePrincipalIndex]
        guard let head = path.first else { throw GraphError.unknownSegment("synchronization") }
        switch head {
        case "templates":
            return try templateRoutes(context, Array(path.dropFirst()), applicationId: servicePrincipal.appId)
        case "secrets":
            guard path.count == 1 else { throw GraphError.unknownSegment(path[1]) }
            switch method {
            case "PUT": return try putSecrets(context, servicePrincipalId: servicePrincipal.id)
            case "GET":
                // The documentation reads saved secrets only through /beta; v1.0 has no such read.
                guard context.version == "beta" else { throw GraphError.unknownSegment("secrets") }
                let entries = (state.secrets[servicePrincipal.id] ?? []).map(SecretMasking.masked)
                return .json(
                    200,
                    [
                        "@odata.context": .string("\(context.graphRoot)/$metadata#servicePrincipals('\(servicePrincipal.id)')/synchronization/secrets"),
                        "value": .array(entries.map { ["key": .string($0.key), "value": .string($0.value)] }),
                    ])
            default: throw GraphError.methodNotAllowed(method)
            }
        case "jobs":
            return try await jobRoutes(&context, Array(path.dropFirst()), servicePrincipalId: servicePrincipal.id)
        default:
            throw GraphError.unknownSegment(head)
        }
    }

    // MARK: Templates

    func templateRoutes(_ context: GraphCallContext, _ path: [String], applicationId: String) throws -> EmulatorResponse {
        let method = context.request.method
        guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
        switch path.count {
        case 0:
            return .json(200, ["@odata.context": .string("\(context.graphRoot)/$metadata#synchronizationTemplates"), "value": [template(applicationId)]])
        case 1, 2:
            guard path[0] == Self.scimTemplateId else { throw GraphError(status: 404, code: "itemNotFound", message: "Template '\(path[0])' was not found.") }
            if path.count == 1 { return .json(200, template(applicationId)) }
            guard path[1] == "schema" else { throw GraphError.unknownSegment(path[1]) }
            return .json(200, DefaultSchemaSource.scimSchema())
        default:
            throw GraphError.unknownSegment(path[2])
        }
    }

    /// The one template a non-gallery app offers. Its factoryTag follows the documented custom-SCIM example.
    private func template(_ applicationId: String) -> JSONValue {
        [
            "id": .string(Self.scimTemplateId), "applicationId": .string(applicationId), "default": true,
            "description": "Provision users and groups to a SCIM 2.0 endpoint", "discoverable": true,
            "factoryTag": "CustomSCIM", "metadata": [],
            "schema": DefaultSchemaSource.scimSchema(),
        ]
    }

    // MARK: Secrets

    /// PUT replaces the whole set (there is no PATCH); every value must be a string.
    private func putSecrets(_ context: GraphCallContext, servicePrincipalId: String) throws -> EmulatorResponse {
        let body = try context.jsonBody()
        guard let list = body["value"]?.arrayValue else {
            throw GraphError.badRequest("The request body must contain a 'value' array of {key, value} pairs.")
        }
        var entries: [SecretEntry] = []
        for element in list {
            guard let key = element["key"]?.stringValue else {
                throw GraphError.badRequest("Every secret needs a string 'key'.")
            }
            guard SynchronizationSecretKey.all.contains(key) else {
                throw GraphError.badRequest("Requested value '\(key)' was not found in synchronizationSecret.")
            }
            guard let value = element["value"]?.stringValue else {
                throw GraphError.badRequest("The value of secret '\(key)' must be a string.")
            }
            entries.removeAll { $0.key == key }
            entries.append(SecretEntry(key: key, value: value))
        }
        state.secrets[servicePrincipalId] = entries
        return .noContent()
    }

    // MARK: Jobs

    private func jobRoutes(_ context: inout GraphCallContext, _ path: [String], servicePrincipalId: String) async throws
        -> EmulatorResponse
    {
        let method = context.request.method
        if path.isEmpty {
            switch method {
            case "GET":
                let jobs = state.jobs.filter { $0.servicePrincipalId == servicePrincipalId }.map(jobJSON)
                return .json(200, ["@odata.context": .string("\(context.graphRoot)/$metadata#servicePrincipals('\(servicePrincipalId)')/synchronization/jobs"), "value": .array(jobs)])
            case "POST": return try createJob(context, servicePrincipalId: servicePrincipalId)
            default: throw GraphError.methodNotAllowed(method)
            }
        }
        if path[0] == "validateCredentials", path.count == 1 {
            // Collection-bound form: tests credentials before any job exists.
            guard method == "POST" else { throw GraphError.methodNotAllowed(method) }
            return try await validateCredentials(context, servicePrincipalId: servicePrincipalId)
        }
        guard let index = state.jobIndex(servicePrincipalId: servicePrincipalId, jobId: path[0]) else {
            throw GraphError(status: 404, code: "itemNotFound", message: "The synchronization job '\(path[0])' was not found.")
        }
        if path.count == 1 {
            switch method {
            case "GET": return .json(200, jobJSON(state.jobs[index]))
            case "DELETE":
                state.jobs.remove(at: index)
                return .noContent()
            default: throw GraphError.methodNotAllowed(method)
            }
        }
        let action = path[1]
        if action == "schema" {
            return try await schemaRoutes(&context, Array(path.dropFirst(2)), jobIndex: index)
        }
        guard path.count == 2 else { throw GraphError.unknownSegment(path[2]) }
        guard method == "POST" else { throw GraphError.methodNotAllowed(method) }
        switch action {
        case "start":
            await startJob(at: index, clearQuarantine: true)
            return .noContent()
        case "pause":
            state.jobs[index].statusCode = JobStatusCode.paused
            state.jobs[index].scheduleState = "Paused"
            return .noContent()
        case "restart":
            let body = try context.jsonBody(allowEmpty: true)
            var scope: Set<String> = ["QuarantineState", "Watermark", "Escrows"]  // what the portal's restart does
            if let criteria = body["criteria"], !criteria.isNull {
                guard criteria.objectValue != nil else { throw GraphError.badRequest("'criteria' must be an object.") }
                if let reset = criteria["resetScope"], !reset.isNull {
                    guard let text = reset.stringValue else { throw GraphError.badRequest("'resetScope' must be a string.") }
                    scope = try RestartScopeCheck.parse(text)
                }
            }
            let clears = scope.contains("QuarantineState") || scope.contains("Full")
            await startJob(at: index, clearQuarantine: clears)
            return .noContent()
        case "validateCredentials":
            return try await validateCredentials(context, servicePrincipalId: servicePrincipalId)
        case "provisionOnDemand":
            return try await provisionOnDemand(context, jobIndex: index)
        default:
            throw GraphError.unknownSegment(action)
        }
    }

    private func createJob(_ context: GraphCallContext, servicePrincipalId: String) throws -> EmulatorResponse {
        let body = try context.jsonBody()
        guard let templateId = body["templateId"]?.stringValue, !templateId.isEmpty else {
            throw GraphError.badRequest("The property 'templateId' is required.")
        }
        // The template must be one offered to this service principal (only `scim` for a non-gallery app).
        guard templateId == Self.scimTemplateId else {
            throw GraphError.badRequest("The template '\(templateId)' is not one of the templates of this application.")
        }
        let id = "\(templateId).\(generator.hex(count: 32))"
        let job = SynchronizationJobRecord(
            id: id, templateId: templateId, servicePrincipalId: servicePrincipalId,
            statusCode: JobStatusCode.notConfigured, scheduleState: "Disabled", interval: JobSchedule.neverInterval,
            quarantine: nil, startedAt: nil, lastExecutionEnded: nil, steadyStateFirstAchieved: nil,
            settings: [SecretEntry(key: "QuarantineTooManyDeletesThreshold", value: "500")],
            schema: DefaultSchemaSource.scimSchema(), createdAt: now)
        state.jobs.append(job)
        // The documentation's text says 201 Created although its example shows 200 OK; the service sends 201.
        return .json(201, jobJSON(job))
    }

    /// start (and restart) check the saved credentials like the service's first export: bad ones quarantine the job.
    func startJob(at index: Int, clearQuarantine: Bool) async {
        let job = state.jobs[index]
        if job.statusCode == JobStatusCode.quarantine, !clearQuarantine { return }
        let problem = await credentialProblem(state.secrets[job.servicePrincipalId] ?? [])
        guard let current = state.jobs.firstIndex(where: { $0.id == job.id && $0.servicePrincipalId == job.servicePrincipalId })
        else { return }
        let started = now
        state.jobs[current].scheduleState = "Active"
        state.jobs[current].interval = JobSchedule.runningInterval
        if let problem {
            let previous = state.jobs[current].quarantine
            state.jobs[current].statusCode = JobStatusCode.quarantine
            state.jobs[current].quarantine = QuarantineRecord(
                began: previous?.began ?? started, seriesCount: (previous?.seriesCount ?? 0) + 1,
                errorCode: problem.code, errorMessage: problem.message)
            state.jobs[current].startedAt = nil
        } else {
            state.jobs[current].statusCode = JobStatusCode.notRun
            state.jobs[current].quarantine = nil
            state.jobs[current].startedAt = started
        }
    }

    /// A started job finishes its first cycle after `firstCycleMilliseconds` and becomes Active.
    func refreshJobStatuses() {
        let current = now
        let cycle = Double(configuration.firstCycleMilliseconds) / 1000
        for index in state.jobs.indices where state.jobs[index].statusCode == JobStatusCode.notRun {
            guard let started = state.jobs[index].startedAt, started + cycle <= current else { continue }
            state.jobs[index].statusCode = JobStatusCode.active
            state.jobs[index].lastExecutionEnded = started + cycle
            if state.jobs[index].steadyStateFirstAchieved == nil {
                state.jobs[index].steadyStateFirstAchieved = started + cycle
            }
            recordCycle(jobIndex: index, at: started + cycle)
        }
    }

    func jobJSON(_ job: SynchronizationJobRecord) -> JSONValue {
        let never = "0001-01-01T00:00:00Z"
        var quarantine: JSONValue = nil
        if let record = job.quarantine {
            quarantine = [
                "currentBegan": .string(Timestamp.iso8601(record.began)),
                "nextAttempt": .string(Timestamp.iso8601(record.began + 40 * 60)),
                "seriesBegan": .string(Timestamp.iso8601(record.began)), "seriesCount": .integer(record.seriesCount),
                "reason": "EncounteredQuarantineException",
                "error": ["code": .string(record.errorCode), "message": .string(record.errorMessage), "tenantActionable": true],
            ]
        }
        var lastExecution: JSONValue = nil
        if let ended = job.lastExecutionEnded {
            lastExecution = [
                "activityIdentifier": nil, "countEntitled": 0, "countEntitledForProvisioning": 0, "countEscrowed": 0,
                "countEscrowedRaw": 0, "countExported": 0, "countExports": 0, "countImported": 0, "countImportedDeltas": 0,
                "countImportedReferenceDeltas": 0, "error": nil, "state": "Succeeded",
                "timeBegan": .string(Timestamp.iso8601(job.startedAt ?? ended)), "timeEnded": .string(Timestamp.iso8601(ended)),
            ]
        }
        let steady = job.steadyStateFirstAchieved.map { Timestamp.iso8601($0) } ?? never
        return [
            "id": .string(job.id), "templateId": .string(job.templateId),
            "schedule": ["expiration": nil, "interval": .string(job.interval), "state": .string(job.scheduleState)],
            "status": [
                "code": .string(job.statusCode), "countSuccessiveCompleteFailures": .integer(job.quarantine == nil ? 0 : job.quarantine?.seriesCount ?? 0),
                "escrowsPruned": false, "synchronizedEntryCountByType": [], "lastExecution": lastExecution,
                "lastSuccessfulExecution": lastExecution, "lastSuccessfulExecutionWithExports": nil, "progress": [],
                "steadyStateFirstAchievedTime": .string(steady),
                "steadyStateLastAchievedTime": .string(job.lastExecutionEnded.map { Timestamp.iso8601($0) } ?? never),
                "quarantine": quarantine, "troubleshootingUrl": nil,
            ],
            "synchronizationJobSettings": .array(job.settings.map { ["name": .string($0.key), "value": .string($0.value)] }),
        ]
    }
}
