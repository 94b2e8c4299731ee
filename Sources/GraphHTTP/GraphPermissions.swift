import Foundation

/// The Microsoft Graph permissions each command needs, and what a token grants (its `roles` claim for an
/// application, `scp` for a delegated sign-in such as the Azure CLI's).
public enum GraphPermissions {
    /// One thing a command does, satisfied by any of several permissions (least privileged first).
    public struct Need: Hashable, Sendable {
        public var purpose: String
        public var anyOf: [String]
    }

    public static let readServicePrincipals = Need(
        purpose: "find the enterprise application by name",
        anyOf: ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"])
    public static let readSynchronization = Need(
        purpose: "read provisioning jobs and schemas",
        anyOf: ["Synchronization.Read.All", "Synchronization.ReadWrite.All", "Application.ReadWrite.OwnedBy"])
    public static let writeSynchronization = Need(
        purpose: "create, configure and start provisioning jobs",
        anyOf: ["Synchronization.ReadWrite.All", "Application.ReadWrite.OwnedBy"])
    public static let instantiateApplication = Need(
        purpose: "create the non-gallery enterprise application",
        anyOf: ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.ReadWrite.All"])
    public static let assignPrincipals = Need(
        purpose: "assign users and groups to the application",
        anyOf: ["AppRoleAssignment.ReadWrite.All"])
    static let readProvisioningLogs = Need(
        purpose: "read the provisioning logs", anyOf: ["AuditLog.Read.All"])

    /// What `auth check --for` accepts, in the order it reports them.
    public enum Command: String, CaseIterable, Sendable {
        case validate, plan, apply, assignments, logs

        public var needs: [Need] {
            switch self {
            case .validate: []
            case .plan: [readServicePrincipals, readSynchronization]
            case .apply: [readServicePrincipals, readSynchronization, writeSynchronization, instantiateApplication]
            case .assignments: [readServicePrincipals, assignPrincipals]
            case .logs: [readServicePrincipals, readProvisioningLogs]
            }
        }
    }

    /// The permissions a token grants, read from its payload without verifying it (Graph verifies; this only
    /// explains). Nil when the token is not a JWT. Only the `roles` and `scp` claims are read; the signature and the
    /// token itself are never kept or shown.
    public static func granted(byToken token: String) -> (roles: [String], scopes: [String])? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            let payload = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        let roles = (payload["roles"] as? [Any] ?? []).compactMap { $0 as? String }
        let scopes = (payload["scp"] as? String ?? "").split(separator: " ").map(String.init)
        return (roles, scopes)
    }

    /// The needs of `command` that none of `granted` satisfies. Names compare case-insensitively, as Entra does.
    public static func missing(for command: Command, granted: [String]) -> [Need] {
        let have = Set(granted.map { $0.lowercased() })
        return command.needs.filter { need in !need.anyOf.contains { have.contains($0.lowercased()) } }
    }

    /// The commands of `required` the token does not grant everything for; all of them when its grants cannot be
    /// read.
    public static func lacking(_ required: [Command], token: String) -> [Command] {
        guard let (roles, scopes) = granted(byToken: token) else { return required }
        return required.filter { !missing(for: $0, granted: roles + scopes).isEmpty }
    }
}
