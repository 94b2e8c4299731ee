import Diagnostics
import Foundation
import GraphHTTP
import ProfileTranslation
import Provisioning
import Testing
import VendorProfiles

/// A vendor answered from a table of paths, in memory; counts how many requests were in flight at once.
final class TableVendor: @unchecked Sendable {
    private let lock = NSLock()
    private var inFlight = 0
    private(set) var peakInFlight = 0
    let answers: [String: (Int, String)]
    let latency: Duration

    init(_ answers: [String: (Int, String)], latency: Duration = .milliseconds(30)) {
        self.answers = answers
        self.latency = latency
    }

    lazy var transport = InMemoryTransport { [unowned self] request in
        lock.withLock {
            inFlight += 1
            peakInFlight = max(peakInFlight, inFlight)
        }
        try? await Task.sleep(for: latency)
        lock.withLock { inFlight -= 1 }
        let path = String(request.url.dropFirst("https://vendor.example/scim".count))
        let key = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        let (status, body) = answers[key] ?? (404, "")
        return HTTPResponse(status: status, headers: ["Content-Type": "application/scim+json"], body: Array(body.utf8))
    }
}

let coreUserSchema = """
    {"id":"urn:ietf:params:scim:schemas:core:2.0:User","attributes":[
      {"name":"userName","type":"string","required":true,"uniqueness":"server","mutability":"readWrite"},
      {"name":"active","type":"boolean"},
      {"name":"displayName","type":"string"},
      {"name":"title","type":"string"},
      {"name":"externalId","type":"string"},
      {"name":"emails","type":"complex","multiValued":true,"subAttributes":[
        {"name":"value","type":"string"},{"name":"type","type":"string","canonicalValues":["work","home"]}]},
      {"name":"name","type":"complex","subAttributes":[{"name":"givenName"},{"name":"familyName"}]},
      {"name":"employeeNumber","type":"string"}
    ]}
    """

let emptyList = #"{"totalResults":0,"Resources":[]}"#

func flosumApplication() throws -> ResolvedApplication {
    try #require(try bundledProfile("flosum", ["region": "us"]).applications.first)
}

func probe(_ vendor: TableVendor, _ application: ResolvedApplication, token: String? = "vendor-token-abcdef")
    async -> SCIMProbeReport
{
    let prober = SCIMProbe(transport: vendor.transport, redactor: Redactor(), makeRandomName: { "random-name" })
    return await prober.probe(application, tenantURL: "https://vendor.example/scim", token: token.map(SecretValue.init))
}

@Suite struct SCIMProbeTests {
    @Test func independentReadsRunConcurrentlyInOneRound() async throws {
        let vendor = TableVendor([
            "/ServiceProviderConfig": (200, #"{"patch":{"supported":true},"filter":{"supported":true}}"#),
            "/Schemas": (200, "{\"Resources\":[\(coreUserSchema)]}"),
            "/ResourceTypes": (200, #"{"Resources":[{"name":"User","endpoint":"/Users","schema":"urn:ietf:params:scim:schemas:core:2.0:User"}]}"#),
            "/Users": (200, emptyList),
        ])
        let report = await probe(vendor, try flosumApplication())
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.rounds == 1)
        #expect(vendor.peakInFlight == 4, "all four reads should be in flight together")
        #expect(report.targets.allSatisfy { $0.status == .mapped })
        #expect(report.targets.first { $0.target == "emails[type eq \"work\"].value" }?.vendorAttribute
            == "urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].value")
        let query = vendor.transport.requests.first { $0.url.contains("/Users") }
        #expect(query?.url == "https://vendor.example/scim/Users?filter=userName%20eq%20%22random-name%22")
        #expect(query?.headers["Authorization"] == "Bearer vendor-token-abcdef")
        #expect(vendor.transport.requests.allSatisfy { $0.method == .get })
    }

