// `make bench`: the speed goals of scimctl, measured. Run in release mode; numbers go to BENCHMARKS.md.
// A small harness rather than a benchmark framework, so the test build stays lean.
import Diagnostics
import Expressions
import Foundation
import GraphEmulator
import GraphHTTP
import GraphModel
import ProfileTranslation
import Provisioning
import VendorProfiles

func padded(_ name: String) -> String { name.count >= 58 ? name : name + String(repeating: " ", count: 58 - name.count) }

/// Runs `body` repeatedly for about `seconds` and reports the best and median time per run.
func measure(_ name: String, seconds: Double = 1.0, unit: String = "run", _ body: () throws -> Void) rethrows -> Double {
    var samples: [Double] = []
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    } while Date() < deadline || samples.count < 3
    samples.sort()
    let median = samples[samples.count / 2]
    print(padded(name) + String(format: " median %10.3f ms  best %10.3f ms  (%d runs)", median * 1e3, samples[0] * 1e3, samples.count))
    return median
}

func loadBundled() -> [Profile] {
    BundledProfiles.names.compactMap { BundledProfiles.load(named: $0)?.profile }
}

print("scimctl benchmarks — \(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)")
print("")

// 1. Validate every bundled profile (load + all parameter variants), in process.
_ = measure("validate all bundled profiles (in process)") {
    for name in BundledProfiles.names {
        guard let result = BundledProfiles.load(named: name), let profile = result.profile else { continue }
        _ = ProfileValidator.validate(profile)
    }
}

// 2. Expressions per second: parse + check a typical mapping expression.
let typical = [
    "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")",
    "Join(\" \", [givenName], [surname])",
    "Not([IsSoftDeleted])",
    "ToLower(Replace([mail], , \"@contoso.com\", , \"@fabrikam.com\", , ), )",
    "Mid([userPrincipalName], 1, 8)",
]
let perRound = 10_000
let expressionSeconds = measure("check \(perRound) typical expressions") {
    for index in 0..<perRound {
        _ = ExpressionChecker.check(typical[index % typical.count], object: .user, at: nil)
    }
}
print(String(format: "  → %.0f expressions per second on one core", Double(perRound) / expressionSeconds))

// 3. Linearity: one 10,000-character expression against 1,000 ten-character ones.
var long = "Join(\",\""
while long.count < 9_980 { long += ", [mail]" }
long += ")"
let longSeconds = measure("check one \(long.count)-character expression") {
    _ = ExpressionChecker.check(long, object: .user, at: nil)
}
let shortSeconds = measure("check 1,000 ten-character expressions") {
    for _ in 0..<1_000 { _ = ExpressionChecker.check("Not([a1])", object: nil, at: nil) }
}
print(String(format: "  → long/short ratio %.2f (linear when ≤ 1)", longSeconds / shortSeconds))

// 3b. Hostile patterns: a catastrophic pattern must cost one pass over its input, whatever the input.
let hostileValue = String(repeating: "a", count: 5_000) + "!"
let hostileParameter = Parameter(name: "customer", pattern: "(a+)+$")
_ = measure("parameter pattern (a+)+$ on a 5,001-character value") {
    _ = hostileParameter.check(value: hostileValue)
}
if let replace = ExpressionParser.parse(#"Replace([displayName], , "(a|a)*b", , "x", , )"#).expression {
    let evaluator = ExpressionEvaluator(clock: { Date(timeIntervalSince1970: 0) }, random: { _ in 0 })
    let object: [String: EvaluationValue] = ["displayName": .string(String(repeating: "a", count: 10_000))]
    _ = measure("Replace (a|a)*b over 10,000 characters (no match)") {
        _ = try? evaluator.evaluate(replace, object: object)
    }
}
if let budget = try? BoundedRegex(String(repeating: "(a|b|ab|ba)*", count: 80) + "c") {
    let input = String(repeating: "ab", count: 5_000)
    _ = measure("worst case: an 80-group pattern on 10,000 characters") {
        _ = try? budget.firstMatch(in: input)
    }
}

