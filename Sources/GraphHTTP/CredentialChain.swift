import Foundation

/// Picks one authentication method from the environment (azure-identity conventions, first match wins) and
/// caches its tokens for the run, renewing them a few minutes before they expire.
///
/// Order: SCIMCTL_ACCESS_TOKEN; AZURE_TENANT_ID + AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, or
/// AZURE_CLIENT_CERTIFICATE_PATH (plus AZURE_CLIENT_CERTIFICATE_PASSWORD for an encrypted key), or
/// AZURE_FEDERATED_TOKEN_FILE; GitHub Actions OIDC
/// (ACTIONS_ID_TOKEN_REQUEST_URL + ACTIONS_ID_TOKEN_REQUEST_TOKEN, with AZURE_TENANT_ID + AZURE_CLIENT_ID);
/// managed identity on App Service / Functions (IDENTITY_ENDPOINT + IDENTITY_HEADER); the Azure CLI when `az` is on
/// PATH. AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential (azure-identity's switch) chooses managed identity
/// outright, which is how a VM uses IMDS: IMDS has no variable that announces it, and probing it from every machine
/// would slow down and confuse the other methods.
public final class CredentialChain: TokenProvider {
    public let credential: any TokenCredential
    /// Tokens are renewed this many seconds before they expire.
    public let renewalMargin: Double
    private let cache: TokenCache
    private let clock: any GraphClock
    private let events: GraphEventSink

    public init(
        credential: any TokenCredential, clock: any GraphClock = SystemClock(), renewalMargin: Double = 300,
        events: @escaping GraphEventSink = { _ in }
    ) {
        self.credential = credential
        self.clock = clock
        self.renewalMargin = renewalMargin
        self.events = events
        self.cache = TokenCache()
    }

    /// Chooses the method from `environment` (pass `ProcessInfo.processInfo.environment` from the executable).
    /// - Parameters:
    ///   - authorityHost: `--authority-host`; otherwise AZURE_AUTHORITY_HOST, otherwise the cloud's login host.
    public convenience init(
        environment: [String: String], cloud: GraphCloud = .global, authorityHost: String? = nil,
        transport: any HTTPTransport, redactor: Redactor, clock: any GraphClock = SystemClock(),
        commandRunner: any CommandRunner = ProcessCommandRunner(), renewalMargin: Double = 300,
        instanceMetadataEndpoint: String = ManagedIdentityCredential.instanceMetadataEndpoint,
        events: @escaping GraphEventSink = { _ in }
    ) throws(AuthenticationError) {
        let credential = try Self.select(
            environment: environment, cloud: cloud, authorityHost: authorityHost, transport: transport,
            redactor: redactor, clock: clock, commandRunner: commandRunner,
            instanceMetadataEndpoint: instanceMetadataEndpoint)
        self.init(credential: credential, clock: clock, renewalMargin: renewalMargin, events: events)
        if let certificate = credential as? ClientCertificateCredential,
           let warning = certificate.validityWarning(at: clock.now()) {
            events(.warning(warning))
        }
    }

    /// Which method was chosen, with tenant and client id; never a secret.
    public func describe() -> CredentialDescription { credential.summary }

    public func accessToken(forceRenewal: Bool) async throws -> String {
        try await cache.token(
            forceRenewal: forceRenewal, now: { self.clock.now() }, margin: renewalMargin,
            fetch: { try await self.credential.requestToken() },
            acquired: { token, renewal in
                self.events(.token(TokenNotice(method: self.credential.summary.method, expiresOn: token.expiresOn,
                                               renewal: renewal)))
            }
        ).value
    }

    // MARK: - Selection

    static func select(
        environment: [String: String], cloud: GraphCloud, authorityHost: String?, transport: any HTTPTransport,
        redactor: Redactor, clock: any GraphClock, commandRunner: any CommandRunner,
        instanceMetadataEndpoint: String = ManagedIdentityCredential.instanceMetadataEndpoint
    ) throws(AuthenticationError) -> any TokenCredential {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else {
                return nil
            }
            return raw
        }

        if let token = value("SCIMCTL_ACCESS_TOKEN") {
            redactor.register(token)
            return StaticTokenCredential(token: token, clock: clock)
        }

        // Managed identity: App Service / Functions announce their endpoint; IMDS is used when asked for by name.
        func managedIdentity(_ source: ManagedIdentityCredential.Source) -> ManagedIdentityCredential {
            ManagedIdentityCredential(
                source: source, clientID: value("AZURE_CLIENT_ID"), resource: cloud.graphURL, transport: transport,
                redactor: redactor, clock: clock)
        }
        let appService = value("IDENTITY_ENDPOINT").flatMap { endpoint in
            value("IDENTITY_HEADER").map { ManagedIdentityCredential.Source.appService(endpoint: endpoint, header: $0) }
        }
        if value("AZURE_TOKEN_CREDENTIALS")?.lowercased() == "managedidentitycredential" {
            return managedIdentity(appService ?? .instanceMetadata(endpoint: instanceMetadataEndpoint))
        }

