import Foundation
import TestSupport
import Testing

/// What the tenant would send for one profile variant, read from `scimctl render profile` (the schema PUT after
/// merge with the template), so the stand-in is built from the real request and not from the probe's own logic.
struct RenderedApplication {
    var tenantURL: String
    var tokenVariable: String?
    var userTargets: [String]
    var groupTargets: [String]
    var groupsEnabled: Bool

    /// The tenant URL's path: the stand-in serves there, so a variant's path is probed as the profile writes it.
    var tenantPath: String {
        var path = URLComponents(string: tenantURL)?.path ?? "/scim"
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    static func render(_ profile: String, parameters: [String], application: String?) async throws -> RenderedApplication {
        var arguments = ["render", "profile", profile] + parameters.flatMap { ["--param", $0] }
        if let application { arguments += ["--app", application] }
        let rendered = try await Scimctl.run(arguments)
        try #require(rendered.status == 0, "\(rendered.stderr)")
        let document = try jsonObject(rendered.stdout)
        let applications = try #require(document["applications"] as? [[String: Any]])
        try #require(applications.count == 1, "pick one application")
        let requests = try #require(applications[0]["requests"] as? [[String: Any]])
        var result = RenderedApplication(tenantURL: "", userTargets: [], groupTargets: [], groupsEnabled: false)
        for request in requests {
            let path = request["path"] as? String ?? ""
            let body = request["body"] as? [String: Any] ?? [:]
            if path.hasSuffix("/secrets") {
                for pair in body["value"] as? [[String: String]] ?? [] {
                    if pair["key"] == "BaseAddress" { result.tenantURL = pair["value"] ?? "" }
                    if pair["key"] == "SecretToken", let value = pair["value"], value.hasPrefix("<from env ") {
                        result.tokenVariable = String(value.dropFirst("<from env ".count).dropLast())
                    }
                }
            }
            if path.hasSuffix("/schema") {
                for rule in body["synchronizationRules"] as? [[String: Any]] ?? [] {
                    for mapping in rule["objectMappings"] as? [[String: Any]] ?? [] {
                        guard mapping["enabled"] as? Bool ?? true else { continue }
                        let targets = (mapping["attributeMappings"] as? [[String: Any]] ?? []).compactMap {
                            $0["targetAttributeName"] as? String
                        }
                        switch mapping["targetObjectName"] as? String {
                        case "User": result.userTargets = targets
                        case "Group":
                            result.groupTargets = targets
                            result.groupsEnabled = true
                        default: break
                        }
                    }
                }
            }
        }
        try #require(!result.tenantURL.isEmpty && !result.userTargets.isEmpty)
        return result
    }
}

/// One bundled profile variant: parameters and, for multi-application profiles, the application.
struct ProbeVariant: CustomTestStringConvertible, Sendable {
    var profile: String
    var parameters: [String]
    var application: String?
    var testDescription: String { ([profile] + parameters + (application.map { ["--app", $0] } ?? [])).joined(separator: " ") }
}

/// Every bundled profile, and every parameter value that changes its tenant URL.
let probeVariants: [ProbeVariant] =
    ["us", "de", "jp", "au"].map { ProbeVariant(profile: "flosum", parameters: ["region=\($0)"]) }
    + ["test", "production"].flatMap { environment in
        ["advisors", "rooms"].map {
            ProbeVariant(profile: "andmoney", parameters: ["environment=\(environment)"], application: $0)
        }
    } + [
        ProbeVariant(profile: "eptura", parameters: ["domain=scim.example.eptura.com"]),
        ProbeVariant(profile: "telemessage", parameters: ["manager=Example Manager"]),
        ProbeVariant(profile: "totalmobile", parameters: ["customer=TestCustomer"]),
    ]

let probeToken = "probe-canary-token-7f3a91"

/// Runs `scimctl probe` against a stand-in; every token variable a bundled profile reads is set.
func runProbe(_ arguments: [String], token: String = probeToken) async throws -> ProcessResult {
    let variables = [
        "FLOSUM_SCIM_TOKEN", "ANDMONEY_ADVISORS_SCIM_TOKEN", "ANDMONEY_ROOMS_SCIM_TOKEN", "EPTURA_SCIM_TOKEN",
        "TOTALMOBILE_SCIM_TOKEN", "EXAMPLE_TOKEN",
    ]
    return try await Scimctl.run(["probe"] + arguments, environment: Dictionary(uniqueKeysWithValues: variables.map { ($0, token) }))
}

/// A small profile for the stand-in scenarios: the `nickName` target is on line 14, column 19
/// (`name.givenName` on line 16).
let probeProfile = """
    vendor: Example
    applications:
      - name: example
        displayName: Example
        tenantURL: https://scim.example.com/scim
        secretToken:
          env: EXAMPLE_TOKEN
        users:
          mode: exclusive
          attributes:
            - target: userName
              source: userPrincipalName
              matchingPrecedence: 1
            - target: nickName
              source: mailNickname
            - target: name.givenName
              source: givenName
        groups:
          enabled: false

    """

/// A vendor that declares exactly what `probeProfile` sends.
func exampleVendor() -> ScimVendor {
    ScimVendor(token: probeToken, userTargets: ["userName", "nickName", "name.givenName"], groups: false, required: ["userName"])
}

@Suite("scimctl probe against a loopback SCIM stand-in", .serialized)
struct ProbeCommandTests {
    @Test("every bundled profile variant is probed", arguments: probeVariants)
    func bundledProfile(_ variant: ProbeVariant) async throws {
        let rendered = try await RenderedApplication.render(variant.profile, parameters: variant.parameters, application: variant.application)
        var vendor = ScimVendor(
            token: rendered.tokenVariable == nil ? nil : probeToken, basePath: rendered.tenantPath,
            userTargets: rendered.userTargets, groupTargets: rendered.groupTargets, groups: rendered.groupsEnabled,
            required: ["userName"])
        var arguments = [variant.profile] + variant.parameters.flatMap { ["--param", $0] }
        if let application = variant.application { arguments += ["--app", application] }

        // A vendor that declares exactly the targets: exit 0.
        let (passed, seen) = try await withScimStandIn(vendor) { complete in
            (try await runProbe(arguments + ["--tenant-url", complete.url]), complete.requests)
        }
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
        #expect(passed.stdout.contains("0 errors"))
        let userCount = rendered.userTargets.count
        #expect(passed.stdout.contains("User: \(userCount) of \(userCount) targets map onto the vendor's schema"))
        #expect(seen.allSatisfy { $0.method == "GET" }, "the probe only reads")
        #expect(seen.contains { $0.target.hasPrefix(rendered.tenantPath + "/Users?filter=userName%20eq%20%22") })
        #expect(seen.contains { $0.target.hasPrefix(rendered.tenantPath + "/Groups?filter=") } == rendered.groupsEnabled)
        if rendered.tokenVariable != nil {
            #expect(seen.allSatisfy { $0.authorization == "Bearer \(probeToken)" })
        } else {
            #expect(seen.allSatisfy { $0.authorization == nil }, "a profile without a token sends none")
        }
        #expect(!passed.stdout.contains(probeToken) && !passed.stderr.contains(probeToken))

        // The same vendor without one of the targets: exit 1, the target named.
        let dropped = try #require(rendered.userTargets.last { $0 != "userName" })
        vendor.userTargets.removeAll { $0 == dropped }
        let failed = try await withScimStandIn(vendor) { lacking in
            try await runProbe(arguments + ["--tenant-url", lacking.url])
        }
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("error: the vendor does not declare '\(dropped)' [probe.unknown-target]"), "\(failed.stdout)")
    }

