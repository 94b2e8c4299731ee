import Diagnostics
import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

/// One target attribute the tenant would send, after the profile is merged onto the template, and what the
/// vendor's schema says about it.
public struct SCIMProbeTarget: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// The vendor declares it and accepts writes.
        case mapped
        case notDeclared = "not-declared"
        case readOnly = "read-only"
        case immutable
        /// The vendor publishes no schema to check it against.
        case unchecked
    }

    public var object: ObjectKind
    public var target: String
    /// 0 = not used for matching.
    public var matchingPriority: Int
    /// Sent only when the object is created (`applyWhen: on-create`).
    public var onCreateOnly: Bool
    /// Where the profile declares the mapping; nil when it comes from the template (amend mode).
    public var location: SourceLocation?
    /// The vendor attribute it lands on, in full (`urn:…:User:name.givenName`), when found.
    public var vendorAttribute: String?
    public var status: Status
}

/// One read the probe made.
public struct SCIMProbeExchange: Sendable, Hashable {
    /// Relative to the tenant URL, query included (`/Users?filter=userName eq "…"`).
    public var path: String
    /// The HTTP status, or nil when no response came.
    public var status: Int?
    /// Why no response came (TLS, timeout, connection), never containing secrets.
    public var failure: String?
    public var milliseconds: Int
}

/// Everything one probe of one application found.
public struct SCIMProbeReport: Sendable {
    public var application: String
    public var tenantURL: String
    public var exchanges: [SCIMProbeExchange]
    /// Nil when `/ServiceProviderConfig` could not be read.
    public var features: SCIMServiceProviderFeatures?
    /// Whether the vendor's schemas could be read, so targets were checked.
    public var schemasChecked: Bool
    public var targets: [SCIMProbeTarget]
    public var diagnostics: [Diagnostic]
    /// How many rounds of concurrent requests were needed (1 when `/Schemas` lists every schema).
    public var rounds: Int

    /// The report under a project's policy (the one validate and apply use): disabled findings dropped, severities
    /// overridden.
    public func applying(_ policy: DiagnosticPolicy) -> SCIMProbeReport {
        var filtered = self
        filtered.diagnostics = policy.apply(to: diagnostics)
        return filtered
    }
}

/// Checks a vendor's SCIM endpoint against what a profile would make Entra send, reading only:
/// `/ServiceProviderConfig`, `/Schemas` (or `/Schemas/{id}`), `/ResourceTypes`, and the connection test Entra
/// itself runs (`GET /Users?filter=userName eq "<random>"`, and `/Groups` likewise when groups are provisioned).
/// Independent reads run concurrently. Findings are diagnostics; nothing is printed and nothing is written.
public struct SCIMProbe: Sendable {
    public var transport: any HTTPTransport
    public var redactor: Redactor
    /// Per-request limit, connect included.
    public var requestTimeout: Duration
    /// The value the connection test filters on: random, so it matches no real user.
    public var makeRandomName: @Sendable () -> String

    public init(
        transport: any HTTPTransport, redactor: Redactor, requestTimeout: Duration = .seconds(30),
        makeRandomName: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.transport = transport
        self.redactor = redactor
        self.requestTimeout = requestTimeout
        self.makeRandomName = makeRandomName
    }

    /// Reads the vendor token exactly as apply does, then probes. A token that cannot be read is a finding and
    /// no request is sent.
    public func probe(_ application: ResolvedApplication, tenantURL: String? = nil, tokens: SecretTokenReader) async
        -> SCIMProbeReport
    {
        let token: SecretValue?
        do {
            token = try tokens.token(for: application.secretToken)
        } catch {
            return SCIMProbeReport(
                application: application.name, tenantURL: tenantURL ?? application.tenantURL, exchanges: [],
                features: nil, schemasChecked: false, targets: [],
                diagnostics: [
                    .error(
                        .probeMissingToken, "\(error)", at: application.location,
                        hint: "set the secret token where the profile says it lives; probe reads it exactly as apply does")
                ], rounds: 0)
        }
        return await probe(application, tenantURL: tenantURL, token: token)
    }

