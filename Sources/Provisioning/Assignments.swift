import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

/// How the app's user and group assignments change: what apply adds, and (with `assignmentMode: exclusive`) removes.
public struct AssignmentPlan: Sendable, Hashable {
    /// One app role assignment, resolved to object ids.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        public var principalID: String
        /// `User` or `Group`.
        public var principalType: String
        public var principalName: String
        /// Nil while the application does not exist yet: the role is resolved from its app roles on apply.
        public var roleID: String?
        public var roleName: String
        /// The role as the profile names it (nil: the default role); what apply resolves when `roleID` is nil.
        public var requestedRole: String? = nil
        /// The existing assignment's id (for removals).
        public var assignmentID: String?

        public var description: String {
            "\(principalType.lowercased()) \(principalName) (\(principalID)) as \(roleName)"
        }
    }

    public var mode: AssignmentMode
    public var add: [Entry]
    public var remove: [Entry]
    /// Listed assignments that already exist.
    public var unchanged: Int

    public var hasChanges: Bool { !add.isEmpty || !remove.isEmpty }
}

/// Resolves a profile's assignments against the directory and compares them with the app's.
enum AssignmentPlanning {
    /// Entra's id for "default access", used by apps that define no app roles.
    static let defaultAccessRoleID = "00000000-0000-0000-0000-000000000000"

    /// Nil when the profile manages no assignments (none listed and not exclusive): nothing is read then.
    static func plan(
        _ application: ResolvedApplication, servicePrincipalID: String?, graph: any GraphService
    ) async throws -> AssignmentPlan? {
        guard !application.assignments.isEmpty || application.assignmentMode == .exclusive else { return nil }
        var principals: [(Assignment, id: String, name: String)] = []
        for assignment in application.assignments {
            let (id, name) = try await resolvePrincipal(assignment.principal, graph: graph)
            principals.append((assignment, id, name))
        }
        var roles: [JSONValue]?
        var existing: [JSONValue] = []
        if let servicePrincipalID {
            let servicePrincipal = try await graph.get(
                GraphPaths.servicePrincipal(servicePrincipalID), "read the application's app roles")
            roles = servicePrincipal?["appRoles"]?.arrayValue ?? []
            existing = try await listAssignments(servicePrincipalID, graph: graph)
        }
        var plan = AssignmentPlan(mode: application.assignmentMode, add: [], remove: [], unchanged: 0)
        var wanted: Set<String> = []
        for (assignment, id, name) in principals {
            var entry = AssignmentPlan.Entry(
                principalID: id, principalType: assignment.principal.graphType, principalName: name, roleID: nil,
                roleName: assignment.role ?? "the default role", requestedRole: assignment.role)
            if let roles {
                let role = try resolveRole(assignment.role, in: roles, application: application.displayName)
                entry.roleID = role.id
                entry.roleName = role.name
                let key = "\(id.lowercased())|\(role.id.lowercased())"
                guard wanted.insert(key).inserted else { continue }
                if existing.contains(where: { Self.key(of: $0) == key }) {
                    plan.unchanged += 1
                    continue
                }
            }
            plan.add.append(entry)
        }
        if application.assignmentMode == .exclusive, let roles {
            for assignment in existing where !wanted.contains(Self.key(of: assignment)) {
                let roleID = assignment["appRoleId"]?.stringValue ?? defaultAccessRoleID
                let role = roles.first { $0["id"]?.stringValue?.lowercased() == roleID.lowercased() }
                plan.remove.append(
                    AssignmentPlan.Entry(
                        principalID: assignment["principalId"]?.stringValue ?? "?",
                        principalType: assignment["principalType"]?.stringValue ?? "User",
                        principalName: assignment["principalDisplayName"]?.stringValue ?? "?", roleID: roleID,
                        roleName: role.map(roleName) ?? "default access", assignmentID: assignment["id"]?.stringValue))
            }
        }
        return plan
    }

    static func key(of assignment: JSONValue) -> String {
        let principal = assignment["principalId"]?.stringValue ?? ""
        let role = assignment["appRoleId"]?.stringValue ?? defaultAccessRoleID
        return "\(principal.lowercased())|\(role.lowercased())"
    }

    static func assignmentsPath(_ servicePrincipalID: String) -> String {
        GraphPaths.appRoleAssignedTo(servicePrincipalId: servicePrincipalID)
    }

    /// Every assignment of the app, following `@odata.nextLink` pages.
    static func listAssignments(_ servicePrincipalID: String, graph: any GraphService) async throws -> [JSONValue] {
        var result: [JSONValue] = []
        var path: String? = assignmentsPath(servicePrincipalID)
        var pages = 0
        while let next = path, pages < 100 {
            pages += 1
            let page = try await graph.get(next, "list the application's assignments")
            result += page?["value"]?.arrayValue ?? []
            path = page?["@odata.nextLink"]?.stringValue.flatMap(relativePath)
        }
        return result
    }

