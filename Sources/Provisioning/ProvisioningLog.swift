import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles

/// One entry of the provisioning log (Graph's `provisioningObjectSummary`), reduced to what an administrator acts on.
public struct ProvisioningLogEvent: Sendable, Hashable {
    public enum Action: String, Sendable, CaseIterable {
        case create, update, delete, disable, other

        /// Graph's `provisioningAction`; a staged delete is a delete, anything new is `other`.
        init(graphValue: String?) {
            switch graphValue?.lowercased() {
            case "create": self = .create
            case "update": self = .update
            case "delete", "stageddelete": self = .delete
            case "disable": self = .disable
            default: self = .other
            }
        }
    }

    public enum Status: String, Sendable, CaseIterable {
        case success, failure, skipped, warning

        /// Graph's `provisioningResult`; a value this version does not know counts as a warning, to be looked at.
        init(graphValue: String?) {
            self = graphValue.flatMap { Status(rawValue: $0.lowercased()) } ?? .warning
        }
    }

    public var id: String
    /// `activityDateTime` as Graph sent it (ISO 8601, UTC).
    public var time: String
    public var date: Date?
    public var action: Action
    public var status: Status
    public var errorCode: String?
    /// Graph's explanation of a failure, or the step description / skip reason of a skipped entry.
    public var reason: String?
    /// What to do about a failure or skip; nil for successes.
    public var remedy: String?
    public var cycleID: String?
    public var jobID: String?
    /// The object in the target app, when the service knows it.
    public var targetID: String?
    /// The attributes the entry changed, by name.
    public var modifiedProperties: [String]
}

/// The entries of one source object (a user, or a group), newest first.
public struct ProvisioningLogSubject: Sendable, Hashable {
    public var id: String
    public var displayName: String?
    /// `User`, `Group`, or whatever Graph names the identity type.
    public var type: String
    public var events: [ProvisioningLogEvent]

    /// The newest entry: where this object stands now.
    public var latest: ProvisioningLogEvent? { events.first }
    public var failureCount: Int { events.count { $0.status == .failure } }
}

/// What `logs` shows: the provisioning log of one app since a moment, grouped per source object.
public struct ProvisioningLogSummary: Sendable {
    public var servicePrincipalID: String
    public var since: Date
    public var failedOnly: Bool
    /// Objects whose newest entry failed first, then the rest, each group newest first.
    public var subjects: [ProvisioningLogSubject]
    public var eventCount: Int
    /// The page limit was reached: older entries in the window were not read.
    public var truncated: Bool

    public var failureCount: Int { subjects.reduce(0) { $0 + $1.failureCount } }
    public var countsByStatus: [ProvisioningLogEvent.Status: Int] {
        var counts: [ProvisioningLogEvent.Status: Int] = [:]
        for subject in subjects { for event in subject.events { counts[event.status, default: 0] += 1 } }
        return counts
    }
}

/// Reads `GET /auditLogs/provisioning` for one service principal (needs AuditLog.Read.All).
/// One application's provisioning log, with the display name it was found by (nil when named by service principal id).
public struct ApplicationProvisioningLog: Sendable {
    public var name: String?
    public var summary: ProvisioningLogSummary

    public init(name: String?, summary: ProvisioningLogSummary) {
        self.name = name
        self.summary = summary
    }
}

public struct ProvisioningLogReader: Sendable {
    public var graph: any GraphService
    /// Pages read at most; Graph pages hold up to a few hundred entries, so a busy app's day fits.
    public var maximumPages: Int

    public init(graph: any GraphService, maximumPages: Int = 50) {
        self.graph = graph
        self.maximumPages = max(1, maximumPages)
    }

    /// The service principal a profile's application names: by appId when it gives one, else by display name.
    public func servicePrincipalID(for application: ResolvedApplication) async throws -> String {
        let found = try await ExistingApplication.candidates(application, graph: graph)
        let lookup = application.appID.map { "with appId \($0)" } ?? "named '\(application.displayName)'"
        guard let id = found.first?["id"]?.stringValue else {
            throw ProvisioningError.notFound("an enterprise application \(lookup)")
        }
        guard found.count == 1 else {
            throw ProvisioningError.ambiguousApplication(
                application.displayName, ids: found.compactMap { $0["id"]?.stringValue })
        }
        return id
    }

