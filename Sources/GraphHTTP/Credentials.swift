import Foundation
import GraphModel

/// SCIMCTL_ACCESS_TOKEN: a token obtained elsewhere. It cannot be renewed, so its expiry is read from the JWT
/// when possible and reported instead of sending requests that will fail.
public struct StaticTokenCredential: TokenCredential {
    private let token: String
    private let clock: any GraphClock
    public let summary: CredentialDescription

    public init(token: String, clock: any GraphClock = SystemClock()) {
        self.token = token.trimmingCharacters(in: .whitespacesAndNewlines)
        self.clock = clock
        let claims = JWTClaims.payload(of: self.token)
        summary = CredentialDescription(
            method: .accessToken, tenantID: claims?["tid"]?.stringValue,
            clientID: claims?["appid"]?.stringValue ?? claims?["azp"]?.stringValue,
            detail: JWTClaims.expiry(of: self.token).map { "expires: \(ISO8601DateFormatter().string(from: $0))" })
    }

    public func requestToken() async throws -> AccessToken {
        let expiry = JWTClaims.expiry(of: token)
        if let expiry, expiry <= clock.now() {
            throw AuthenticationError(kind: .invalidConfiguration, message: "the token in SCIMCTL_ACCESS_TOKEN has expired",
                                      hint: "obtain a fresh one, or unset it to use another method")
        }
        return AccessToken(value: token, expiresOn: expiry)
    }
}

/// AZURE_CLIENT_SECRET with AZURE_TENANT_ID and AZURE_CLIENT_ID.
public struct ClientSecretCredential: TokenCredential {
    let endpoint: TokenEndpoint
    private let secret: String

    init(endpoint: TokenEndpoint, secret: String) {
        self.endpoint = endpoint
        self.secret = secret
        endpoint.redactor.register(secret)
    }

    public var summary: CredentialDescription {
        CredentialDescription(method: .clientSecret, tenantID: endpoint.tenantID, clientID: endpoint.clientID,
                              authority: endpoint.authority)
    }

    public func requestToken() async throws -> AccessToken {
        try await endpoint.requestToken(credential: [("client_secret", secret)])
    }
}

let jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

/// AZURE_FEDERATED_TOKEN_FILE: a JWT from another identity provider, written by the platform and rotated,
/// so the file is read again for every token request.
public struct FederatedTokenFileCredential: TokenCredential {
    let endpoint: TokenEndpoint
    let path: String

    public var summary: CredentialDescription {
        CredentialDescription(method: .federatedTokenFile, tenantID: endpoint.tenantID, clientID: endpoint.clientID,
                              authority: endpoint.authority, detail: "token file: \(path)")
    }

    public func requestToken() async throws -> AccessToken {
        let data = try CredentialFile.read(path, variable: "AZURE_FEDERATED_TOKEN_FILE")
        let assertion = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !assertion.isEmpty else {
            throw AuthenticationError(kind: .invalidConfiguration, message: "the federated token file \(path) is empty")
        }
        endpoint.redactor.register(assertion)
        return try await endpoint.requestToken(credential: [
            ("client_assertion_type", jwtBearerAssertionType), ("client_assertion", assertion),
        ])
    }
}

/// Inside GitHub Actions (with `permissions: id-token: write`): asks the runner for an OIDC token with the
/// cloud's token-exchange audience and presents it as the client assertion.
public struct GitHubActionsCredential: TokenCredential {
    let endpoint: TokenEndpoint
    let requestURL: String
    private let requestToken_: String
    let audience: String

    init(endpoint: TokenEndpoint, requestURL: String, requestToken: String, audience: String) {
        self.endpoint = endpoint
        self.requestURL = requestURL
        self.requestToken_ = requestToken
        self.audience = audience
        endpoint.redactor.register(requestToken)
    }

    public var summary: CredentialDescription {
        CredentialDescription(method: .githubActions, tenantID: endpoint.tenantID, clientID: endpoint.clientID,
                              authority: endpoint.authority, detail: "audience: \(audience)")
    }

