import GraphModel

/// The application templates to instantiate the non-gallery ("custom") app from, per cloud.
enum NonGalleryTemplate {
    static let global = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
    static let usGovernment = "4602d0b4-76bb-404b-bca9-2652e1a39c6d"
    static let china = "5a532e38-1581-4918-9658-008dc27c1d68"
    static let all: Set<String> = [global, usGovernment, china]
}

/// Routing of Graph paths plus the directory-object endpoints (templates, applications, service principals).
extension EmulatorEngine {
    func routeGraph(_ context: inout GraphCallContext, _ path: [String]) async throws -> EmulatorResponse {
        let method = context.request.method
        guard let head = path.first else { throw GraphError.unknownSegment(context.version) }
        if let routed = try assignmentRoutes(&context, path) { return routed }
        if let routed = try provisioningLogRoutes(&context, path) { return routed }
        if let routed = try groupMemberRoutes(context, path) { return routed }
        switch head {
        case "applicationTemplates":
            guard path.count == 3, path[2] == "instantiate" else { throw GraphError.unknownSegment(path.last ?? head) }
            guard method == "POST" else { throw GraphError.methodNotAllowed(method) }
            return try instantiate(&context, templateId: path[1])
        case "applications":
            guard path.count >= 2 else {
                guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
                return listDirectoryObjects(context, state.applications, entitySet: "applications")
            }
            let index = try readableApplicationIndex(path[1])
            if path.count == 2 {
                switch method {
                case "GET": return entity(context, state.applications[index].object, entitySet: "applications")
                case "DELETE":
                    deleteApplication(at: index)
                    return .noContent()
                default: throw GraphError.methodNotAllowed(method)
                }
            }
            guard path.count >= 4, path[2] == "synchronization", path[3] == "templates" else {
                throw GraphError.unknownSegment(path[2])
            }
            let appId = state.applications[index].appId
            return try templateRoutes(context, Array(path.dropFirst(4)), applicationId: appId)
        case "servicePrincipals":
            if path.count == 1 {
                guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
                return try listServicePrincipals(context)
            }
            let index = try readableServicePrincipalIndex(path[1])
            if path.count == 3, path[2] == "appRoleAssignedTo" {
                guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
                return try listAppRoleAssignedTo(context, servicePrincipalId: state.servicePrincipals[index].id)
            }
            if path.count == 2 {
                switch method {
                case "GET": return entity(context, state.servicePrincipals[index].object, entitySet: "servicePrincipals")
                case "PATCH": return try patchServicePrincipal(context, index: index)
                case "DELETE":
                    deleteServicePrincipal(id: state.servicePrincipals[index].id)
                    return .noContent()
                default: throw GraphError.methodNotAllowed(method)
                }
            }
            guard path[2] == "synchronization" else { throw GraphError.unknownSegment(path[2]) }
            return try await synchronizationRoutes(&context, Array(path.dropFirst(3)), servicePrincipalIndex: index)
        case "users":
            guard path.count == 1 else { throw GraphError.unknownSegment(path[1]) }
            guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
            return try listUsers(context)
        case "groups":
            guard path.count >= 3, path[2] == "transitiveMembers", path.count == 3 || (path.count == 4 && path[3] == "microsoft.graph.user")
            else { throw GraphError.unknownSegment(path.last ?? head) }
            guard method == "GET" else { throw GraphError.methodNotAllowed(method) }
            return try listTransitiveMembers(context, groupId: path[1], usersOnly: path.count == 4)
        default:
            throw GraphError.unknownSegment(head)
        }
    }

    // MARK: Instantiate

    private func instantiate(_ context: inout GraphCallContext, templateId: String) throws -> EmulatorResponse {
        guard NonGalleryTemplate.all.contains(templateId.lowercased()) else {
            throw GraphError.notFound(templateId)
        }
        let body = try context.jsonBody()
        guard let displayName = body["displayName"]?.stringValue, !displayName.trimmingSpaces.isEmpty else {
            throw GraphError.badRequest("Property 'displayName' is required and must be a non-empty string.", code: "Request_BadRequest")
        }
        let created = now
        let readableAfter = created + Double(configuration.replicationDelayMilliseconds) / 1000
        let applicationId = generator.guid()
        let appId = generator.guid()
        let servicePrincipalId = generator.guid()
        let homepage = "https://account.activedirectory.windowsazure.com:444/applications/default.aspx?metadata=customappsso|ISV9.1|primary|z"
        var application: JSONValue = [
            "id": .string(applicationId), "appId": .string(appId), "applicationTemplateId": .string(templateId.lowercased()),
            "createdDateTime": .string(Timestamp.iso8601(created)), "deletedDateTime": nil,
            "displayName": .string(displayName), "signInAudience": "AzureADMyOrg", "tags": [], "identifierUris": [],
            "groupMembershipClaims": nil, "isFallbackPublicClient": false, "keyCredentials": [], "passwordCredentials": [],
            "requiredResourceAccess": [], "web": ["homePageUrl": .string(homepage), "redirectUris": []],
        ]
        if let reference = body["serviceManagementReference"]?.stringValue {
            application["serviceManagementReference"] = .string(reference)
        }
        let servicePrincipal: JSONValue = [
            "id": .string(servicePrincipalId), "appId": .string(appId), "applicationTemplateId": .string(templateId.lowercased()),
            "accountEnabled": true, "appDisplayName": .string(displayName), "displayName": .string(displayName),
            "appRoleAssignmentRequired": true, "servicePrincipalType": "Application",
            "servicePrincipalNames": [.string(appId)], "homepage": .string(homepage), "preferredSingleSignOnMode": nil,
            "notificationEmailAddresses": [], "keyCredentials": [], "passwordCredentials": [],
            "appRoles": NonGalleryAppRoles.json,
            "tags": ["WindowsAzureActiveDirectoryIntegratedApp", "WindowsAzureActiveDirectoryCustomSingleSignOnApplication"],
        ]
        let listedAfter = created + Double(configuration.listingDelayMilliseconds) / 1000
        state.applications.append(
            DirectoryObjectRecord(object: application, readableAfter: readableAfter, listedAfter: listedAfter, createdAt: created))
        state.servicePrincipals.append(
            DirectoryObjectRecord(
                object: servicePrincipal, readableAfter: readableAfter, listedAfter: listedAfter, createdAt: created))
        // The documentation's text says 201 Created (one example prints "201 OK"); the service sends 201.
        return .json(
            201,
            [
                "@odata.context": .string("\(context.graphRoot)/$metadata#microsoft.graph.applicationServicePrincipal"),
                "application": application, "servicePrincipal": servicePrincipal,
            ])
    }