    /// The filter scimctl sends. Graph compares `activityDateTime` with `eq`, `gt` and `lt` only.
    public static func filter(servicePrincipalID: String, since: Date, failedOnly: Bool) -> String {
        var clauses = [
            "servicePrincipal/id eq '\(LiveStateReader.filterLiteral(servicePrincipalID))'",
            "activityDateTime gt \(ProvisioningLogWindow.timestamp(since))",
        ]
        if failedOnly { clauses.append("provisioningStatusInfo/status eq 'failure'") }
        return clauses.joined(separator: " and ")
    }

    /// `scimctl logs`: the log of the app with `servicePrincipalID` (unnamed), then of each of `applications` (named by
    /// display name), in that order.
    public func read(
        servicePrincipalID: String?, applications: [ResolvedApplication], since: Date, failedOnly: Bool = false
    ) async throws -> [ApplicationProvisioningLog] {
        var logs: [ApplicationProvisioningLog] = []
        if let servicePrincipalID {
            logs.append(ApplicationProvisioningLog(
                name: nil, summary: try await read(servicePrincipalID: servicePrincipalID, since: since, failedOnly: failedOnly)))
        }
        for application in applications {
            let id = try await self.servicePrincipalID(for: application)
            logs.append(ApplicationProvisioningLog(
                name: application.displayName, summary: try await read(servicePrincipalID: id, since: since, failedOnly: failedOnly)))
        }
        return logs
    }

    public func read(servicePrincipalID: String, since: Date, failedOnly: Bool = false) async throws -> ProvisioningLogSummary {
        let filter = Self.filter(servicePrincipalID: servicePrincipalID, since: since, failedOnly: failedOnly)
        var path: String? = "/auditLogs/provisioning?$filter=" + Self.queryEncoded(filter)
        var entries: [JSONValue] = []
        var pages = 0
        var truncated = false
        while let next = path {
            if pages == maximumPages {
                truncated = true
                break
            }
            pages += 1
            let page = try await graph.get(next, "read the provisioning log")
            entries += page?["value"]?.arrayValue ?? []
            path = nil
            if let link = page?["@odata.nextLink"]?.stringValue {
                guard let relative = DirectoryReader.relativePath(ofNextLink: link) else {
                    throw ProvisioningError.invalidArgument("Graph returned a next-page link scimctl cannot follow: \(link)")
                }
                path = relative
            }
        }
        return Self.summarise(
            entries, servicePrincipalID: servicePrincipalID, since: since, failedOnly: failedOnly, truncated: truncated)
    }

    /// Groups entries per source object. Entries the service records without a source (job-level events) are
    /// grouped under their target, or under `unknown`.
    public static func summarise(
        _ entries: [JSONValue], servicePrincipalID: String, since: Date, failedOnly: Bool, truncated: Bool = false
    ) -> ProvisioningLogSummary {
        var order: [String] = []
        var subjects: [String: ProvisioningLogSubject] = [:]
        var seenEvents: Set<String> = []
        for entry in entries {
            let event = Self.event(entry)
            // Pages can overlap when entries arrive while reading; count each entry once.
            guard seenEvents.insert(event.id).inserted || event.id.isEmpty else { continue }
            if failedOnly, event.status != .failure { continue }
            let source = entry["sourceIdentity"]
            let target = entry["targetIdentity"]
            let sourceID = nonEmpty(source?["id"]?.stringValue)
            let key = sourceID ?? nonEmpty(target?["id"]?.stringValue) ?? "unknown"
            if subjects[key] == nil {
                order.append(key)
                let identity = sourceID != nil ? source : target
                subjects[key] = ProvisioningLogSubject(
                    id: key, displayName: nonEmpty(identity?["displayName"]?.stringValue),
                    type: nonEmpty(identity?["identityType"]?.stringValue ?? identity?["type"]?.stringValue) ?? "unknown",
                    events: [])
            }
            subjects[key]?.events.append(event)
        }
        var result = order.compactMap { subjects[$0] }
        for index in result.indices {
            result[index].events.sort { ($0.date ?? .distantPast) > ($1.date ?? .distantPast) }
        }
        // Failing objects first; within each group the most recent activity first.
        result.sort { left, right in
            let leftFailing = left.latest?.status == .failure
            let rightFailing = right.latest?.status == .failure
            if leftFailing != rightFailing { return leftFailing }
            return (left.latest?.date ?? .distantPast) > (right.latest?.date ?? .distantPast)
        }
        return ProvisioningLogSummary(
            servicePrincipalID: servicePrincipalID, since: since, failedOnly: failedOnly, subjects: result,
            eventCount: result.reduce(0) { $0 + $1.events.count }, truncated: truncated)
    }

