import Crypto
import Foundation
import GraphModel
import TestSupport
import Testing
import _CryptoExtras
@testable import GraphHTTP

/// A fake login service: answers token requests with numbered tokens and records the form fields.
final class FakeTokenEndpoint: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var expiresIn: Int = 3599
    /// Optional rejection for requests whose form matches.
    var reject: (@Sendable ([String: String]) -> Bool)?

    lazy var transport = InMemoryTransport { [unowned self] request in
        try await self.answer(request)
    }

    private func answer(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.hasPrefix("https://actions.example/") {
            return .json(200, #"{"value":"github-oidc-jwt-\#(request.headers["authorization"] ?? "")"}"#)
        }
        let fields = formFields(request.body)
        if let reject, reject(fields) {
            return .json(401, #"{"error":"invalid_client","error_description":"AADSTS700027: bad signature.\r\nTrace ID: x","error_codes":[700027]}"#)
        }
        let number = lock.withLock { count += 1; return count }
        return .json(200, #"{"token_type":"Bearer","expires_in":\#(expiresIn),"access_token":"issued-token-\#(number)"}"#)
    }

    var requests: [HTTPRequest] { transport.requests }
    var forms: [[String: String]] { requests.map { formFields($0.body) } }
}

@Suite struct CredentialSelectionTests {
    func chain(_ environment: [String: String], cloud: GraphCloud = .global, runner: any CommandRunner = FakeAz(),
               endpoint: FakeTokenEndpoint = FakeTokenEndpoint(), clock: VirtualClock = VirtualClock()) throws -> CredentialChain {
        try CredentialChain(environment: environment, cloud: cloud, transport: endpoint.transport, redactor: Redactor(),
                            clock: clock, commandRunner: runner)
    }

    let spEnvironment = ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1"]

    @Test func readyTokenWinsOverEverything() throws {
        var environment = spEnvironment
        environment["AZURE_CLIENT_SECRET"] = "a-client-secret"
        environment["SCIMCTL_ACCESS_TOKEN"] = "opaque-token-value"
        #expect(try chain(environment).describe().method == .accessToken)
    }

    @Test func orderAmongServicePrincipalMethods() throws {
        let certificatePath = try temporaryFile(TestCertificate.pem)
        var environment = spEnvironment
        environment["AZURE_FEDERATED_TOKEN_FILE"] = "/nonexistent/token"
        environment["AZURE_CLIENT_CERTIFICATE_PATH"] = certificatePath
        #expect(try chain(environment).describe().method == .clientCertificate)
        environment["AZURE_CLIENT_SECRET"] = "a-client-secret"
        #expect(try chain(environment).describe().method == .clientSecret)
        environment["AZURE_CLIENT_SECRET"] = nil
        environment["AZURE_CLIENT_CERTIFICATE_PATH"] = nil
        #expect(try chain(environment).describe().method == .federatedTokenFile)
        environment["AZURE_FEDERATED_TOKEN_FILE"] = nil
        environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://actions.example/token?api-version=2.0"
        environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "runner-request-token"
        #expect(try chain(environment).describe().method == .githubActions)
    }

    @Test func azureCLIIsTheLastResortWhenOnPath() throws {
        let directory = NSTemporaryDirectory() + "scimctl-az-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let az = directory + "/az"
        FileManager.default.createFile(atPath: az, contents: Data("#!/bin/sh\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        let description = try chain(["PATH": "/nonexistent:\(directory)"]).describe()
        #expect(description.method == .azureCLI)
        #expect(description.detail == "az: \(az)")
    }

    @Test func nothingConfiguredExplainsTheOptions() {
        let error = #expect(throws: AuthenticationError.self) { try chain(["PATH": "/nonexistent"]) }
        #expect(error?.kind == .notConfigured)
        #expect(error?.hint?.contains("AZURE_CLIENT_SECRET") == true)
    }

    @Test func incompleteServicePrincipalIsAnError() {
        let error = #expect(throws: AuthenticationError.self) {
            try chain(["AZURE_CLIENT_SECRET": "a-client-secret", "AZURE_CLIENT_ID": "c"])
        }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.message == "AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID is not")
    }

    @Test func describeNamesIdentitiesNotSecrets() throws {
        var environment = spEnvironment
        environment["AZURE_CLIENT_SECRET"] = "super-secret-value"
        environment["AZURE_AUTHORITY_HOST"] = "login.microsoftonline.us"
        let description = try chain(environment, cloud: .usgov).describe()
        #expect(description.tenantID == "tenant-1")
        #expect(description.clientID == "client-1")
        #expect(description.authority == "https://login.microsoftonline.us")
        #expect(!description.description.contains("super-secret-value"))
    }
}

@Suite struct CredentialTokenTests {
    let spEnvironment = ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1"]

    @Test func clientSecretRequestAndCaching() async throws {
        let endpoint = FakeTokenEndpoint()
        let clock = VirtualClock()
        let log = EventLog()
        var environment = spEnvironment
        environment["AZURE_CLIENT_SECRET"] = "s3cret+/=&value"
        let chain = try CredentialChain(environment: environment, cloud: .china, transport: endpoint.transport,
                                        redactor: Redactor(), clock: clock, events: log.sink)
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token-1")
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token-1")
        #expect(endpoint.requests.count == 1)
        let request = try #require(endpoint.requests.first)
        #expect(request.url == "https://login.partner.microsoftonline.cn/tenant-1/oauth2/v2.0/token")
        #expect(request.method == .post)
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(endpoint.forms.first == [
            "grant_type": "client_credentials", "client_id": "client-1",
            "scope": "https://microsoftgraph.chinacloudapi.cn/.default", "client_secret": "s3cret+/=&value",
        ])

        // Renewed five minutes before expiry, not later.
        clock.advance(seconds: 3599 - 301)
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token-1")
        clock.advance(seconds: 2)
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token-2")
        #expect(try await chain.accessToken(forceRenewal: true) == "issued-token-3")
        let notices = log.events.compactMap { if case .token(let notice) = $0 { notice } else { nil } }
        #expect(notices.map(\.renewal) == [false, true, true])
        #expect(notices.first?.method == .clientSecret)
    }

    @Test func tokenEndpointErrorsAreReported() async throws {
        let transport = InMemoryTransport(script: [.success(.json(400, """
            {"error":"invalid_scope","error_description":"AADSTS70011: The provided value for scope is not valid.\\r\\nTrace ID: 1","error_codes":[70011]}
            """))])
        var environment = spEnvironment
        environment["AZURE_CLIENT_SECRET"] = "a-client-secret"
        let chain = try CredentialChain(environment: environment, transport: transport, redactor: Redactor())
        let error = await #expect(throws: AuthenticationError.self) { try await chain.accessToken(forceRenewal: false) }
        #expect(error?.code == "invalid_scope, AADSTS70011")
        #expect(error?.message == "the token endpoint answered HTTP 400: AADSTS70011: The provided value for scope is not valid.")
    }

    @Test func federatedTokenFileIsReadForEveryRequest() async throws {
        let path = try temporaryFile("first-federated-assertion\n")
        let endpoint = FakeTokenEndpoint()
        var environment = spEnvironment
        environment["AZURE_FEDERATED_TOKEN_FILE"] = path
        let chain = try CredentialChain(environment: environment, transport: endpoint.transport, redactor: Redactor(),
                                        clock: VirtualClock())
        _ = try await chain.accessToken(forceRenewal: false)
        try "second-federated-assertion".write(toFile: path, atomically: true, encoding: .utf8)
        _ = try await chain.accessToken(forceRenewal: true)
        #expect(endpoint.forms.map { $0["client_assertion"] } == ["first-federated-assertion", "second-federated-assertion"])
        #expect(endpoint.forms.first?["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        #expect(endpoint.forms.first?["client_secret"] == nil)
    }

    @Test func missingFederatedTokenFileIsAClearError() async throws {
        var environment = spEnvironment
        environment["AZURE_FEDERATED_TOKEN_FILE"] = "/nonexistent/scimctl-token"
        let chain = try CredentialChain(environment: environment, transport: FakeTokenEndpoint().transport,
                                        redactor: Redactor())
        let error = await #expect(throws: AuthenticationError.self) { try await chain.accessToken(forceRenewal: false) }
        #expect(error?.message.contains("/nonexistent/scimctl-token") == true)
    }

    @Test(arguments: [(GraphCloud.global, "api://AzureADTokenExchange"),
                      (GraphCloud.usgov, "api://AzureADTokenExchangeUSGov"),
                      (GraphCloud.china, "api://AzureADTokenExchangeChina")])
    func gitHubActionsOIDCExchange(cloud: GraphCloud, audience: String) async throws {
        let endpoint = FakeTokenEndpoint()
        var environment = spEnvironment
        environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://actions.example/token?api-version=2.0"
        environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "runner-request-token"
        let chain = try CredentialChain(environment: environment, cloud: cloud, transport: endpoint.transport,
                                        redactor: Redactor(), clock: VirtualClock())
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token-1")
        let oidc = try #require(endpoint.requests.first)
        let encodedAudience = audience.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: "/", with: "%2F")
        #expect(oidc.url == "https://actions.example/token?api-version=2.0&audience=\(encodedAudience)")
        #expect(oidc.headers["authorization"] == "Bearer runner-request-token")
        #expect(endpoint.forms.last?["client_assertion"] == "github-oidc-jwt-Bearer runner-request-token")
        #expect(endpoint.requests.last?.url.hasPrefix(cloud.loginURL + "/tenant-1/") == true)
        #expect(chain.describe().detail == "audience: \(audience)")
    }

    @Test func staticTokenExpiryComesFromTheJWT() async throws {
        let clock = VirtualClock()
        let expired = Int64(clock.now().timeIntervalSince1970) - 10
        let payload = Base64URL.encode(Array(#"{"exp":\#(expired),"tid":"t-9","appid":"a-9"}"#.utf8))
        let token = "eyJhbGciOiJub25lIn0.\(payload).c2ln"
        let chain = try CredentialChain(environment: ["SCIMCTL_ACCESS_TOKEN": token], transport: InMemoryTransport(script: []),
                                        redactor: Redactor(), clock: clock)
        #expect(chain.describe().tenantID == "t-9")
        #expect(chain.describe().clientID == "a-9")
        let error = await #expect(throws: AuthenticationError.self) { try await chain.accessToken(forceRenewal: false) }
        #expect(error?.message.contains("expired") == true)
    }

    @Test func azureCLITokenAndFailure() async throws {
        let runner = FakeAz(output: #"{"accessToken":"az-token-value","expires_on":1750003600,"tenant":"t","tokenType":"Bearer"}"#)
        let credential = AzureCLICredential(executable: "/usr/bin/az", tenantID: "tenant-1", runner: runner,
                                            redactor: Redactor(), clock: VirtualClock())
        let token = try await credential.requestToken()
        #expect(token.value == "az-token-value")
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_750_003_600))
        #expect(runner.calls == [["account", "get-access-token", "--resource-type", "ms-graph", "--output", "json",
                                  "--tenant", "tenant-1"]])

        let failing = FakeAz(status: 1, error: "ERROR: Please run 'az login' to setup account.\nmore")
        let cli = AzureCLICredential(executable: "/usr/bin/az", tenantID: nil, runner: failing, redactor: Redactor(),
                                     clock: VirtualClock())
        let error = await #expect(throws: AuthenticationError.self) { _ = try await cli.requestToken() }
        #expect(error?.message == "az account get-access-token exited with status 1: ERROR: Please run 'az login' to setup account.")
        #expect(error?.hint?.contains("az login") == true)
    }
}

