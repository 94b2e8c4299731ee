import GraphModel

/// One `{key, value}` entry of a service principal's synchronization secrets, in the order it was PUT.
public struct SecretEntry: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A directory object (application or service principal) as Graph returns it, plus when it becomes readable.
public struct DirectoryObjectRecord: Sendable, Equatable {
    /// The Graph JSON of the object; `id` is its object id.
    public var object: JSONValue
    /// Emulator clock time (seconds since 1970) before which reads answer 404, emulating replication delay.
    public var readableAfter: Double
    /// Before this time, directory listings (`$filter` searches) leave the object out; nil means `readableAfter`.
    /// Entra's search indexes lag behind reads by id, which is how a re-run fails to see an app just created.
    public var listedAfter: Double? = nil
    /// When the emulator created the object; nil for objects loaded from a state file. Random replica faults
    /// (`flapRate`) hit objects younger than `flapWindowMilliseconds`.
    public var createdAt: Double? = nil

    /// The object shows up in listings.
    func isListed(at time: Double) -> Bool { max(readableAfter, listedAfter ?? readableAfter) <= time }

    public var id: String { object["id"]?.stringValue ?? "" }
    public var appId: String { object["appId"]?.stringValue ?? "" }
    public var displayName: String { object["displayName"]?.stringValue ?? "" }
}

/// Why a job sits in quarantine, rendered into `status.quarantine`.
public struct QuarantineRecord: Sendable, Equatable {
    public var began: Double
    public var seriesCount: Int64
    public var errorCode: String
    public var errorMessage: String
}

/// A synchronization job and its schema. Status fields are kept as plain values and rendered in Graph's shape.
public struct SynchronizationJobRecord: Sendable, Equatable {
    public var id: String
    public var templateId: String
    public var servicePrincipalId: String
    /// `NotConfigured`, `NotRun`, `Active`, `Paused` or `Quarantine`.
    public var statusCode: String
    /// Schedule state: `Disabled`, `Active` or `Paused`.
    public var scheduleState: String
    public var interval: String
    public var quarantine: QuarantineRecord?
    /// When the job was last started successfully; its first cycle completes `firstCycleMilliseconds` later.
    public var startedAt: Double?
    public var lastExecutionEnded: Double?
    public var steadyStateFirstAchieved: Double?
    public var settings: [SecretEntry]
    /// The job's schema exactly as last PUT (or the template default), unknown members included.
    public var schema: JSONValue
    /// When the emulator created the job; nil for jobs loaded from a state file.
    public var createdAt: Double? = nil
}

/// The whole emulated tenant. `json(masked:)` and `init(json:)` give the form used by `/_emulator/state` and `--state`.
public struct TenantState: Sendable, Equatable {
    public var applications: [DirectoryObjectRecord] = []
    public var servicePrincipals: [DirectoryObjectRecord] = []
    public var jobs: [SynchronizationJobRecord] = []
    /// Secrets per service principal object id.
    public var secrets: [String: [SecretEntry]] = [:]
    /// Source (Entra) users available to provisionOnDemand; each has an `id` plus attribute values by name.
    public var users: [JSONValue] = []
    /// Directory groups (`id`, `displayName`, optional `members`: user ids), for assignments.
    public var groups: [JSONValue] = []
    /// App role assignments as `GET /servicePrincipals/{id}/appRoleAssignedTo` lists them.
    public var appRoleAssignments: [JSONValue] = []

    public init() {}

    /// A fresh tenant: no apps, one sample user so provisionOnDemand can be tried at once.
    public static func fresh() -> TenantState {
        var state = TenantState()
        state.users = [SampleUsers.adele]
        return state
    }

    func servicePrincipalIndex(id: String) -> Int? {
        servicePrincipals.firstIndex { $0.id == id }
    }

    func jobIndex(servicePrincipalId: String, jobId: String) -> Int? {
        jobs.firstIndex { $0.servicePrincipalId == servicePrincipalId && $0.id == jobId }
    }

    func user(id: String) -> JSONValue? {
        users.first { $0["id"]?.stringValue?.lowercased() == id.lowercased() }
    }
}

/// Keys whose values are credentials: never shown by GET secrets, the state export or the request log.
enum SecretMasking {
    static let credentialKeys: Set<String> = [
        "Password", "SecretToken", "AppKey", "ClientSecret", "ConsumerSecret", "TokenKey", "Oauth2AccessToken",
        "Oauth2RefreshToken", "Oauth2ClientSecret", "Oauth2AuthorizationCode", "ConnectionString",
    ]
    /// Graph shows saved passwords as a single asterisk.
    static let mask = "*"

