import Expressions
import Foundation
import GraphHTTP
import GraphModel
import VendorProfiles

/// A source attribute the mappings read that Graph cannot give; every user gets it empty.
public struct UnavailableSourceAttribute: Sendable, Hashable {
    public var name: String
    public var reason: String

    public init(name: String, reason: String) { (self.name, self.reason) = (name, reason) }
}

/// How the source attributes a profile reads are fetched from Graph's `/users` and turned back into provisioning
/// names. Built once per run from the compiled mappings.
public struct UserSourceMap: Sendable {
    struct Binding: Sendable {
        var name: String
        var property: GraphUserProperty
        /// Whether Graph spells it differently, so a key with the provisioning name is a file's own spelling.
        var renamed: Bool { property.selectName != name && property != .managerID }
    }

    let bindings: [Binding]
    public let unavailable: [UnavailableSourceAttribute]
    /// The Graph properties to `$select`: the ones the mappings need, plus id, userPrincipalName and
    /// accountEnabled (who the user is in the report, and whether Entra would skip them as soft-deleted).
    public let select: [String]
    public let expandsManager: Bool
    /// Whether objects may carry provisioning names (a JSON Lines file); Graph's answers never do.
    let acceptsProvisioningNames: Bool

    public init(sourceAttributes: [String], acceptsProvisioningNames: Bool = true) {
        self.acceptsProvisioningNames = acceptsProvisioningNames
        var bindings: [Binding] = []
        var unavailable: [UnavailableSourceAttribute] = []
        var select = ["id", "userPrincipalName", "accountEnabled"]
        var expandsManager = false
        for name in sourceAttributes {
            guard let property = GraphUserProperty.forUserAttribute(name) else {
                unavailable.append(.init(name: name, reason: "not an Entra ID user source attribute"))
                continue
            }
            if case .unavailable(let reason) = property {
                unavailable.append(.init(name: name, reason: reason))
                continue
            }
            if case .managerID = property { expandsManager = true }
            if let selected = property.selectName, !select.contains(selected) { select.append(selected) }
            bindings.append(Binding(name: name, property: property))
        }
        // IsSoftDeleted decides whether Entra skips a user, so it is always known even when no mapping reads it.
        if !bindings.contains(where: { $0.name == "IsSoftDeleted" }) {
            bindings.append(Binding(name: "IsSoftDeleted", property: .negation("accountEnabled")))
        }
        self.bindings = bindings
        self.unavailable = unavailable
        self.select = select
        self.expandsManager = expandsManager
    }

    /// `GET /users` with the largest page Graph allows and only the properties needed.
    public var usersPath: String {
        var path = "/users?$top=999&$select=" + select.joined(separator: ",")
        if expandsManager { path += "&$expand=manager($select=id)" }
        return path
    }

    /// The user as the simulation sees it; nil when the object has no id. With `assigned` false the user is
    /// soft-deleted whatever accountEnabled says (scope "assigned": no assignment, no provisioning).
    /// Keys already in provisioning names (a JSON Lines file written for `preview`) are taken as they are.
    public func user(from json: JSONValue, assigned: Bool = true) -> SimulatedUser? {
        guard let object = json.objectValue else { return nil }
        guard let id = object["id"]?.stringValue ?? object["objectId"]?.stringValue, !id.isEmpty else { return nil }
        var attributes: [String: EvaluationValue] = [:]
        attributes.reserveCapacity(bindings.count)
        for binding in bindings {
            var value: EvaluationValue
            switch binding.property {
            case .negation(let name):
                if let direct = Self.boolean(object[binding.name]) {
                    value = .boolean(direct)
                } else {
                    value = .boolean(!(Self.boolean(object[name]) ?? true))
                }
            case .managerID:
                // Graph expands it as {"id": …}; a file may give the id itself.
                let manager = object["manager"]
                value = manager?.objectValue != nil ? (manager?["id"].map(EvaluationValue.init(json:)) ?? .null) : manager.map(EvaluationValue.init(json:)) ?? .null
            case _ where acceptsProvisioningNames && binding.renamed && object[binding.name] != nil:
                value = object[binding.name].map(EvaluationValue.init(json:)) ?? .null
            case .property(let name):
                value = object[name].map(EvaluationValue.init(json:)) ?? .null
            case .firstOf(let name):
                let found = object[name]
                value = found?.arrayValue.map { $0.first.map(EvaluationValue.init(json:)) ?? .null } ?? found.map(EvaluationValue.init(json:)) ?? .null
            case .member(let name, let member):
                value = object[name]?[member].map(EvaluationValue.init(json:)) ?? .null
            case .unavailable:
                value = .null
            }
            attributes[binding.name] = value
        }
        if !assigned { attributes["IsSoftDeleted"] = .boolean(true) }
        let name = object["userPrincipalName"]?.stringValue ?? ""
        return SimulatedUser(id: id, userPrincipalName: name, attributes: attributes)
    }