final class FakeAz: CommandRunner, @unchecked Sendable {
    let status: Int32
    let output: String
    let error: String
    private let lock = NSLock()
    private var recorded: [[String]] = []

    init(status: Int32 = 0, output: String = "{}", error: String = "") {
        self.status = status
        self.output = output
        self.error = error
    }

    var calls: [[String]] { lock.withLock { recorded } }

    func run(executable: String, arguments: [String]) async throws -> CommandResult {
        lock.withLock { recorded.append(arguments) }
        return CommandResult(status: status, standardOutput: Array(output.utf8), standardError: Array(error.utf8))
    }
}

@Suite struct ClientCertificateTests {
    func decodeJWT(_ jwt: String) throws -> (header: JSONValue, claims: JSONValue, signingInput: String, signature: [UInt8]) {
        let parts = jwt.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        let header = try JSONValue(parsing: try #require(Base64URL.decode(parts[0])))
        let claims = try JSONValue(parsing: try #require(Base64URL.decode(parts[1])))
        return (header, claims, parts[0] + "." + parts[1], try #require(Base64URL.decode(parts[2])))
    }

    func publicKey() throws -> _RSA.Signing.PublicKey {
        let keyPEM = try #require(PEMBlock.all(in: TestCertificate.pem).first { $0.label == "PRIVATE KEY" })
        return try _RSA.Signing.PrivateKey(pemRepresentation: keyPEM.text).publicKey
    }

    @Test func thumbprintsMatchOpenSSL() throws {
        let certificate = try ClientCertificate(pem: TestCertificate.pem)
        #expect(certificate.sha256Thumbprint == TestCertificate.sha256Thumbprint)
        #expect(certificate.portalThumbprint == TestCertificate.portalThumbprint)
    }

    @Test func ps256AssertionVerifies() throws {
        let certificate = try ClientCertificate(pem: TestCertificate.pem)
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let jwt = try certificate.assertion(
            clientID: "client-1", audience: "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token",
            algorithm: .ps256, now: now, id: "jti-1")
        let decoded = try decodeJWT(jwt)
        #expect(decoded.header == ["alg": "PS256", "typ": "JWT", "x5t#S256": .string(TestCertificate.sha256Thumbprint)])
        #expect(decoded.claims == [
            "aud": "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token", "iss": "client-1", "sub": "client-1",
            "jti": "jti-1", "nbf": 1_750_000_000, "iat": 1_750_000_000, "exp": 1_750_000_600,
        ])
        let signature = _RSA.Signing.RSASignature(rawRepresentation: decoded.signature)
        let key = try publicKey()
        #expect(key.isValidSignature(signature, for: Array(decoded.signingInput.utf8), padding: .PSS))
        #expect(!key.isValidSignature(signature, for: Array((decoded.signingInput + "x").utf8), padding: .PSS))
    }

    @Test func rs256AssertionVerifies() throws {
        let certificate = try ClientCertificate(pem: TestCertificate.pem)
        let jwt = try certificate.assertion(clientID: "c", audience: "a", algorithm: .rs256, now: Date())
        let decoded = try decodeJWT(jwt)
        #expect(decoded.header["alg"] == "RS256")
        #expect(decoded.header["x5t"]?.stringValue == certificate.sha1Thumbprint)
        #expect(decoded.header["x5t#S256"] == nil)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: decoded.signature)
        #expect(try publicKey().isValidSignature(signature, for: Array(decoded.signingInput.utf8), padding: .insecurePKCS1v1_5))
    }

    @Test func certificateCredentialFallsBackToRS256() async throws {
        let endpoint = FakeTokenEndpoint()
        endpoint.reject = { fields in
            let header = fields["client_assertion"].flatMap { $0.split(separator: ".").first }
                .flatMap { Base64URL.decode(String($0)) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
            return header.contains("PS256")
        }
        let path = try temporaryFile(TestCertificate.pem)
        let chain = try CredentialChain(
            environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1", "AZURE_CLIENT_CERTIFICATE_PATH": path],
            transport: endpoint.transport, redactor: Redactor(), clock: VirtualClock())
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token-1")
        #expect(endpoint.requests.count == 2)
        #expect(chain.describe().detail?.contains(TestCertificate.portalThumbprint) == true)
        // The working algorithm is remembered for the next assertion.
        _ = try await chain.accessToken(forceRenewal: true)
        #expect(endpoint.requests.count == 3)
        let audience = try decodeJWT(try #require(endpoint.forms.last?["client_assertion"])).claims["aud"]
        #expect(audience == "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token")
    }

    @Test func encryptedKeyWithoutPasswordNamesTheVariable() {
        let error = #expect(throws: AuthenticationError.self) {
            _ = try ClientCertificate(pem: TestCertificate.encryptedKeyPEM, path: "cert.pem")
        }
        #expect(error?.message == "the private key in cert.pem is encrypted and AZURE_CLIENT_CERTIFICATE_PASSWORD is not set")
    }

    @Test func pfxAndKeylessFilesAreExplained() throws {
        let binary = String(decoding: [0x30, 0x82, 0x0a, 0x01, 0x02], as: UTF8.self)
        let notPEM = #expect(throws: AuthenticationError.self) { _ = try ClientCertificate(pem: binary, path: "c.pfx") }
        #expect(notPEM?.hint?.contains("pkcs12") == true)
        let certOnly = try #require(PEMBlock.all(in: TestCertificate.pem).first { $0.label == "CERTIFICATE" }).text
        let keyless = #expect(throws: AuthenticationError.self) { _ = try ClientCertificate(pem: certOnly, path: "c.pem") }
        #expect(keyless?.message == "c.pem has no RSA private key")
    }
}