    /// Probes `application` at its tenant URL, or at `tenantURL` when given (a staging endpoint, a test stand-in).
    public func probe(_ application: ResolvedApplication, tenantURL: String? = nil, token: SecretValue?) async
        -> SCIMProbeReport
    {
        if let token { redactor.register(token.exposedValue) }
        var base = tenantURL ?? application.tenantURL
        while base.hasSuffix("/") { base.removeLast() }
        let planned = Self.plannedTargets(application)
        var run = ProbeRun(
            application: application, base: base, token: token, targets: planned.targets, kinds: planned.kinds)

        // Round 1: everything that does not depend on another answer.
        var first: [Endpoint] = [.serviceProviderConfig, .schemas, .resourceTypes]
        for kind in planned.kinds {
            first.append(.query(kind, attribute: Self.queryAttribute(kind, targets: planned.targets), value: makeRandomName()))
        }
        await fetch(first, into: &run)

        if let stop = Self.endpointProblem(run) {
            return run.report(diagnostics: stop, rounds: 1)
        }
        var diagnostics = Self.connectionTests(run) + Self.serviceProvider(&run)
        let resourceTypes = Self.resourceTypes(run, diagnostics: &diagnostics)

        // Round 2, only when needed: schemas the list did not include (or no list at all), one by one.
        var schemas = Self.schemaList(run)
        let needed = Self.neededSchemas(run, resourceTypes: resourceTypes)
        let missing = needed.filter { urn in !schemas.keys.contains(urn.lowercased()) }
        var rounds = 1
        if !missing.isEmpty {
            rounds = 2
            await fetch(missing.map { .schema($0) }, into: &run)
            for urn in missing {
                guard let response = run.response(.schema(urn)), (200..<300).contains(response.status),
                    let json = try? JSONValue(parsing: response.body)
                else { continue }
                // A single schema, or a list holding it.
                for element in SCIMListBody.resources(json) ?? [] {
                    if let schema = SCIMSchemaDefinition(json: element) { schemas[schema.id.lowercased()] = schema }
                }
            }
        }

        diagnostics += Self.mapTargets(&run, schemas: schemas, resourceTypes: resourceTypes)
        return run.report(diagnostics: diagnostics, rounds: rounds)
    }

    // MARK: Requests

    enum Endpoint: Hashable {
        case serviceProviderConfig, schemas, resourceTypes
        case schema(String)
        case query(ObjectKind, attribute: String, value: String)

        var path: String {
            switch self {
            case .serviceProviderConfig: "/ServiceProviderConfig"
            case .schemas: "/Schemas"
            case .resourceTypes: "/ResourceTypes"
            case .schema(let urn): "/Schemas/" + urn
            case .query(let kind, let attribute, let value): "/\(kind.schemaObjectName)s?filter=\(attribute) eq \"\(value)\""
            }
        }

        /// The path with the filter percent-encoded, as it goes on the wire.
        var encodedPath: String {
            switch self {
            case .query(let kind, let attribute, let value):
                let filter = "\(attribute) eq \"\(value)\""
                let encoded = filter.addingPercentEncoding(withAllowedCharacters: .scimQueryValueAllowed) ?? filter
                return "/\(kind.schemaObjectName)s?filter=" + encoded
            case .schema(let urn):
                return "/Schemas/" + (urn.addingPercentEncoding(withAllowedCharacters: .scimPathAllowed) ?? urn)
            default:
                return path
            }
        }
    }

    struct Fetched {
        var endpoint: Endpoint
        var result: Result<HTTPResponse, HTTPTransportError>
        var milliseconds: Int
    }

    /// The state of one probe as the rounds go by.
    struct ProbeRun {
        var application: ResolvedApplication
        var base: String
        var token: SecretValue?
        var targets: [SCIMProbeTarget]
        var kinds: [ObjectKind]
        var fetched: [Fetched] = []
        var features: SCIMServiceProviderFeatures?
        var schemasChecked = false

        func response(_ endpoint: Endpoint) -> HTTPResponse? {
            guard let found = fetched.last(where: { $0.endpoint == endpoint }), case .success(let response) = found.result
            else { return nil }
            return response
        }

        var location: SourceLocation? { application.location }

        func report(diagnostics: [Diagnostic], rounds: Int) -> SCIMProbeReport {
            SCIMProbeReport(
                application: application.name, tenantURL: base,
                exchanges: fetched.map { item in
                    switch item.result {
                    case .success(let response):
                        SCIMProbeExchange(path: item.endpoint.path, status: response.status, milliseconds: item.milliseconds)
                    case .failure(let error):
                        SCIMProbeExchange(
                            path: item.endpoint.path, status: nil, failure: error.message, milliseconds: item.milliseconds)
                    }
                },
                features: features, schemasChecked: schemasChecked, targets: targets, diagnostics: diagnostics,
                rounds: rounds)
        }
    }

