import Foundation
import GraphHTTP
import GraphModel

/// The state of every provisioning job of one service principal, as `status` shows it.
public struct StatusReport: Sendable {
    public var servicePrincipalID: String
    public var displayName: String?
    public var jobs: [JobStatus]

    public init(servicePrincipalID: String, displayName: String?, jobs: [JobStatus]) {
        self.servicePrincipalID = servicePrincipalID
        self.displayName = displayName
        self.jobs = jobs
    }

    /// A stable JSON form; `words` phrases each remedy (the executable's commands and options).
    public func json(words: (JobRemedy, _ servicePrincipalID: String) -> String) -> JSONValue {
        [
            "servicePrincipalId": .string(servicePrincipalID),
            "displayName": displayName.map(JSONValue.string) ?? .null,
            "jobs": .array(jobs.map { $0.json(words: { words($0, servicePrincipalID) }) }),
        ]
    }
}

/// What to do about a job's state. The library names no command-line options; the executable words each case
/// with its commands (apply, restart and its reset scopes).
public enum JobRemedy: Sendable, Hashable {
    /// Configured, never started: start it with apply.
    case start
    /// Paused: start it with apply, or restart from scratch (resetting the watermark).
    case startOrStartOver
    /// Nothing configured: apply the profile.
    case applyProfile
    /// Too many deletions: review them; if intended, restart forcing them.
    case reviewDeletions
    /// Credentials rejected: check the token and tenant URL (rewriting the secrets with apply), then clear the quarantine.
    case checkCredentials
    /// Too many objects failed: fix the mappings or data, then clear escrows and the quarantine.
    case fixFailingObjects
    /// Quarantined on request: clear the quarantine when it should resume.
    case resume
    /// Reading changes was interrupted: clear the quarantine; if it returns, restart fully.
    case resumeOrRestartFully
    /// Another error: fix its cause, then clear the quarantine.
    case fixCause
}

/// One job's status in plain terms.
public struct JobStatus: Sendable {
    public struct Execution: Sendable, Hashable {
        /// `Succeeded`, `Failed` or `EntryLevelErrors`.
        public var state: String
        public var began: String?
        public var ended: String?
        public var imported: Int64?
        public var exported: Int64?
        public var escrowed: Int64?
        public var errorMessage: String?
    }

    public struct Quarantine: Sendable, Hashable {
        /// Graph's `quarantineReason` name.
        public var reason: String
        public var errorCode: String?
        public var errorMessage: String?
        public var since: String?
        public var nextAttempt: String?
        public var seriesCount: Int64?
        /// What went wrong, in words.
        public var explanation: String
        /// What to do about it.
        public var remedy: JobRemedy
    }

    public var id: String
    public var templateID: String
    /// `NotConfigured`, `NotRun`, `Active`, `Paused` or `Quarantine`.
    public var code: String
    /// `Active`, `Disabled` or `Paused`.
    public var scheduleState: String
    public var interval: String?
    public var lastExecution: Execution?
    public var lastSuccessfulRun: String?
    public var successiveFailures: Int64
    public var quarantine: Quarantine?
    /// One line on what the state means.
    public var summary: String
    /// What to run next, where useful.
    public var remedy: JobRemedy?

    /// The summary followed by its remedy in `words`.
    public func summary(words: (JobRemedy) -> String) -> String {
        summary + (remedy.map { ": " + words($0) } ?? "")
    }

    public func json(words: (JobRemedy) -> String) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "templateId": .string(templateID), "code": .string(code),
            "scheduleState": .string(scheduleState), "interval": interval.map(JSONValue.string) ?? .null,
            "successiveFailures": .integer(successiveFailures), "summary": .string(summary(words: words)),
            "lastSuccessfulRun": lastSuccessfulRun.map(JSONValue.string) ?? .null,
        ]
        if let run = lastExecution {
            members["lastExecution"] = [
                "state": .string(run.state), "began": run.began.map(JSONValue.string) ?? .null,
                "ended": run.ended.map(JSONValue.string) ?? .null, "imported": run.imported.map(JSONValue.integer) ?? .null,
                "exported": run.exported.map(JSONValue.integer) ?? .null,
                "escrowed": run.escrowed.map(JSONValue.integer) ?? .null,
                "error": run.errorMessage.map(JSONValue.string) ?? .null,
            ]
        } else {
            members["lastExecution"] = .null
        }
        if let quarantine {
            members["quarantine"] = [
                "reason": .string(quarantine.reason), "errorCode": quarantine.errorCode.map(JSONValue.string) ?? .null,
                "errorMessage": quarantine.errorMessage.map(JSONValue.string) ?? .null,
                "since": quarantine.since.map(JSONValue.string) ?? .null,
                "nextAttempt": quarantine.nextAttempt.map(JSONValue.string) ?? .null,
                "seriesCount": quarantine.seriesCount.map(JSONValue.integer) ?? .null,
                "explanation": .string(quarantine.explanation), "remedy": .string(words(quarantine.remedy)),
            ]
        } else {
            members["quarantine"] = .null
        }
        return .object(members)
    }
}

/// Reads job status. Only reads: one request for the service principal and one for its jobs.
public struct StatusReader: Sendable {
    public var graph: any GraphService

    public init(graph: any GraphService) { self.graph = graph }

    public func report(servicePrincipalID: String) async throws -> StatusReport {
        guard let servicePrincipal = try await graph.get(GraphPaths.servicePrincipal(servicePrincipalID), "read the service principal")
        else { throw ProvisioningError.notFound("service principal \(servicePrincipalID)") }
        let jobs = try await JobLocator.jobs(servicePrincipalID: servicePrincipalID, graph: graph)
        return StatusReport(
            servicePrincipalID: servicePrincipalID, displayName: servicePrincipal["displayName"]?.stringValue,
            jobs: jobs.map { Self.status(of: $0.json, servicePrincipalID: servicePrincipalID) })
    }

