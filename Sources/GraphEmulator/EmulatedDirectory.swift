import Expressions
import GraphModel

/// The source directory the emulator serves read-only: `GET /users` (seeded users, then generated ones),
/// `GET /groups/{id}/transitiveMembers` and `GET /servicePrincipals/{id}/appRoleAssignedTo`.
public struct EmulatedDirectory: Sendable, Equatable {
    /// How many users to generate after the seeded ones (`--users N`). They are made up on request from their
    /// position and the seed, so a directory of 100,000 users costs no memory.
    public var generatedUsers: Int = 0
    public var seed: UInt64 = 0
    public var groups: [EmulatedGroup] = []
    /// App role assignments by service principal id.
    public var assignments: [String: [EmulatedAssignment]] = [:]

    public init(generatedUsers: Int = 0, seed: UInt64 = 0, groups: [EmulatedGroup] = [], assignments: [String: [EmulatedAssignment]] = [:]) {
        self.generatedUsers = generatedUsers
        self.seed = seed
        self.groups = groups
        self.assignments = assignments
    }

    /// The largest generated directory; a bigger request is refused rather than served for hours.
    public static let maximumGeneratedUsers = 10_000_000
}

public struct EmulatedGroup: Sendable, Equatable {
    public var id: String
    public var displayName: String
    /// Ids of member users and groups.
    public var members: [String]

    public init(id: String, displayName: String, members: [String]) {
        self.id = id
        self.displayName = displayName
        self.members = members
    }
}

public struct EmulatedAssignment: Sendable, Equatable {
    public var principalId: String
    /// `User` or `Group`.
    public var principalType: String

    public init(principalId: String, principalType: String) {
        self.principalId = principalId
        self.principalType = principalType
    }
}

// MARK: - Generated users