    private func fetch(_ endpoints: [Endpoint], into run: inout ProbeRun) async {
        let base = run.base
        let token = run.token
        let results = await withTaskGroup(of: (Int, Fetched).self) { group in
            for (index, endpoint) in endpoints.enumerated() {
                group.addTask { (index, await self.get(endpoint, base: base, token: token)) }
            }
            var collected: [(Int, Fetched)] = []
            for await item in group { collected.append(item) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        run.fetched += results
    }

    private func get(_ endpoint: Endpoint, base: String, token: SecretValue?) async -> Fetched {
        var headers: HTTPHeaders = ["Accept": "application/scim+json, application/json"]
        if let token { headers.add("Authorization", "Bearer \(token.exposedValue)") }
        let request = HTTPRequest(method: .get, url: base + endpoint.encodedPath, headers: headers, timeout: requestTimeout)
        let started = DispatchTime.now().uptimeNanoseconds
        let result: Result<HTTPResponse, HTTPTransportError>
        do {
            result = .success(try await transport.send(request))
        } catch let error as HTTPTransportError {
            result = .failure(HTTPTransportError(kind: error.kind, message: redactor.redact(error.message)))
        } catch {
            result = .failure(HTTPTransportError(kind: .other, message: redactor.redact(String(describing: error))))
        }
        let elapsed = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        return Fetched(endpoint: endpoint, result: result, milliseconds: elapsed)
    }

    // MARK: What the tenant would send

    /// The targets of every enabled object mapping once the profile is merged onto the default template.
    static func plannedTargets(_ application: ResolvedApplication) -> (targets: [SCIMProbeTarget], kinds: [ObjectKind]) {
        let merged = (try? SchemaMerge.merge(application, into: DefaultTemplateSchema.schema())) ?? DefaultTemplateSchema.schema()
        var targets: [SCIMProbeTarget] = []
        var kinds: [ObjectKind] = []
        for kind in ObjectKind.allCases {
            guard let mapping = SchemaMerge.objectMapping(kind, in: merged), mapping.enabled ?? true else { continue }
            kinds.append(kind)
            let declared = application.objectMapping(kind).mappings
            for attribute in mapping.attributeMappings {
                guard let target = attribute.targetAttributeName else { continue }
                let profileMapping = declared.first { $0.target == target }
                targets.append(
                    SCIMProbeTarget(
                        object: kind, target: target, matchingPriority: attribute.matchingPriority ?? 0,
                        onCreateOnly: attribute.flowType == ApplyWhen.onCreate.graphFlowType,
                        location: profileMapping.map { $0.targetLocation ?? $0.location } ?? nil,
                        vendorAttribute: nil, status: .unchecked))
            }
        }
        return (targets, kinds)
    }

    /// Users are looked up by `userName` as Entra's connection test does; groups by their first matching
    /// attribute when it is a plain one, else `displayName`.
    static func queryAttribute(_ kind: ObjectKind, targets: [SCIMProbeTarget]) -> String {
        guard kind == .group else { return "userName" }
        let matching = targets.filter { $0.object == kind && $0.matchingPriority > 0 }.min { $0.matchingPriority < $1.matchingPriority }
        if let target = matching?.target, target.allSatisfy({ $0.isLetter || $0.isNumber }) { return target }
        return "displayName"
    }

    // MARK: The endpoint as a whole

    /// A problem that makes every other answer meaningless: no connection, every endpoint 404, token refused.
    static func endpointProblem(_ run: ProbeRun) -> [Diagnostic]? {
        let location = run.location
        var failures: [Diagnostic] = []
        var seenKinds = Set<HTTPTransportError.Kind>()
        for item in run.fetched {
            guard case .failure(let error) = item.result, seenKinds.insert(error.kind).inserted else { continue }
            switch error.kind {
            case .tls:
                failures.append(
                    .error(
                        .probeTLS, "TLS with \(host(run.base)) failed: \(error.message)", at: location,
                        hint: "if the vendor's certificate comes from a private CA, pass it with --cacert FILE"))
            case .timeout:
                failures.append(
                    .error(
                        .probeTimeout, "GET \(item.endpoint.path) got no answer in time", at: location,
                        hint: "check that the tenant URL is reachable from here (firewall, proxy), or raise --timeout"))
            case .other:
                // The exchange happened but could not be used (an oversized answer, for one).
                failures.append(
                    .error(
                        .probeUnexpectedResponse, "GET \(item.endpoint.path) failed: \(error.message)", at: location,
                        hint: "a SCIM answer is a few kilobytes of JSON; check that the tenant URL is the SCIM API"))
            default:
                failures.append(
                    .error(
                        .probeConnectionFailed, "cannot reach \(host(run.base)): \(error.message)", at: location,
                        hint: "check the tenant URL's host name and that this machine can reach it"))
            }
        }
        if !failures.isEmpty { return failures }

        let statuses = run.fetched.compactMap { item -> (Endpoint, Int)? in
            guard case .success(let response) = item.result else { return nil }
            return (item.endpoint, response.status)
        }
        if !statuses.isEmpty, statuses.allSatisfy({ $0.1 == 404 }) {
            return [
                .error(
                    .probeWrongPath, "every SCIM endpoint under \(run.base) answered 404: is the tenant URL right?",
                    at: location,
                    hint: "the tenant URL is the SCIM base that /Users and /Groups sit under (often ending in /scim or /scim/v2)")
            ]
        }
        // The connection test's answer speaks for the token: some vendors guard discovery endpoints differently
        // (those then count as unpublished), and provisioning needs only /Users and /Groups to accept it.
        let refusals = statuses.filter { $0.1 == 401 || $0.1 == 403 }
        let queried = statuses.contains { if case .query = $0.0 { true } else { false } }
        if let refused = refusals.first(where: { if case .query = $0.0 { true } else { !queried } }) {
            let (endpoint, status) = refused
            if run.token == nil {
                return [
                    .error(
                        .probeTokenRefused,
                        "GET \(endpoint.path) answered \(status): the endpoint wants a token, but the profile sends none",
                        at: location, hint: "ask the vendor whether a secret token is needed, or whether this tenant is allowed")
                ]
            }
            return [
                .error(
                    .probeTokenRefused, "the vendor refused the secret token: GET \(endpoint.path) answered \(status)",
                    at: location,
                    hint: status == 401
                        ? "the token is wrong, expired or for another tenant; get a fresh one from the vendor"
                        : "the token is valid but lacks the rights provisioning needs; ask the vendor for a provisioning token")
            ]
        }
        return nil
    }

    /// The connection test: a filter for a random value must answer 200 with no results.
    static func connectionTests(_ run: ProbeRun) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for item in run.fetched {
            guard case .query(let kind, _, _) = item.endpoint, case .success(let response) = item.result else { continue }
            let path = item.endpoint.path
            guard (200..<300).contains(response.status) else {
                let hint: String
                if response.status == 404 {
                    hint = "the vendor has no /\(kind.schemaObjectName)s under this URL; check the tenant URL, or switch \(kind.rawValue) provisioning off"
                } else if (300..<400).contains(response.status), let location = response.headers["location"] {
                    // Redirects are never followed (a token must not travel to another address), so say where it points.
                    hint = "the vendor redirects to \(URLPolicy.safeForMessages(location)); use the address it redirects to as the tenant URL"
                } else {
                    hint = "Entra runs this query to find existing \(kind.rawValue)s; the vendor must answer it with 200"
                }
                diagnostics.append(
                    .error(
                        .probeConnectionTest,
                        "connection test failed: GET \(path) answered \(response.status)\(detail(response, run: run))",
                        at: run.location, hint: hint))
                continue
            }
            guard let json = try? JSONValue(parsing: response.body), json.objectValue != nil || json.arrayValue != nil else {
                diagnostics.append(
                    .error(
                        .probeUnexpectedResponse,
                        "GET \(path) did not answer with SCIM JSON (\(response.headers["content-type"] ?? "no content type"))",
                        at: run.location, hint: "the tenant URL may point at a web page instead of the SCIM API"))
                continue
            }
            let count = json["totalResults"]?.integerValue.map(Int.init) ?? SCIMListBody.resources(json)?.count ?? 0
            if count > 0 {
                diagnostics.append(
                    .error(
                        .probeFilterIgnored,
                        "GET \(path) returned \(count) \(kind.rawValue)\(count == 1 ? "" : "s") for a value no \(kind.rawValue) has: the vendor ignores the filter",
                        at: run.location,
                        hint: "Entra matches existing \(kind.rawValue)s with this filter; ignoring it would link the wrong \(kind.rawValue)s"))
            }
        }
        return diagnostics
    }

    static func serviceProvider(_ run: inout ProbeRun) -> [Diagnostic] {
        guard let response = run.response(.serviceProviderConfig), (200..<300).contains(response.status),
            let json = try? JSONValue(parsing: response.body), json.objectValue != nil
        else {
            let status = run.response(.serviceProviderConfig).map { " (HTTP \($0.status))" } ?? ""
            return [
                .warning(
                    .probeNoServiceProviderConfig,
                    "the vendor publishes no /ServiceProviderConfig\(status): PATCH and filter support cannot be checked",
                    at: run.location)
            ]
        }
        let features = SCIMServiceProviderFeatures(json: json)
        run.features = features
        var diagnostics: [Diagnostic] = []
        if features.patch == false {
            diagnostics.append(
                .error(
                    .probePatchUnsupported, "the vendor says it does not support PATCH; Entra updates users and groups with PATCH",
                    at: run.location, hint: "ask the vendor to enable PATCH (RFC 7644 §3.5.2) for this tenant"))
        }
        if features.filter == false {
            diagnostics.append(
                .error(
                    .probeFilterUnsupported,
                    "the vendor says it does not support filters; Entra finds existing users with filter queries",
                    at: run.location, hint: "ask the vendor to support 'eq' filters on the matching attributes"))
        }
        // Entra sends the secret token as a bearer token; a vendor that lists schemes but none of that kind may refuse it.
        let schemes = features.authenticationSchemes.map { $0.lowercased() }
        if run.token != nil, !schemes.isEmpty, !schemes.contains(where: { $0.contains("bearer") || $0.hasPrefix("oauth") }) {
            diagnostics.append(
                .warning(
                    .probeAuthenticationScheme,
                    "the vendor lists \(features.authenticationSchemes.joined(separator: ", ")) as its authentication, but Entra sends the token as a bearer token",
                    at: run.location, hint: "ask the vendor whether a bearer token works for this tenant"))
        }
        return diagnostics
    }

    /// The User and Group resource types, from `/ResourceTypes` or the RFC's defaults when it is not published.
    static func resourceTypes(_ run: ProbeRun, diagnostics: inout [Diagnostic]) -> [ObjectKind: SCIMResourceType] {
        var published: [SCIMResourceType] = []
        if let response = run.response(.resourceTypes), (200..<300).contains(response.status),
            let json = try? JSONValue(parsing: response.body)
        {
            published = (SCIMListBody.resources(json) ?? []).compactMap(SCIMResourceType.init(json:))
        }
        var result: [ObjectKind: SCIMResourceType] = [:]
        for kind in run.kinds {
            let core = kind == .user ? SCIMSchemaURN.user : SCIMSchemaURN.group
            if let found = published.first(where: {
                $0.schema.lowercased() == core.lowercased() || $0.name.lowercased() == kind.schemaObjectName.lowercased()
            }) {
                result[kind] = found
                continue
            }
            if !published.isEmpty {
                diagnostics.append(
                    .error(
                        .probeResourceTypeMissing,
                        "the vendor's /ResourceTypes has no \(kind.schemaObjectName) (it lists \(published.map(\.name).joined(separator: ", ")))",
                        at: run.application.objectMapping(kind).location ?? run.location,
                        hint: kind == .group ? "switch group provisioning off (groups: enabled: false)" : nil))
            }
            result[kind] = SCIMResourceType(
                name: kind.schemaObjectName, endpoint: "/\(kind.schemaObjectName)s", schema: core,
                extensions: kind == .user ? [.init(schema: SCIMSchemaURN.enterpriseUser, required: false)] : [])
        }
        return result
    }

    /// Schemas from the `/Schemas` list, by lower-cased id.
    static func schemaList(_ run: ProbeRun) -> [String: SCIMSchemaDefinition] {
        guard let response = run.response(.schemas), (200..<300).contains(response.status),
            let json = try? JSONValue(parsing: response.body)
        else { return [:] }
        var schemas: [String: SCIMSchemaDefinition] = [:]
        for element in SCIMListBody.resources(json) ?? [] {
            if let schema = SCIMSchemaDefinition(json: element) { schemas[schema.id.lowercased()] = schema }
        }
        return schemas
    }

    /// Core schemas of the probed objects and every extension a target names.
    static func neededSchemas(_ run: ProbeRun, resourceTypes: [ObjectKind: SCIMResourceType]) -> [String] {
        var needed: [String] = []
        func add(_ urn: String) {
            if !needed.contains(where: { $0.lowercased() == urn.lowercased() }) { needed.append(urn) }
        }
        for kind in run.kinds {
            if let type = resourceTypes[kind] {
                add(type.schema)
                for ext in type.extensions where ext.required { add(ext.schema) }
            }
        }
        for target in run.targets {
            if let urn = TargetPath(target.target)?.schemaURN { add(urn) }
        }
        return needed
    }

    // MARK: The mapping against the vendor's schema

    static func mapTargets(
        _ run: inout ProbeRun, schemas: [String: SCIMSchemaDefinition], resourceTypes: [ObjectKind: SCIMResourceType]
    ) -> [Diagnostic] {
        let checkable = run.kinds.filter { kind in
            resourceTypes[kind].map { schemas[$0.schema.lowercased()] != nil } ?? false
        }
        guard !checkable.isEmpty else {
            return [
                .warning(
                    .probeNoSchemas,
                    "the vendor publishes no usable /Schemas: the connection test passed, but mapped attributes cannot be checked",
                    at: run.location,
                    hint: "compare the mapping with the vendor's documentation by hand; --strict makes this an error")
            ]
        }
        run.schemasChecked = true
        var diagnostics: [Diagnostic] = []
        for kind in run.kinds where !checkable.contains(kind) {
            diagnostics.append(
                .warning(
                    .probeNoSchemas,
                    "the vendor publishes no \(kind.schemaObjectName) schema: \(kind.rawValue) targets cannot be checked",
                    at: run.application.objectMapping(kind).location ?? run.location,
                    hint: "compare the \(kind.rawValue) mapping with the vendor's documentation by hand; --strict makes this an error"))
        }
        // Top-level attributes mapped, per schema, for the required-attribute check.
        var mappedTopLevel: [ObjectKind: Set<String>] = [:]
        for index in run.targets.indices {
            let target = run.targets[index]
            guard checkable.contains(target.object), let type = resourceTypes[target.object] else { continue }
            let location = target.location ?? run.location
            let fromTemplate = target.location == nil
            func finding(_ severity: Severity, _ id: DiagnosticID, _ message: String, hint: String?) {
                var diagnostic = Diagnostic(severity, id, message, at: location, hint: hint)
                if fromTemplate {
                    diagnostic.notes.append(
                        "'\(target.target)' is one of the template's default \(target.object.rawValue) mappings, which this profile keeps (mode: amend)")
                }
                diagnostics.append(diagnostic)
            }
            guard let path = TargetPath(target.target) else {
                run.targets[index].status = .notDeclared
                finding(.error, .probeUnknownTarget, "'\(target.target)' is not a SCIM attribute path", hint: nil)
                continue
            }
            let schemaID = path.schemaURN ?? type.schema
            let listed = schemaID.lowercased() == type.schema.lowercased()
                || type.extensions.contains { $0.schema.lowercased() == schemaID.lowercased() }
            guard let schema = schemas[schemaID.lowercased()] else {
                run.targets[index].status = .notDeclared
                let elsewhere = schemas[type.schema.lowercased()].flatMap { $0.attribute(named: path.attribute) }
                finding(
                    .error, .probeUnknownTarget,
                    "the vendor does not declare '\(target.target)': it publishes no schema \(schemaID)",
                    hint: elsewhere.map { "the vendor declares it as '\($0.name)'" }
                        ?? "schemas the vendor publishes: \(schemas.values.map(\.id).sorted().joined(separator: ", "))")
                continue
            }
            guard let attribute = schema.attribute(named: path.attribute) else {
                run.targets[index].status = .notDeclared
                finding(
                    .error, .probeUnknownTarget, "the vendor does not declare '\(target.target)'",
                    hint: suggestion(for: path, in: schema, of: type, schemas: schemas))
                continue
            }
            if !listed {
                run.targets[index].status = .notDeclared
                finding(
                    .error, .probeUnknownTarget,
                    "the vendor's \(type.name) resource type does not use schema \(schemaID), so '\(target.target)' would be rejected",
                    hint: "extensions of \(type.name): "
                        + (type.extensions.isEmpty ? "none" : type.extensions.map(\.schema).joined(separator: ", ")))
                continue
            }
            mappedTopLevel[target.object, default: []].insert(schema.id.lowercased() + ":" + attribute.name.lowercased())
            var leaf = attribute
            var vendorName = schema.id + ":" + attribute.name
            if let filter = path.filter {
                if !attribute.subAttributes.isEmpty {
                    guard let filterAttribute = attribute.subAttribute(named: filter.attribute) else {
                        run.targets[index].status = .notDeclared
                        finding(
                            .error, .probeUnknownTarget,
                            "the vendor's '\(attribute.name)' has no sub-attribute '\(filter.attribute)' to filter on (in '\(target.target)')",
                            hint: "sub-attributes: \(attribute.subAttributes.map(\.name).joined(separator: ", "))")
                        continue
                    }
                    let canonical = filterAttribute.canonicalValues
                    if !canonical.isEmpty, !canonical.contains(where: { $0.lowercased() == filter.value.lowercased() }) {
                        finding(
                            .warning, .probeFilterValue,
                            "the vendor lists \(canonical.map { "\"\($0)\"" }.joined(separator: ", ")) as values of \(attribute.name).\(filter.attribute), not \"\(filter.value)\"",
                            hint: "values outside the list may be rejected or dropped")
                    }
                }
                vendorName += "[\(filter.attribute) eq \"\(filter.value)\"]"
            }
            if let sub = path.subAttribute {
                guard let subAttribute = attribute.subAttribute(named: sub) else {
                    run.targets[index].status = .notDeclared
                    let known = attribute.subAttributes.map(\.name)
                    finding(
                        .error, .probeUnknownTarget,
                        "the vendor's '\(attribute.name)' has no sub-attribute '\(sub)' (in '\(target.target)')",
                        hint: known.isEmpty
                            ? "'\(attribute.name)' is a simple \(attribute.type) attribute; map '\(path.schemaURN.map { $0 + ":" } ?? "")\(attribute.name)' itself"
                            : Suggestions.closest(to: sub, in: known).map { "did you mean '\($0)'?" }
                                ?? "sub-attributes: \(known.joined(separator: ", "))")
                    continue
                }
                // A read-only parent makes every part of it read-only.
                if attribute.mutability == .readOnly { leaf = attribute } else { leaf = subAttribute }
                vendorName += "." + subAttribute.name
            }
            run.targets[index].vendorAttribute = vendorName
            switch leaf.mutability {
            case .readOnly:
                run.targets[index].status = .readOnly
                finding(
                    .error, .probeReadOnlyTarget, "the vendor declares '\(target.target)' read-only, so every value Entra sends is rejected or ignored",
                    hint: "remove this mapping, or ask the vendor which attribute takes this value")
                continue
            case .immutable where !target.onCreateOnly:
                run.targets[index].status = .immutable
                finding(
                    .error, .probeImmutableTarget,
                    "the vendor declares '\(target.target)' immutable, but the mapping also applies on update",
                    hint: "apply it when the object is created only (apply: on-create)")
                continue
            default:
                run.targets[index].status = .mapped
            }
            if target.matchingPriority > 0, !leaf.isUnique {
                finding(
                    .warning, .probeMatchingNotUnique,
                    "'\(target.target)' matches existing \(target.object.rawValue)s, but the vendor does not declare it unique (uniqueness: \(leaf.uniqueness))",
                    hint: "matching on a value several \(target.object.rawValue)s can share may link the wrong one; match on a unique attribute")
            }
        }