    /// Finds the application by display name first (as plan does), then reports on it.
    public func report(displayName: String) async throws -> StatusReport {
        let found = try await LiveStateReader.findServicePrincipals(named: displayName, graph: graph)
        guard let id = found.first?["id"]?.stringValue else {
            throw ProvisioningError.notFound("an application named '\(displayName)'")
        }
        if found.count > 1 {
            throw ProvisioningError.ambiguousApplication(displayName, ids: found.compactMap { $0["id"]?.stringValue })
        }
        return try await report(servicePrincipalID: id)
    }

    /// The report on one service principal when its id is given, otherwise one per display name, in order.
    public func reports(servicePrincipalID: String?, displayNames: [String]) async throws -> [StatusReport] {
        if let servicePrincipalID { return [try await report(servicePrincipalID: servicePrincipalID)] }
        var reports: [StatusReport] = []
        for displayName in displayNames { reports.append(try await report(displayName: displayName)) }
        return reports
    }

    /// Interprets one `synchronizationJob` document; lenient about the empty strings Graph's examples show.
    public static func status(of job: JSONValue, servicePrincipalID: String) -> JobStatus {
        let typed = SynchronizationJob(json: job)
        let id = typed.id ?? "?"
        let status = typed.status
        let code = status?.code ?? "NotConfigured"
        let schedule = typed.schedule?.state ?? "Disabled"
        let execution = status?.lastExecution.flatMap(Self.execution)
        let lastSuccess = status?.lastSuccessfulExecution.flatMap(Self.execution)?.ended
        let quarantine = status?.quarantine.map {
            Self.quarantine($0, servicePrincipalID: servicePrincipalID, jobID: id)
        }
        let summary: String
        var remedy: JobRemedy?
        switch code {
        case "Quarantine":
            summary = "quarantined: \(quarantine?.explanation ?? "the provisioning service stopped retrying at full rate")"
        case "Active":
            summary = "running: provisioning cycles run on schedule (about every 40 minutes)"
        case "NotRun" where schedule == "Active":
            summary = "started: the first provisioning cycle has not finished yet"
        case "NotRun":
            summary = "configured but not started"
            remedy = .start
        case "Paused":
            summary = "paused"
            remedy = .startOrStartOver
        default:
            summary = "not configured"
            remedy = .applyProfile
        }
        return JobStatus(
            id: id, templateID: typed.templateId ?? String(id.split(separator: ".").first ?? ""),
            code: code, scheduleState: schedule, interval: typed.schedule?.interval,
            lastExecution: execution, lastSuccessfulRun: lastSuccess,
            successiveFailures: Int64(status?.countSuccessiveCompleteFailures ?? 0), quarantine: quarantine,
            summary: summary, remedy: remedy)
    }

    static func execution(_ value: SynchronizationTaskExecution) -> JobStatus.Execution? {
        guard let state = value.state else { return nil }
        return JobStatus.Execution(
            state: state, began: meaningfulDate(value.timeBegan), ended: meaningfulDate(value.timeEnded),
            imported: value.countImported.map(Int64.init), exported: value.countExported.map(Int64.init),
            escrowed: value.countEscrowed.map(Int64.init), errorMessage: value.error?.message)
    }

    /// Graph writes `0001-01-01T00:00:00Z` (or an empty string) for "never".
    static func meaningfulDate(_ text: String?) -> String? {
        guard let text, !text.isEmpty, !text.hasPrefix("0001-01-01") else { return nil }
        return text
    }

    static func quarantine(_ record: SynchronizationQuarantine, servicePrincipalID: String, jobID: String)
        -> JobStatus.Quarantine
    {
        let reason = record.reason ?? "Unknown"
        let code = record.error?.code
        let message = record.error?.message
        let explanation: String
        let remedy: JobRemedy
        let text = ((code ?? "") + " " + (message ?? "")).lowercased()
        if reason == "TooManyDeletes" {
            explanation = "too many deletions at once: the accidental-deletion threshold held them back"
            remedy = .reviewDeletions
        } else if ["credential", "unauthorized", "authentication", "401", "403", "token"].contains(where: { text.contains($0) }) {
            explanation = "credentials rejected: the SCIM endpoint did not accept the tenant URL or secret token"
            remedy = .checkCredentials
        } else if reason.hasPrefix("EncounteredBaseEscrowThreshold") || reason.hasPrefix("EncounteredTotalEscrowThreshold")
            || reason.hasPrefix("EncounteredEscrowProportionThreshold")
        {
            explanation = "too many users or groups failed to provision"
            remedy = .fixFailingObjects
        } else if reason == "QuarantinedOnDemand" {
            explanation = "quarantined on request"
            remedy = .resume
        } else if reason == "IngestionInterrupted" {
            explanation = "reading changes from Entra ID was interrupted"
            remedy = .resumeOrRestartFully
        } else {
            explanation = "the provisioning service hit an error" + (message.map { ": \($0)" } ?? "")
            remedy = .fixCause
        }
        return JobStatus.Quarantine(
            reason: reason, errorCode: code, errorMessage: message, since: meaningfulDate(record.seriesBegan),
            nextAttempt: meaningfulDate(record.nextAttempt), seriesCount: record.seriesCount.map(Int64.init),
            explanation: explanation, remedy: remedy)
    }
}