    /// A next link is absolute; the client takes the path after the version segment.
    static func relativePath(_ link: String) -> String? {
        for version in ["/v1.0/", "/beta/"] {
            if let range = link.range(of: version) { return "/" + link[range.upperBound...] }
        }
        return nil
    }

    static func isObjectID(_ text: String) -> Bool { UUID(uuidString: text) != nil }

    /// A group by object id or display name; a user by object id, principal name (contains `@`) or display name.
    /// None or several matches is an error naming what was looked for.
    static func resolvePrincipal(_ principal: Assignment.Principal, graph: any GraphService) async throws
        -> (id: String, name: String)
    {
        let reference = principal.reference
        let collection = principal.graphType == "Group" ? "groups" : "users"
        let kind = principal.graphType.lowercased()
        if isObjectID(reference) {
            do {
                let object = try await graph.get("/\(collection)/\(reference)", "read the assigned \(kind)")
                guard let id = object?["id"]?.stringValue else {
                    throw ProvisioningError.unresolvedAssignment("no \(kind) has object id \(reference)")
                }
                return (id, object?["displayName"]?.stringValue ?? reference)
            } catch where error.isGraphNotFound {
                throw ProvisioningError.unresolvedAssignment("no \(kind) has object id \(reference)")
            }
        }
        let property: String
        if case .user = principal, reference.contains("@") {
            property = "userPrincipalName"
        } else {
            property = "displayName"
        }
        let found = try await graph.get(
            "/\(collection)?$filter=\(property) eq '\(LiveStateReader.filterLiteral(reference))'",
            "find the assigned \(kind)")
        // Graph compares case-insensitively; so does the portal's search, so keep all its matches.
        let matches = found?["value"]?.arrayValue ?? []
        guard let first = matches.first, let id = first["id"]?.stringValue else {
            throw ProvisioningError.unresolvedAssignment("no \(kind) has \(property) '\(reference)'")
        }
        guard matches.count == 1 else {
            let ids = matches.compactMap { $0["id"]?.stringValue }
            throw ProvisioningError.unresolvedAssignment(
                "\(matches.count) \(collection) have \(property) '\(reference)' (\(ids.joined(separator: ", "))); "
                    + "name the \(kind) by object id")
        }
        return (id, first["displayName"]?.stringValue ?? reference)
    }

    static func roleName(_ role: JSONValue) -> String {
        role["displayName"]?.stringValue ?? role["value"]?.stringValue ?? role["id"]?.stringValue ?? "?"
    }

    /// The enabled app role users and groups can hold, named by displayName or value (exact first, then ignoring
    /// case). Without a name: the role called `User` (what Entra gives non-gallery apps), the only such role, or
    /// default access when the app defines none.
    static func resolveRole(_ name: String?, in roles: [JSONValue], application: String) throws -> (id: String, name: String) {
        let assignable = roles.filter { role in
            role["isEnabled"]?.boolValue != false
                && (role["allowedMemberTypes"]?.arrayValue ?? []).contains { $0.stringValue == "User" }
                && role["id"]?.stringValue != nil
        }
        func result(_ role: JSONValue) -> (id: String, name: String) { (role["id"]?.stringValue ?? "", roleName(role)) }
        guard let name else {
            if assignable.isEmpty { return (defaultAccessRoleID, "default access") }
            if let user = assignable.first(where: { $0["displayName"]?.stringValue == "User" }) { return result(user) }
            if assignable.count == 1 { return result(assignable[0]) }
            throw ProvisioningError.unresolvedAssignment(
                "'\(application)' has several app roles (\(assignable.map(roleName).joined(separator: ", "))) and none "
                    + "is called User; name one with 'role'")
        }
        let exact = assignable.filter { $0["displayName"]?.stringValue == name || $0["value"]?.stringValue == name }
        let candidates =
            exact.isEmpty
            ? assignable.filter {
                $0["displayName"]?.stringValue?.lowercased() == name.lowercased()
                    || $0["value"]?.stringValue?.lowercased() == name.lowercased()
            } : exact
        guard candidates.count == 1 else {
            let known = assignable.map(roleName).joined(separator: ", ")
            throw ProvisioningError.unresolvedAssignment(
                candidates.isEmpty
                    ? "'\(application)' has no app role '\(name)' for users and groups (it has: \(known.isEmpty ? "none" : known))"
                    : "\(candidates.count) app roles of '\(application)' are called '\(name)'; name the role by its value")
        }
        return result(candidates[0])
    }
}