        // Required vendor attributes nothing maps.
        for kind in checkable {
            guard let type = resourceTypes[kind] else { continue }
            let required = [type.schema] + type.extensions.filter(\.required).map(\.schema)
            let mapped = mappedTopLevel[kind] ?? []
            for schemaID in required {
                guard let schema = schemas[schemaID.lowercased()] else { continue }
                for attribute in schema.attributes
                where attribute.required && attribute.mutability != .readOnly
                    && !["id", "schemas", "meta"].contains(attribute.name.lowercased())
                    && !mapped.contains(schema.id.lowercased() + ":" + attribute.name.lowercased())
                {
                    let qualified = schema.id.lowercased() == type.schema.lowercased() ? attribute.name : schema.id + ":" + attribute.name
                    diagnostics.append(
                        .error(
                            .probeRequiredUnmapped,
                            "the vendor requires '\(qualified)' on every \(kind.rawValue), but no mapping sends it",
                            at: run.application.objectMapping(kind).location ?? run.location,
                            hint: "add a mapping with target '\(qualified)'"))
                }
            }
        }
        return diagnostics
    }

    /// A did-you-mean for an undeclared target: a close name in the same schema, or the same name elsewhere.
    static func suggestion(
        for path: TargetPath, in schema: SCIMSchemaDefinition, of type: SCIMResourceType,
        schemas: [String: SCIMSchemaDefinition]
    ) -> String? {
        let related = [type.schema] + type.extensions.map(\.schema)
        for other in related where other.lowercased() != schema.id.lowercased() {
            if let found = schemas[other.lowercased()]?.attribute(named: path.attribute) {
                let prefix = other.lowercased() == type.schema.lowercased() ? "" : other + ":"
                return "the vendor declares it as '\(prefix)\(found.name)'"
            }
        }
        if let close = Suggestions.closest(to: path.attribute, in: schema.attributes.map(\.name)) {
            return "did you mean '\(close)'?"
        }
        return "the vendor's \(type.name) attributes: \(schema.attributes.map(\.name).joined(separator: ", "))"
    }

    // MARK: Wording helpers

    static func host(_ url: String) -> String { URLComponents(string: url)?.host ?? url }


    /// The SCIM error `detail` (or a short text body), redacted and cut short, for a failure message.
    static func detail(_ response: HTTPResponse, run: ProbeRun) -> String {
        var text: String?
        if let json = try? JSONValue(parsing: response.body) {
            text = json["detail"]?.stringValue ?? json["message"]?.stringValue ?? json["error"]?.stringValue
        } else if !response.body.isEmpty, response.body.count < 512, response.headers["content-type"]?.contains("html") != true {
            text = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard var shown = text, !shown.isEmpty else { return "" }
        if let token = run.token { shown = shown.replacingOccurrences(of: token.exposedValue, with: Redactor.mask) }
        shown = String(shown.prefix(200)).replacingOccurrences(of: "\n", with: " ")
        return " (\(shown))"
    }
}