    static func masked(_ entry: SecretEntry) -> SecretEntry {
        credentialKeys.contains(entry.key) ? SecretEntry(key: entry.key, value: mask) : entry
    }
}

/// Built-in source users.
enum SampleUsers {
    static let adele: JSONValue = [
        "id": "5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13",
        "userPrincipalName": "adele.vance@contoso.example",
        "mail": "adele.vance@contoso.example",
        "mailNickname": "adelev",
        "displayName": "Adele Vance",
        "givenName": "Adele",
        "surname": "Vance",
        "jobTitle": "Product Manager",
        "department": "Sales",
        "employeeId": "100042",
        "preferredLanguage": "en-US",
        "city": "Seattle",
        "country": "US",
        "telephoneNumber": "+1 425 555 0109",
        "accountEnabled": "True",
        "IsSoftDeleted": "False",
    ]
}

// MARK: - JSON form

/// A problem with a state document given to `PUT /_emulator/state` or `--state`.
public struct TenantStateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension TenantState {
    /// The tenant as one JSON document; with `masked` credential secrets are replaced by `*`.
    public func json(masked: Bool = true) -> JSONValue {
        var secretMembers: [String: JSONValue] = [:]
        for (servicePrincipalId, entries) in secrets {
            secretMembers[servicePrincipalId] = .array(
                entries.map { entry in
                    let shown = masked ? SecretMasking.masked(entry) : entry
                    return ["key": .string(shown.key), "value": .string(shown.value)]
                })
        }
        return [
            "applications": .array(applications.map(Self.recordJSON)),
            "servicePrincipals": .array(servicePrincipals.map(Self.recordJSON)),
            "jobs": .array(jobs.map(Self.jobJSON)),
            "secrets": .object(secretMembers),
            "users": .array(users),
            "groups": .array(groups),
            "appRoleAssignments": .array(appRoleAssignments),
        ]
    }

    public init(json: JSONValue) throws(TenantStateError) {
        guard let members = json.objectValue else { throw TenantStateError(message: "the state must be a JSON object") }
        for key in members.keys where !["applications", "servicePrincipals", "jobs", "secrets", "users", "groups", "appRoleAssignments"].contains(key) {
            throw TenantStateError(message: "unknown state key '\(key)'")
        }
        self.init()
        applications = try Self.records(members["applications"], what: "applications")
        servicePrincipals = try Self.records(members["servicePrincipals"], what: "servicePrincipals")
        if let jobList = members["jobs"] {
            guard let list = jobList.arrayValue else { throw TenantStateError(message: "jobs must be an array") }
            jobs = try list.map(Self.job)
        }
        if let secretMap = members["secrets"] {
            guard let map = secretMap.objectValue else {
                throw TenantStateError(message: "secrets must be an object keyed by service principal id")
            }
            for (servicePrincipalId, value) in map {
                secrets[servicePrincipalId] = try Self.entries(value, what: "secrets of \(servicePrincipalId)")
            }
        }
        if let userList = members["users"] {
            guard let list = userList.arrayValue else { throw TenantStateError(message: "users must be an array") }
            for user in list {
                guard user["id"]?.stringValue?.isEmpty == false else {
                    throw TenantStateError(message: "every user needs a string id")
                }
            }
            users = list
        }
        groups = try Self.identified(members["groups"], what: "groups")
        appRoleAssignments = try Self.identified(members["appRoleAssignments"], what: "appRoleAssignments")
    }

    private static func recordJSON(_ record: DirectoryObjectRecord) -> JSONValue {
        var members: [String: JSONValue] = ["object": record.object, "readableAfter": .double(record.readableAfter)]
        if let listedAfter = record.listedAfter { members["listedAfter"] = .double(listedAfter) }
        return .object(members)
    }

