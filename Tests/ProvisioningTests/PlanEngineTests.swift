import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import Provisioning
import TestSupport
import Testing
import VendorProfiles

/// A `GraphService` that records every call with its start and end, to compare apply's writes with `render`'s
/// and to count round trips (the longest chain of requests that waited on each other).
final class RecordingGraph: GraphService, @unchecked Sendable {
    struct Call: Sendable {
        var method: HTTPMethod
        var path: String
        var body: JSONValue?
        var started: UInt64
        var finished: UInt64
    }

    let inner: any GraphService
    private let lock = NSLock()
    private var recorded: [Call] = []

    init(_ inner: any GraphService) { self.inner = inner }

    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion,
        idempotent: Bool?
    ) async throws -> JSONValue? {
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            let call = Call(
                method: method, path: path, body: body, started: started, finished: DispatchTime.now().uptimeNanoseconds)
            lock.withLock { recorded.append(call) }
        }
        return try await inner.call(method, path, body: body, operation: operation, version: version, idempotent: idempotent)
    }

    var calls: [Call] { lock.withLock { recorded.sorted { $0.started < $1.started } } }

    func reset() { lock.withLock { recorded.removeAll() } }

    /// The longest chain of calls where each started after the previous one finished: the wall time in round trips.
    var roundTrips: Int {
        let calls = self.calls
        var depth: [Int] = []
        for (index, call) in calls.enumerated() {
            let before = calls[..<index].indices.filter { calls[$0].finished <= call.started }.map { depth[$0] }
            depth.append((before.max() ?? 0) + 1)
        }
        return depth.max() ?? 0
    }
}

@Suite("one plan: render is what apply sends", .serialized)
struct PlanEngineTests {
    /// Every bundled profile and parameter variant.
    static func bundledVariants() throws -> [(name: String, profile: ResolvedProfile)] {
        var result: [(String, ResolvedProfile)] = []
        for name in BundledProfiles.names {
            let profile = try #require(BundledProfiles.load(named: name)?.profile)
            for parameters in ProfileValidator.variants(of: profile, given: [:]) {
                let resolved = try #require(profile.resolve(parameters: parameters).0, "\(name) \(parameters)")
                result.append(("\(name) \(parameters)", resolved))
            }
        }
        return result
    }

    static func token(for source: SecretTokenSource) -> (variable: String, value: String)? {
        guard case .environment(let variable) = source else { return nil }
        return (variable, "token-of-\(variable.lowercased())")
    }