extension CharacterSet {
    /// Unreserved characters: everything else in a filter value is percent-encoded (spaces and quotes included).
    static let scimQueryValueAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    /// Characters a schema URN keeps in a path segment (its colons included).
    static let scimPathAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")
}

extension SCIMProbe {
    /// Where and how a probe run reaches the vendor.
    public struct Settings: Sendable {
        /// A SCIM base URL that replaces the profile's (needs exactly one application).
        public var tenantURL: String?
        public var caCertificatePath: String?
        /// Seconds each SCIM request may take.
        public var timeout: Double = 30
        /// Sent as `User-Agent: scimctl/<version>`.
        public var clientVersion: String

        public init(tenantURL: String? = nil, caCertificatePath: String? = nil, timeout: Double = 30, clientVersion: String) {
            self.tenantURL = tenantURL
            self.caCertificatePath = caCertificatePath
            self.timeout = timeout
            self.clientVersion = clientVersion
        }

        /// What makes these settings unusable, found before any request; nil when there is nothing.
        public var problem: SettingsProblem? {
            guard timeout > 0, timeout <= 3600 else { return .timeoutOutOfRange }
            if let tenantURL {
                do {
                    _ = try URLPolicy.check(tenantURL)
                } catch {
                    return .tenantURL(String(describing: error))
                }
            }
            if let caCertificatePath, !FileManager.default.isReadableFile(atPath: caCertificatePath) {
                return .unreadableCACertificate(caCertificatePath)
            }
            return nil
        }
    }

