// Typed views of the Graph bodies scimctl sends or reads besides the schema.

/// Body of `POST /applicationTemplates/{id}/instantiate`.
public struct InstantiateApplicationRequest: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(displayName: String) {
        self.init()
        self.displayName = displayName
    }

    public var displayName: String? {
        get { string("displayName") }
        set { setString("displayName", newValue) }
    }
    /// Optional service tree id; only sent when set.
    public var serviceManagementReference: String? {
        get { string("serviceManagementReference") }
        set {
            if let newValue { setString("serviceManagementReference", newValue) } else { json["serviceManagementReference"] = nil }
        }
    }
}

/// `applicationServicePrincipal`: what instantiate returns.
public struct InstantiateApplicationResponse: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var application: GraphApplication? {
        get { view("application") }
        set { setView("application", newValue) }
    }
    public var servicePrincipal: ServicePrincipal? {
        get { view("servicePrincipal") }
        set { setView("servicePrincipal", newValue) }
    }
}

/// The app registration (`application`); only the members scimctl reads are typed.
public struct GraphApplication: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// Object id. Stale documentation examples use `objectId`; that is read as a fallback.
    public var id: String? { string("id") ?? string("objectId") }
    public var appId: String? { string("appId") }
    public var displayName: String? { string("displayName") }
    public var applicationTemplateId: String? { string("applicationTemplateId") }
}

/// The enterprise application (`servicePrincipal`); its `id` addresses every synchronization call.
public struct ServicePrincipal: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String? { string("id") ?? string("objectId") }
    public var appId: String? { string("appId") }
    public var displayName: String? { string("displayName") }
    public var applicationTemplateId: String? { string("applicationTemplateId") }
    public var servicePrincipalType: String? { string("servicePrincipalType") }
    public var tags: [String] { strings("tags") }
}

/// `{"value": [...]}` collection responses.
public struct GraphCollection<Element: JSONView>: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var value: [Element] {
        get { views("value") }
        set { setViews("value", newValue) }
    }
    /// Set when Graph pages the result.
    public var nextLink: String? { string("@odata.nextLink") }
}

/// `synchronizationTemplate`: a job blueprint offered to a service principal (`scim` for non-gallery apps).
public struct SynchronizationTemplate: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String? { string("id") }
    public var applicationId: String? { string("applicationId") }
    public var isDefault: Bool? { bool("default") }
    public var discoverable: Bool? { bool("discoverable") }
    public var description: String? { string("description") }
    /// Tells the engine which connector implements the template (`CustomSCIM`).
    public var factoryTag: String? { string("factoryTag") }
    public var metadata: [KeyValuePair] { views("metadata") }
    public var schema: SynchronizationSchema? { view("schema") }
}

/// Body of `POST …/synchronization/jobs`.
public struct CreateJobRequest: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(templateId: String) {
        self.init()
        self.templateId = templateId
    }

    public var templateId: String? {
        get { string("templateId") }
        set { setString("templateId", newValue) }
    }
}

/// `synchronizationJob`.
public struct SynchronizationJob: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// `{templateId}.{32 hex}`, e.g. `scim.0123…`.
    public var id: String? {
        get { string("id") }
        set { setString("id", newValue) }
    }
    public var templateId: String? {
        get { string("templateId") }
        set { setString("templateId", newValue) }
    }
    public var schedule: SynchronizationSchedule? {
        get { view("schedule") }
        set { setView("schedule", newValue) }
    }
    public var status: SynchronizationStatus? {
        get { view("status") }
        set { setView("status", newValue) }
    }
    public var settings: [NameValuePair] {
        get { views("synchronizationJobSettings") }
        set { setViews("synchronizationJobSettings", newValue) }
    }
}

public struct SynchronizationSchedule: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// ISO 8601 duration; a new job has TimeSpan.MaxValue (`P10675199DT2H48M5.4775807S`).
    public var interval: String? {
        get { string("interval") }
        set { setString("interval", newValue) }
    }
    /// `Active`, `Disabled` or `Paused`.
    public var state: String? {
        get { string("state") }
        set { setString("state", newValue) }
    }
    public var expiration: String? {
        get { string("expiration") }
        set { setString("expiration", newValue) }
    }
}

