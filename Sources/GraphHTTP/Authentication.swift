import Foundation
import GraphModel

/// Supplies the bearer token for Graph requests.
public protocol TokenProvider: Sendable {
    /// A token with at least a few minutes of life left; `forceRenewal` after Graph answered 401.
    func accessToken(forceRenewal: Bool) async throws -> String
}

/// A token and when it stops working. `description` never shows the token.
public struct AccessToken: Sendable, Hashable, CustomStringConvertible {
    public var value: String
    /// Nil when the issuer did not say (a pasted opaque token).
    public var expiresOn: Date?

    public init(value: String, expiresOn: Date?) {
        self.value = value
        self.expiresOn = expiresOn
    }

    public var description: String {
        "AccessToken(\(Redactor.mask)\(expiresOn.map { ", expires \($0)" } ?? ""))"
    }
}

/// One way of obtaining fresh tokens (no caching: `CredentialChain` caches).
public protocol TokenCredential: Sendable {
    var summary: CredentialDescription { get }
    func requestToken() async throws -> AccessToken
}

/// How scimctl authenticates, in the order `CredentialChain` tries the environment.
public enum CredentialMethod: String, Sendable, Hashable, CaseIterable {
    case accessToken = "access-token"
    case clientSecret = "client-secret"
    case clientCertificate = "client-certificate"
    case federatedTokenFile = "federated-token-file"
    case githubActions = "github-actions-oidc"
    case managedIdentity = "managed-identity"
    case azureCLI = "azure-cli"

    public var displayName: String {
        switch self {
        case .accessToken: "a ready access token (SCIMCTL_ACCESS_TOKEN)"
        case .clientSecret: "a client secret (AZURE_CLIENT_SECRET)"
        case .clientCertificate: "a client certificate (AZURE_CLIENT_CERTIFICATE_PATH)"
        case .federatedTokenFile: "workload identity federation (AZURE_FEDERATED_TOKEN_FILE)"
        case .githubActions: "workload identity federation with the GitHub Actions OIDC token"
        case .managedIdentity: "an Azure managed identity (App Service identity endpoint or IMDS)"
        case .azureCLI: "the Azure CLI login (az account get-access-token)"
        }
    }
}

/// What `scimctl auth check` shows: the method and identities, never a secret.
public struct CredentialDescription: Sendable, Hashable, CustomStringConvertible {
    public var method: CredentialMethod
    public var tenantID: String?
    public var clientID: String?
    /// The token endpoint authority, when the method talks to one.
    public var authority: String?
    /// Method-specific, non-secret detail: certificate thumbprint, token file path, az path.
    public var detail: String?

    public init(method: CredentialMethod, tenantID: String? = nil, clientID: String? = nil, authority: String? = nil,
                detail: String? = nil) {
        self.method = method
        self.tenantID = tenantID
        self.clientID = clientID
        self.authority = authority
        self.detail = detail
    }

    public var description: String {
        var parts = ["method: \(method.rawValue) — \(method.displayName)"]
        if let tenantID { parts.append("tenant: \(tenantID)") }
        if let clientID { parts.append("client id: \(clientID)") }
        if let authority { parts.append("authority: \(authority)") }
        if let detail { parts.append(detail) }
        return parts.joined(separator: "\n")
    }
}

/// Authentication failed or is not configured. Messages name variables and files, never their secret contents.
public struct AuthenticationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Nothing in the environment selects a method.
        case notConfigured
        /// The environment selects a method but is incomplete or unreadable.
        case invalidConfiguration
        /// The token endpoint (or az, or the OIDC endpoint) refused or failed.
        case tokenRequestFailed
    }

    public var kind: Kind
    public var message: String
    /// The login service's error code (`invalid_client`) and AADSTS number, when it gave them.
    public var code: String?
    public var hint: String?

    public init(kind: Kind, message: String, code: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
        self.hint = hint
    }

    public var description: String {
        var text = "authentication failed: \(message)"
        if let code { text += " (\(code))" }
        if let hint { text += "; \(hint)" }
        return text
    }
}

// MARK: - Token endpoint

/// `POST {authority}/{tenant}/oauth2/v2.0/token` with the client-credentials grant.
struct TokenEndpoint: Sendable {
    let authority: String
    let tenantID: String
    let clientID: String
    let scope: String
    let transport: any HTTPTransport
    let redactor: Redactor
    let clock: any GraphClock

    var url: String { "\(authority)/\(Self.pathSegment(tenantID))/oauth2/v2.0/token" }

