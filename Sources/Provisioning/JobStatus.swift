import Foundation
import GraphHTTP
import GraphModel

/// The state of every provisioning job of one service principal, as `status` shows it.
public struct StatusReport: Sendable {
    public var servicePrincipalID: String
    public var displayName: String?
    public var jobs: [JobStatus]

    /// A stable JSON form for `--format json`.
    public var json: JSONValue {
        [
            "servicePrincipalId": .string(servicePrincipalID),
            "displayName": displayName.map(JSONValue.string) ?? .null,
            "jobs": .array(jobs.map(\.json)),
        ]
    }
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
        /// What to do about it, with the scimctl command.
        public var remedy: String
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
    /// One line on what the state means and, where useful, what to run next.
    public var summary: String

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "templateId": .string(templateID), "code": .string(code),
            "scheduleState": .string(scheduleState), "interval": interval.map(JSONValue.string) ?? .null,
            "successiveFailures": .integer(successiveFailures), "summary": .string(summary),
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
                "explanation": .string(quarantine.explanation), "remedy": .string(quarantine.remedy),
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
        let restart = "scimctl restart --service-principal-id \(servicePrincipalID)"
        let summary: String
        switch code {
        case "Quarantine":
            summary = "quarantined: \(quarantine?.explanation ?? "the provisioning service stopped retrying at full rate")"
        case "Active":
            summary = "running: provisioning cycles run on schedule (about every 40 minutes)"
        case "NotRun" where schedule == "Active":
            summary = "started: the first provisioning cycle has not finished yet"
        case "NotRun":
            summary = "configured but not started: run apply with --start"
        case "Paused":
            summary = "paused: run apply with --start, or \(restart) --reset-scope Watermark to start over"
        default:
            summary = "not configured: run scimctl apply profile for this application"
        }
        return JobStatus(
            id: id, templateID: typed.templateId ?? String(id.split(separator: ".").first ?? ""),
            code: code, scheduleState: schedule, interval: typed.schedule?.interval,
            lastExecution: execution, lastSuccessfulRun: lastSuccess,
            successiveFailures: Int64(status?.countSuccessiveCompleteFailures ?? 0), quarantine: quarantine,
            summary: summary)
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
        let restart = "scimctl restart --service-principal-id \(servicePrincipalID) --reset-scope"
        let explanation: String
        let remedy: String
        let text = ((code ?? "") + " " + (message ?? "")).lowercased()
        if reason == "TooManyDeletes" {
            explanation = "too many deletions at once: the accidental-deletion threshold held them back"
            remedy = "check the pending deletions in the provisioning logs; if they are intended, run \(restart) ForceDeletes"
        } else if ["credential", "unauthorized", "authentication", "401", "403", "token"].contains(where: { text.contains($0) }) {
            explanation = "credentials rejected: the SCIM endpoint did not accept the tenant URL or secret token"
            remedy = "check the secret token and tenant URL (scimctl apply profile ... --update-secrets), then run \(restart) QuarantineState"
        } else if reason.hasPrefix("EncounteredBaseEscrowThreshold") || reason.hasPrefix("EncounteredTotalEscrowThreshold")
            || reason.hasPrefix("EncounteredEscrowProportionThreshold")
        {
            explanation = "too many users or groups failed to provision"
            remedy = "fix the failing mappings or target data (see the provisioning logs), then run \(restart) Escrows,QuarantineState"
        } else if reason == "QuarantinedOnDemand" {
            explanation = "quarantined on request"
            remedy = "run \(restart) QuarantineState when it should resume"
        } else if reason == "IngestionInterrupted" {
            explanation = "reading changes from Entra ID was interrupted"
            remedy = "run \(restart) QuarantineState; if it returns, \(restart) Full"
        } else {
            explanation = "the provisioning service hit an error" + (message.map { ": \($0)" } ?? "")
            remedy = "fix the cause shown in the provisioning logs, then run \(restart) QuarantineState"
        }
        return JobStatus.Quarantine(
            reason: reason, errorCode: code, errorMessage: message, since: meaningfulDate(record.seriesBegan),
            nextAttempt: meaningfulDate(record.nextAttempt), seriesCount: record.seriesCount.map(Int64.init),
            explanation: explanation, remedy: remedy)
    }
}