    /// Settings that cannot work (the executable words them with its option names).
    public enum SettingsProblem: Sendable, Hashable {
        /// Not between 0 (excluded) and 3600 seconds.
        case timeoutOutOfRange
        /// The replacement URL breaks the URL policy (HTTPS, or plain http to loopback).
        case tenantURL(String)
        case unreadableCACertificate(String)
    }

    public enum RunError: Error, Sendable {
        /// One replacement URL, but several applications to probe.
        case tenantURLNeedsOneApplication(applications: Int)
        /// The transport cannot be set up.
        case transport(String)
    }

    /// Probes every application at once; findings are judged by `policy`, the one validate and apply use. A token that
    /// cannot be read becomes a finding, not a failure; anything a vendor echoed back is masked once more before it is
    /// returned.
    public static func run(
        _ applications: [ResolvedApplication], settings: Settings, tokens: SecretTokenReader,
        policy: DiagnosticPolicy = DiagnosticPolicy()
    ) async throws(RunError) -> [SCIMProbeReport] {
        if settings.tenantURL != nil, applications.count > 1 {
            throw .tenantURLNeedsOneApplication(applications: applications.count)
        }
        let redactor = Redactor()
        let transport: CurlTransport
        do {
            transport = try CurlTransport(
                configuration: .init(
                    version: settings.clientVersion, connectTimeout: .seconds(min(settings.timeout, 15)),
                    caCertificatePath: settings.caCertificatePath,
                    maximumConcurrentRequests: min(16, 5 * max(1, applications.count)), maximumResponseBytes: 8 << 20))
        } catch {
            throw .transport(String(describing: error))
        }
        let prober = SCIMProbe(
            transport: transport, redactor: redactor, requestTimeout: .milliseconds(Int(settings.timeout * 1000)))
        let tenantURL = settings.tenantURL
        let reports = await BoundedConcurrency.results(applications, limit: applications.count) { application in
            await prober.probe(application, tenantURL: tenantURL, tokens: tokens)
        }.compactMap { try? $0.get() }
        return reports.map { report in
            var report = report
            report.diagnostics = report.diagnostics.map { diagnostic in
                var diagnostic = diagnostic
                diagnostic.message = redactor.redact(diagnostic.message)
                diagnostic.hint = diagnostic.hint.map(redactor.redact)
                return diagnostic
            }
            report.exchanges = report.exchanges.map { exchange in
                var exchange = exchange
                exchange.failure = exchange.failure.map(redactor.redact)
                return exchange
            }
            return report.applying(policy)
        }
    }
}