    // MARK: Reads

    /// A service principal is invisible (404) until replication has caught up.
    func readableServicePrincipalIndex(_ id: String) throws -> Int {
        guard let index = state.servicePrincipalIndex(id: id), state.servicePrincipals[index].readableAfter <= now else {
            throw GraphError.notFound(id)
        }
        return index
    }

    private func readableApplicationIndex(_ id: String) throws -> Int {
        guard let index = state.applications.firstIndex(where: { $0.id == id }), state.applications[index].readableAfter <= now
        else { throw GraphError.notFound(id) }
        return index
    }

    private func entity(_ context: GraphCallContext, _ object: JSONValue, entitySet: String) -> EmulatorResponse {
        var body = object
        body["@odata.context"] = .string("\(context.graphRoot)/$metadata#\(entitySet)/$entity")
        return .json(200, body)
    }

    private func listDirectoryObjects(_ context: GraphCallContext, _ records: [DirectoryObjectRecord], entitySet: String)
        -> EmulatorResponse
    {
        let current = now
        let visible = records.filter { $0.isListed(at: current) }.map(\.object)
        return .json(200, ["@odata.context": .string("\(context.graphRoot)/$metadata#\(entitySet)"), "value": .array(visible)])
    }

    /// `GET /servicePrincipals` with an optional `$filter=<property> eq '<value>'` on displayName, appId or id.
    private func listServicePrincipals(_ context: GraphCallContext) throws -> EmulatorResponse {
        var records = state.servicePrincipals
        if let filter = context.query["$filter"] {
            let clause = try EqualityFilter(parsing: filter)
            records = records.filter { $0.object[clause.property]?.stringValue == clause.value }
        }
        return listDirectoryObjects(context, records, entitySet: "servicePrincipals")
    }

    // MARK: Updates

    /// PATCH changes the few service principal properties a provisioning tool touches; others are refused.
    private func patchServicePrincipal(_ context: GraphCallContext, index: Int) throws -> EmulatorResponse {
        let body = try context.jsonBody()
        var object = state.servicePrincipals[index].object
        for (key, value) in body.objectValue ?? [:] {
            switch key {
            case "tags", "notificationEmailAddresses":
                guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                    throw GraphError.badRequest("Property '\(key)' must be an array of strings.")
                }
                object[key] = value
            case "notes", "description":
                guard value.stringValue != nil || value.isNull else {
                    throw GraphError.badRequest("Property '\(key)' must be a string or null.")
                }
                object[key] = value
            default:
                throw GraphError.badRequest("Property '\(key)' cannot be updated here.", code: "Request_BadRequest")
            }
        }
        state.servicePrincipals[index].object = object
        return .noContent()
    }

    // MARK: Deletes

    private func deleteApplication(at index: Int) {
        let appId = state.applications[index].appId
        state.applications.remove(at: index)
        for servicePrincipal in state.servicePrincipals where servicePrincipal.appId == appId {
            deleteServicePrincipal(id: servicePrincipal.id)
        }
    }

    private func deleteServicePrincipal(id: String) {
        state.servicePrincipals.removeAll { $0.id == id }
        state.jobs.removeAll { $0.servicePrincipalId == id }
        state.secrets[id] = nil
    }
}

/// The one OData filter shape scimctl sends: `property eq 'value'` (quotes inside doubled).
struct EqualityFilter: Equatable {
    static let supportedProperties: Set<String> = ["displayName", "appId", "id"]
    var property: String
    var value: String

    init(parsing text: String) throws {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3, parts[1].lowercased() == "eq", case let quoted = parts[2],
            quoted.count >= 2, quoted.first == "'", quoted.last == "'"
        else {
            throw GraphError.badRequest("Invalid filter clause: '\(text)'.", code: "Request_UnsupportedQuery")
        }
        guard let unescaped = Self.unescaped(quoted.dropFirst().dropLast()) else {
            throw GraphError.badRequest("Invalid filter clause: unterminated string literal.", code: "Request_UnsupportedQuery")
        }
        guard Self.supportedProperties.contains(String(parts[0])) else {
            throw GraphError.badRequest("Unsupported or invalid query filter clause specified for property '\(parts[0])'.", code: "Request_UnsupportedQuery")
        }
        property = String(parts[0])
        value = unescaped
    }

    /// OData doubles a quote inside a literal; a single one would end it early.
    static func unescaped(_ inner: Substring) -> String? {
        var result = ""
        var iterator = inner.makeIterator()
        while let character = iterator.next() {
            if character == "'" {
                guard iterator.next() == "'" else { return nil }
            }
            result.append(character)
        }
        return result
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