// 4. Validate 1,000 generated profiles.
func generatedProfile(_ index: Int) -> String {
    """
    vendor: Generated \(index)
    parameters:
      region:
        description: region
        allowed: [eu, us]
    applications:
      - name: app\(index)
        displayName: Generated \(index) ({region})
        tenantURL:
          lookup: region
          table:
            eu: https://eu.example.com/scim/\(index)
            us: https://us.example.com/scim/\(index)
        secretToken:
          env: GENERATED_TOKEN
        users:
          mode: exclusive
          attributes:
            - target: userName
              source: userPrincipalName
              matchingPrecedence: 1
            - target: active
              expression: Switch([IsSoftDeleted], , "False", "True", "True", "False")
            - target: emails[type eq "work"].value
              source: mail
            - target: name.givenName
              source: givenName
            - target: name.familyName
              source: surname
            - target: externalId
              source: objectId
        groups:
          enabled: false

    """
}
let generated = (0..<1_000).map(generatedProfile)
_ = measure("validate 1,000 generated profiles", seconds: 2) {
    for (index, text) in generated.enumerated() {
        let result = ProfileLoader.load(text: text, file: "generated-\(index).yaml")
        if let profile = result.profile { _ = ProfileValidator.validate(profile) }
    }
}

// 5. Render every bundled profile variant.
let bundled = loadBundled()
_ = measure("render every bundled profile variant") {
    for profile in bundled {
        for values in ProfileValidator.variants(of: profile, given: [:]) {
            if let resolved = profile.resolve(parameters: values).0 { _ = try? RequestRenderer.render(resolved).text }
        }
    }
}

// 6. Merge is linear in schema size: merge into a schema padded with 10× and 100× extra mappings.
if let flosum = bundled.first(where: { $0.name == "flosum" }), let app = flosum.resolve(parameters: ["region": "us"]).0?.applications.first {
    for factor in [1, 10, 100] {
        var schema = DefaultTemplateSchema.schema()
        if var rules = schema.json["synchronizationRules"]?.arrayValue, var rule = rules.first,
            var mappings = rule["objectMappings"]?.arrayValue, let extra = mappings.first
        {
            for index in 0..<(factor - 1) * 10 {
                var copy = extra
                copy["sourceObjectName"] = .string("Extra\(index)")
                copy["targetObjectName"] = .string("Extra\(index)")
                mappings.append(copy)
            }
            rule["objectMappings"] = .array(mappings)
            rules[0] = rule
            schema.json["synchronizationRules"] = .array(rules)
        }
        let size = schema.json.serialized().utf8.count
        _ = measure("merge flosum into a \(size / 1024) KiB schema", seconds: 0.5) {
            _ = try? SchemaMerge.merge(app, into: schema)
        }
    }
}

// 7. Apply against the emulator with injected latency. One application: the wall time of a fresh apply (plan
// included) and of a re-apply with no changes, in round trips of the latency. Then 50 applications, serial and
// with 8 in parallel, as `scimctl apply --parallel` runs them.
func emulatorClient(latency: Int, concurrency: Int) async throws -> (GraphEmulator, GraphClient, CurlTransport) {
    var configuration = EmulatorConfiguration()
    configuration.latencyMilliseconds = latency
    configuration.staticTokens = ["bench-token"]
    let emulator = GraphEmulator(configuration: configuration)
    let port = try await emulator.start(port: 0)
    let transport = try CurlTransport(configuration: .init(version: "bench", maximumConcurrentRequests: concurrency))
    let client = GraphClient(
        baseURL: "http://127.0.0.1:\(port)", transport: transport,
        tokens: CredentialChain(credential: StaticTokenCredential(token: "bench-token")), redactor: Redactor())
    return (emulator, client, transport)
}