    @Test func aPolicyDropsDisabledFindingsAndOverridesSeverities() async throws {
        // No /Schemas: the probe warns that it could not check the targets.
        let vendor = TableVendor(["/ServiceProviderConfig": (200, "{}"), "/Users": (200, emptyList)])
        let report = await probe(vendor, try flosumApplication())
        let ids = Set(report.diagnostics.map(\.id))
        let first = try #require(report.diagnostics.first)
        var disabling = DiagnosticPolicy()
        try disabling.disable(first.id.rawValue)
        #expect(!report.applying(disabling).diagnostics.contains { $0.id == first.id })
        #expect(Set(report.applying(disabling).diagnostics.map(\.id)) == ids.subtracting([first.id]))
        #expect(report.applying(DiagnosticPolicy()).diagnostics == report.diagnostics)
        var raising = DiagnosticPolicy()
        try raising.setSeverity(.error, for: first.id.rawValue)
        #expect(report.applying(raising).diagnostics.filter { $0.id == first.id }.allSatisfy { $0.severity == .error })
    }

    @Test func targetPathsSplitIntoSchemaAttributeFilterAndSubAttribute() throws {
        let enterprise = try #require(TargetPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"))
        #expect(enterprise.schemaURN == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        #expect(enterprise.attribute == "employeeNumber")
        let email = try #require(TargetPath(#"emails[type eq "work"].value"#))
        #expect(email.attribute == "emails" && email.filter?.attribute == "type" && email.filter?.value == "work")
        #expect(email.subAttribute == "value" && email.schemaURN == nil)
        let name = try #require(TargetPath("name.givenName"))
        #expect(name.attribute == "name" && name.subAttribute == "givenName" && name.filter == nil)
        let manager = try #require(TargetPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"))
        #expect(manager.attribute == "manager" && manager.subAttribute == "value")
        #expect(TargetPath("emails[type eq \"work\"") == nil)
        #expect(TargetPath("name.") == nil)
        #expect(TargetPath("") == nil)
    }

    @Test func templateDefaultsArePointedAtTheApplicationWithANote() async throws {
        // Totalmobile keeps the template's default user mappings (amend mode); this vendor lacks most of them.
        let application = try #require(try bundledProfile("totalmobile", ["customer": "x"]).applications.first)
        let vendor = TableVendor([
            "/Schemas": (200, "[\(coreUserSchema)]"),
            "/Users": (200, emptyList),
            "/Groups": (200, emptyList),
        ])
        let report = await probe(vendor, application)
        let missing = report.diagnostics.filter { $0.id == .probeUnknownTarget }
        let preferredLanguage = try #require(missing.first { $0.message.contains("'preferredLanguage'") })
        #expect(preferredLanguage.location == application.location)
        #expect(preferredLanguage.notes.first?.contains("template's default user mappings") == true)
        // Declared in core instead of the enterprise extension: the hint says where.
        let employeeNumber = try #require(missing.first { $0.message.contains(":employeeNumber'") })
        #expect(employeeNumber.hint == "the vendor declares it as 'employeeNumber'")
        // The mapping the profile itself declares points at its line.
        #expect(report.targets.first { $0.target == "externalId" }?.location?.line == 27)
        // No /ServiceProviderConfig: a warning, not a failure of its own.
        #expect(report.diagnostics.contains { $0.id == .probeNoServiceProviderConfig && $0.severity == .warning })
    }