    /// Exchanges one credential (secret or assertion) for an access token.
    func requestToken(credential: [(String, String)]) async throws -> AccessToken {
        var fields: [(String, String)] = [
            ("grant_type", "client_credentials"), ("client_id", clientID), ("scope", scope),
        ]
        fields.append(contentsOf: credential)
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/x-www-form-urlencoded")
        headers.add("Accept", "application/json")
        headers.add("client-request-id", UUID().uuidString.lowercased())
        let request = HTTPRequest(method: .post, url: url, headers: headers, body: Array(body.utf8), timeout: .seconds(60))
        let response = try await sendRetrying(request)
        let json = try? JSONValue(parsing: response.body)
        guard (200..<300).contains(response.status) else {
            throw Self.failure(status: response.status, json: json, redactor: redactor)
        }
        let answer = json.map(OAuthTokenResponse.init(json:))
        guard let token = answer?.accessToken, !token.isEmpty else {
            throw AuthenticationError(kind: .tokenRequestFailed, message: "the token endpoint answered without an access token")
        }
        redactor.register(token)
        let lifetime = answer?.expiresIn ?? 3599
        return AccessToken(value: token, expiresOn: clock.now().addingTimeInterval(Double(lifetime)))
    }

    /// Asking for a token twice only yields two tokens, so throttling (429), server errors and network failures
    /// are retried a few times, honouring `Retry-After`, within `retryDeadline` seconds.
    private func sendRetrying(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = clock.now()
        var attempt = 0
        while true {
            attempt += 1
            var wait: Double?
            var failure: AuthenticationError
            do {
                let response = try await transport.send(request)
                guard Self.retryableStatuses.contains(response.status) else { return response }
                failure = Self.failure(status: response.status, json: try? JSONValue(parsing: response.body), redactor: redactor)
                if let header = response.headers["retry-after"] {
                    wait = RetryAfter.seconds(from: header, now: clock.now())
                } else if let seconds = response.transportRetryAfter {
                    wait = Double(seconds)
                }
            } catch let error as HTTPTransportError {
                failure = AuthenticationError(
                    kind: .tokenRequestFailed, message: "could not reach the token endpoint: \(redactor.redact(error.message))")
                guard [.timeout, .connectionReset, .connectionFailed].contains(error.kind) else { throw failure }
            }
            let delay = wait ?? min(8, 0.5 * pow(2, Double(attempt - 1))) * Double.random(in: 0.5..<1)
            guard attempt < Self.maximumAttempts, clock.now().timeIntervalSince(started) + delay <= Self.retryDeadline else {
                if attempt > 1 { failure.message += " (gave up after \(attempt) attempts)" }
                throw failure
            }
            try await clock.sleep(seconds: delay)
        }
    }

    static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]
    static let maximumAttempts = 4
    static let retryDeadline = 60.0

    /// `{"error","error_description","error_codes":[…]}`; the description's first line carries the AADSTS text.
    static func failure(status: Int, json: JSONValue?, redactor: Redactor) -> AuthenticationError {
        let answer = json.map(OAuthErrorResponse.init(json:))
        let code = answer?.error
        let description = answer?.errorDescription?.split(whereSeparator: \.isNewline).first.map(String.init)
        let aadsts = answer?.errorCodes.first.map { "AADSTS\($0)" }
        let codeText = [code, aadsts].compactMap { $0 }.joined(separator: ", ")
        return AuthenticationError(
            kind: .tokenRequestFailed,
            message: "the token endpoint answered HTTP \(status)"
                + (description.map { ": " + redactor.redact($0) } ?? ""),
            code: codeText.isEmpty ? nil : codeText)
    }

    static func formEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .formValueAllowed) ?? ""
    }

    static func pathSegment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .formValueAllowed) ?? value
    }
}

/// Reads `exp` (and identity claims) from a JWT without verifying it: only to know when to renew
/// and to describe whose token it is.
enum JWTClaims {
    static func payload(of token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(String(parts[1])) else { return nil }
        return try? JSONValue(parsing: data)
    }

    static func expiry(of token: String) -> Date? {
        guard let exp = payload(of: token)?["exp"]?.integerValue else { return nil }
        return Date(timeIntervalSince1970: Double(exp))
    }
}

/// The non-secret facts other modules may read from an access token (unverified, like `JWTClaims`).
public enum AccessTokenClaims {
    /// The `tid` claim: which tenant the token is for. Nil for opaque tokens.
    public static func tenantID(in token: String) -> String? {
        guard let tid = JWTClaims.payload(of: token)?["tid"]?.stringValue, !tid.isEmpty, tid.count <= 64,
            tid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return nil }
        return tid
    }
}

enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { Array($0) }
    }
}
