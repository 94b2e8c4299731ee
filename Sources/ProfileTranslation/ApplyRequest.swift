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

    public var method: String {
        switch self {
        case .instantiate, .createJob, .testConnection, .start: "POST"
        case .mark: "PATCH"
        case .saveSecrets, .writeSchema: "PUT"
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
        case .start: nil
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
        }
    }

    /// Sending it twice makes nothing new (creates are the exception: they are never blindly retried).
    public var isIdempotent: Bool {
        switch self {
        case .instantiate, .createJob: false
        default: true
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
        if application.startProvisioning { requests.append(.start(servicePrincipalID: servicePrincipalID, jobID: jobID)) }
        return requests
    }
}