func benchApplications(_ count: Int) -> [ResolvedApplication] {
    guard let flosum = bundled.first(where: { $0.name == "flosum" }),
        let template = flosum.resolve(parameters: ["region": "us"]).0?.applications.first
    else { return [] }
    return (0..<count).map { index -> ResolvedApplication in
        var copy = template
        copy.name = "flosum-\(index)"
        copy.displayName = "Flosum bench \(index)"
        // The benchmark times the whole fresh apply, creating the app; Flosum's own profile expects an existing one.
        copy.create = true
        return copy
    }
}

func benchApplier(_ client: GraphClient) -> Applier {
    Applier(
        graph: client, applicationTemplateID: GraphPaths.nonGalleryTemplateId,
        backups: SchemaBackups(directory: NSTemporaryDirectory() + "scimctl-bench-\(UUID().uuidString)"),
        tokens: SecretTokenReader(environment: ["FLOSUM_SCIM_TOKEN": "bench"]))
}

/// Fresh apply and re-apply of one application, in multiples of the injected latency.
func applyOneInRoundTrips(latency: Int) async throws -> (fresh: Double, reapply: Double) {
    let (emulator, client, _) = try await emulatorClient(latency: latency, concurrency: 3)
    defer { Task { await emulator.stop() } }
    guard let application = benchApplications(1).first else { return (0, 0) }
    let planner = Planner(graph: client)
    // A first request outside the measurement: the token and the keep-alive connection, as in a real run.
    _ = try await client.send(.get, "/servicePrincipals?$top=1", operation: "warm up")
    var start = Date()
    let (plan, live) = try await planner.plan(application)
    _ = try await benchApplier(client).apply(plan, live: live)
    let fresh = Date().timeIntervalSince(start)
    start = Date()
    let (again, _) = try await planner.plan(application)
    let reapply = Date().timeIntervalSince(start)
    guard !again.hasChanges else { return (fresh, -1) }
    let seconds = Double(latency) / 1000
    return (fresh / seconds, reapply / seconds)
}

/// CPU seconds (user + system) this process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

func applyMany(parallel: Int, latency: Int) async throws -> (seconds: Double, requests: Int, connections: Int, cpu: Double) {
    let (emulator, client, transport) = try await emulatorClient(latency: latency, concurrency: parallel * 3)
    defer { Task { await emulator.stop() } }
    let applications = benchApplications(50)
    let planner = Planner(graph: client)
    let applier = benchApplier(client)
    let start = Date()
    let cpuAtStart = cpuSeconds()
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func add() {
            let application = applications[next]
            group.addTask {
                let (plan, live) = try await planner.plan(application)
                _ = try await applier.apply(plan, live: live)
            }
            next += 1
        }
        while next < min(parallel, applications.count) { add() }
        while try await group.next() != nil {
            if next < applications.count { add() }
        }
    }
    let seconds = Date().timeIntervalSince(start)
    return (seconds, transport.statistics.requestsSent, transport.statistics.connectionsOpened, cpuSeconds() - cpuAtStart)
}

let roundTrips = try await applyOneInRoundTrips(latency: 100)
print(padded("fresh apply of one app (plan included), 100 ms latency") + String(format: " %10.2f round trips", roundTrips.fresh))
print(padded("re-apply with no changes, 100 ms latency") + String(format: " %10.2f round trips", roundTrips.reapply))
let serial = try await applyMany(parallel: 1, latency: 100)
print(padded("apply 50 apps, 100 ms latency, serial") + String(format: " %10.2f s  %d requests, %d connections, %.1f s CPU (client and emulator)", serial.seconds, serial.requests, serial.connections, serial.cpu))
let parallel = try await applyMany(parallel: 8, latency: 100)
print(padded("apply 50 apps, 100 ms latency, --parallel 8") + String(format: " %10.2f s  %d requests, %d connections, %.1f s CPU (client and emulator)", parallel.seconds, parallel.requests, parallel.connections, parallel.cpu))
print(String(format: "  → speed-up %.1f×", serial.seconds / max(parallel.seconds, 0.001)))