/// `synchronizationStatus`. Documentation examples put "" into date and enum members, so all are optional strings.
public struct SynchronizationStatus: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// `NotConfigured`, `NotRun`, `Active`, `Paused`, `Quarantine`.
    public var code: String? {
        get { string("code") }
        set { setString("code", newValue) }
    }
    public var countSuccessiveCompleteFailures: Int? { integer("countSuccessiveCompleteFailures") }
    public var escrowsPruned: Bool? { bool("escrowsPruned") }
    public var lastExecution: SynchronizationTaskExecution? { view("lastExecution") }
    public var lastSuccessfulExecution: SynchronizationTaskExecution? { view("lastSuccessfulExecution") }
    public var lastSuccessfulExecutionWithExports: SynchronizationTaskExecution? {
        view("lastSuccessfulExecutionWithExports")
    }
    public var quarantine: SynchronizationQuarantine? { view("quarantine") }
    public var steadyStateFirstAchievedTime: String? { string("steadyStateFirstAchievedTime") }
    public var steadyStateLastAchievedTime: String? { string("steadyStateLastAchievedTime") }
    public var troubleshootingUrl: String? { string("troubleshootingUrl") }
    /// Counts per object type (`synchronizedEntryCountByType`).
    public var synchronizedEntryCounts: [(key: String, count: Int)] {
        (json["synchronizedEntryCountByType"]?.arrayValue ?? []).compactMap { entry in
            guard let key = entry["key"]?.stringValue, let value = entry["value"]?.integerValue,
                let count = Int(exactly: value)
            else { return nil }
            return (key, count)
        }
    }
}

public struct SynchronizationTaskExecution: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// `Succeeded`, `Failed` or `EntryLevelErrors`.
    public var state: String? { string("state") }
    public var timeBegan: String? { string("timeBegan") }
    public var timeEnded: String? { string("timeEnded") }
    public var countExported: Int? { integer("countExported") }
    public var countImported: Int? { integer("countImported") }
    public var countEscrowed: Int? { integer("countEscrowed") }
    public var error: SynchronizationError? { view("error") }
}

public struct SynchronizationQuarantine: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var currentBegan: String? { string("currentBegan") }
    public var nextAttempt: String? { string("nextAttempt") }
    public var seriesBegan: String? { string("seriesBegan") }
    public var seriesCount: Int? { integer("seriesCount") }
    /// For example `TooManyDeletes`; empty in documentation examples.
    public var reason: String? { string("reason") }
    public var error: SynchronizationError? { view("error") }
}

public struct SynchronizationError: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var code: String? { string("code") }
    public var message: String? { string("message") }
    public var tenantActionable: Bool? { bool("tenantActionable") }
}

/// Body of `PUT …/synchronization/secrets` (and what GET returns): the whole set, values always strings.
public struct SynchronizationSecrets: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(_ entries: [KeyValuePair]) {
        self.init()
        self.entries = entries
    }

    public var entries: [KeyValuePair] {
        get { views("value") }
        set { setViews("value", newValue) }
    }

    public subscript(key: String) -> String? { entries.first { $0.key == key }?.value }
}

/// Body of `POST …/jobs/{jobId}/restart`.
public struct RestartJobRequest: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(resetScope: FlagSet?) {
        self.init()
        if let resetScope { json["criteria"] = ["resetScope": .string(resetScope.description)] } else { json["criteria"] = [:] }
    }

    public var resetScope: FlagSet? { json["criteria"]?["resetScope"]?.stringValue.map(RestartScope.parse) }
}

/// Body of `POST …/jobs/{jobId}/validateCredentials`.
public struct ValidateCredentialsRequest: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// Tests the secrets saved on the job (what an apply does after saving them).
    public init(useSavedCredentials: Bool) {
        self.init()
        self.useSavedCredentials = useSavedCredentials
    }

    public var useSavedCredentials: Bool? {
        get { bool("useSavedCredentials") }
        set { setBool("useSavedCredentials", newValue) }
    }
    public var credentials: [KeyValuePair] {
        get { views("credentials") }
        set { setViews("credentials", newValue) }
    }
}

/// Body of `POST …/jobs/{jobId}/provisionOnDemand`.
public struct ProvisionOnDemandRequest: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(ruleId: String, subjects: [SynchronizationJobSubject]) {
        self.init(json: ["parameters": [["ruleId": .string(ruleId), "subjects": .array(subjects.map(\.json))]]])
    }

    public var parameters: [ProvisionOnDemandParameter] {
        get { views("parameters") }
        set { setViews("parameters", newValue) }
    }
}

public struct ProvisionOnDemandParameter: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// A rule id copied from the job's schema.
    public var ruleId: String? {
        get { string("ruleId") }
        set { setString("ruleId", newValue) }
    }
    public var subjects: [SynchronizationJobSubject] {
        get { views("subjects") }
        set { setViews("subjects", newValue) }
    }
}

/// An object to provision on demand; groups may list members under `links.members`.
public struct SynchronizationJobSubject: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(objectId: String, objectTypeName: String, members: [SynchronizationJobSubject] = []) {
        self.init()
        self.objectId = objectId
        self.objectTypeName = objectTypeName
        if !members.isEmpty { json["links"] = ["members": .array(members.map(\.json))] }
    }

    public var objectId: String? {
        get { string("objectId") }
        set { setString("objectId", newValue) }
    }
    /// `User` or `Group` for Entra → app jobs.
    public var objectTypeName: String? {
        get { string("objectTypeName") }
        set { setString("objectTypeName", newValue) }
    }
    public var members: [SynchronizationJobSubject] {
        (json["links"]?["members"]?.arrayValue ?? []).map(SynchronizationJobSubject.init(json:))
    }
}