    static func boolean(_ json: JSONValue?) -> Bool? {
        switch json {
        case .bool(let flag): flag
        case .string(let text): text.lowercased() == "true" ? true : text.lowercased() == "false" ? false : nil
        default: nil
        }
    }
}

/// Reads users from Graph a page at a time, fetching the next page while the caller works on the current one.
public struct DirectoryReader: Sendable {
    let graph: any GraphService

    public init(graph: any GraphService) { self.graph = graph }

    /// Calls `body` with each page's objects, in order, following `@odata.nextLink` until the last page.
    public func forEachPage(
        _ path: String, operation: String, _ body: ([JSONValue]) async throws -> Void
    ) async throws {
        let graph = self.graph
        func fetch(_ path: String) -> Task<JSONValue?, any Error> {
            Task { try await graph.get(path, operation) }
        }
        var pending: Task<JSONValue?, any Error>? = fetch(path)
        var pages = 0
        while let current = pending {
            let page = try await current.value
            pages += 1
            pending = nil
            if let link = page?["@odata.nextLink"]?.stringValue {
                guard let next = Self.relativePath(ofNextLink: link) else {
                    throw ProvisioningError.invalidArgument("Graph returned a next-page link scimctl cannot follow: \(link)")
                }
                guard pages < Self.maximumPages else {
                    throw ProvisioningError.invalidArgument("stopped after \(Self.maximumPages) pages: Graph keeps returning next-page links")
                }
                pending = fetch(next)
            }
            do {
                try await body(page?["value"]?.arrayValue ?? [])
            } catch {
                pending?.cancel()
                throw error
            }
        }
    }

    /// 10 million users at 999 a page; a link loop stops here instead of running forever.
    static let maximumPages = 10_100

    /// The part of a next-page link below the version segment. The client always sends it to its own Graph root,
    /// so a link naming another host cannot take the access token there.
    static func relativePath(ofNextLink link: String) -> String? {
        guard let schemeEnd = link.range(of: "://") else { return nil }
        let afterHost = link[schemeEnd.upperBound...].drop { $0 != "/" }
        let version = "/" + GraphAPIVersion.v1.rawValue
        guard afterHost.hasPrefix(version + "/") else { return nil }
        return String(afterHost.dropFirst(version.count))
    }

    /// The service principal of `application`, by pinned id or by display name. Scope "assigned" needs it.
    public func servicePrincipalID(of application: ResolvedApplication, pinned: String?) async throws -> String {
        if let pinned {
            guard let found = try await graph.get(GraphPaths.servicePrincipal(pinned), "read the service principal"),
                let id = found["id"]?.stringValue
            else { throw ProvisioningError.notFound("service principal \(pinned)") }
            return id
        }
        let found = try await LiveStateReader.findServicePrincipals(named: application.displayName, graph: graph)
        if found.count > 1 {
            throw ProvisioningError.ambiguousApplication(application.displayName, ids: found.compactMap { $0["id"]?.stringValue })
        }
        guard let id = found.first?["id"]?.stringValue else {
            throw ProvisioningError.assignedScopeNeedsApplication(application.displayName)
        }
        return id
    }

    /// The ids of the users assigned to the app, directly or through groups (nested groups included).
    public func assignedUserIDs(servicePrincipalID: String) async throws -> Set<String> {
        var users: Set<String> = []
        var groups: [String] = []
        try await forEachPage(
            "/servicePrincipals/\(servicePrincipalID)/appRoleAssignedTo?$top=999&$select=principalId,principalType",
            operation: "list the app's assignments"
        ) { assignments in
            for assignment in assignments {
                guard let id = assignment["principalId"]?.stringValue else { continue }
                switch assignment["principalType"]?.stringValue {
                case "User": users.insert(id)
                case "Group": if !groups.contains(id) { groups.append(id) }
                default: break  // service principals are never provisioned
                }
            }
        }
        for group in groups {
            // transitiveMembers resolves nested groups; the cast keeps users only.
            try await forEachPage(
                "/groups/\(group)/transitiveMembers/microsoft.graph.user?$top=999&$select=id",
                operation: "list the members of an assigned group"
            ) { members in
                for member in members { if let id = member["id"]?.stringValue { users.insert(id) } }
            }
        }
        return users
    }
}