    @Test func aFilterValueOutsideTheVendorsCanonicalValuesWarns() async throws {
        let text = """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://vendor.example/scim
                secretToken: none
                users:
                  mode: exclusive
                  attributes:
                    - target: userName
                      source: userPrincipalName
                      matchingPrecedence: 1
                    - target: emails[type eq "other"].value
                      source: mail
                groups:
                  enabled: false
            """
        let loaded = ProfileLoader.load(text: text, file: "example.yaml", name: "example")
        let profile = try #require(loaded.profile)
        let application = try #require(profile.resolve(parameters: [:]).0?.applications.first)
        let vendor = TableVendor(["/Schemas": (200, "{\"Resources\":[\(coreUserSchema)]}"), "/Users": (200, emptyList)])
        let report = await probe(vendor, application, token: nil)
        let warning = try #require(report.diagnostics.first { $0.id == .probeFilterValue })
        #expect(warning.location?.line == 13)
        #expect(warning.message == #"the vendor lists "work", "home" as values of emails.type, not "other""#)
        #expect(vendor.transport.requests.allSatisfy { $0.headers["Authorization"] == nil })
    }

    @Test func hostileAnswersNeverCrashAndSayWhatIsWrong() async throws {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let answers: [[String: (Int, String)]] = [
            ["/Schemas": (200, "not json"), "/Users": (200, emptyList)],
            ["/Schemas": (200, deep), "/ResourceTypes": (200, deep), "/Users": (200, emptyList)],
            ["/Schemas": (200, #"{"Resources":[{"id":5},{"attributes":"x"},null]}"#), "/Users": (200, emptyList)],
            ["/Schemas": (200, #"{"Resources":[{"id":"urn:ietf:params:scim:schemas:core:2.0:User","attributes":[{"name":7},{"subAttributes":{}}]}]}"#),
             "/Users": (200, emptyList)],
            ["/Users": (200, "<html>login</html>")],
            ["/Users": (500, #"{"detail":"boom for vendor-token-abcdef"}"#)],
        ]
        for table in answers {
            let report = await probe(TableVendor(table, latency: .zero), try flosumApplication())
            #expect(report.diagnostics.hasErrors || report.diagnostics.contains { $0.id == .probeNoSchemas })
            #expect(report.diagnostics.allSatisfy { !$0.message.contains("vendor-token-abcdef") })
        }
        let echoed = await probe(TableVendor(["/Users": (500, #"{"detail":"boom for vendor-token-abcdef"}"#)], latency: .zero), try flosumApplication())
        let failure = try #require(echoed.diagnostics.first { $0.id == .probeConnectionTest })
        #expect(failure.message == "connection test failed: GET /Users?filter=userName eq \"random-name\" answered 500 (boom for [REDACTED])")
    }

    @Test func aTokenThatCannotBeReadSendsNothing() async throws {
        let vendor = TableVendor([:])
        let prober = SCIMProbe(transport: vendor.transport, redactor: Redactor())
        let report = await prober.probe(try flosumApplication(), tokens: SecretTokenReader(environment: [:]))
        #expect(report.diagnostics.map(\.id) == [.probeMissingToken])
        #expect(report.diagnostics.first?.message == "the secret token is read from $FLOSUM_SCIM_TOKEN, which is not set")
        #expect(vendor.transport.requests.isEmpty)
    }
}

@Suite struct SCIMProbeDocumentationTests {
    @Test func everyProbeIDIsUniqueAndDocumentedInTheProbePage() throws {
        let page = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("docs/probe.md"), encoding: .utf8)
        #expect(Set(DiagnosticID.probeIDs).count == DiagnosticID.probeIDs.count)
        for id in DiagnosticID.probeIDs {
            #expect(page.contains("`\(id.rawValue)`"), "docs/probe.md's findings table lacks \(id.rawValue)")
        }
    }
}

@Suite struct SCIMProbeRedirectTests {
    @Test func aRedirectNamesWhereItPointsWithoutItsQuery() async throws {
        let transport = InMemoryTransport { _ in
            HTTPResponse(status: 301, headers: ["Location": "https://other.example/scim/v2/Users?session=abc123"])
        }
        let prober = SCIMProbe(transport: transport, redactor: Redactor(), makeRandomName: { "r" })
        let report = await prober.probe(try flosumApplication(), tenantURL: "https://vendor.example/scim", token: nil)
        let failure = try #require(report.diagnostics.first { $0.id == .probeConnectionTest })
        #expect(failure.message == "connection test failed: GET /Users?filter=userName eq \"r\" answered 301")
        #expect(failure.hint == "the vendor redirects to https://other.example/scim/v2/Users; use the address it redirects to as the tenant URL")
        // The four first-round reads and /Schemas/{id} for the core schema; no redirect is followed.
        #expect(transport.requests.count == 5)
        #expect(transport.requests.allSatisfy { $0.url.hasPrefix("https://vendor.example/scim/") })
    }
}

@Suite struct SCIMProbeRefusalTests {
    @Test func discoveryGuardedButConnectionTestAcceptedIsNotATokenProblem() async throws {
        let vendor = TableVendor(
            ["/ServiceProviderConfig": (401, ""), "/Schemas": (403, ""), "/ResourceTypes": (401, ""), "/Users": (200, emptyList)],
            latency: .zero)
        let report = await probe(vendor, try flosumApplication())
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        #expect(Set(report.diagnostics.map(\.id)) == [.probeNoServiceProviderConfig, .probeNoSchemas])
    }

    @Test func aRefusedConnectionTestIsTheTokensFault() async throws {
        let vendor = TableVendor(["/Schemas": (200, "[\(coreUserSchema)]"), "/Users": (403, "")], latency: .zero)
        let report = await probe(vendor, try flosumApplication())
        #expect(report.diagnostics.map(\.id) == [.probeTokenRefused])
        #expect(report.diagnostics.first?.message.hasSuffix("answered 403") == true)
        #expect(report.targets.allSatisfy { $0.status == .unchecked })
    }
}

@Suite struct SCIMProbeTransportFailureTests {
    @Test func eachTransportFailureKindGetsItsOwnFinding() async throws {
        let cases: [(HTTPTransportError.Kind, DiagnosticID)] = [
            (.tls, .probeTLS), (.timeout, .probeTimeout), (.connectionFailed, .probeConnectionFailed),
            (.connectionReset, .probeConnectionFailed), (.other, .probeUnexpectedResponse),
        ]
        for (kind, id) in cases {
            let transport = InMemoryTransport { request in
                throw HTTPTransportError(kind: kind, message: "\(request.url): simulated")
            }
            let report = await SCIMProbe(transport: transport, redactor: Redactor())
                .probe(try flosumApplication(), tenantURL: "https://vendor.example/scim", token: SecretValue("vendor-token-abcdef"))
            #expect(report.diagnostics.map(\.id) == [id], "\(kind)")
            #expect(report.exchanges.count == 4 && report.exchanges.allSatisfy { $0.status == nil && $0.failure != nil })
        }
    }
}

@Suite struct SCIMProbeServiceProviderTests {
    @Test func authenticationSchemesWithoutABearerTokenWarn() async throws {
        func report(_ schemes: String) async throws -> SCIMProbeReport {
            let vendor = TableVendor(
                [
                    "/ServiceProviderConfig": (200, #"{"patch":{"supported":true},"filter":{"supported":true},"authenticationSchemes":\#(schemes)}"#),
                    "/Schemas": (200, "[\(coreUserSchema)]"), "/Users": (200, emptyList),
                ], latency: .zero)
            return await probe(vendor, try flosumApplication())
        }
        let basic = try await report(#"[{"type":"httpbasic","name":"Basic"}]"#)
        #expect(basic.diagnostics.contains { $0.id == .probeAuthenticationScheme && $0.severity == .warning })
        #expect(basic.features?.authenticationSchemes == ["httpbasic"])
        let bearer = try await report(#"[{"type":"httpbasic"},{"type":"oauthbearertoken"}]"#)
        #expect(!bearer.diagnostics.contains { $0.id == .probeAuthenticationScheme })
        #expect(bearer.features?.patch == true && bearer.features?.filter == true)
    }
}
