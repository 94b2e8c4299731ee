import Foundation
import GraphModel
import Testing
@testable import GraphHTTP

@Suite struct RedactorTests {
    @Test func registeredSecretsAreMaskedInEveryEncoding() {
        let redactor = Redactor()
        redactor.register("p@ss w0rd/\"quoted\"")
        let text = #"form client_x=p%40ss%20w0rd%2F%22quoted%22 json "p@ss w0rd/\"quoted\"" raw p@ss w0rd/"quoted""#
        let masked = redactor.redact(text)
        #expect(!masked.contains("w0rd"))
        #expect(masked.components(separatedBy: Redactor.mask).count == 4)
    }

    @Test func shortValuesAreNotRegistered() {
        let redactor = Redactor()
        redactor.register("abc")
        #expect(redactor.redact("abcdef") == "abcdef")
    }

    /// A server may echo a secret JSON-escaped with `\uXXXX` for every symbol (in either hex case), or
    /// form-encoded with `+` for a space.
    @Test func unicodeEscapedAndPlusEncodedEchoesAreMasked() {
        let redactor = Redactor()
        redactor.register("tok en+/=value")
        let echoes = [
            #"{"error":"bad token tok\u0020en\u002b\u002f\u003dvalue"}"#,
            #"{"error":"bad token tok\u0020en\u002B\u002F\u003Dvalue"}"#,
            "invalid_client: secret=tok+en%2B%2F%3Dvalue rejected",
        ]
        for echo in echoes {
            let masked = redactor.redact(echo)
            #expect(!masked.contains("value"), "\(echo) → \(masked)")
            #expect(masked.contains(Redactor.mask))
        }
    }

    /// A short vendor token is masked where it stands alone, but not inside longer words.
    @Test func shortSecretsAreMaskedWhereTheyStandAlone() {
        let redactor = Redactor()
        redactor.register("k9x")
        #expect(redactor.redact("token 'k9x' was rejected") == "token '\(Redactor.mask)' was rejected")
        #expect(redactor.redact("k9xk9x and ak9x") == "k9xk9x and ak9x")
    }

    @Test func structuralMaskingWithoutKnownValues() {
        let redactor = Redactor()
        #expect(redactor.redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer \(Redactor.mask)")
        #expect(redactor.redact("grant_type=client_credentials&client_secret=xyz%2Bq&scope=s")
            == "grant_type=client_credentials&client_secret=\(Redactor.mask)&scope=s")
        #expect(redactor.redact("client_assertion_type=urn&client_assertion=eyJabc")
            == "client_assertion_type=urn&client_assertion=\(Redactor.mask)")
        #expect(redactor.redact(#"{"token_type":"Bearer","access_token":"opaque\"x"}"#)
            == #"{"token_type":"Bearer","access_token":"\#(Redactor.mask)"}"#)
        #expect(redactor.redact("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end") == "token \(Redactor.mask) end")
    }

    @Test func headersAreMasked() {
        let headers = Redactor().redact(["Authorization": "Bearer t0ken-value", "Accept": "application/json"])
        #expect(headers["authorization"] == Redactor.mask)
        #expect(headers["accept"] == "application/json")
    }

    @Test func graphSecretsBodyIsMaskedStructurally() {
        let body: JSONValue = [
            "value": [
                ["key": "BaseAddress", "value": "https://scim.example.com/v2"],
                ["key": "SecretToken", "value": "vendor-token-not-registered"],
                ["key": "SyncNotificationSettings", "value": #"{"Enabled":true}"#],
            ],
        ]
        let masked = Redactor().redact(body)
        let entries = masked["value"]?.arrayValue ?? []
        #expect(entries.count == 3)
        #expect(entries.first?["value"] == "https://scim.example.com/v2")
        #expect(entries.dropFirst().first?["value"] == .string(Redactor.mask))
        #expect(entries.last?["value"] == #"{"Enabled":true}"#)
    }
}

/// One canary per kind of secret; each is searched for in everything the library emits.
@Suite struct CanaryTests {
    static let clientSecret = "CANARY-client-secret-7f3a"
    static let vendorToken = "CANARY-vendor-token-91bc"
    static let issuedToken = "CANARY-access-token-55de"
    static let federatedAssertion = "CANARY-federated-assertion-2c4e"
    static let runnerToken = "CANARY-runner-request-token-0a1b"
    static let all = [clientSecret, vendorToken, issuedToken, federatedAssertion, runnerToken]