// 8. `scimctl probe`: wall time in round trips of injected latency. Independent reads run concurrently, so a
// vendor that lists every schema costs one round trip, and one that lists only core schemas costs two.
func probeVendorSchemas() -> [String: [String: [JSONValue]]] {
    // Every target the template defines, as a vendor would declare it: one schema per URN, complex attributes
    // with their sub-attributes (and `type` for the filter form).
    var schemas: [String: [String: [JSONValue]]] = [:]
    for kind in ObjectKind.allCases {
        let core = kind == .user ? SCIMSchemaURN.user : SCIMSchemaURN.group
        for attribute in SCIMTemplate.targetAttributes(for: kind) where !attribute.anchor {
            guard let path = TargetPath(attribute.name) else { continue }
            var subs = schemas[path.schemaURN ?? core, default: [:]][path.attribute, default: []]
            if let filter = path.filter { subs.append(["name": .string(filter.attribute)]) }
            if let sub = path.subAttribute { subs.append(["name": .string(sub)]) }
            schemas[path.schemaURN ?? core, default: [:]][path.attribute] = subs
        }
    }
    return schemas
}

func probeTransport(latency: Duration, listsExtensions: Bool) -> InMemoryTransport {
    let schemas = probeVendorSchemas()
    @Sendable func schemaJSON(_ id: String) -> JSONValue {
        let attributes = (schemas[id] ?? [:]).sorted { $0.key < $1.key }.map { name, subs -> JSONValue in
            subs.isEmpty
                ? ["name": .string(name), "type": "string", "uniqueness": "server"]
                : ["name": .string(name), "type": "complex", "subAttributes": .array(subs)]
        }
        return ["id": .string(id), "attributes": .array(attributes)]
    }
    let listed = schemas.keys.sorted().filter { listsExtensions || $0 == SCIMSchemaURN.user || $0 == SCIMSchemaURN.group }
    return InMemoryTransport { request in
        try await Task.sleep(for: latency)
        let path = String(request.url.dropFirst("https://vendor.example/scim".count))
        let body: JSONValue
        switch path.split(separator: "?").first.map(String.init) ?? path {
        case "/ServiceProviderConfig": body = ["patch": ["supported": true], "filter": ["supported": true]]
        case "/Schemas": body = ["Resources": .array(listed.map(schemaJSON))]
        case "/ResourceTypes":
            body = [
                "Resources": [
                    ["name": "User", "endpoint": "/Users", "schema": .string(SCIMSchemaURN.user),
                     "schemaExtensions": [["schema": .string(SCIMSchemaURN.enterpriseUser), "required": false]]],
                    ["name": "Group", "endpoint": "/Groups", "schema": .string(SCIMSchemaURN.group)],
                ]
            ]
        case "/Users", "/Groups": body = ["totalResults": 0, "Resources": []]
        case let other where other.hasPrefix("/Schemas/"):
            body = schemaJSON(String(other.dropFirst("/Schemas/".count)).removingPercentEncoding ?? "")
        default: return HTTPResponse(status: 404)
        }
        return HTTPResponse(status: 200, body: Array(body.serialized().utf8))
    }
}

let probeLatency = 20.0
if let totalmobile = bundled.first(where: { $0.name == "totalmobile" })?.resolve(parameters: ["customer": "bench"]).0?.applications.first {
    for listsExtensions in [true, false] {
        let transport = probeTransport(latency: .milliseconds(Int(probeLatency)), listsExtensions: listsExtensions)
        let prober = SCIMProbe(transport: transport, redactor: Redactor())
        var samples: [Double] = []
        var report: SCIMProbeReport?
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            report = await prober.probe(totalmobile, tenantURL: "https://vendor.example/scim", token: SecretValue("bench"))
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        let median = samples[samples.count / 2]
        let requests = transport.requests.count / 20
        let label = listsExtensions ? "probe totalmobile, /Schemas lists every schema" : "probe totalmobile, extension read from /Schemas/{id}"
        print(padded(label) + String(
            format: " median %10.1f ms  = %.2f round trips of %.0f ms  (%d requests, %d targets, %d errors)", median,
            median / probeLatency, probeLatency, requests, report?.targets.count ?? 0, report?.diagnostics.errorCount ?? 0))
    }
}