/// What provisionOnDemand returns: `key` and `value` are JSON documents inside strings.
public struct ProvisionOnDemandResponse: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    /// The first result pair; Graph returns either one pair or a `value` collection of them.
    private var pair: KeyValuePair? {
        if json["key"] != nil { return KeyValuePair(json: json) }
        let collection: [KeyValuePair] = views("value")
        return collection.first
    }

    /// The summary as Graph sent it: JSON text, or (from some failures) a plain reason.
    public var summaryText: String? { pair?.key }
    /// The summary (`{"result": "Success", "details": {...}}`), parsed.
    public var summary: JSONValue? { pair?.key.flatMap { try? JSONValue(parsing: $0) } }
    /// The provisioning log entry, parsed.
    public var logEntry: JSONValue? { pair?.value.flatMap { try? JSONValue(parsing: $0) } }
    /// `Success`, `Skipped`, `Failure`, …
    public var result: String? { summary?["result"]?.stringValue }
}

/// Body of `POST …/schema/parseExpression`.
public struct ParseExpressionRequest: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public init(expression: String, testInput: [String: JSONValue]? = nil) {
        self.init()
        self.expression = expression
        if let testInput {
            json["testInputObject"] = [
                "properties": .array(testInput.keys.sorted().map { ["key": .string($0), "value": testInput[$0] ?? .null] })
            ]
        }
    }

    public var expression: String? {
        get { string("expression") }
        set { setString("expression", newValue) }
    }
}

/// `parseExpressionResponse`.
public struct ParseExpressionResponse: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var parsingSucceeded: Bool? { bool("parsingSucceeded") }
    public var evaluationSucceeded: Bool? { bool("evaluationSucceeded") }
    public var evaluationResult: [String] { strings("evaluationResult") }
    public var parsedExpression: AttributeMappingSource? { view("parsedExpression") }
    public var error: GraphErrorDetail? { view("error") }
}

/// `{"error": {...}}`: the body of every Graph 4xx/5xx.
public struct GraphErrorBody: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var error: GraphErrorDetail? { view("error") }
}

/// A Graph error: branch on `code` (an open set), show `message`, log the request id.
public struct GraphErrorDetail: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var code: String? { string("code") }
    public var message: String? { string("message") }
    public var target: String? { string("target") }
    /// Graph spells it `innerError`; some pages write `innererror`.
    public var innerError: GraphErrorDetail? { view("innerError") ?? view("innererror") }
    public var details: [GraphErrorDetail] { views("details") }
    public var requestId: String? { string("request-id") ?? innerError?.requestId }
    public var clientRequestId: String? { string("client-request-id") ?? innerError?.clientRequestId }
    public var date: String? { string("date") ?? innerError?.date }

    /// The codes from the outer error inwards (`activityLimitReached`, `throttledRequest`, `quota`).
    public var codeChain: [String] {
        var codes: [String] = []
        var current: GraphErrorDetail? = self
        var depth = 0
        while let error = current, depth < 32 {
            if let code = error.code { codes.append(code) }
            current = error.innerError
            depth += 1
        }
        return codes
    }
}

/// A successful token endpoint response. `description` never shows the token.
public struct OAuthTokenResponse: JSONView, CustomStringConvertible {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var tokenType: String? { string("token_type") }
    /// Seconds; a number, or a string on some endpoints.
    public var expiresIn: Int? { integer("expires_in") ?? string("expires_in").flatMap { Int($0) } }
    /// Epoch seconds, from managed identity endpoints (as a string there).
    public var expiresOn: Int? { integer("expires_on") ?? string("expires_on").flatMap { Int($0) } }
    public var accessToken: String? { string("access_token") }
    public var description: String { "OAuthTokenResponse(token_type: \(tokenType ?? "nil"), expires_in: \(expiresIn ?? 0))" }
}

/// A token endpoint error (`invalid_client`, …).
public struct OAuthErrorResponse: JSONView {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var error: String? { string("error") }
    public var errorDescription: String? { string("error_description") }
    public var errorCodes: [Int] {
        (json["error_codes"]?.arrayValue ?? []).compactMap { $0.integerValue.flatMap { Int(exactly: $0) } }
    }
    public var correlationId: String? { string("correlation_id") }
    public var traceId: String? { string("trace_id") }
}

extension SynchronizationSecrets: CustomStringConvertible {
    /// Names the keys only: values include the vendor's secret token.
    public var description: String { "SynchronizationSecrets(keys: \(entries.compactMap(\.key).joined(separator: ", ")))" }
}