    @Test func renderEqualsTheWritesOfAFreshApply() async throws {
        let variants = try Self.bundledVariants()
        #expect(variants.count >= 9)
        for (label, profile) in variants {
            let rendered = try RequestRenderer.render(profile)
            for (application, renderedApplication) in zip(profile.applications, rendered.applications) {
                // A vendor without a token (TeleMessage) is told to the emulator, as an operator would.
                var configuration = EmulatorConfiguration()
                if application.secretToken == .none, let host = URL(string: application.tenantURL)?.host {
                    configuration.tokenOptionalHosts = [host]
                }
                try await EmulatorHarness.with(configuration: configuration) { harness in
                    // Flosum's and &Money's apps exist before their guides start (create: false).
                    try await harness.createExistingApplications(application)
                    let recorder = RecordingGraph(harness.client)
                    var environment: [String: String] = [:]
                    let token = Self.token(for: application.secretToken)
                    if let token { environment[token.variable] = token.value }

                    let (plan, live) = try await harness.planner(graph: recorder).plan(application)
                    let outcome = try await harness.applier(
                        backups: temporaryDirectory(), environment: environment, graph: recorder
                    ).apply(plan, live: live)

                    // What went out, with Graph's ids and the real token put back to render's placeholders.
                    // parseExpression is a POST that changes nothing: Graph compiling the profile's expressions.
                    let sent = recorder.calls.filter { $0.method != .get && !$0.path.hasSuffix("/parseExpression") }.map { call -> RenderedRequest in
                        func placeholders(_ text: String) -> String {
                            var text = text.replacingOccurrences(of: outcome.jobID, with: RequestRenderer.jobPlaceholder)
                            text = text.replacingOccurrences(
                                of: outcome.servicePrincipalID, with: RequestRenderer.servicePrincipalPlaceholder)
                            if let token, let placeholder = SecretValue.placeholder(for: application.secretToken) {
                                text = text.replacingOccurrences(of: token.value, with: placeholder.exposedValue)
                            }
                            return text
                        }
                        let body = call.body.flatMap { try? JSONValue(parsing: placeholders($0.serialized())) }
                        return RenderedRequest(method: call.method.rawValue, path: placeholders(call.path), body: body, fileName: "")
                    }
                    let expected = renderedApplication.requests.map {
                        RenderedRequest(method: $0.method, path: $0.path, body: $0.body, fileName: "")
                    }
                    // The same requests with the same bodies; requests that run concurrently may arrive in either order.
                    func key(_ request: RenderedRequest) -> String { "\(request.method) \(request.path)" }
                    #expect(sent.map(key).sorted() == expected.map(key).sorted(), "\(label)")
                    for wanted in expected {
                        let actual = sent.first { key($0) == key(wanted) }
                        #expect(actual?.body == wanted.body, "\(label): body of \(key(wanted)) differs")
                    }
                    // What must wait does: the create first, the connection test after the secrets, start last.
                    let order = sent.map(key)
                    #expect(order.first == expected.first.map(key))
                    if let secrets = order.firstIndex(where: { $0.hasSuffix("/secrets") }),
                        let test = order.firstIndex(where: { $0.hasSuffix("/validateCredentials") })
                    {
                        #expect(secrets < test, "\(label): the connection was tested before the secrets were saved")
                    }
                    if application.startProvisioning { #expect(order.last?.hasSuffix("/start") == true, "\(label)") }
                    #expect(expected.contains { $0.path.hasSuffix("/validateCredentials") && $0.body == ["useSavedCredentials": true] })
                }
            }
        }
    }

    /// The writes of one run as "METHOD path" beside their bodies (parseExpression is left out: it compiles, it
    /// does not write).
    static func sentWrites(_ calls: [RecordingGraph.Call]) -> [(key: String, body: JSONValue?)] {
        calls.filter { $0.method != .get && !$0.path.hasSuffix("/parseExpression") }.map {
            ("\($0.method.rawValue) \($0.path)", $0.body)
        }
    }

    /// `plan` shows, and `apply` sends, one list: in every state the tenant can be in (a new application with
    /// assignments, nothing to do, changed settings and mappings, an extra assignment removed, a pause, a restart
    /// for a changed scope) the writes apply sends are exactly the plan's requests, with the same bodies.
    @Test func thePlansRequestsAreWhatApplySends() async throws {
        try await EmulatorHarness.with { harness in
            try await harness.emulator.engine.seedGroup(AssignmentTests.salesGroup)
            let variable = "FLOSUM_SCIM_TOKEN"
            let token = "token-for-the-plan-is-the-request-list"
            let backups = temporaryDirectory()
            var application = try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
            application.assignments = [
                Assignment(principal: .group("Flosum Users")),
                Assignment(principal: .user("ADELE.VANCE@contoso.example"), role: "msiam_access"),
            ]
            application.startProvisioning = true
            // This walk starts with the create of the application (Flosum's own guide uses an existing one).
            application.create = true
            let tokenPlaceholder = SecretValue.placeholder(for: application.secretToken)?.exposedValue

            var servicePrincipalID: String?
            var jobID: String?
            func check(_ label: String, _ application: ResolvedApplication, expect: (ApplicationPlan) -> Void) async throws {
                let recorder = RecordingGraph(harness.client)
                let (plan, live) = try await harness.planner(graph: recorder).plan(application)
                expect(plan)
                recorder.reset()
                let planned = plan.writes()
                let outcome = try await harness.applier(
                    backups: backups, environment: [variable: token], graph: recorder
                ).apply(plan, live: live)
                servicePrincipalID = outcome.servicePrincipalID
                jobID = outcome.jobID
                // The plan's placeholders filled in with the ids and token of the run.
                func filled(_ text: String) -> String {
                    var text = text.replacingOccurrences(of: RequestRenderer.jobPlaceholder, with: outcome.jobID)
                    text = text.replacingOccurrences(of: RequestRenderer.servicePrincipalPlaceholder, with: outcome.servicePrincipalID)
                    if let tokenPlaceholder { text = text.replacingOccurrences(of: tokenPlaceholder, with: token) }
                    return text
                }
                let sent = Self.sentWrites(recorder.calls)
                #expect(sent.map(\.key).sorted() == planned.map { filled("\($0.method) \($0.path)") }.sorted(), "\(label)")
                for request in planned {
                    let key = filled("\(request.method) \(request.path)")
                    guard let body = request.body, !body.serialized().contains("{appRole:") else { continue }
                    let expected = try JSONValue(parsing: filled(body.serialized()))
                    #expect(sent.first { $0.key == key }?.body == expected, "\(label): body of \(key)")
                }
                // What needs an id is sent after the request that produced it.
                let order = sent.map(\.key)
                for (index, request) in planned.enumerated() where request.needs != nil {
                    let producers = planned[..<index].filter {
                        request.needs == .job ? $0.path.hasSuffix("/synchronization/jobs") : $0.method == "POST" && $0.path.hasSuffix("/instantiate")
                    }
                    for producer in producers {
                        let before = order.firstIndex(of: filled("\(producer.method) \(producer.path)")) ?? Int.max
                        let after = order.firstIndex(of: filled("\(request.method) \(request.path)")) ?? -1
                        #expect(before < after, "\(label): \(request.operation) went out before \(producer.operation)")
                    }
                }
            }

            // A new application: create, mark, job, secrets, test, schema, two assignments, start.
            try await check("fresh", application) { plan in
                #expect(plan.writes().map(\.fileStem) == [
                    "instantiate-application", "mark-application", "create-job", "put-secrets", "test-connection",
                    "put-schema", "assign", "assign", "start-job",
                ])
                #expect(plan.writes().first?.needs == nil)
                #expect(plan.writes().filter { $0.needs == .job }.count == 3)
            }
            // Nothing to do: no request.
            try await check("re-apply", application) { plan in #expect(plan.writes().isEmpty) }
            // Settings and mappings: the secrets PUT (with its connection test) and the schema PUT, by real id.
            application.notificationEmail = "provisioning-alerts@contoso.example"
            application.groups.enabled = !(application.groups.enabled ?? true)
            try await check("changes", application) { plan in
                #expect(plan.writes().map(\.fileStem) == ["put-secrets", "test-connection", "put-schema"])
                #expect(plan.writes().allSatisfy { !$0.path.contains("{") })
            }
            // Exclusive assignments: the user assigned above goes.
            application.assignments = [Assignment(principal: .group("Flosum Users"))]
            application.assignmentMode = .exclusive
            try await check("exclusive", application) { plan in
                #expect(plan.writes().map(\.method) == ["DELETE"])
            }
            // Provisioning must be off: pause the running job.
            application.paused = true
            try await check("pause", application) { plan in #expect(plan.writes().map(\.fileStem) == ["pause-job"]) }
            // Back on with every user in scope: settings, then start (a paused job is not running: no restart).
            application.paused = false
            application.scope = .all
            try await check("scope", application) { plan in
                #expect(plan.writes().map(\.fileStem) == ["put-secrets", "test-connection", "start-job"])
            }
            // A scope change on the running job: settings and a restart.
            application.scope = .assignedOnly
            try await check("restart", application) { plan in
                #expect(plan.writes().map(\.fileStem) == ["put-secrets", "test-connection", "restart-job"])
            }
            #expect(servicePrincipalID != nil && jobID != nil)
        }
    }

    /// `render` of a profile with assignments lists them with placeholders for what is looked up when apply runs.
    @Test func renderShowsAssignmentsWithPlaceholders() throws {
        var application = try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
        application.assignments = [Assignment(principal: .group("Flosum Users"), role: "User")]
        application.paused = true
        let rendered = try RequestRenderer.render(application)
        let assign = try #require(rendered.requests.first { $0.path.hasSuffix("/appRoleAssignedTo") })
        #expect(assign.method == "POST")
        #expect(assign.path == "/servicePrincipals/{servicePrincipalId}/appRoleAssignedTo")
        #expect(assign.body == [
            "principalId": "{group:Flosum Users}", "resourceId": "{servicePrincipalId}", "appRoleId": "{appRole:User}",
        ])
        // A paused profile never starts its job.
        #expect(!rendered.requests.contains { $0.path.hasSuffix("/start") })
    }

    @Test func freshApplyAndReapplyRoundTrips() async throws {
        var configuration = EmulatorConfiguration()
        configuration.latencyMilliseconds = 40
        try await EmulatorHarness.with(configuration: configuration) { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            let recorder = RecordingGraph(harness.client)
            let environment = ["FLOSUM_SCIM_TOKEN": "flosum-token"]

            let (plan, live) = try await harness.planner(graph: recorder).plan(application)
            _ = try await harness.applier(backups: temporaryDirectory(), environment: environment, graph: recorder)
                .apply(plan, live: live)
            let fresh = recorder.roundTrips
            #expect(recorder.calls.count >= 11, "every request of a fresh apply was made")
            #expect(fresh <= 8, "a fresh apply took \(fresh) round trips")

            recorder.reset()
            let (again, _) = try await harness.planner(graph: recorder).plan(application)
            #expect(!again.hasChanges)
            #expect(recorder.calls.count == 4)
            #expect(recorder.roundTrips <= 4, "a re-apply with no changes took \(recorder.roundTrips) round trips")
            #expect(recorder.roundTrips < recorder.calls.count, "the re-apply's reads ran one after another")
        }
    }

    @Test func theSchemaCarriesGraphsTreeAndASecondApplyWritesNothing() async throws {
        try await EmulatorHarness.with { harness in
            let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            // Graph's parser spells parameter keys its own way here (capitalised), unlike the local compiler.
            let graph = GraphWithItsOwnTrees(RecordingGraph(harness.client))
            let details = DetailLog()
            var applier = harness.applier(
                backups: temporaryDirectory(), environment: ["FLOSUM_SCIM_TOKEN": "flosum-token"], graph: graph)
            applier.progress = { event in if event.kind == .detail { details.append(event.detail) } }

            let (plan, live) = try await harness.planner(graph: graph).plan(application)
            let outcome = try await applier.apply(plan, live: live)
            let compiled = graph.recorder.calls.filter { $0.path.hasSuffix("/parseExpression") }
            #expect(compiled.count == GraphExpressionTrees.expressions(of: application).count, "each expression once")
            #expect(!compiled.isEmpty)

            // The tenant holds Graph's tree for the Switch expression.
            let schema = try #require(
                try await harness.get(GraphPaths.schema(servicePrincipalId: outcome.servicePrincipalID, jobId: outcome.jobID)))
            let active = SynchronizationSchema(json: schema).synchronizationRules.flatMap(\.objectMappings)
                .first { $0.sourceObjectName == "User" }?.attributeMappings.first { $0.targetAttributeName == "active" }
            let keys = (active?.json["source"]?["parameters"]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue }
            #expect(keys.first == "Source", "the schema PUT carried the local tree: \(keys)")
            #expect(details.list.contains { $0.contains("Switch(") && $0.contains("Source") }, "\(details.list)")

            // Compared by expression text, the tenant is unchanged: the next plan writes nothing.
            graph.recorder.reset()
            let (again, _) = try await harness.planner(graph: graph).plan(application)
            #expect(!again.hasChanges, "\(again.mappingChanges)")
            #expect(graph.recorder.calls.allSatisfy { $0.method == .get })
        }
    }

    @Test func aNewNotificationAddressKeepsTheCustomersDeleteThreshold() async throws {
        try await EmulatorHarness.with { harness in
            var application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            application.notificationEmail = "ops@contoso.example"
            let environment = ["FLOSUM_SCIM_TOKEN": "flosum-token"]
            let (plan, live) = try await harness.planner().plan(application)
            let outcome = try await harness.applier(backups: temporaryDirectory(), environment: environment).apply(plan, live: live)

            // The customer lowers the delete threshold in the portal.
            let secretsPath = GraphPaths.secrets(servicePrincipalId: outcome.servicePrincipalID)
            let customer: JSONValue = [
                "DeleteThresholdEnabled": true, "DeleteThresholdValue": 25, "Enabled": true, "Recipients": "ops@contoso.example",
            ]
            _ = try await harness.client.send(
                .put, secretsPath,
                body: [
                    "value": [
                        ["key": "BaseAddress", "value": .string(application.tenantURL)],
                        ["key": "SecretToken", "value": "flosum-token"], ["key": "SyncAll", "value": "false"],
                        ["key": "SyncNotificationSettings", "value": .string(customer.serialized())],
                    ]
                ], operation: "customer edit")
            let (unchanged, _) = try await harness.planner().plan(application)
            #expect(unchanged.secretKeys.isEmpty, "the customer's threshold is not a difference: \(unchanged.secretChanges)")

            // A new address changes the recipients only.
            application.notificationEmail = "alerts@contoso.example"
            let (next, current) = try await harness.planner().plan(application)
            #expect(next.secretChanges == ["notification settings differ"])
            _ = try await harness.applier(backups: temporaryDirectory(), environment: environment).apply(next, live: current)
            let saved = await harness.emulator.engine.tenant().secrets[outcome.servicePrincipalID] ?? []
            let settings = try JSONValue(parsing: try #require(saved.first { $0.key == "SyncNotificationSettings" }?.value))
            #expect(settings["Recipients"] == "alerts@contoso.example")
            #expect(settings["DeleteThresholdValue"]?.integerValue == 25)
        }
    }

    @Test func thePlanSaysWhichHiddenSettingsTheSecretsPutClears() async throws {
        try await EmulatorHarness.with { harness in
            var application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
            try await harness.createExistingApplications(application)
            let environment = ["FLOSUM_SCIM_TOKEN": "flosum-token"]
            let (plan, live) = try await harness.planner().plan(application)
            let outcome = try await harness.applier(backups: temporaryDirectory(), environment: environment).apply(plan, live: live)
            // Someone saved an OAuth client secret beside scimctl's settings, and a plain setting scimctl does not own.
            _ = try await harness.client.send(
                .put, GraphPaths.secrets(servicePrincipalId: outcome.servicePrincipalID),
                body: [
                    "value": [
                        ["key": "BaseAddress", "value": .string(application.tenantURL)],
                        ["key": "SecretToken", "value": "flosum-token"], ["key": "SyncAll", "value": "false"],
                        ["key": "Oauth2ClientSecret", "value": "client-secret"], ["key": "SkipOutOfScopeDeletions", "value": "true"],
                    ]
                ], operation: "customer edit")

            application.scope = .all
            let (next, current) = try await harness.planner().plan(application)
            #expect(next.secretChanges.contains { $0.hasPrefix("Oauth2ClientSecret") && $0.contains("clears it") }, "\(next.secretChanges)")
            #expect(!next.secretChanges.contains { $0.hasPrefix("SkipOutOfScopeDeletions") })
            _ = try await harness.applier(backups: temporaryDirectory(), environment: environment).apply(next, live: current)
            let saved = await harness.emulator.engine.tenant().secrets[outcome.servicePrincipalID] ?? []
            #expect(saved.first { $0.key == "SkipOutOfScopeDeletions" }?.value == "true", "a plain unowned setting is kept")
            #expect(saved.first { $0.key == "SyncAll" }?.value == "true")
        }
    }
}

/// Answers `parseExpression` with the tree the inner service returns, every parameter key capitalised.
struct GraphWithItsOwnTrees: GraphService {
    let recorder: RecordingGraph

    init(_ recorder: RecordingGraph) { self.recorder = recorder }

    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion,
        idempotent: Bool?
    ) async throws -> JSONValue? {
        let answer = try await recorder.call(
            method, path, body: body, operation: operation, version: version, idempotent: idempotent)
        guard path.hasSuffix("/parseExpression"), var answer, let tree = answer["parsedExpression"] else { return answer }
        answer["parsedExpression"] = Self.capitalisingKeys(tree)
        return answer
    }

    static func capitalisingKeys(_ tree: JSONValue) -> JSONValue {
        var tree = tree
        let parameters = (tree["parameters"]?.arrayValue ?? []).map { parameter -> JSONValue in
            let key = parameter["key"]?.stringValue ?? ""
            return [
                "key": .string(key.prefix(1).uppercased() + key.dropFirst()),
                "value": parameter["value"].map(capitalisingKeys) ?? nil,
            ]
        }
        tree["parameters"] = .array(parameters)
        return tree
    }
}

final class DetailLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var list: [String] { lock.withLock { lines } }
}