    @Test func everyBundledProfileHasAVariant() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repository.root.appendingPathComponent("Profiles").path)
        let bundled = Set(files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        #expect(Set(probeVariants.map(\.profile)) == bundled)
    }

    @Test func missingAttributePointsAtTheMappingLine() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        var vendor = exampleVendor()
        vendor.userTargets = ["userName", "nickname2", "name.givenName"]
        try await withScimStandIn(vendor) { standIn in
            let result = try await runProbe([file.path, "--tenant-url", standIn.url])
            #expect(result.status == 1)
            #expect(result.stdout.contains("\(file.path):14:19: error: the vendor does not declare 'nickName' [probe.unknown-target]"), "\(result.stdout)")
            #expect(result.stdout.contains("hint: did you mean 'nickname2'?"))
            #expect(result.stdout.contains("✗ nickName"))
        }
    }

    @Test func readOnlyAndImmutableTargets() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        var vendor = exampleVendor()
        vendor.readOnly = ["nickName"]
        vendor.immutable = ["name.givenName"]
        try await withScimStandIn(vendor) { standIn in
            let result = try await runProbe([file.path, "--tenant-url", standIn.url, "--format", "json"])
            #expect(result.status == 1)
            let document = try jsonObject(result.stdout)
            let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
            #expect(diagnostics.contains { $0["id"] as? String == "probe.read-only-target" && $0["line"] as? Int == 14 })
            #expect(diagnostics.contains { $0["id"] as? String == "probe.immutable-target" && $0["line"] as? Int == 16 })
            let application = try #require((document["applications"] as? [[String: Any]])?.first)
            let targets = try #require(application["targets"] as? [[String: Any]])
            let statuses = Dictionary(uniqueKeysWithValues: targets.map { ($0["target"] as? String ?? "", $0["status"] as? String ?? "") })
            #expect(statuses == ["userName": "mapped", "nickName": "read-only", "name.givenName": "immutable"])
            #expect(targets.first?["vendorAttribute"] as? String == "urn:ietf:params:scim:schemas:core:2.0:User:userName")
        }
    }

    @Test func immutableTargetAppliedOnCreateOnlyPasses() async throws {
        let directory = try TemporaryDirectory()
        let profile = probeProfile.replacingOccurrences(
            of: "source: givenName", with: "source: givenName\n          apply: on-create")
        let file = try directory.write("example.yaml", profile)
        var vendor = exampleVendor()
        vendor.immutable = ["name.givenName"]
        try await withScimStandIn(vendor) { standIn in
            let result = try await runProbe([file.path, "--tenant-url", standIn.url])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }
    }

    @Test func requiredVendorAttributeNothingMaps() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        var vendor = exampleVendor()
        vendor.userTargets.append("title")
        vendor.required.insert("title")
        try await withScimStandIn(vendor) { standIn in
            let result = try await runProbe([file.path, "--tenant-url", standIn.url])
            #expect(result.status == 1)
            #expect(result.stdout.contains("the vendor requires 'title' on every user, but no mapping sends it [probe.required-unmapped]"))
        }
    }

    @Test func noSchemasIsAWarningUnlessStrict() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        var vendor = exampleVendor()
        vendor.publishesSchemas = false
        try await withScimStandIn(vendor) { standIn in
            let lenient = try await runProbe([file.path, "--tenant-url", standIn.url])
            #expect(lenient.status == 0, "\(lenient.stdout)")
            #expect(lenient.stdout.contains("[probe.no-schemas]"))
            #expect(lenient.stdout.contains("warning: the vendor publishes no usable /Schemas"))
            let strict = try await runProbe([file.path, "--tenant-url", standIn.url, "--strict"])
            #expect(strict.status == 1)
        }
    }

    @Test func wrongTokenIsRefusedAndNeverShown() async throws {
        try await withScimStandIn(exampleVendor()) { standIn in
            let directory = try TemporaryDirectory()
            let file = try directory.write("example.yaml", probeProfile)
            let wrong = "wrong-canary-token-55c2e0"
            let result = try await runProbe([file.path, "--tenant-url", standIn.url], token: wrong)
            #expect(result.status == 1)
            #expect(result.stdout.contains("the vendor refused the secret token: GET /Users?filter=userName eq"))
            #expect(result.stdout.contains("[probe.token-refused]"))
            #expect(!result.stdout.contains(wrong) && !result.stderr.contains(wrong))
            let json = try await runProbe([file.path, "--tenant-url", standIn.url, "--format", "json"], token: wrong)
            #expect(!json.stdout.contains(wrong))
        }
    }

    @Test func wrongPathAsksWhetherTheTenantURLIsRight() async throws {
        try await withScimStandIn(exampleVendor()) { standIn in
            let directory = try TemporaryDirectory()
            let file = try directory.write("example.yaml", probeProfile)
            let result = try await runProbe([file.path, "--tenant-url", "http://127.0.0.1:\(standIn.port)/scim/v2"])
            #expect(result.status == 1)
            #expect(result.stdout.contains("answered 404: is the tenant URL right? [probe.wrong-path]"), "\(result.stdout)")
        }
    }

    @Test func extensionSchemasMissingFromTheListAreReadOneByOne() async throws {
        let rendered = try await RenderedApplication.render("totalmobile", parameters: ["customer=x"], application: nil)
        #expect(rendered.userTargets.contains { $0.hasPrefix("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:") })
        let vendor = ScimVendor(
            token: probeToken, basePath: rendered.tenantPath, userTargets: rendered.userTargets,
            groupTargets: rendered.groupTargets, groups: rendered.groupsEnabled, listsExtensions: false)
        try await withScimStandIn(vendor) { standIn in
            let result = try await runProbe(["totalmobile", "--param", "customer=x", "--tenant-url", standIn.url, "--format", "json"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let application = try #require((try jsonObject(result.stdout)["applications"] as? [[String: Any]])?.first)
            #expect(application["rounds"] as? Int == 2)
            #expect(standIn.requests.contains {
                $0.target == rendered.tenantPath + "/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
            })
        }
    }

    @Test func unsupportedPatchFilterAndIgnoredFilter() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        var vendor = exampleVendor()
        vendor.patch = false
        vendor.filter = false
        vendor.ignoresFilter = true
        try await withScimStandIn(vendor) { standIn in
            let result = try await runProbe([file.path, "--tenant-url", standIn.url])
            #expect(result.status == 1)
            #expect(result.stdout.contains("[probe.patch-unsupported]"))
            #expect(result.stdout.contains("[probe.filter-unsupported]"))
            #expect(result.stdout.contains("the vendor ignores the filter [probe.filter-ignored]"))
        }
    }

    @Test func matchingOnANonUniqueAttributeWarns() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        var vendor = exampleVendor()
        vendor.unique = []
        try await withScimStandIn(vendor) { standIn in
            let result = try await runProbe([file.path, "--tenant-url", standIn.url])
            #expect(result.status == 0)
            #expect(result.stdout.contains("warning: 'userName' matches existing users, but the vendor does not declare it unique"))
            #expect(try await runProbe([file.path, "--tenant-url", standIn.url, "--strict"]).status == 1)
        }
    }

    @Test func timeoutTLSAndRefusedConnection() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        var silentVendor = exampleVendor()
        silentVendor.silent = true
        let timedOut = try await withScimStandIn(silentVendor) { silent in
            try await runProbe([file.path, "--tenant-url", silent.url, "--timeout", "1"])
        }
        #expect(timedOut.status == 1)
        #expect(timedOut.stdout.contains("got no answer in time [probe.timeout]"), "\(timedOut.stdout)")

        // https to a plain-http listener: the TLS handshake fails.
        let tls = try await withScimStandIn(exampleVendor()) { plain in
            try await runProbe([file.path, "--tenant-url", "https://127.0.0.1:\(plain.port)/scim", "--timeout", "5"])
        }
        #expect(tls.status == 1)
        #expect(tls.stdout.contains("[probe.tls]"), "\(tls.stdout)")
        #expect(tls.stdout.contains("--cacert"))

        // A port nobody listens on.
        // A stand-in that has been stopped: its port is closed once withScimStandIn returns.
        let port = try await withScimStandIn(exampleVendor()) { closed in closed.port }
        #expect(!loopbackPortAcceptsConnections(Int(port)))
        let refused = try await runProbe([file.path, "--tenant-url", "http://127.0.0.1:\(port)/scim"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("[probe.connection-failed]"), "\(refused.stdout)")
    }

    @Test func missingTokenIsAFindingAndNothingIsSent() async throws {
        try await withScimStandIn(exampleVendor()) { standIn in
            let result = try await Scimctl.run(["probe", "flosum", "--param", "region=us", "--tenant-url", standIn.url])
            #expect(result.status == 1)
            #expect(result.stdout.contains("FLOSUM_SCIM_TOKEN, which is not set [probe.missing-token]"), "\(result.stdout)")
            #expect(standIn.requests.isEmpty)
        }
    }

    @Test func usageErrors() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", probeProfile)
        let insecure = try await runProbe([file.path, "--tenant-url", "http://scim.example.com/scim"])
        #expect(insecure.status == 64)
        #expect(insecure.stderr.contains("refusing plain http"))
        let twoApplications = try await runProbe(["andmoney", "--param", "environment=test", "--tenant-url", "http://127.0.0.1:9/scim"])
        #expect(twoApplications.status == 64)
        #expect(twoApplications.stderr.contains("choose one with --app"))
        #expect(try await runProbe([file.path, "--format", "xml"]).status == 64)
        #expect(try await runProbe([file.path, "--cacert", directory.url.appendingPathComponent("none.pem").path]).status == 64)
        #expect(try await runProbe([file.path, "--app", "nope"]).status == 64)
    }

    @Test func applyWithProbeStopsBeforeWriting() async throws {
        let directory = try TemporaryDirectory()
        try await withScimStandIn(exampleVendor()) { plain in
            // Profiles must say https; against a plain-http stand-in that is a TLS failure, so the gate must close.
            let profile = probeProfile.replacingOccurrences(
                of: "https://scim.example.com/scim", with: "https://127.0.0.1:\(plain.port)/scim")
            let file = try directory.write("example.yaml", profile)
            try await withRunningEmulator(directory: directory) { emulator in
                let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "EXAMPLE_TOKEN": probeToken]
                let applied = try await Scimctl.run(
                    ["apply", "profile", file.path, "--probe", "--yes", "--graph-url", emulator.url], environment: environment)
                #expect(applied.status == 1)
                #expect(applied.stderr.contains("[probe.tls]"), "\(applied.stderr)")
                #expect(applied.stderr.contains("failed the probe; nothing was written"))
                // Nothing was written: a plan still wants to create the application.
                let plan = try await Scimctl.run(
                    ["plan", "profile", file.path, "--graph-url", emulator.url, "--detailed-exitcode"], environment: environment)
                #expect(plan.status == 2)
                #expect(plan.stdout.contains("+ create enterprise application"))
            }
        }
    }
}
