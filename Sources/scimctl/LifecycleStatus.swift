import Provisioning
import VendorProfiles

/// Whether the job's run state is what the profile asks for, so `status` agrees with `plan` and `apply`.
enum LifecycleStatus {
    /// A line when the `scim` job's run state differs from the profile's (`paused`, `startProvisioning`); nil when
    /// they agree or there is no job.
    static func drift(_ application: ResolvedApplication, report: StatusReport) -> String? {
        guard let job = report.jobs.first(where: { $0.templateID == "scim" }) else { return nil }
        let running = job.scheduleState == "Active" && job.code != "Quarantine"
        if application.paused {
            return running ? "the profile says paused: true, but the job runs; apply pauses it" : nil
        }
        if application.startProvisioning, job.code == "Paused" || job.scheduleState == "Paused" {
            return "the profile asks for provisioning, but the job is paused; apply starts it again"
        }
        return nil
    }
}