    func assertClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for canary in Self.all {
            #expect(!text.contains(canary), "leaked \(canary) in: \(text)", sourceLocation: sourceLocation)
        }
        // Fragments too, in case something truncates.
        #expect(!text.contains("CANARY-"), sourceLocation: sourceLocation)
    }

    /// A fake Graph + login service that misbehaves by echoing secrets back in errors.
    func hostileTransport() -> InMemoryTransport {
        InMemoryTransport { request in
            let body = String(decoding: request.body, as: UTF8.self)
            if request.url.contains("/oauth2/v2.0/token") {
                let fields = formFields(request.body)
                if fields["client_secret"] == Self.clientSecret || fields["client_assertion"] == Self.federatedAssertion {
                    return .json(200, #"{"token_type":"Bearer","expires_in":3599,"access_token":"\#(Self.issuedToken)"}"#)
                }
                return .json(400, #"{"error":"invalid_client","error_description":"bad \#(body)"}"#)
            }
            if request.url.hasPrefix("https://actions.example/") {
                return .json(200, #"{"value":"\#(Self.federatedAssertion)"}"#)
            }
            if request.url.hasSuffix("/transport-failure") {
                throw HTTPTransportError(kind: .other, message: "failed sending \(body) with \(request.headers["authorization"] ?? "")")
            }
            // Graph "echoes" the request body and the credential in its error message.
            let echo = JSONValue.string("rejected \(body) for \(request.headers["authorization"] ?? "")").serialized()
            return .json(400, #"{"error":{"code":"invalidRequest","message":\#(echo)}}"#,
                         headers: ["request-id": "r-1"])
        }
    }

    func run(environment: [String: String]) async throws -> (events: [GraphEvent], errors: [String], description: String) {
        let redactor = Redactor()
        let log = EventLog()
        let transport = hostileTransport()
        let chain = try CredentialChain(environment: environment, transport: transport, redactor: redactor,
                                        clock: VirtualClock(), events: log.sink)
        let client = GraphClient(
            baseURL: "https://graph.microsoft.com", transport: transport, tokens: chain, redactor: redactor,
            options: .init(retry: RetryPolicy(maximumAttempts: 1), traceBodies: true), clock: VirtualClock(),
            events: log.sink)
        redactor.register(Self.vendorToken)
        var errors: [String] = []
        let secretsBody: JSONValue = [
            "value": [["key": "BaseAddress", "value": "https://scim.example.com"],
                      ["key": "SecretToken", "value": .string(Self.vendorToken)]],
        ]
        do {
            _ = try await client.send(.put, "/servicePrincipals/sp/synchronization/secrets", body: secretsBody,
                                      operation: "write the secrets")
        } catch {
            errors.append(String(describing: error))
            errors.append("\(error)")
        }
        do {
            _ = try await client.send(.put, "/transport-failure", body: secretsBody, operation: "write again")
        } catch {
            errors.append(String(describing: error))
        }
        // A failing token request must not echo the secret either.
        var wrongEnvironment = environment
        if wrongEnvironment["AZURE_CLIENT_SECRET"] != nil {
            wrongEnvironment["AZURE_CLIENT_SECRET"] = Self.clientSecret + "-wrong"
            let wrong = try CredentialChain(environment: wrongEnvironment, transport: transport, redactor: redactor,
                                            clock: VirtualClock())
            do { _ = try await wrong.accessToken(forceRenewal: false) } catch { errors.append("\(error)") }
        }
        return (log.events, errors, chain.describe().description + "\n" + String(describing: chain.describe()))
    }

    @Test func clientSecretFlowLeaksNothing() async throws {
        let outcome = try await run(environment: [
            "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": Self.clientSecret,
        ])
        #expect(outcome.errors.count == 4)
        #expect(outcome.events.contains { if case .request(let trace) = $0 { trace.requestBody != nil } else { false } })
        for event in outcome.events { assertClean(event.description) }
        for error in outcome.errors { assertClean(error) }
        assertClean(outcome.description)
        // The traced secrets body is still useful: non-secret entries survive.
        #expect(outcome.events.contains { $0.description.contains("https://scim.example.com") })
    }

    @Test func workloadIdentityFlowLeaksNothing() async throws {
        let outcome = try await run(environment: [
            "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c",
            "ACTIONS_ID_TOKEN_REQUEST_URL": "https://actions.example/token",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": Self.runnerToken,
        ])
        #expect(outcome.errors.count == 3)
        for event in outcome.events { assertClean(event.description) }
        for error in outcome.errors { assertClean(error) }
        assertClean(outcome.description)
    }

    @Test func accessTokenDescriptionHidesTheValue() {
        let token = AccessToken(value: Self.issuedToken, expiresOn: nil)
        assertClean(token.description)
        assertClean("\(token)")
    }
}
