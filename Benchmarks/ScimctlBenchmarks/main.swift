// `make bench`: the speed goals of scimctl, measured. Run in release mode; numbers go to BENCHMARKS.md.
// A small harness rather than a benchmark framework, so the test build stays lean.
import Diagnostics
import Expressions
import Foundation
import GraphEmulator
import GraphHTTP
import GraphSync
import Profiles
import Provisioning

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
            if let resolved = profile.resolve(parameters: values).0 { _ = RequestRenderer.render(resolved).text }
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

// 7. Apply 50 applications against the emulator with 20 ms latency, serial and with 8 in parallel.
func applyMany(parallel: Int) async throws -> (seconds: Double, requests: Int, connections: Int) {
    var configuration = EmulatorConfiguration()
    configuration.latencyMilliseconds = 20
    configuration.staticTokens = ["bench-token"]
    let emulator = GraphEmulator(configuration: configuration)
    let port = try await emulator.start(port: 0)
    defer { Task { await emulator.stop() } }
    let transport = try CurlTransport(configuration: .init(version: "bench", maximumConcurrentRequests: parallel))
    let client = GraphClient(
        baseURL: "http://127.0.0.1:\(port)", transport: transport,
        tokens: CredentialChain(credential: StaticTokenCredential(token: "bench-token")), redactor: Redactor())
    guard let flosum = bundled.first(where: { $0.name == "flosum" }),
        let template = flosum.resolve(parameters: ["region": "us"]).0?.applications.first
    else { return (0, 0, 0) }
    let applications = (0..<50).map { index -> ResolvedApplication in
        var copy = template
        copy.name = "flosum-\(index)"
        copy.displayName = "Flosum bench \(index)"
        return copy
    }
    let planner = Planner(graph: client)
    let applier = Applier(
        graph: client, applicationTemplateID: GraphPaths.nonGalleryTemplateId,
        backups: SchemaBackups(directory: NSTemporaryDirectory() + "scimctl-bench-\(UUID().uuidString)"),
        tokens: SecretTokenReader(environment: ["FLOSUM_SCIM_TOKEN": "bench"]))
    let start = Date()
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
    return (seconds, transport.statistics.requestsSent, transport.statistics.connectionsOpened)
}

let serial = try await applyMany(parallel: 1)
print(padded("apply 50 apps, 20 ms latency, serial") + String(format: " %10.2f s  %d requests, %d connections", serial.seconds, serial.requests, serial.connections))
let parallel = try await applyMany(parallel: 8)
print(padded("apply 50 apps, 20 ms latency, --parallel 8") + String(format: " %10.2f s  %d requests, %d connections", parallel.seconds, parallel.requests, parallel.connections))
print(String(format: "  → speed-up %.1f×", serial.seconds / max(parallel.seconds, 0.001)))