    /// One `provisioningObjectSummary`. v1.0 names the status `provisioningStatusInfo`; older answers `statusInfo`.
    static func event(_ entry: JSONValue) -> ProvisioningLogEvent {
        let statusInfo = entry["provisioningStatusInfo"] ?? entry["statusInfo"]
        let status = ProvisioningLogEvent.Status(graphValue: statusInfo?["status"]?.stringValue)
        let error = statusInfo?["errorInformation"]
        var errorCode = nonEmpty(error?["errorCode"]?.stringValue ?? statusInfo?["errorCode"]?.stringValue)
        var reason = nonEmpty(error?["reason"]?.stringValue ?? statusInfo?["reason"]?.stringValue)
        let steps = entry["provisioningSteps"]?.arrayValue ?? []
        if status == .skipped {
            // A skip is explained by the step that skipped, often with a SkipReason detail.
            let skipping = steps.last { ($0["status"]?.stringValue ?? "").lowercased() == "skipped" }
            if errorCode == nil { errorCode = nonEmpty(skipping?["details"]?["SkipReason"]?.stringValue) }
            if reason == nil { reason = nonEmpty(skipping?["description"]?.stringValue) }
        }
        if status == .failure, reason == nil {
            let failing = steps.last { ($0["status"]?.stringValue ?? "").lowercased() == "failure" }
            reason = nonEmpty(failing?["description"]?.stringValue)
        }
        let time = entry["activityDateTime"]?.stringValue ?? ""
        var remedy: String?
        switch status {
        case .failure, .warning: remedy = ProvisioningRemedy.remedy(errorCode: errorCode)
        case .skipped: remedy = errorCode.map { ProvisioningRemedy.remedy(skipReason: $0) }
        case .success: remedy = nil
        }
        return ProvisioningLogEvent(
            id: entry["id"]?.stringValue ?? "", time: time, date: ProvisioningLogWindow.date(fromTimestamp: time),
            action: .init(graphValue: entry["provisioningAction"]?.stringValue ?? entry["action"]?.stringValue),
            status: status, errorCode: errorCode, reason: reason, remedy: remedy,
            cycleID: nonEmpty(entry["cycleId"]?.stringValue), jobID: nonEmpty(entry["jobId"]?.stringValue),
            targetID: nonEmpty(entry["targetIdentity"]?["id"]?.stringValue),
            modifiedProperties: (entry["modifiedProperties"]?.arrayValue ?? []).compactMap { $0["displayName"]?.stringValue })
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }

