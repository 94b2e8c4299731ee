import Foundation
import GraphModel
import VendorProfiles

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

/// The requests a fresh apply of a profile sends, in order (`ApplyRequest.freshApply`, the list `apply` sends
/// too): create the app from the non-gallery template, mark it as scimctl's (service principal notes), create the
/// `scim` job, PUT the secrets, test the connection, PUT the schema (the profile merged onto the default template
/// schema), and start the job when the profile says so. Tokens are shown as where they come from, never as values.
public enum RequestRenderer {
    public static let servicePrincipalPlaceholder = "{servicePrincipalId}"
    public static let jobPlaceholder = "{jobId}"

    /// Renders every application, or only the one called `application`. A profile that cannot be merged onto the
    /// template schema is an error: rendering something else would show a reviewer requests apply never sends.
    public static func render(_ profile: ResolvedProfile, application: String? = nil) throws(SchemaMergeError)
        -> RenderedProfile
    {
        var applications: [RenderedApplication] = []
        for resolved in profile.applications where application == nil || resolved.name == application {
            applications.append(try render(resolved))
        }
        return RenderedProfile(applications: applications)
    }

    public static func render(_ application: ResolvedApplication) throws(SchemaMergeError) -> RenderedApplication {
        let schema = try SchemaMerge.merge(application, into: DefaultTemplateSchema.schema())
        let steps = ApplyRequest.freshApply(
            application, templateID: GraphPaths.nonGalleryTemplateId, servicePrincipalID: servicePrincipalPlaceholder,
            jobID: jobPlaceholder,
            secrets: SecretsBody.make(for: application, token: SecretValue.placeholder(for: application.secretToken)),
            schema: schema)
        let requests = steps.enumerated().map { offset, step in
            let number = offset + 1
            let prefix = number < 10 ? "0\(number)" : "\(number)"
            return RenderedRequest(method: step.method, path: step.path, body: step.body, fileName: "\(prefix)-\(step.fileStem).json")
        }
        return RenderedApplication(name: application.name, displayName: application.displayName, requests: requests)
    }
}

extension RenderedProfile {
    /// A request file that could not be written.
    public struct WriteFailure: Error, Sendable {
        public var path: String
        public var reason: String
    }

    /// Writes one JSON file per request under `directory`; `wrote` sees each path. Stops at the first failure.
    public func write(into directory: String, wrote: (String) -> Void) throws(WriteFailure) {
        for file in files {
            let path = directory + "/" + file.path
            do {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw WriteFailure(path: path, reason: error.localizedDescription)
            }
            wrote(path)
        }
    }
}
