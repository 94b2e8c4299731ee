import Foundation
import TestSupport

/// What a SCIM vendor publishes and how it behaves, for the loopback stand-in.
struct ScimVendor: Sendable {
    /// The bearer token the vendor accepts; nil accepts requests without one.
    var token: String? = "vendor-token-for-tests"
    /// Where the SCIM API sits (the path part of the tenant URL).
    var basePath = "/scim"
    /// User and group targets the vendor declares, written as Entra targets (`name.givenName`,
    /// `emails[type eq "work"].value`, `urn:…:User:employeeNumber`).
    var userTargets: [String] = []
    var groupTargets: [String] = []
    var groups = true
    /// Targets the vendor declares read-only, immutable, or required.
    var readOnly: Set<String> = []
    var immutable: Set<String> = []
    var required: Set<String> = []
    /// Attributes declared `uniqueness: server`; others say `none`.
    var unique: Set<String> = ["userName", "displayName", "externalId"]
    var publishesSchemas = true
    /// When false, `/Schemas` lists only the core schemas and extensions must be read one by one.
    var listsExtensions = true
    var publishesServiceProviderConfig = true
    var patch = true
    var filter = true
    /// Answer the connection test with one user whatever the filter says.
    var ignoresFilter = false
    /// Never answer (to provoke a timeout).
    var silent = false

    static let coreUser = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let coreGroup = "urn:ietf:params:scim:schemas:core:2.0:Group"

