import Diagnostics
import Yams

/// A user or group the enterprise application is assigned to. With scope `assigned`, only assigned users (and the
/// members of assigned groups) are provisioned, so the assignments are part of the setup.
public struct Assignment: Sendable, Hashable {
    public enum Principal: Sendable, Hashable {
        /// A group's display name or object id.
        case group(String)
        /// A user's principal name, display name or object id.
        case user(String)

        public var reference: String {
            switch self {
            case .group(let text), .user(let text): text
            }
        }

        /// `User` or `Group`, as Graph's `principalType` says.
        public var graphType: String {
            switch self {
            case .group: "Group"
            case .user: "User"
            }
        }
    }

    public var principal: Principal
    /// An app role's displayName or value; nil means the app's default user role.
    public var role: String?
    public var location: SourceLocation?

    public init(principal: Principal, role: String? = nil, location: SourceLocation? = nil) {
        self.principal = principal
        self.role = role
        self.location = location
    }
}

/// Whether the listed assignments are the only ones the app may have.
public enum AssignmentMode: String, Sendable, Hashable, CaseIterable {
    /// Listed assignments are ensured; others are left alone.
    case amend
    /// Assignments not listed are removed.
    case exclusive
}

extension ProfileShape {
    static let assignment = ShapeNode.object(
        ObjectShape(
            description: "a user or group assigned to the app: exactly one of group or user, and optionally a role",
            fields: [
                .init("group", .string(description: "group display name or object id; may use {parameter}")),
                .init("user", .string(description: "user principal name, display name or object id; may use {parameter}")),
                .init(
                    "role",
                    .string(description: "an app role's displayName or value; the app's default user role otherwise")),
            ],
            exactlyOneOf: [["group", "user"]]))

    static let assignments = ShapeNode.array(
        description: "users and groups assigned to the app (needs AppRoleAssignment.ReadWrite.All)", items: assignment)

    static let assignmentMode = ShapeNode.enumeration(
        description: "amend: ensure the listed assignments and leave others; exclusive: also remove assignments not listed",
        values: AssignmentMode.allCases.map(\.rawValue))
}

extension ProfileReader {
    func readAssignments(_ node: Node?) -> [Assignment] {
        (node?.sequence.map(Array.init) ?? []).compactMap { item -> Assignment? in
            guard item.mapping != nil else { return nil }
            let principal: Assignment.Principal
            if let group = string(item["group"]) {
                principal = .group(group)
            } else if let user = string(item["user"]) {
                principal = .user(user)
            } else {
                return nil
            }
            return Assignment(principal: principal, role: string(item["role"]), location: location(item))
        }
    }

    func readAssignmentMode(_ node: Node?) -> AssignmentMode {
        string(node).flatMap(AssignmentMode.init(rawValue:)) ?? .amend
    }
}

extension PlaceholderSubstitution {
    mutating func apply(_ assignment: Assignment) -> Assignment {
        var copy = assignment
        switch assignment.principal {
        case .group(let text): copy.principal = .group(apply(text, at: assignment.location))
        case .user(let text): copy.principal = .user(apply(text, at: assignment.location))
        }
        copy.role = assignment.role.map { apply($0, at: assignment.location) }
        return copy
    }
}

extension ProfileValidator {
    /// With scope `assigned` nobody is provisioned until someone is assigned; say so when the profile assigns nobody.
    static func checkAssignments(_ application: Application, into findings: inout Findings) {
        if application.scope == .assignedOnly, application.assignments.isEmpty {
            findings.add(
                .warning(
                    .noAssignments,
                    "application '\(application.name)' provisions only assigned users and groups, and the profile assigns none",
                    at: application.location,
                    hint: "add 'assignments' (a group or user), assign them in the portal, or set 'scope: all'"))
        }
        var seen: Set<Assignment.Principal> = []
        for assignment in application.assignments {
            if assignment.principal.reference.allSatisfy({ $0 == " " || $0 == "\t" }) {
                findings.add(
                    .error(.assignment, "an assignment names an empty \(assignment.principal.graphType.lowercased())", at: assignment.location))
            } else if !seen.insert(assignment.principal).inserted {
                findings.add(
                    .warning(
                        .assignment,
                        "\(assignment.principal.graphType.lowercased()) '\(assignment.principal.reference)' is assigned twice",
                        at: assignment.location, hint: "an app role assignment per principal and role; keep one entry"))
            }
        }
        if application.assignmentMode == .exclusive, application.assignments.isEmpty {
            findings.add(
                .warning(
                    .assignment, "assignmentMode exclusive with no assignments removes every assignment of the app",
                    at: application.location, hint: "list the users and groups to keep"))
        }
    }
}

extension DiagnosticID {
    public static let noAssignments: DiagnosticID = "profile.no-assignments"
    public static let assignment: DiagnosticID = "profile.assignment"
}
