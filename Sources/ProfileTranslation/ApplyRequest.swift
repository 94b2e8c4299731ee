import GraphModel
import VendorProfiles

/// One write an apply sends, defined once: `render` prints these with placeholder ids and `apply` sends them with
/// real ones, so what a reviewer approves offline is byte for byte what reaches the tenant.
public enum ApplyRequest: Sendable, Hashable {
    /// `POST /applicationTemplates/{id}/instantiate`: the enterprise application.
    case instantiate(templateID: String, displayName: String)
    /// `PATCH /servicePrincipals/{id}`: scimctl's marker in the notes.
    case mark(servicePrincipalID: String, application: ResolvedApplication)
    /// `POST …/synchronization/jobs` with the `scim` template.
    case createJob(servicePrincipalID: String)
    /// `PUT …/synchronization/secrets`: the whole secrets set.
    case saveSecrets(servicePrincipalID: String, body: JSONValue)
    /// `POST …/jobs/{jobId}/validateCredentials` with the saved credentials.
    case testConnection(servicePrincipalID: String, jobID: String)
    /// `PUT …/jobs/{jobId}/schema`.
    case writeSchema(servicePrincipalID: String, jobID: String, schema: JSONValue)
    /// `POST …/jobs/{jobId}/start`.
    case start(servicePrincipalID: String, jobID: String)
    /// `POST /servicePrincipals/{id}/appRoleAssignedTo`: a user or group gets an app role. `principal` names it
    /// in words ("group Flosum Users").
    case assign(servicePrincipalID: String, principalID: String, appRoleID: String, principal: String)
    /// `DELETE /servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}` (`assignmentMode: exclusive`).
    case unassign(servicePrincipalID: String, assignmentID: String, principal: String)
    /// `POST …/jobs/{jobId}/pause`: the profile says provisioning must be off.
    case pause(servicePrincipalID: String, jobID: String)
    /// `POST …/jobs/{jobId}/restart` resetting `resetScope` (Graph's scope names, comma-separated).
    case restart(servicePrincipalID: String, jobID: String, resetScope: String)

    /// The id Graph assigns during an apply that a request needs before it can be sent.
    public enum Dependency: String, Sendable, Hashable {
        /// The new enterprise application's service principal id.
        case servicePrincipal
        /// The new provisioning job's id (which itself needs the service principal).
        case job
    }

    public var method: String {
        switch self {
        case .instantiate, .createJob, .testConnection, .start, .assign, .pause, .restart: "POST"
        case .mark: "PATCH"
        case .saveSecrets, .writeSchema: "PUT"
        case .unassign: "DELETE"
        }
    }

    public var path: String {
        switch self {
        case .instantiate(let templateID, _): GraphPaths.instantiate(applicationTemplateId: templateID)
        case .mark(let servicePrincipal, _): GraphPaths.servicePrincipal(servicePrincipal)
        case .createJob(let servicePrincipal): GraphPaths.jobs(servicePrincipalId: servicePrincipal)
        case .saveSecrets(let servicePrincipal, _): GraphPaths.secrets(servicePrincipalId: servicePrincipal)
        case .testConnection(let servicePrincipal, let job):
            GraphPaths.jobAction("validateCredentials", servicePrincipalId: servicePrincipal, jobId: job)
        case .writeSchema(let servicePrincipal, let job, _): GraphPaths.schema(servicePrincipalId: servicePrincipal, jobId: job)
        case .start(let servicePrincipal, let job): GraphPaths.jobAction("start", servicePrincipalId: servicePrincipal, jobId: job)
        case .assign(let servicePrincipal, _, _, _): GraphPaths.appRoleAssignedTo(servicePrincipalId: servicePrincipal)
        case .unassign(let servicePrincipal, let assignment, _):
            GraphPaths.appRoleAssignment(servicePrincipalId: servicePrincipal, assignmentId: assignment)
        case .pause(let servicePrincipal, let job): GraphPaths.jobAction("pause", servicePrincipalId: servicePrincipal, jobId: job)
        case .restart(let servicePrincipal, let job, _):
            GraphPaths.jobAction("restart", servicePrincipalId: servicePrincipal, jobId: job)
        }
    }

