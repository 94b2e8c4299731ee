import Profiles

/// One request a fresh apply would send.
public struct RenderedRequest: Sendable, Hashable {
    public var method: String
    /// Relative to the versioned Graph root; unknown ids are `{servicePrincipalId}` / `{jobId}`.
    public var path: String
    public var body: JSONValue?
    /// A stable file name such as `03-put-secrets.json`.
    public var fileName: String

    public init(method: String, path: String, body: JSONValue?, fileName: String) {
        self.method = method
        self.path = path
        self.body = body
        self.fileName = fileName
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["method": .string(method), "path": .string(path)]
        if let body { members["body"] = body }
        return .object(members)
    }

    /// The file content for `fileName`: pretty JSON with sorted keys and a final newline.
    public var fileContents: String { json.serialized(pretty: true) + "\n" }
}

public struct RenderedApplication: Sendable, Hashable {
    public var name: String
    public var displayName: String
    public var requests: [RenderedRequest]

    public var json: JSONValue {
        [
            "displayName": .string(displayName), "name": .string(name),
            "requests": .array(requests.map(\.json)),
        ]
    }
}

/// Everything `scimctl render` prints for a profile.
public struct RenderedProfile: Sendable, Hashable {
    public var applications: [RenderedApplication]

    public var json: JSONValue { ["applications": .array(applications.map(\.json))] }

    /// Pretty JSON with sorted keys and a final newline: stable byte for byte.
    public var text: String { json.serialized(pretty: true) + "\n" }

    /// One file per request; with several applications the names get the application name as a folder.
    public var files: [(path: String, contents: String)] {
        applications.flatMap { application in
            application.requests.map { request in
                let path = applications.count > 1 ? "\(application.name)/\(request.fileName)" : request.fileName
                return (path, request.fileContents)
            }
        }
    }
}

/// The requests a fresh apply of a profile sends, in order: create the app from the non-gallery template, mark it
/// as scimctl's (service principal notes), create the `scim` job, PUT the secrets, PUT the schema (the profile merged onto the default template schema), and
/// start the job when the profile says so. Tokens are shown as where they come from, never as values.
public enum RequestRenderer {
    public static let servicePrincipalPlaceholder = "{servicePrincipalId}"
    public static let jobPlaceholder = "{jobId}"

    /// Renders every application, or only the one called `application`.
    public static func render(_ profile: ResolvedProfile, application: String? = nil) -> RenderedProfile {
        RenderedProfile(
            applications: profile.applications.filter { application == nil || $0.name == application }.map(render))
    }

    public static func render(_ application: ResolvedApplication) -> RenderedApplication {
        let servicePrincipal = servicePrincipalPlaceholder
        let job = jobPlaceholder
        let schema = mergedOntoTemplate(application)
        var steps: [(method: String, path: String, body: JSONValue?, name: String)] = [
            (
                "POST", GraphPaths.instantiate(applicationTemplateId: GraphPaths.nonGalleryTemplateId),
                InstantiateApplicationRequest(displayName: application.displayName).json, "instantiate-application"
            ),
            ("PATCH", GraphPaths.servicePrincipal(servicePrincipal), ScimctlMarker.body(for: application), "mark-application"),
            (
                "POST", GraphPaths.jobs(servicePrincipalId: servicePrincipal),
                CreateJobRequest(templateId: GraphPaths.scimJobTemplateId).json, "create-job"
            ),
            (
                "PUT", GraphPaths.secrets(servicePrincipalId: servicePrincipal),
                SecretsBody.make(for: application, token: SecretValue.placeholder(for: application.secretToken)),
                "put-secrets"
            ),
            ("PUT", GraphPaths.schema(servicePrincipalId: servicePrincipal, jobId: job), schema.json, "put-schema"),
        ]
        if !application.create {
            // The app exists already (found by name or appId): nothing creates or marks it.
            steps.removeAll { $0.name == "instantiate-application" || $0.name == "mark-application" }
        }
        if application.startProvisioning {
            steps.append(
                ("POST", GraphPaths.jobAction("start", servicePrincipalId: servicePrincipal, jobId: job), nil, "start-job"))
        }
        let requests = steps.enumerated().map { offset, step in
            let number = offset + 1
            let prefix = number < 10 ? "0\(number)" : "\(number)"
            return RenderedRequest(method: step.method, path: step.path, body: step.body, fileName: "\(prefix)-\(step.name).json")
        }
        return RenderedApplication(name: application.name, displayName: application.displayName, requests: requests)
    }

    /// The default template has both object mappings and both target objects, which is all merge can miss,
    /// so this cannot fail; the template itself is returned if it ever did.
    static func mergedOntoTemplate(_ application: ResolvedApplication) -> SynchronizationSchema {
        let template = DefaultTemplateSchema.schema()
        do {
            return try SchemaMerge.merge(application, into: template)
        } catch {
            return template
        }
    }
}