// 9. A credential file is refused from its size, before any byte is read: a 200 MB (sparse) certificate file.
let hugeDirectory = NSTemporaryDirectory() + "scimctl-bench-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: hugeDirectory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: hugeDirectory) }
let hugePath = hugeDirectory + "/huge.pem"
FileManager.default.createFile(atPath: hugePath, contents: nil)
let hugeFile = try FileHandle(forWritingTo: URL(fileURLWithPath: hugePath))
try hugeFile.truncate(atOffset: 200 << 20)
try hugeFile.close()
var hugeRefusals = 0
_ = measure("refuse a 200 MB certificate file") {
    do {
        _ = try CredentialChain(
            environment: ["AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_CERTIFICATE_PATH": hugePath],
            transport: InMemoryTransport(script: []), redactor: Redactor())
    } catch {
        hugeRefusals += 1
    }
}
if hugeRefusals == 0 { print("  → not refused: the size limit is broken") }

// 10. simulate: 100,000 generated users × 20 mappings through the emulator, against paging the same users alone.
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

/// CPU seconds the calling thread has used; the page loop does not suspend, so it stays on one thread.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func simulateDirectory(users: Int, latency: Int, rounds: Int) async throws {
    var configuration = EmulatorConfiguration()
    configuration.staticTokens = ["bench-token"]
    configuration.latencyMilliseconds = latency
    var tenant = TenantState()
    tenant.users = []
    let emulator = GraphEmulator(configuration: configuration, initialState: tenant)
    await emulator.engine.setDirectory(EmulatedDirectory(generatedUsers: users, seed: 1))
    let port = try await emulator.start(port: 0)
    defer { Task { await emulator.stop() } }
    let transport = try CurlTransport(configuration: .init(version: "bench", maximumConcurrentRequests: 2))
    let client = GraphClient(
        baseURL: "http://127.0.0.1:\(port)", transport: transport,
        tokens: CredentialChain(credential: StaticTokenCredential(token: "bench-token")), redactor: Redactor())
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
    let mappings: [AttributeMapping] = [
        AttributeMapping(target: "userName", source: .attribute("userPrincipalName"), matchingPrecedence: 1),
        AttributeMapping(target: "active", source: .expression("Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")")),
        AttributeMapping(target: "displayName", source: .attribute("displayName")),
        AttributeMapping(target: "title", source: .attribute("jobTitle")),
        AttributeMapping(target: "emails[type eq \"work\"].value", source: .attribute("mail")),
        AttributeMapping(target: "name.givenName", source: .attribute("givenName")),
        AttributeMapping(target: "name.familyName", source: .attribute("surname")),
        AttributeMapping(target: "name.formatted", source: .expression("Join(\" \", [givenName], [surname])")),
        AttributeMapping(target: "nickName", source: .expression("ToLower([givenName], )")),
        AttributeMapping(target: "addresses[type eq \"work\"].locality", source: .attribute("city")),
        AttributeMapping(target: "addresses[type eq \"work\"].country", source: .attribute("country")),
        AttributeMapping(target: "addresses[type eq \"work\"].formatted", source: .attribute("physicalDeliveryOfficeName")),
        AttributeMapping(target: "phoneNumbers[type eq \"work\"].value", source: .attribute("telephoneNumber")),
        AttributeMapping(target: "phoneNumbers[type eq \"mobile\"].value", source: .attribute("mobile")),
        AttributeMapping(target: "externalId", source: .attribute("mailNickname")),
        AttributeMapping(target: "preferredLanguage", source: .attribute("preferredLanguage")),
        AttributeMapping(target: enterprise + "employeeNumber", source: .attribute("employeeId")),
        AttributeMapping(target: enterprise + "department", source: .attribute("department")),
        AttributeMapping(target: enterprise + "costCenter", source: .attribute("extensionAttribute1")),
        AttributeMapping(target: enterprise + "manager", source: .attribute("manager")),
    ]
    let profile = Profile(
        name: "bench", vendor: "Bench",
        applications: [
            Application(
                name: "bench", displayName: "Bench", tenantURL: .template("https://scim.example.com", location: nil),
                secretToken: .none, scope: .all, users: ObjectMapping(kind: .user, mode: .exclusive, mappings: mappings),
                groups: ObjectMapping(kind: .group, enabled: false))
        ],
        rules: VendorRules(valueFormats: [ValueFormatRule(target: "phoneNumbers[type eq \"mobile\"].value", format: .internationalDigits)]))
    guard let application = profile.resolve(parameters: [:]).0?.applications.first else { return }
    let reader = DirectoryReader(graph: client)
    let sources = UserSourceMap(
        sourceAttributes: DirectorySimulation(application, rules: profile.rules).mappings.sourceAttributes,
        acceptsProvisioningNames: false)

    func pageOnly() async throws -> (seconds: Double, users: Int) {
        let start = Date()
        var count = 0
        try await reader.forEachPage(sources.usersPath, operation: "list users") { page in count += page.count }
        return (Date().timeIntervalSince(start), count)
    }
    func simulate() async throws -> (seconds: Double, evaluation: Double, report: SimulationReport) {
        let start = Date()
        var evaluation = 0.0
        var simulation = DirectorySimulation(application, rules: profile.rules)
        try await reader.forEachPage(sources.usersPath, operation: "list users") { page in
            let begin = threadCPUSeconds()
            for object in page { if let user = sources.user(from: object) { simulation.add(user) } }
            evaluation += threadCPUSeconds() - begin
        }
        return (Date().timeIntervalSince(start), evaluation, simulation.report())
    }
    _ = try await pageOnly()  // warm up the emulator and the connection
    var pagingTimes: [Double] = []
    var simulateTimes: [Double] = []
    var last: (seconds: Double, evaluation: Double, report: SimulationReport)?
    for _ in 0..<rounds {
        pagingTimes.append(try await pageOnly().seconds)
        let memoryBefore = peakResidentMiB()
        let run = try await simulate()
        simulateTimes.append(run.seconds)
        last = run
        if simulateTimes.count == 1 && latency == 0 {
            print(padded("  peak resident memory before / after the first simulation") + String(format: " %10.0f MiB / %.0f MiB", memoryBefore, peakResidentMiB()))
        }
    }
    let paging = pagingTimes.sorted()[rounds / 2]
    let simulated = simulateTimes.sorted()[rounds / 2]
    let setting = latency == 0 ? "" : ", \(latency) ms per page"
    print(padded("page \(users.formatted()) users ($top=999\(setting))") + String(format: " median %10.2f s", paging))
    print(padded("simulate \(users.formatted()) users × \(mappings.count) mappings\(setting)") + String(format: " median %10.2f s", simulated))
    if let last {
        print(String(format: "  → ratio %.2f (goal ≤ 1.3); evaluation alone %.2f s CPU; %d users, %d failing", simulated / paging, last.evaluation, last.report.users, last.report.failing))
    }
}

// The local emulator answers at once and shares the 2 cores with the client, so nothing is left to overlap;
// Graph takes a while per page, which the prefetch hides.
try await simulateDirectory(users: 100_000, latency: 0, rounds: 3)
try await simulateDirectory(users: 100_000, latency: 100, rounds: 1)
