import Foundation

/// Why plan or apply stopped. Descriptions never contain secret values.
public enum ProvisioningError: Error, Sendable, CustomStringConvertible {
    case notFound(String)
    case ambiguousApplication(String, ids: [String])
    case missingToken(String)
    case schemaMerge(String)
    case replicationTimeout(String)
    case credentialsRejected(String)
    case noScimTemplate([String])
    case backupFailed(String)
    /// A backup that does not belong to this job, or is not a schema at all.
    case unusableBackup(String)
    /// The service principal has no job scimctl can act on; `found` lists the job ids it has.
    case noProvisioningJob(servicePrincipalID: String, found: [String])
    /// A value given by the user that cannot be used (a restart scope, a missing rule).
    case invalidArgument(String)
    /// A create got no clear answer and what it may have made has not appeared (yet).
    case unconfirmedCreate(String)
    /// The apply journal cannot be read or written, so creating could duplicate.
    case journal(String)
    /// The profile says the app exists (`create: false`) and it was not found.
    case existingApplicationMissing(String)
    /// Scope "assigned" reads the app's assignments, so the app must exist; this display name was not found.
    case assignedScopeNeedsApplication(String)
    /// A profile's assignment names no user, group or role, or several.
    case unresolvedAssignment(String)
    /// A step failed after earlier steps changed the tenant; `done` lists them so the user knows where things stand.
    case partial(application: String, step: String, done: [String], underlying: String)

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) was not found"
        case .ambiguousApplication(let name, let ids):
            "\(ids.count) service principals are named '\(name)' (\(ids.joined(separator: ", ")))"
        case .missingToken(let detail): detail
        case .schemaMerge(let detail): "cannot merge the profile into the job schema: \(detail)"
        case .replicationTimeout(let id): "service principal \(id) did not become readable in time; run apply again to continue"
        case .credentialsRejected(let detail): "the SCIM endpoint rejected the credentials: \(detail)"
        case .noScimTemplate(let found):
            "the application offers no 'scim' synchronization template (found: \(found.isEmpty ? "none" : found.joined(separator: ", ")))"
        case .backupFailed(let detail): "could not save the schema backup, so nothing was changed: \(detail)"
        case .unusableBackup(let detail): "cannot restore this backup: \(detail)"
        case .noProvisioningJob(let id, let found):
            found.isEmpty
                ? "service principal \(id) has no provisioning job; run apply first"
                : "service principal \(id) has no 'scim' provisioning job (found: \(found.joined(separator: ", ")))"
        case .invalidArgument(let detail): detail
        case .unconfirmedCreate(let detail): detail
        case .journal(let detail): "\(detail); nothing more was sent, to avoid creating a duplicate"
        case .existingApplicationMissing(let detail): detail
        case .assignedScopeNeedsApplication(let name):
            "enterprise application '\(name)' was not found; scope \"assigned\" reads its assignments, so the app must exist"
        case .unresolvedAssignment(let detail): "cannot resolve an assignment: \(detail)"
        case .partial(let application, let step, let done, let underlying):
            "\(application): \(step) failed: \(underlying)"
                + (done.isEmpty ? "; nothing was changed" : "; already done: \(done.joined(separator: ", ")). Run apply again to finish")
        }
    }

    /// What the user can do about it, when the library knows; the executable words it.
    public var remedy: Remedy? {
        switch self {
        case .ambiguousApplication: .pinServicePrincipal
        case .noProvisioningJob(_, let found): found.isEmpty ? nil : .nameJob
        case .existingApplicationMissing: .pointAtExistingApplication
        case .assignedScopeNeedsApplication: .createApplicationOrSimulateEveryone
        default: nil
        }
    }
}

/// What the user can do next about an error, as the library knows it. Library messages never name command-line
/// options; the executable words each remedy with its own commands and flags.
public enum Remedy: Sendable, Hashable {
    /// Several applications share the display name: name one by its service principal id.
    case pinServicePrincipal
    /// The application has several jobs and none is the `scim` one: name the job.
    case nameJob
    /// Another apply holds the lock: wait, or queue behind it.
    case queueBehindLock
    /// The app that must exist was not found: point at it by display name, app id or service principal id.
    case pointAtExistingApplication
    /// Scope "assigned" needs the app: create it (without starting provisioning), or simulate every user.
    case createApplicationOrSimulateEveryone
}
