import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles

/// A user or group named on the command line, resolved to its object id.
public struct OnDemandSubject: Sendable, Hashable {
    public var id: String
    /// What to call it in output: the principal name of a user, the display name of a group.
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// One provisionOnDemand request for a group and up to five of its members.
public struct OnDemandBatch: Sendable {
    public var members: [OnDemandSubject]
    public var result: OnDemandResult
}

/// Finding the objects to provision on demand, and provisioning a group's members in the batches Graph allows.
extension OnDemandProvisioner {
    /// Graph provisions one group with at most five of its members per on-demand request.
    public static let membersPerRequest = 5
    /// Graph allows five on-demand requests per ten seconds per job.
    public static let requestsPerWindow = 5
    public static let windowSeconds = 10.0

    /// A user by object id, user principal name or mail (in that order). None or several matches is an error that
    /// says what was looked for.
    public func resolveUser(_ reference: String) async throws -> OnDemandSubject {
        let trimmed = reference.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ProvisioningError.invalidArgument("--user needs an object id, user principal name or mail") }
        if AssignmentPlanning.isObjectID(trimmed) {
            do {
                let user = try await graph.get("/users/\(trimmed)", "read the user")
                guard let id = user?["id"]?.stringValue else { throw ProvisioningError.notFound("a user with object id \(trimmed)") }
                return OnDemandSubject(id: id, name: user?["userPrincipalName"]?.stringValue ?? id)
            } catch where error.isGraphNotFound {
                throw ProvisioningError.notFound("a user with object id \(trimmed)")
            }
        }
        for property in ["userPrincipalName", "mail"] {
            let matches = try await filtered("users", property: property, value: trimmed)
            if matches.count > 1 {
                throw ProvisioningError.invalidArgument(
                    "\(matches.count) users have \(property) '\(trimmed)' (\(Self.ids(matches))); name the user by object id")
            }
            if let user = matches.first, let id = user["id"]?.stringValue {
                return OnDemandSubject(id: id, name: user["userPrincipalName"]?.stringValue ?? trimmed)
            }
        }
        throw ProvisioningError.notFound("a user whose userPrincipalName or mail is '\(trimmed)'")
    }