    public func requestToken() async throws -> AccessToken {
        let separator = requestURL.contains("?") ? "&" : "?"
        let url = requestURL + separator + "audience=" + TokenEndpoint.formEncode(audience)
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(requestToken_)")
        headers.add("Accept", "application/json")
        let response: HTTPResponse
        do {
            response = try await endpoint.transport.send(HTTPRequest(method: .get, url: url, headers: headers,
                                                                     timeout: .seconds(60)))
        } catch let error as HTTPTransportError {
            throw AuthenticationError(
                kind: .tokenRequestFailed,
                message: "could not reach the GitHub Actions OIDC endpoint: \(endpoint.redactor.redact(error.message))")
        }
        guard (200..<300).contains(response.status),
            let assertion = (try? JSONValue(parsing: response.body))?["value"]?.stringValue, !assertion.isEmpty
        else {
            throw AuthenticationError(
                kind: .tokenRequestFailed,
                message: "the GitHub Actions OIDC endpoint answered HTTP \(response.status) without a token",
                hint: "the workflow needs `permissions: id-token: write`")
        }
        endpoint.redactor.register(assertion)
        return try await endpoint.requestToken(credential: [
            ("client_assertion_type", jwtBearerAssertionType), ("client_assertion", assertion),
        ])
    }
}

// MARK: - Azure CLI

public struct CommandResult: Sendable, Hashable {
    public var status: Int32
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    public init(status: Int32, standardOutput: [UInt8], standardError: [UInt8]) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Runs an external program; injected so the Azure CLI credential is testable without `az`.
public protocol CommandRunner: Sendable {
    func run(executable: String, arguments: [String]) async throws -> CommandResult
}

/// Runs the program with Foundation's Process on a dispatch thread (it blocks until the program exits).
public struct ProcessCommandRunner: CommandRunner {
    public init() {}

    public func run(executable: String, arguments: [String]) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let output = Pipe()
                let errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: AuthenticationError(
                        kind: .tokenRequestFailed, message: "could not run \(executable): \(error.localizedDescription)"))
                    return
                }
                // Drain stderr concurrently so a chatty program cannot block on a full pipe.
                let errorData = LockedBytes()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errorData.set(Array(errors.fileHandleForReading.readDataToEndOfFile()))
                    group.leave()
                }
                let outputData = Array(output.fileHandleForReading.readDataToEndOfFile())
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: CommandResult(
                    status: process.terminationStatus, standardOutput: outputData, standardError: errorData.get()))
            }
        }
    }
}

private final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func set(_ value: [UInt8]) { lock.withLock { bytes = value } }
    func get() -> [UInt8] { lock.withLock { bytes } }
}

/// A developer's `az login`: `az account get-access-token --resource-type ms-graph`.
public struct AzureCLICredential: TokenCredential {
    let executable: String
    let tenantID: String?
    let runner: any CommandRunner
    let redactor: Redactor
    let clock: any GraphClock

    public var summary: CredentialDescription {
        CredentialDescription(method: .azureCLI, tenantID: tenantID, detail: "az: \(executable)")
    }

    public func requestToken() async throws -> AccessToken {
        var arguments = ["account", "get-access-token", "--resource-type", "ms-graph", "--output", "json"]
        if let tenantID { arguments += ["--tenant", tenantID] }
        let result = try await runner.run(executable: executable, arguments: arguments)
        guard result.status == 0 else {
            let firstLine = String(decoding: result.standardError, as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw AuthenticationError(
                kind: .tokenRequestFailed,
                message: "az account get-access-token exited with status \(result.status)"
                    + (firstLine.isEmpty ? "" : ": " + redactor.redact(firstLine)),
                hint: "run `az login` (with --tenant for the target tenant) or set AZURE_* credentials")
        }
        guard let json = try? JSONValue(parsing: result.standardOutput),
            let token = json["accessToken"]?.stringValue, !token.isEmpty
        else {
            throw AuthenticationError(kind: .tokenRequestFailed, message: "az account get-access-token printed no token")
        }
        redactor.register(token)
        let expiry: Date?
        if let epoch = json["expires_on"]?.integerValue ?? json["expires_on"]?.stringValue.flatMap({ Int64($0) }) {
            expiry = Date(timeIntervalSince1970: Double(epoch))
        } else {
            expiry = JWTClaims.expiry(of: token)
        }
        return AccessToken(value: token, expiresOn: expiry)
    }
}
