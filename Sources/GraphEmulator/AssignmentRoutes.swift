import GraphModel

/// The app roles Entra gives a new non-gallery enterprise application: `User` (the default for assignments) and
/// `msiam_access`.
enum NonGalleryAppRoles {
    static let userRoleID = "18d14569-c3bd-439b-9a66-3a2aee01d14f"
    static let msiamAccessRoleID = "b9632174-c057-4f7e-951b-be3adc52bfe6"

    static let json: JSONValue = [
        [
            "allowedMemberTypes": ["User"], "description": "User", "displayName": "User",
            "id": .string(userRoleID), "isEnabled": true, "origin": "Application", "value": nil,
        ],
        [
            "allowedMemberTypes": ["User"], "description": "msiam_access", "displayName": "msiam_access",
            "id": .string(msiamAccessRoleID), "isEnabled": true, "origin": "Application", "value": nil,
        ],
    ]
}

extension TenantState {
    /// A list of JSON objects that each carry a non-empty string `id`.
    static func identified(_ value: JSONValue?, what: String) throws(TenantStateError) -> [JSONValue] {
        guard let value else { return [] }
        guard let list = value.arrayValue else { throw TenantStateError(message: "\(what) must be an array") }
        for element in list where element["id"]?.stringValue?.isEmpty != false {
            throw TenantStateError(message: "every entry of \(what) needs a string id")
        }
        return list
    }
}

/// Users and groups looked up by id or an `eq` filter, and the app role assignments of service principals.
extension EmulatorEngine {
    /// Adds a directory group (or replaces the one with the same id).
    public func seedGroup(_ group: JSONValue) throws(TenantStateError) {
        guard let id = group["id"]?.stringValue, !id.isEmpty, group.objectValue != nil else {
            throw TenantStateError(message: "a group must be a JSON object with a string id")
        }
        state.groups.removeAll { $0["id"]?.stringValue?.lowercased() == id.lowercased() }
        state.groups.append(group)
    }

    /// Answers the paths this file owns; nil leaves the request to the other routes.
    func assignmentRoutes(_ context: inout GraphCallContext, _ path: [String]) throws -> EmulatorResponse? {
        let method = context.request.method
        switch (path.first, path.count) {
        case ("users", 1) where context.query["$filter"] != nil, ("groups", 1):
            guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
            let users = path[0] == "users"
            return try filteredList(
                context, users ? state.users : state.groups, entitySet: path[0],
                properties: users ? ["id", "userPrincipalName", "displayName", "mail"] : ["id", "displayName"])
        case ("users", 2), ("groups", 2):
            guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
            let list = path[0] == "users" ? state.users : state.groups
            guard var object = list.first(where: { $0["id"]?.stringValue?.lowercased() == path[1].lowercased() }) else {
                throw GraphError.notFound(path[1])
            }
            object["@odata.context"] = .string("\(context.graphRoot)/$metadata#\(path[0])/$entity")
            return .json(200, object)
        case ("servicePrincipals", 3) where path[2] == "appRoleAssignedTo",
            ("servicePrincipals", 4) where path[2] == "appRoleAssignedTo":
            let index = try readableServicePrincipalIndex(path[1])
            let servicePrincipal = state.servicePrincipals[index]
            if path.count == 4 {
                guard method == "DELETE" else { throw GraphError.methodNotAllowed(method) }
                let before = state.appRoleAssignments.count
                state.appRoleAssignments.removeAll {
                    $0["id"]?.stringValue == path[3] && $0["resourceId"]?.stringValue == servicePrincipal.id
                }
                guard state.appRoleAssignments.count < before else { throw GraphError.notFound(path[3]) }
                return .noContent()
            }
            switch method {
            case "GET":
                // Assignments made through Graph, then those of a directory loaded with PUT /_emulator/directory.
                let assigned = state.appRoleAssignments.filter { $0["resourceId"]?.stringValue == servicePrincipal.id }
                    + directoryAssignments(of: servicePrincipal.id)
                return .json(
                    200,
                    [
                        "@odata.context": .string(
                            "\(context.graphRoot)/$metadata#servicePrincipals('\(servicePrincipal.id)')/appRoleAssignedTo"),
                        "value": .array(assigned),
                    ])
            case "POST":
                return try assign(context, servicePrincipal: servicePrincipal)
            default:
                throw GraphError.methodNotAllowed(method)
            }
        default:
            return nil
        }
    }

