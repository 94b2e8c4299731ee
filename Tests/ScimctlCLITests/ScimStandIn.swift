import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
/// concurrently), keep-alive, and a request log. Stops when `stop()` is called or the value goes away.
final class ScimStandIn: @unchecked Sendable {
    struct Received: Sendable {
        var method: String
        var target: String
        var authorization: String?
    }

    let port: UInt16
    let vendor: ScimVendor
    private let listener: Int32
    private let lock = NSLock()
    private var log: [Received] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ vendor: ScimVendor) throws {
        self.vendor = vendor
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        self.listener = listener
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 32) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { stop() }

    /// The tenant URL of this stand-in.
    var url: String { "http://127.0.0.1:\(port)\(vendor.basePath)" }
    var requests: [Received] { lock.withLock { log } }

    func stop() {
        let first: Bool = lock.withLock {
            defer { stopping = true }
            return !stopping
        }
        if first { finished.wait() }
    }

    private func serve() {
        var clients: [Int32: [UInt8]] = [:]
        defer {
            for fd in clients.keys { close(fd) }
            close(listener)
            finished.signal()
        }
        while !lock.withLock({ stopping }) {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            fds += clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 50) > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                if entry.fd == listener {
                    let client = accept(listener, nil, nil)
                    if client >= 0 { clients[client] = [] }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 65_536)
                let count = recv(entry.fd, &chunk, chunk.count, 0)
                guard count > 0 else {
                    close(entry.fd)
                    clients[entry.fd] = nil
                    continue
                }
                clients[entry.fd, default: []] += chunk[0..<count]
                if clients[entry.fd]?.first == 0x16 {
                    // A TLS ClientHello on this plain-http port: answer as an http server would, and hang up.
                    send(status: 400, body: "", to: entry.fd)
                    close(entry.fd)
                    clients[entry.fd] = nil
                    continue
                }
                while let (request, rest) = Self.parse(clients[entry.fd] ?? []) {
                    clients[entry.fd] = rest
                    lock.withLock {
                        log.append(Received(method: request.method, target: request.target, authorization: request.headers["authorization"]))
                    }
                    if vendor.silent { continue }
                    let reply = vendor.reply(method: request.method, target: request.target, headers: request.headers)
                    send(status: reply.status, body: reply.body, to: entry.fd)
                }
            }
        }
    }

    private func send(status: Int, body: String, to fd: Int32) {
        let head =
            "HTTP/1.1 \(status) Status\r\nContent-Type: application/scim+json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        let bytes = Array((head + body).utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// One complete request (head only: the probe sends no bodies) from the front of `buffer`, and what is left.
    static func parse(_ buffer: [UInt8]) -> ((method: String, target: String, headers: [String: String]), [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4, let end = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<$0 + 4]) == separator })
        else { return nil }
        let head = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head.first?.split(separator: " ").map(String.init) ?? []
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyEnd = end + 4 + length
        guard buffer.count >= bodyEnd else { return nil }
        return (
            (requestLine.first ?? "", requestLine.dropFirst().first ?? "", headers), Array(buffer[bodyEnd...])
        )
    }
}