    public var body: JSONValue? {
        switch self {
        case .instantiate(_, let displayName): InstantiateApplicationRequest(displayName: displayName).json
        case .mark(_, let application): ScimctlMarker.body(for: application)
        case .createJob: CreateJobRequest(templateId: GraphPaths.scimJobTemplateId).json
        case .saveSecrets(_, let body): body
        case .testConnection: ValidateCredentialsRequest(useSavedCredentials: true).json
        case .writeSchema(_, _, let schema): schema
        case .start, .unassign, .pause: nil
        case .assign(let servicePrincipal, let principal, let role, _):
            ["principalId": .string(principal), "resourceId": .string(servicePrincipal), "appRoleId": .string(role)]
        case .restart(_, _, let scope): RestartJobRequest(resetScope: RestartScope.parse(scope)).json
        }
    }

    /// What the request does, in words (progress lines and errors).
    public var operation: String {
        switch self {
        case .instantiate: "create the enterprise application"
        case .mark: "mark the service principal"
        case .createJob: "create the provisioning job"
        case .saveSecrets: "save provisioning credentials"
        case .testConnection: "test the SCIM connection"
        case .writeSchema: "write the job schema"
        case .start: "start the provisioning job"
        case .assign(_, _, _, let principal): "assign \(principal)"
        case .unassign(_, _, let principal): "remove the assignment of \(principal)"
        case .pause: "pause the provisioning job"
        case .restart: "restart the provisioning job"
        }
    }

    /// The stem of `render --output`'s file name.
    public var fileStem: String {
        switch self {
        case .instantiate: "instantiate-application"
        case .mark: "mark-application"
        case .createJob: "create-job"
        case .saveSecrets: "put-secrets"
        case .testConnection: "test-connection"
        case .writeSchema: "put-schema"
        case .start: "start-job"
        case .assign: "assign"
        case .unassign: "unassign"
        case .pause: "pause-job"
        case .restart: "restart-job"
        }
    }

    /// Sending it twice makes nothing new (creates are the exception: they are never blindly retried).
    public var isIdempotent: Bool {
        switch self {
        case .instantiate, .createJob, .assign: false
        default: true
        }
    }

    /// What must exist before this request can go out: everything but the create of the application names its
    /// service principal, and the job's own requests name the job.
    public var needs: Dependency? {
        switch self {
        case .instantiate: nil
        case .mark, .createJob, .saveSecrets, .assign, .unassign: .servicePrincipal
        case .testConnection, .writeSchema, .start, .pause, .restart: .job
        }
    }

    /// Every write a fresh apply of `application` sends, in order, with `servicePrincipalID`/`jobID` standing for
    /// the ids Graph has not assigned yet. `secrets` is the secrets body (with the token or its placeholder) and
    /// `schema` the schema to write.
    public static func freshApply(
        _ application: ResolvedApplication, templateID: String, servicePrincipalID: String, jobID: String,
        secrets: JSONValue, schema: SynchronizationSchema
    ) -> [ApplyRequest] {
        // An application with `create: false` exists already (found by name or appId): nothing creates or marks it.
        var requests: [ApplyRequest] = application.create
            ? [
                .instantiate(templateID: templateID, displayName: application.displayName),
                .mark(servicePrincipalID: servicePrincipalID, application: application),
            ] : []
        requests += [
            .createJob(servicePrincipalID: servicePrincipalID),
            .saveSecrets(servicePrincipalID: servicePrincipalID, body: secrets),
            .testConnection(servicePrincipalID: servicePrincipalID, jobID: jobID),
            .writeSchema(servicePrincipalID: servicePrincipalID, jobID: jobID, schema: schema.json),
        ]
        // The principals and roles are found in the directory when apply runs; offline they are placeholders
        // naming what will be looked up.
        requests += application.assignments.map { assignment in
            .assign(
                servicePrincipalID: servicePrincipalID, principalID: principalPlaceholder(assignment.principal),
                appRoleID: appRolePlaceholder(assignment.role), principal: "\(assignment.principal.graphType.lowercased()) \(assignment.principal.reference)")
        }
        // A paused profile never starts its job (`paused: true`).
        if application.startProvisioning && !application.paused { requests.append(.start(servicePrincipalID: servicePrincipalID, jobID: jobID)) }
        return requests
    }

    /// Offline stand-in for an assigned user's or group's object id: `{group:Flosum Users}`.
    public static func principalPlaceholder(_ principal: Assignment.Principal) -> String {
        "{\(principal.graphType.lowercased()):\(principal.reference)}"
    }

    /// Offline stand-in for the app role an assignment gets: `{appRole:User}`, `{appRole:default}`.
    public static func appRolePlaceholder(_ role: String?) -> String { "{appRole:\(role ?? "default")}" }
}