    private func filteredList(
        _ context: GraphCallContext, _ objects: [JSONValue], entitySet: String, properties: Set<String>
    ) throws -> EmulatorResponse {
        var matches = objects
        if let filter = context.query["$filter"] {
            let parts = filter.trimmingSpaces.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard parts.count == 3, parts[1].lowercased() == "eq", parts[2].count >= 2, parts[2].first == "'",
                parts[2].last == "'", let value = EqualityFilter.unescaped(parts[2].dropFirst().dropLast())
            else {
                throw GraphError.badRequest("Invalid filter clause: '\(filter)'.", code: "Request_UnsupportedQuery")
            }
            let property = String(parts[0])
            guard properties.contains(property) else {
                throw GraphError.badRequest(
                    "Unsupported or invalid query filter clause specified for property '\(property)'.",
                    code: "Request_UnsupportedQuery")
            }
            // Directory string comparisons ignore case.
            matches = objects.filter { $0[property]?.stringValue?.lowercased() == value.lowercased() }
        }
        return .json(
            200, ["@odata.context": .string("\(context.graphRoot)/$metadata#\(entitySet)"), "value": .array(matches)])
    }

    /// `POST appRoleAssignedTo`: the principal must exist, the role must be one of the app's (or default access when
    /// it has none), and the same principal and role cannot be assigned twice.
    private func assign(_ context: GraphCallContext, servicePrincipal: DirectoryObjectRecord) throws -> EmulatorResponse {
        let body = try context.jsonBody()
        guard let principalId = body["principalId"]?.stringValue, let resourceId = body["resourceId"]?.stringValue,
            let appRoleId = body["appRoleId"]?.stringValue
        else {
            throw GraphError.badRequest("principalId, resourceId and appRoleId are required.", code: "Request_BadRequest")
        }
        guard resourceId.lowercased() == servicePrincipal.id.lowercased() else {
            throw GraphError.badRequest("resourceId must be the service principal in the URL.", code: "Request_BadRequest")
        }
        let principal: (JSONValue, type: String)
        if let user = state.users.first(where: { $0["id"]?.stringValue?.lowercased() == principalId.lowercased() }) {
            principal = (user, "User")
        } else if let group = state.groups.first(where: { $0["id"]?.stringValue?.lowercased() == principalId.lowercased() }) {
            principal = (group, "Group")
        } else {
            throw GraphError.notFound(principalId)
        }
        let roles = servicePrincipal.object["appRoles"]?.arrayValue ?? []
        let validRole =
            roles.isEmpty
            ? appRoleId == "00000000-0000-0000-0000-000000000000"
            : roles.contains { $0["id"]?.stringValue?.lowercased() == appRoleId.lowercased() && $0["isEnabled"]?.boolValue != false }
        guard validRole else {
            throw GraphError.badRequest(
                "Permission being assigned was not found on application '\(servicePrincipal.id)'.", code: "Request_BadRequest")
        }
        let duplicate = state.appRoleAssignments.contains {
            $0["resourceId"]?.stringValue == servicePrincipal.id
                && $0["principalId"]?.stringValue?.lowercased() == principalId.lowercased()
                && $0["appRoleId"]?.stringValue?.lowercased() == appRoleId.lowercased()
        }
        guard !duplicate else {
            throw GraphError.badRequest("Permission being assigned already exists on the object", code: "Request_BadRequest")
        }
        let assignment: JSONValue = [
            "id": .string(generator.hex(count: 43)), "appRoleId": .string(appRoleId),
            "createdDateTime": .string(Timestamp.iso8601(now)), "deletedDateTime": nil,
            "principalDisplayName": principal.0["displayName"] ?? nil, "principalId": .string(principalId),
            "principalType": .string(principal.type), "resourceDisplayName": .string(servicePrincipal.displayName),
            "resourceId": .string(servicePrincipal.id),
        ]
        state.appRoleAssignments.append(assignment)
        var reply = assignment
        reply["@odata.context"] = .string(
            "\(context.graphRoot)/$metadata#servicePrincipals('\(servicePrincipal.id)')/appRoleAssignedTo/$entity")
        return .json(201, reply)
    }
}