extension Applier {
    /// Makes the planned assignment changes. When the application was created by this run the roles were not known
    /// while planning, so they are resolved (and the existing assignments read) now. Returns what changed.
    func applyAssignments(
        _ planned: AssignmentPlan?, application: ResolvedApplication, servicePrincipalID: String,
        graph: any GraphService
    ) async throws -> [String] {
        guard var plan = planned else { return [] }
        if plan.add.contains(where: { $0.roleID == nil }) {
            guard
                let fresh = try await AssignmentPlanning.plan(
                    application, servicePrincipalID: servicePrincipalID, graph: graph)
            else { return [] }
            plan = fresh
        }
        var done: [String] = []
        for entry in plan.add {
            let roleID = entry.roleID ?? AssignmentPlanning.defaultAccessRoleID
            let request = ApplyRequest.assign(
                servicePrincipalID: servicePrincipalID, principalID: entry.principalID, appRoleID: roleID,
                principal: "\(entry.principalType.lowercased()) \(entry.principalName)")
            do {
                _ = try await send(request, graph: graph)
            } catch where error.isGraphAmbiguous {
                // The answer was lost: the assignment may exist now. Look rather than create a second one.
                let key = "\(entry.principalID.lowercased())|\(roleID.lowercased())"
                let existing = try await AssignmentPlanning.listAssignments(servicePrincipalID, graph: graph)
                guard existing.contains(where: { AssignmentPlanning.key(of: $0) == key }) else { throw error }
            }
            done.append("assigned \(entry)")
        }
        for entry in plan.remove {
            guard let id = entry.assignmentID else { continue }
            let request = ApplyRequest.unassign(
                servicePrincipalID: servicePrincipalID, assignmentID: id,
                principal: "\(entry.principalType.lowercased()) \(entry.principalName)")
            do {
                _ = try await send(request, graph: graph)
            } catch where error.isGraphNotFound {
                // Already gone: the goal is reached.
            }
            done.append("removed assignment of \(entry)")
        }
        return done
    }
}

/// One assignment as export writes it: by object id (names can repeat), with the role named when it is not the
/// default one, so that planning the exported profile finds every assignment in place.
public struct ExportedAssignment: Sendable, Hashable {
    public var principalID: String
    /// `User` or `Group`.
    public var principalType: String
    public var principalName: String?
    /// Nil for the app's default role.
    public var role: String?

    public init(principalID: String, principalType: String, principalName: String? = nil, role: String? = nil) {
        self.principalID = principalID
        self.principalType = principalType
        self.principalName = principalName
        self.role = role
    }

    static func read(servicePrincipalID: String, graph: any GraphService) async throws -> [ExportedAssignment] {
        let servicePrincipal = try await graph.get(
            GraphPaths.servicePrincipal(servicePrincipalID), "read the application's app roles")
        let roles = servicePrincipal?["appRoles"]?.arrayValue ?? []
        let defaultRole = try? AssignmentPlanning.resolveRole(nil, in: roles, application: servicePrincipalID)
        let existing = try await AssignmentPlanning.listAssignments(servicePrincipalID, graph: graph)
        return existing.compactMap { assignment in
            guard let principal = assignment["principalId"]?.stringValue,
                let type = assignment["principalType"]?.stringValue, type == "User" || type == "Group"
            else { return nil }
            let roleID = assignment["appRoleId"]?.stringValue ?? AssignmentPlanning.defaultAccessRoleID
            var role: String?
            if roleID.lowercased() != defaultRole?.id.lowercased() {
                role = roles.first { $0["id"]?.stringValue?.lowercased() == roleID.lowercased() }
                    .map { $0["value"]?.stringValue ?? AssignmentPlanning.roleName($0) }
            }
            return ExportedAssignment(
                principalID: principal, principalType: type,
                principalName: assignment["principalDisplayName"]?.stringValue, role: role)
        }
    }

    /// The `assignments:` lines of an application, unindented; none when the app has no assignments.
    static func lines(_ assignments: [ExportedAssignment]) -> [String] {
        guard !assignments.isEmpty else { return [] }
        var lines = ["assignments:"]
        for assignment in assignments {
            let key = assignment.principalType == "Group" ? "group" : "user"
            let comment = assignment.principalName.map { "  # \($0.replacingOccurrences(of: "\n", with: " "))" } ?? ""
            lines.append("  - \(key): \(ProfileYAML.quoted(assignment.principalID))\(comment)")
            if let role = assignment.role { lines.append("    role: \(ProfileYAML.quoted(role))") }
        }
        return lines
    }
}