/// Made-up users with the gaps a real directory has, at fixed positions so tests and demos can count them:
/// no mobile number, a mobile number typed with spaces and a plus, a mobile number shared with the previous user,
/// no mail, and disabled accounts.
public enum GeneratedUsers {
    static let givenNames = ["Ana", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lena"]
    static let surnames = ["Silva", "Okafor", "Müller", "Nakamura", "Rossi", "Haddad", "Kowalski", "Berg", "Dubois", "Ivanova"]
    static let departments = ["Sales", "Engineering", "Finance", "Support", "Operations", "Legal"]

    public static func hasNoMobile(_ index: Int) -> Bool { index % 97 == 13 }
    public static func hasFormattedMobile(_ index: Int) -> Bool { index % 89 == 7 && !hasNoMobile(index) }
    /// Shares the previous user's mobile number.
    public static func sharesMobile(_ index: Int) -> Bool {
        index % 1_009 == 500 && !hasNoMobile(index) && !hasFormattedMobile(index) && !hasNoMobile(index - 1)
            && !hasFormattedMobile(index - 1) && !isDisabled(index - 1)
    }
    public static func hasNoMail(_ index: Int) -> Bool { index % 53 == 5 }
    public static func isDisabled(_ index: Int) -> Bool { index % 71 == 3 }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    public static func id(_ index: Int, seed: UInt64) -> String {
        "\(hex(seed & 0xFFFF_FFFF, digits: 8))-0000-4000-8000-\(hex(UInt64(index), digits: 12))"
    }

    /// The user at `index` in Graph's v1.0 shape.
    static func user(_ index: Int, seed: UInt64) -> [String: JSONValue] {
        let given = givenNames[index % givenNames.count]
        let surname = surnames[(index / givenNames.count) % surnames.count]
        let login = "\(given.lowercased()).\(surname.lowercased())\(index)"
            .replacingOccurrences(of: "é", with: "e").replacingOccurrences(of: "ü", with: "u")
        let upn = "\(login)@contoso.example"
        var user: [String: JSONValue] = [
            "id": .string(id(index, seed: seed)), "userPrincipalName": .string(upn), "displayName": .string("\(given) \(surname)"),
            "givenName": .string(given), "surname": .string(surname), "mailNickname": .string(login),
            "accountEnabled": .bool(!isDisabled(index)), "jobTitle": "Consultant",
            "department": .string(departments[index % departments.count]), "employeeId": .string("E\(100_000 + index)"),
            "city": "Lisbon", "country": "PT", "preferredLanguage": "en-GB", "officeLocation": .string("Floor \(index % 12)"),
            "businessPhones": [.string("+351 21 000 \(1_000 + index % 9_000)")],
            "onPremisesExtensionAttributes": ["extensionAttribute1": .string("cc-\(index % 40)")],
        ]
        user["mail"] = hasNoMail(index) ? .null : .string(upn)
        if hasNoMobile(index) {
            user["mobilePhone"] = .null
        } else if hasFormattedMobile(index) {
            user["mobilePhone"] = .string("+44 7700 \(900_000 + index % 100_000)")
        } else {
            user["mobilePhone"] = .string(mobile(sharesMobile(index) ? index - 1 : index))
        }
        return user
    }

    /// A unique digits-only international number per position.
    public static func mobile(_ index: Int) -> String {
        let digits = String(index)
        return "4477" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func managerIndex(of index: Int) -> Int? { index >= 25 ? index / 25 : nil }
}

// MARK: - Routes

extension EmulatorEngine {
    public func setDirectory(_ directory: EmulatedDirectory) { self.directory = directory }

    public func emulatedDirectory() -> EmulatedDirectory { directory }

    /// `GET /users`: seeded users (stored in provisioning names, shown in Graph names), then generated ones.
    func listUsers(_ context: GraphCallContext) throws -> EmulatorResponse {
        let (offset, top) = try paging(context)
        let selected = context.query["$select"].map { Set($0.split(separator: ",").map { String($0).trimmingSpaces }) }
        let expandsManager = try managerExpansion(context)
        let seeded = state.users.count
        let total = seeded + directory.generatedUsers
        var page: [JSONValue] = []
        var index = offset
        while index < total && page.count < top {
            var user: [String: JSONValue]
            var managerID: String?
            if index < seeded {
                (user, managerID) = Self.graphShape(ofSeeded: state.users[index])
            } else {
                let position = index - seeded
                user = GeneratedUsers.user(position, seed: directory.seed)
                managerID = GeneratedUsers.managerIndex(of: position).map { GeneratedUsers.id($0, seed: directory.seed) }
            }
            if let selected { user = user.filter { $0.key == "id" || selected.contains($0.key) } }
            if expandsManager, let managerID {
                user["manager"] = ["@odata.type": "#microsoft.graph.user", "id": .string(managerID)]
            }
            page.append(.object(user))
            index += 1
        }
        return pageResponse(context, page, next: index < total ? index : nil, top: top, entitySet: "users")
    }

    /// `GET /groups/{id}/transitiveMembers[/microsoft.graph.user]`: members of nested groups too, each once.
    func listTransitiveMembers(_ context: GraphCallContext, groupId: String, usersOnly: Bool) throws -> EmulatorResponse {
        guard directory.groups.contains(where: { $0.id == groupId }) else { throw GraphError.notFound(groupId) }
        let groupsByID = Dictionary(directory.groups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = [groupId]
        var queue = [groupId]
        var members: [JSONValue] = []
        while let next = queue.first {
            queue.removeFirst()
            for member in groupsByID[next]?.members ?? [] where seen.insert(member).inserted {
                if let group = groupsByID[member] {
                    queue.append(member)
                    if !usersOnly {
                        members.append(["@odata.type": "#microsoft.graph.group", "id": .string(group.id), "displayName": .string(group.displayName)])
                    }
                } else {
                    members.append(["@odata.type": "#microsoft.graph.user", "id": .string(member)])
                }
            }
        }
        return try page(context, members, entitySet: "directoryObjects")
    }

    /// The assignments a loaded directory gives a service principal, in Graph's shape.
    func directoryAssignments(of servicePrincipalId: String) -> [JSONValue] {
        (directory.assignments[servicePrincipalId] ?? []).enumerated().map { number, assignment -> JSONValue in
            [
                "id": .string("assignment-\(number)"), "principalId": .string(assignment.principalId),
                "principalType": .string(assignment.principalType), "resourceId": .string(servicePrincipalId),
                "appRoleId": "00000000-0000-0000-0000-000000000000",
            ]
        }
    }

    /// `GET /servicePrincipals/{id}/appRoleAssignedTo`.
    func listAppRoleAssignedTo(_ context: GraphCallContext, servicePrincipalId: String) throws -> EmulatorResponse {
        try page(context, directoryAssignments(of: servicePrincipalId), entitySet: "appRoleAssignments")
    }

    /// `$top` (1...999, default 100) and the emulator's `$skiptoken` (the next position).
    /// One page of a list (`$top`, `$skiptoken`), as Graph pages the entity set.
    func page(_ context: GraphCallContext, _ items: [JSONValue], entitySet: String) throws -> EmulatorResponse {
        let (offset, top) = try paging(context)
        let slice = Array(items.dropFirst(offset).prefix(top))
        let end = offset + slice.count
        return pageResponse(context, slice, next: end < items.count ? end : nil, top: top, entitySet: entitySet)
    }

    func paging(_ context: GraphCallContext) throws -> (offset: Int, top: Int) {
        var top = 100
        if let text = context.query["$top"] {
            guard let value = Int(text), (1...999).contains(value) else {
                throw GraphError.badRequest("Invalid page size specified: '\(text)'. Must be between 1 and 999 inclusive.", code: "Request_UnsupportedQuery")
            }
            top = value
        }
        var offset = 0
        if let token = context.query["$skiptoken"] {
            guard token.hasPrefix("pos"), let value = Int(token.dropFirst(3)), value >= 0 else {
                throw GraphError.badRequest("Invalid skip token.", code: "Request_UnsupportedQuery")
            }
            offset = value
        }
        return (offset, top)
    }

    /// Only `manager($select=id)` (or plain `manager`) can be expanded.
    private func managerExpansion(_ context: GraphCallContext) throws -> Bool {
        guard let expand = context.query["$expand"] else { return false }
        let compact = expand.filter { $0 != " " }
        guard compact == "manager" || compact == "manager($select=id)" else {
            throw GraphError.badRequest("The emulator can expand only manager($select=id), not '\(expand)'.", code: "Request_UnsupportedQuery")
        }
        return true
    }

    func pageResponse(_ context: GraphCallContext, _ items: [JSONValue], next: Int?, top: Int, entitySet: String) -> EmulatorResponse {
        var body: [String: JSONValue] = [
            "@odata.context": .string("\(context.graphRoot)/$metadata#\(entitySet)"), "value": .array(items),
        ]
        if let next {
            // The other query options are carried over, as Graph does; the client only follows the link.
            var query = context.query.filter { $0.key != "$skiptoken" && $0.key != "$top" }.sorted { $0.key < $1.key }
                .map { "\(Self.queryEncoded($0.key))=\(Self.queryEncoded($0.value))" }
            query.append("$top=\(top)")
            query.append("$skiptoken=pos\(next)")
            let path = context.segments.dropFirst().joined(separator: "/")
            body["@odata.nextLink"] = .string("\(context.graphRoot)/\(path)?\(query.joined(separator: "&"))")
        }
        return .json(200, .object(body))
    }

    static func queryEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-._~$,()".contains(character)
            {
                result.append(character)
            } else {
                result += "%" + GeneratedUsers.hex(UInt64(byte), digits: 2).uppercased()
            }
        }
        return result
    }

    /// A seeded user (provisioning attribute names, as provisionOnDemand reads them) in Graph's names.
    static func graphShape(ofSeeded user: JSONValue) -> (user: [String: JSONValue], managerID: String?) {
        var result: [String: JSONValue] = [:]
        var managerID: String?
        var softDeleted: Bool?
        for (key, value) in user.objectValue ?? [:] {
            switch GraphUserProperty.forUserAttribute(key) {
            case .property(let name):
                if name == "accountEnabled", case .string(let text) = value {
                    result[name] = .bool(text.lowercased() == "true")
                } else {
                    result[name] = value
                }
            case .firstOf(let name): result[name] = value.isNull ? .array([]) : .array([value])
            case .member(let name, let member):
                var object = result[name]?.objectValue ?? [:]
                object[member] = value
                result[name] = .object(object)
            case .negation:
                softDeleted = value.boolValue ?? (value.stringValue?.lowercased() == "true")
            case .managerID: managerID = value.stringValue ?? value["id"]?.stringValue
            case .unavailable: break
            case nil: result[key] = value
            }
        }
        if result["accountEnabled"] == nil, let softDeleted { result["accountEnabled"] = .bool(!softDeleted) }
        return (result, managerID)
    }
}

// MARK: - JSON form (`GET`/`PUT /_emulator/directory`)

extension EmulatedDirectory {
    /// `{"generatedUsers": N, "seed": S, "groups": [{"id", "displayName", "members": [ids]}],
    ///   "assignments": [{"servicePrincipalId", "principalId", "principalType": "User"|"Group"}]}`
    public init(json: JSONValue) throws(TenantStateError) {
        guard let members = json.objectValue else { throw TenantStateError(message: "the directory must be a JSON object") }
        for key in members.keys where !["generatedUsers", "seed", "groups", "assignments"].contains(key) {
            throw TenantStateError(message: "unknown directory member '\(key)'")
        }
        if let count = members["generatedUsers"] {
            guard let value = count.integerValue, value >= 0, value <= Int64(Self.maximumGeneratedUsers) else {
                throw TenantStateError(message: "generatedUsers must be a whole number from 0 to \(Self.maximumGeneratedUsers)")
            }
            generatedUsers = Int(value)
        }
        if let seed = members["seed"] {
            guard let value = seed.integerValue else { throw TenantStateError(message: "seed must be a whole number") }
            self.seed = UInt64(bitPattern: value)
        }
        for group in members["groups"]?.arrayValue ?? [] {
            guard let id = group["id"]?.stringValue, !id.isEmpty else { throw TenantStateError(message: "every group needs a string id") }
            let memberIDs = (group["members"]?.arrayValue ?? []).compactMap(\.stringValue)
            groups.append(EmulatedGroup(id: id, displayName: group["displayName"]?.stringValue ?? id, members: memberIDs))
        }
        for assignment in members["assignments"]?.arrayValue ?? [] {
            guard let servicePrincipal = assignment["servicePrincipalId"]?.stringValue,
                let principal = assignment["principalId"]?.stringValue,
                let type = assignment["principalType"]?.stringValue, ["User", "Group"].contains(type)
            else {
                throw TenantStateError(message: "every assignment needs servicePrincipalId, principalId and principalType User or Group")
            }
            assignments[servicePrincipal, default: []].append(EmulatedAssignment(principalId: principal, principalType: type))
        }
    }

    public var json: JSONValue {
        [
            "generatedUsers": .integer(Int64(generatedUsers)), "seed": .integer(Int64(bitPattern: seed)),
            "groups": .array(groups.map { ["id": .string($0.id), "displayName": .string($0.displayName), "members": .array($0.members.map { .string($0) })] }),
            "assignments": .array(
                assignments.keys.sorted().flatMap { servicePrincipal in
                    (assignments[servicePrincipal] ?? []).map {
                        ["servicePrincipalId": .string(servicePrincipal), "principalId": .string($0.principalId), "principalType": .string($0.principalType)]
                    }
                }),
        ]
    }
}