    /// The reply to one request.
    func reply(method: String, target: String, headers: [String: String]) -> (status: Int, body: String) {
        if let token, headers["authorization"] != "Bearer \(token)" {
            return (401, #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"bad token"}"#)
        }
        guard method == "GET" else { return (405, "") }
        guard target.hasPrefix(basePath + "/") else { return (404, #"{"detail":"no such path"}"#) }
        let rest = String(target.dropFirst(basePath.count))
        let path = rest.split(separator: "?", maxSplits: 1).first.map(String.init) ?? rest
        switch path {
        case "/ServiceProviderConfig" where publishesServiceProviderConfig:
            return (
                200,
                json([
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                    "patch": ["supported": patch], "filter": ["supported": filter, "maxResults": 100],
                    "bulk": ["supported": false], "etag": ["supported": false],
                    "authenticationSchemes": [["type": "oauthbearertoken", "name": "Bearer token"]],
                ]))
        case "/Schemas" where publishesSchemas:
            let listed = schemas().filter { listsExtensions || $0.id == Self.coreUser || $0.id == Self.coreGroup }
            return (200, json(["Resources": listed.map(\.json), "totalResults": listed.count]))
        case "/ResourceTypes":
            var types: [[String: Any]] = [
                [
                    "name": "User", "endpoint": "/Users", "schema": Self.coreUser,
                    "schemaExtensions": extensionURNs(userTargets).map { ["schema": $0, "required": false] },
                ]
            ]
            if groups { types.append(["name": "Group", "endpoint": "/Groups", "schema": Self.coreGroup]) }
            return (200, json(["Resources": types, "totalResults": types.count]))
        case "/Users", "/Groups":
            if path == "/Groups" && !groups { return (404, "") }
            let query = rest.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            guard query.hasPrefix("filter="), (query.removingPercentEncoding ?? "").contains(" eq \"") else {
                return (400, #"{"detail":"filter expected"}"#)
            }
            let found: [[String: Any]] = ignoresFilter ? [["id": "1", "userName": "someone"]] : []
            return (200, json(["Resources": found, "totalResults": found.count]))
        default:
            if path.hasPrefix("/Schemas/"), publishesSchemas {
                let id = String(path.dropFirst("/Schemas/".count)).removingPercentEncoding ?? ""
                if let schema = schemas().first(where: { $0.id == id }) { return (200, json(schema.json)) }
            }
            return (404, #"{"detail":"not found"}"#)
        }
    }

    private func extensionURNs(_ targets: [String]) -> [String] {
        var urns: [String] = []
        for target in targets where target.hasPrefix("urn:") {
            let urn = String(target[..<(target.lastIndex(of: ":") ?? target.endIndex)])
            if !urns.contains(urn) { urns.append(urn) }
        }
        return urns
    }

    /// One schema per URN, built from the declared targets.
    private func schemas() -> [(id: String, json: [String: Any])] {
        var byURN: [(String, [String])] = [(Self.coreUser, [])]
        if groups { byURN.append((Self.coreGroup, [])) }
        func add(_ urn: String, _ target: String) {
            if let index = byURN.firstIndex(where: { $0.0 == urn }) { byURN[index].1.append(target) } else { byURN.append((urn, [target])) }
        }
        for target in userTargets {
            if target.hasPrefix("urn:"), let colon = target.lastIndex(of: ":") {
                add(String(target[..<colon]), target)
            } else {
                add(Self.coreUser, target)
            }
        }
        if groups { for target in groupTargets { add(Self.coreGroup, target) } }
        return byURN.map { urn, targets in (urn, ["id": urn, "name": urn, "attributes": attributes(for: targets)]) }
    }

    /// SCIM attribute definitions: `a.b` and `a[type eq "x"].b` become complex `a` with sub-attributes.
    private func attributes(for targets: [String]) -> [[String: Any]] {
        var order: [String] = []
        var subAttributes: [String: [String]] = [:]
        var flags: [String: String] = [:]  // attribute → the full target, for mutability and uniqueness
        var multiValued: Set<String> = []
        for target in targets {
            let local = target.hasPrefix("urn:") ? String(target.split(separator: ":").last ?? "") : target
            var name = local
            var sub: String?
            if let open = local.firstIndex(of: "[") {
                name = String(local[..<open])
                multiValued.insert(name)
                sub = local.split(separator: ".").last.map(String.init)
                subAttributes[name, default: []].append("type")
            } else if let dot = local.firstIndex(of: ".") {
                name = String(local[..<dot])
                sub = String(local[local.index(after: dot)...])
            }
            if !order.contains(name) { order.append(name) }
            if let sub { subAttributes[name, default: []].append(sub) }
            flags[name] = flags[name] ?? target
            if let sub { flags[name + "." + sub] = target }
        }
        func characteristics(_ target: String?) -> [String: Any] {
            guard let target else { return ["mutability": "readWrite", "required": false, "uniqueness": "none"] }
            let mutability = readOnly.contains(target) ? "readOnly" : immutable.contains(target) ? "immutable" : "readWrite"
            return [
                "mutability": mutability, "required": required.contains(target),
                "uniqueness": unique.contains(target) ? "server" : "none",
            ]
        }
        return order.map { name in
            var attribute: [String: Any] = ["name": name, "multiValued": multiValued.contains(name), "caseExact": false]
            if let subs = subAttributes[name] {
                attribute["type"] = "complex"
                var seen: [String] = []
                attribute["subAttributes"] = subs.compactMap { sub -> [String: Any]? in
                    guard !seen.contains(sub) else { return nil }
                    seen.append(sub)
                    var definition: [String: Any] = ["name": sub, "type": "string", "multiValued": false]
                    definition.merge(characteristics(flags[name + "." + sub])) { _, new in new }
                    if sub == "type" { definition["canonicalValues"] = ["work", "home", "mobile", "fax", "other"] }
                    return definition
                }
                attribute["mutability"] = "readWrite"
                attribute["required"] = false
            } else {
                attribute["type"] = "string"
                attribute.merge(characteristics(flags[name])) { _, new in new }
            }
            return attribute
        }
    }

    private func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A SCIM service on 127.0.0.1 answering as `vendor` says: many connections at once (the probe reads
/// concurrently), keep-alive, and a request log. Use it through `withScimStandIn`, which stops it after the body.
final class ScimStandIn: Sendable {
    struct Received: Sendable {
        var method: String
        var target: String
        var authorization: String?
    }

    let vendor: ScimVendor
    private let server: LoopbackHTTPServer

    init(_ vendor: ScimVendor) throws {
        self.vendor = vendor
        server = try LoopbackHTTPServer { request in
            if vendor.silent { return .silent }
            let reply = vendor.reply(method: request.method, target: request.target, headers: request.headers)
            return .reply(.init(status: reply.status, headers: [("Content-Type", "application/scim+json")], body: reply.body))
        }
    }

    var port: UInt16 { server.port }
    /// The tenant URL of this stand-in.
    var url: String { "http://127.0.0.1:\(port)\(vendor.basePath)" }
    var requests: [Received] {
        server.requests.map { Received(method: $0.method, target: $0.target, authorization: $0.headers["authorization"]) }
    }

    /// Stops serving and returns once every socket is closed.
    func stop() async { await server.stop() }
}

/// Runs `body` against a stand-in for `vendor` and stops it afterwards, also when `body` throws.
func withScimStandIn<T>(_ vendor: ScimVendor, _ body: (ScimStandIn) async throws -> T) async throws -> T {
    try await withStopping(try ScimStandIn(vendor), stop: { await $0.stop() }, body)
}
