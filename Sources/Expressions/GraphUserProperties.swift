/// Where a provisioning source attribute of a user comes from in Microsoft Graph's `user` resource.
///
/// The provisioning schema speaks Entra's own names (`objectId`, `mobile`, `IsSoftDeleted`); `GET /users` speaks
/// Graph v1.0 (`id`, `mobilePhone`, `accountEnabled`). `simulate` reads users from Graph and evaluates mappings
/// in provisioning names, so each name is translated once through this table.
public enum GraphUserProperty: Sendable, Hashable {
    /// The same value under a Graph property name (`objectId` → `id`, `mobile` → `mobilePhone`).
    case property(String)
    /// The first element of a Graph collection (`telephoneNumber` → `businessPhones[0]`).
    case firstOf(String)
    /// A member of a Graph complex property (`extensionAttribute1` → `onPremisesExtensionAttributes`).
    case member(String, String)
    /// The negation of a Boolean property (`IsSoftDeleted` ← `accountEnabled`); scope "assigned" also sets it
    /// when the user is no longer assigned.
    case negation(String)
    /// The manager's object id, from `$expand=manager($select=id)`.
    case managerID
    /// Graph cannot give this value to an application reading `/users`; the reason says why.
    case unavailable(String)

    /// The top-level property to name in `$select`; nil for the manager (an `$expand`) and unavailable values.
    public var selectName: String? {
        switch self {
        case .property(let name), .firstOf(let name), .member(let name, _), .negation(let name): name
        case .managerID, .unavailable: nil
        }
    }

    /// How Graph gives the user source attribute `name`; nil when `name` is not a user source attribute at all.
    public static func forUserAttribute(_ name: String) -> GraphUserProperty? {
        if let known = table[name] { return known }
        if name.hasPrefix("extensionAttribute"), let number = Int(name.dropFirst("extensionAttribute".count)),
            (1...15).contains(number)
        {
            return .member("onPremisesExtensionAttributes", name)
        }
        // Directory extensions keep their name in Graph: extension_<appId without hyphens>_<name>.
        if SourceAttributeCatalog.isDirectoryExtension(name) { return .property(name) }
        return nil
    }

    private static let table: [String: GraphUserProperty] = [
        "objectId": .property("id"),
        "IsSoftDeleted": .negation("accountEnabled"),
        "accountEnabled": .property("accountEnabled"),
        "appRoleAssignments": .unavailable("app role assignments are a relationship of the user, not a property of /users"),
        "city": .property("city"),
        "companyName": .property("companyName"),
        "country": .property("country"),
        "department": .property("department"),
        "dirSyncEnabled": .property("onPremisesSyncEnabled"),
        "displayName": .property("displayName"),
        "employeeId": .property("employeeId"),
        "employeeHireDate": .property("employeeHireDate"),
        "employeeType": .property("employeeType"),
        "employeeOrgData.costCenter": .member("employeeOrgData", "costCenter"),
        "employeeOrgData.division": .member("employeeOrgData", "division"),
        "facsimileTelephoneNumber": .property("faxNumber"),
        "givenName": .property("givenName"),
        "jobTitle": .property("jobTitle"),
        "mail": .property("mail"),
        "mailNickname": .property("mailNickname"),
        "manager": .managerID,
        "mobile": .property("mobilePhone"),
        "onPremisesSecurityIdentifier": .property("onPremisesSecurityIdentifier"),
        "originalUserPrincipalName": .unavailable("Graph v1.0 has no property for the original user principal name"),
        "passwordProfile.password": .unavailable("passwords are write-only in Graph"),
        "physicalDeliveryOfficeName": .property("officeLocation"),
        "postalCode": .property("postalCode"),
        "preferredLanguage": .property("preferredLanguage"),
        "proxyAddresses": .property("proxyAddresses"),
        "state": .property("state"),
        "streetAddress": .property("streetAddress"),
        "surname": .property("surname"),
        "telephoneNumber": .firstOf("businessPhones"),
        "userPrincipalName": .property("userPrincipalName"),
    ]
}

extension Expression {
    /// The source attributes the expression reads, each once, in reading order.
    public var attributeNames: [String] {
        var names: [String] = []
        func visit(_ expression: Expression) {
            switch expression {
            case .attribute(let name): if !names.contains(name) { names.append(name) }
            case .constant, .number: break
            case .call(_, let arguments): arguments.forEach { $0.map(visit) }
            case .comparison(let lhs, _, let rhs):
                visit(lhs)
                visit(rhs)
            }
        }
        visit(self)
        return names
    }
}