    private static func records(_ value: JSONValue?, what: String) throws(TenantStateError) -> [DirectoryObjectRecord] {
        guard let value else { return [] }
        guard let list = value.arrayValue else { throw TenantStateError(message: "\(what) must be an array") }
        var result: [DirectoryObjectRecord] = []
        for element in list {
            // Accept both the wrapped form written by the emulator and a bare Graph object.
            let object = element["object"] ?? element
            guard object["id"]?.stringValue?.isEmpty == false else {
                throw TenantStateError(message: "every entry of \(what) needs an id")
            }
            let readableAfter = element["readableAfter"].flatMap(Self.number) ?? 0
            let listedAfter = element["listedAfter"].flatMap(Self.number)
            result.append(DirectoryObjectRecord(object: object, readableAfter: readableAfter, listedAfter: listedAfter))
        }
        return result
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    static func entries(_ value: JSONValue, what: String) throws(TenantStateError) -> [SecretEntry] {
        guard let list = value.arrayValue else { throw TenantStateError(message: "\(what) must be an array") }
        var entries: [SecretEntry] = []
        for element in list {
            guard let key = element["key"]?.stringValue, let value = element["value"]?.stringValue else {
                throw TenantStateError(message: "\(what) must be {key, value} string pairs")
            }
            entries.append(SecretEntry(key: key, value: value))
        }
        return entries
    }

    private static func jobJSON(_ job: SynchronizationJobRecord) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(job.id),
            "templateId": .string(job.templateId),
            "servicePrincipalId": .string(job.servicePrincipalId),
            "statusCode": .string(job.statusCode),
            "scheduleState": .string(job.scheduleState),
            "interval": .string(job.interval),
            "settings": .array(job.settings.map { ["name": .string($0.key), "value": .string($0.value)] }),
            "schema": job.schema,
        ]
        if let quarantine = job.quarantine {
            members["quarantine"] = [
                "began": .double(quarantine.began), "seriesCount": .integer(quarantine.seriesCount),
                "errorCode": .string(quarantine.errorCode), "errorMessage": .string(quarantine.errorMessage),
            ]
        }
        if let startedAt = job.startedAt { members["startedAt"] = .double(startedAt) }
        if let ended = job.lastExecutionEnded { members["lastExecutionEnded"] = .double(ended) }
        if let steady = job.steadyStateFirstAchieved { members["steadyStateFirstAchieved"] = .double(steady) }
        return .object(members)
    }

    private static func job(_ value: JSONValue) throws(TenantStateError) -> SynchronizationJobRecord {
        guard let id = value["id"]?.stringValue, let servicePrincipalId = value["servicePrincipalId"]?.stringValue else {
            throw TenantStateError(message: "every job needs id and servicePrincipalId strings")
        }
        let templateId = value["templateId"]?.stringValue ?? "scim"
        let statusCode = value["statusCode"]?.stringValue ?? "NotConfigured"
        guard JobStatusCode.all.contains(statusCode) else {
            throw TenantStateError(message: "job \(id) has unknown statusCode '\(statusCode)'")
        }
        var settings: [SecretEntry] = []
        for setting in value["settings"]?.arrayValue ?? [] {
            guard let name = setting["name"]?.stringValue, let settingValue = setting["value"]?.stringValue else {
                throw TenantStateError(message: "job \(id) settings must be {name, value} string pairs")
            }
            settings.append(SecretEntry(key: name, value: settingValue))
        }
        var quarantine: QuarantineRecord?
        if let record = value["quarantine"], !record.isNull {
            quarantine = QuarantineRecord(
                began: record["began"].flatMap(number) ?? 0,
                seriesCount: record["seriesCount"]?.integerValue ?? 1,
                errorCode: record["errorCode"]?.stringValue ?? "",
                errorMessage: record["errorMessage"]?.stringValue ?? "")
        }
        let schema = value["schema"] ?? DefaultSchemaSource.scimSchema()
        guard schema.objectValue != nil else { throw TenantStateError(message: "job \(id) schema must be an object") }
        return SynchronizationJobRecord(
            id: id, templateId: templateId, servicePrincipalId: servicePrincipalId, statusCode: statusCode,
            scheduleState: value["scheduleState"]?.stringValue ?? "Disabled",
            interval: value["interval"]?.stringValue ?? JobSchedule.neverInterval,
            quarantine: quarantine,
            startedAt: value["startedAt"].flatMap(number),
            lastExecutionEnded: value["lastExecutionEnded"].flatMap(number),
            steadyStateFirstAchieved: value["steadyStateFirstAchieved"].flatMap(number),
            settings: settings, schema: schema)
    }
}

enum JobStatusCode {
    static let notConfigured = "NotConfigured"
    static let notRun = "NotRun"
    static let active = "Active"
    static let paused = "Paused"
    static let quarantine = "Quarantine"
    static let all: Set<String> = [notConfigured, notRun, active, paused, quarantine]
}

enum JobSchedule {
    /// A new job's interval is .NET's TimeSpan.MaxValue, i.e. never scheduled.
    static let neverInterval = "P10675199DT2H48M5.4775807S"
    /// Provisioning cycles run about every 40 minutes once started.
    static let runningInterval = "PT40M"
}
