import Foundation
import VendorProfiles

/// The job states a status check can fail on.
public enum JobCondition: String, CaseIterable, Sendable {
    case quarantine, failure, warning

    /// A state name that is not one of `JobCondition`'s.
    public struct UnknownName: Error, Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown state '\(name)'; use a comma-separated list of " + JobCondition.allCases.map(\.rawValue).joined(separator: ", ")
        }
    }

    /// `quarantine,failure` → the set; an unknown name is the caller's mistake.
    public static func parseList(_ text: String?) throws(UnknownName) -> Set<JobCondition> {
        guard let text else { return [] }
        var conditions: Set<JobCondition> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let condition = JobCondition(rawValue: name) else { throw UnknownName(name: name) }
            conditions.insert(condition)
        }
        return conditions
    }

    /// Which of the states a job is in.
    public static func conditions(of job: JobStatus) -> [JobCondition] {
        var found: [JobCondition] = []
        if job.code == "Quarantine" || job.quarantine != nil { found.append(.quarantine) }
        if job.lastExecution?.state == "Failed" || job.successiveFailures > 0 { found.append(.failure) }
        if job.lastExecution?.state == "EntryLevelErrors" || (job.lastExecution?.escrowed ?? 0) > 0 {
            found.append(.warning)
        }
        return found
    }
}

/// Where the `scim` job's run state differs from what the profile asks for (`paused`, `startProvisioning`), so
/// `status` agrees with `plan` and `apply`.
public enum JobStateDrift: Sendable, Hashable {
    /// The profile says paused, but the job runs.
    case runsWhilePaused
    /// The profile asks for provisioning, but the job is paused.
    case pausedWhileStartRequested

    /// Nil when they agree or there is no `scim` job.
    public static func of(_ application: ResolvedApplication, report: StatusReport) -> JobStateDrift? {
        guard let job = report.jobs.first(where: { $0.templateID == "scim" }) else { return nil }
        let running = job.scheduleState == "Active" && job.code != "Quarantine"
        if application.paused { return running ? .runsWhilePaused : nil }
        if application.startProvisioning, job.code == "Paused" || job.scheduleState == "Paused" {
            return .pausedWhileStartRequested
        }
        return nil
    }
}