    /// A group by object id or display name.
    public func resolveGroup(_ reference: String) async throws -> OnDemandSubject {
        let trimmed = reference.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ProvisioningError.invalidArgument("the group needs an object id or display name") }
        if AssignmentPlanning.isObjectID(trimmed) {
            do {
                let group = try await graph.get("/groups/\(trimmed)", "read the group")
                guard let id = group?["id"]?.stringValue else { throw ProvisioningError.notFound("a group with object id \(trimmed)") }
                return OnDemandSubject(id: id, name: group?["displayName"]?.stringValue ?? id)
            } catch where error.isGraphNotFound {
                throw ProvisioningError.notFound("a group with object id \(trimmed)")
            }
        }
        let matches = try await filtered("groups", property: "displayName", value: trimmed)
        guard let group = matches.first, let id = group["id"]?.stringValue else {
            throw ProvisioningError.notFound("a group named '\(trimmed)'")
        }
        guard matches.count == 1 else {
            throw ProvisioningError.invalidArgument(
                "\(matches.count) groups are named '\(trimmed)' (\(Self.ids(matches))); name the group by object id")
        }
        return OnDemandSubject(id: id, name: group["displayName"]?.stringValue ?? trimmed)
    }

    /// The group's direct user members (on-demand provisioning does not follow nested groups), read page by page.
    /// More than `limit` is an error: on-demand provisioning is for trying a change on a few users; the provisioning
    /// cycle handles whole groups.
    public func members(of group: OnDemandSubject, limit: Int) async throws -> [OnDemandSubject] {
        var members: [OnDemandSubject] = []
        try await DirectoryReader(graph: graph).forEachPage(
            "/groups/\(group.id)/members/microsoft.graph.user?$select=id,userPrincipalName,displayName&$top=999",
            operation: "list the group's members"
        ) { page in
            for user in page {
                guard let id = user["id"]?.stringValue else { continue }
                members.append(OnDemandSubject(id: id, name: user["userPrincipalName"]?.stringValue ?? id))
            }
            // Stop reading at once: a huge group is not read to the end only to be refused.
            if members.count > limit {
                throw ProvisioningError.invalidArgument(
                    "group '\(group.name)' has more than \(limit) user members; on-demand provisioning is meant for a few "
                        + "users (Graph takes \(Self.membersPerRequest) members per request and \(Self.requestsPerWindow) "
                        + "requests per 10 seconds): raise --max-members, or let the provisioning cycle handle the group")
            }
        }
        return members
    }

    /// Provisions `group` with its `members`, five members per request, pausing (through `wait`) after every five
    /// requests so the job stays within Graph's rate. A group without members is provisioned once on its own.
    public func provision(
        servicePrincipalID: String, group: OnDemandSubject, members: [OnDemandSubject], jobID: String? = nil,
        wait: @Sendable (Double) async -> Void = { seconds in try? await Task.sleep(for: .seconds(seconds)) }
    ) async throws -> [OnDemandBatch] {
        let target = try await target(servicePrincipalID: servicePrincipalID, kind: .group, jobID: jobID)
        let chunks: [[OnDemandSubject]] =
            members.isEmpty
            ? [[]]
            : stride(from: 0, to: members.count, by: Self.membersPerRequest).map {
                Array(members[$0..<min($0 + Self.membersPerRequest, members.count)])
            }
        var batches: [OnDemandBatch] = []
        for (index, chunk) in chunks.enumerated() {
            if index > 0, index % Self.requestsPerWindow == 0 { await wait(Self.windowSeconds) }
            var subject: JSONValue = ["objectId": .string(group.id), "objectTypeName": "Group"]
            if !chunk.isEmpty {
                subject["links"] = [
                    "members": .array(chunk.map { ["objectId": .string($0.id), "objectTypeName": "User"] })
                ]
            }
            let result = try await send(subject, servicePrincipalID: servicePrincipalID, target: target)
            batches.append(OnDemandBatch(members: chunk, result: result))
        }
        return batches
    }

    private func filtered(_ collection: String, property: String, value: String) async throws -> [JSONValue] {
        let answer = try await graph.get(
            "/\(collection)?$filter=\(property) eq '\(LiveStateReader.filterLiteral(value))'", "find the \(collection.dropLast())")
        return answer?["value"]?.arrayValue ?? []
    }

    private static func ids(_ objects: [JSONValue]) -> String {
        objects.compactMap { $0["id"]?.stringValue }.joined(separator: ", ")
    }
}

/// What `provision-on-demand` was asked to provision.
public enum OnDemandRequest: Sendable, Hashable {
    /// One user, or one group without its members (`kind: .group`), by any reference the resolvers take.
    case subject(String, kind: ObjectKind)
    /// A group with its direct user members, refusing groups with more than `limit` of them.
    case membersOf(String, limit: Int)
}

/// One on-demand request's result, with what to call it when it is not obvious from the command line.
public struct OnDemandOutcome: Sendable {
    /// Nil when the command line named the object by its id.
    public var label: String?
    public var result: OnDemandResult

    public init(label: String?, result: OnDemandResult) {
        self.label = label
        self.result = result
    }
}

extension OnDemandProvisioner {
    /// Resolves what `request` names and provisions it: one outcome, or one per batch of a group's members.
    public func provision(
        _ request: OnDemandRequest, servicePrincipalID: String, jobID: String? = nil,
        wait: @Sendable (Double) async -> Void = { seconds in try? await Task.sleep(for: .seconds(seconds)) }
    ) async throws -> [OnDemandOutcome] {
        switch request {
        case .membersOf(let reference, let limit):
            let group = try await resolveGroup(reference)
            let members = try await members(of: group, limit: limit)
            let batches = try await provision(
                servicePrincipalID: servicePrincipalID, group: group, members: members, jobID: jobID, wait: wait)
            return batches.map { batch in
                let names = batch.members.map(\.name).joined(separator: ", ")
                return OnDemandOutcome(
                    label: "group \(group.name)" + (names.isEmpty ? " (no user members)" : " with \(names)"), result: batch.result)
            }
        case .subject(let reference, let kind):
            let subject = kind == .group ? try await resolveGroup(reference) : try await resolveUser(reference)
            let result = try await provision(servicePrincipalID: servicePrincipalID, objectID: subject.id, kind: kind, jobID: jobID)
            let label = subject.name == subject.id ? nil : "\(kind == .group ? "group" : "user") \(subject.name) (\(subject.id))"
            return [OnDemandOutcome(label: label, result: result)]
        }
    }
}