        let tenant = value("AZURE_TENANT_ID")
        let client = value("AZURE_CLIENT_ID")
        let secret = value("AZURE_CLIENT_SECRET")
        let certificatePath = value("AZURE_CLIENT_CERTIFICATE_PATH")
        let tokenFile = value("AZURE_FEDERATED_TOKEN_FILE")
        let actionsURL = value("ACTIONS_ID_TOKEN_REQUEST_URL")
        let actionsToken = value("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
        // Used as given (not trimmed): spaces may be part of a password. Empty means none.
        let certificatePassword = environment["AZURE_CLIENT_CERTIFICATE_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let secret { redactor.register(secret) }
        if let certificatePassword { redactor.register(certificatePassword) }
        if let actionsToken { redactor.register(actionsToken) }

        let wantsServicePrincipal = secret != nil || certificatePath != nil || tokenFile != nil
        if wantsServicePrincipal || (actionsURL != nil && actionsToken != nil && (tenant != nil || client != nil)) {
            let missing = [("AZURE_TENANT_ID", tenant), ("AZURE_CLIENT_ID", client)].filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty {
                let chosenBy = secret != nil ? "AZURE_CLIENT_SECRET" : certificatePath != nil
                    ? "AZURE_CLIENT_CERTIFICATE_PATH" : tokenFile != nil ? "AZURE_FEDERATED_TOKEN_FILE" : "ACTIONS_ID_TOKEN_REQUEST_URL"
                throw AuthenticationError(
                    kind: .invalidConfiguration,
                    message: "\(chosenBy) is set but \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not")
            }
        }

        if let tenant, let client {
            let authority: String
            do {
                authority = try cloud.authorityURL(override: authorityHost, environment: environment)
            } catch {
                throw AuthenticationError(kind: .invalidConfiguration, message: "invalid authority host: \(error.message)")
            }
            let endpoint = TokenEndpoint(authority: authority, tenantID: tenant, clientID: client, scope: cloud.scope,
                                         transport: transport, redactor: redactor, clock: clock)
            if let secret {
                return ClientSecretCredential(endpoint: endpoint, secret: secret)
            }
            if let certificatePath {
                var contents = try CredentialFile.read(certificatePath, variable: "AZURE_CLIENT_CERTIFICATE_PATH")
                defer { SecretMemory.wipe(&contents) }
                let certificate = try ClientCertificate(pemBytes: contents, path: certificatePath,
                                                        password: certificatePassword, now: clock.now())
                return ClientCertificateCredential(endpoint: endpoint, certificate: certificate, path: certificatePath)
            }
            if let tokenFile {
                return FederatedTokenFileCredential(endpoint: endpoint, path: tokenFile)
            }
            if let actionsURL, let actionsToken {
                return GitHubActionsCredential(endpoint: endpoint, requestURL: actionsURL, requestToken: actionsToken,
                                               audience: cloud.federationAudience)
            }
        }

        if let appService {
            return managedIdentity(appService)
        }

        if let az = Self.executable(named: "az", path: environment["PATH"]) {
            return AzureCLICredential(executable: az, tenantID: tenant, runner: commandRunner, redactor: redactor,
                                      clock: clock)
        }

        throw AuthenticationError(
            kind: .notConfigured, message: "no credentials found in the environment",
            hint: "set SCIMCTL_ACCESS_TOKEN, or AZURE_TENANT_ID and AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, "
                + "AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE, run in GitHub Actions with "
                + "id-token: write, use a managed identity (AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential on an "
                + "Azure VM), or sign in with `az login`")
    }

    static func executable(named name: String, path: String?) -> String? {
        guard let path else { return nil }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = directory.hasSuffix("/") ? "\(directory)\(name)" : "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// The token of the run; concurrent callers share one in-flight request.
private actor TokenCache {
    private var current: AccessToken?
    private var inFlight: Task<AccessToken, any Error>?
    private var acquiredBefore = false

    func token(
        forceRenewal: Bool, now: @Sendable () -> Date, margin: Double,
        fetch: @escaping @Sendable () async throws -> AccessToken,
        acquired: @escaping @Sendable (AccessToken, Bool) -> Void
    ) async throws -> AccessToken {
        if !forceRenewal, let current, Self.isFresh(current, now: now(), margin: margin) {
            return current
        }
        if let inFlight { return try await inFlight.value }
        if forceRenewal { current = nil }
        let renewal = acquiredBefore
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        let token = try await task.value
        current = token
        acquiredBefore = true
        acquired(token, renewal)
        return token
    }

    private static func isFresh(_ token: AccessToken, now: Date, margin: Double) -> Bool {
        guard let expiresOn = token.expiresOn else { return true }
        return expiresOn.timeIntervalSince(now) > margin
    }
}