    /// Query text for a URL: spaces and quotes escaped, the OData punctuation kept readable.
    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/:,()")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// What to do about a failed or skipped provisioning entry, by the error code or skip reason Entra logs.
public enum ProvisioningRemedy {
    static let byErrorCode: [String: String] = [
        "SystemForCrossDomainIdentityManagementBadRequest":
            "the app rejected the request as malformed: compare the attributes sent with what the vendor's SCIM "
            + "API accepts (scimctl probe, scimctl preview) and fix the mapping or the user's value",
        "SystemForCrossDomainIdentityManagementUnauthorized":
            "the app refused the credentials: put a fresh token in the profile's secret and run scimctl apply",
        "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable":
            "the app refused the credentials: put a fresh token in the profile's secret and run scimctl apply",
        "SystemForCrossDomainIdentityManagementServiceIncompatible":
            "Entra could not parse the app's answer: the vendor's SCIM endpoint deviates from what Entra expects; "
            + "check it with scimctl probe and raise it with the vendor",
        "SystemForCrossDomainIdentityManagementMultipleEntriesInResponse":
            "the app returned several objects for the matching attribute: make the matching attribute unique in "
            + "the app, or match on a different attribute",
        "SystemForCrossDomainIdentityManagementEntryConflict":
            "an object with the same unique value already exists in the app: remove or relink the duplicate there, "
            + "or take the user out of scope",
        "SystemForCrossDomainIdentityManagementServiceUnavailable":
            "the app was unavailable; Entra retries on the next cycle. If it persists, check the tenant URL and the "
            + "vendor's status page",
        "SystemForCrossDomainIdentityManagementTooManyRequests":
            "the app throttled Entra; it retries on the next cycle. Ask the vendor to raise the limit if it persists",
        "SystemForCrossDomainIdentityManagementInternalServerError":
            "the app failed while handling the request; Entra retries. Raise it with the vendor if it persists",
        "DuplicateTargetEntries":
            "more than one object in the app matches this user: make the matching attribute unique in the app",
        "DuplicateSourceEntries":
            "more than one Entra user has the matching attribute's value: make it unique in Entra ID",
        "SchemaPropertyCanOnlyAcceptValue":
            "a multi-valued Entra attribute is mapped to a single-valued one in the app: map a single value "
            + "(for example with SingleAppRoleAssignment or Item) or remove the mapping",
        "SchemaAttributeNotFound":
            "the mapping names an attribute the app's schema lacks: fix the target attribute in the profile",
        "AzureActiveDirectoryInvalidHttpRequest":
            "a mapping produced a value the service could not send: check the expression for this user with "
            + "scimctl preview",
        "ExpressionEvaluationFailed":
            "an expression failed for this user: check the mapping with scimctl preview for this user and make "
            + "it cope with missing values",
        "ImportSkipped": "the user could not be read from Entra ID: check the user object and the scoping filters",
        "InvalidCredentials":
            "the app refused the credentials: put a fresh token in the profile's secret and run scimctl apply",
        "CredentialsMissing": "the job has no SCIM credentials: run scimctl apply with the profile's secret set",
        "HttpsRequired": "the tenant URL must use https: fix tenantURL in the profile and run scimctl apply",
        "EndpointUnreachable":
            "the SCIM endpoint could not be reached: check the tenant URL and that the vendor allows Entra's IP ranges",
    ]

    static let bySkipReason: [String: String] = [
        "NotEffectivelyEntitled":
            "the user is not assigned to the app (or is disabled): assign the user or a group they belong to, or "
            + "provision all users",
        "ScopeFilterNotMatched": "the user does not pass the scoping filters: change the user or the filters if wrong",
        "MappingDisabled": "the user object mapping is turned off: enable it in the profile (users.enabled)",
        "RedundantExport": "nothing changed for this user since the last cycle; no action needed",
    ]

    /// The remedy for a failure code; one generic remedy for codes not in the table (or none logged).
    public static func remedy(errorCode: String?) -> String {
        if let errorCode, let known = byErrorCode[errorCode] { return known }
        return "look up the error code in the Entra provisioning logs documentation; fix the cause, then retry this "
            + "user with scimctl provision-on-demand (or wait for the next cycle)"
    }

    public static func remedy(skipReason: String) -> String {
        bySkipReason[skipReason] ?? "the service skipped this object on purpose; check its assignment and scoping filters"
    }
}

/// `--since` values: a duration back from now (`30m`, `24h`, `7d`) or an ISO 8601 date or date-time.
public enum ProvisioningLogWindow {
    public struct InvalidSince: Error, CustomStringConvertible {
        public var text: String
        public var description: String {
            "'\(text)' is not a duration such as 30m, 24h or 7d, nor an ISO 8601 date such as 2026-11-20 or "
                + "2026-11-20T08:00:00Z"
        }
    }

    /// Entra keeps provisioning logs for 30 days; longer windows are allowed (the answer is simply shorter) up to
    /// a bound that keeps the date representable.
    public static let maximumDays = 3_650

    public static func start(_ text: String, now: Date) throws(InvalidSince) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, "smhdw".contains(unit), let amount = Int(trimmed.dropLast()), amount > 0 {
            let seconds: Double
            switch unit {
            case "s": seconds = 1
            case "m": seconds = 60
            case "h": seconds = 3_600
            case "d": seconds = 86_400
            default: seconds = 7 * 86_400
            }
            let span = Double(amount) * seconds
            guard span <= Double(maximumDays) * 86_400 else { throw InvalidSince(text: text) }
            return now.addingTimeInterval(-span)
        }
        if let date = date(fromTimestamp: trimmed), date <= now { return date }
        throw InvalidSince(text: text)
    }

    /// A full date-time (fractional seconds and offsets allowed) or a calendar date taken as midnight UTC.
    public static func date(fromTimestamp text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        guard text.count == 10 else { return nil }
        return day.date(from: text)
    }

    /// `2026-11-26T17:00:00Z`: the form OData date-time literals take.
    public static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
