import Foundation

/// How to reach Microsoft Graph, as the caller's options say.
public struct GraphConnectionSettings: Sendable {
    public var cloud = "global"
    /// A Graph root that replaces the cloud's (http only to loopback).
    public var graphURL: String?
    public var authorityHost: String?
    public var caCertificatePath: String?
    /// Time budget in seconds for each request, retries included.
    public var timeout: Double = 300
    public var traceBodies = false
    /// Sent as `User-Agent: scimctl/<version>`.
    public var clientVersion: String

    public init(
        clientVersion: String, cloud: String = "global", graphURL: String? = nil, authorityHost: String? = nil,
        caCertificatePath: String? = nil, timeout: Double = 300, traceBodies: Bool = false
    ) {
        (self.clientVersion, self.cloud, self.graphURL, self.authorityHost) = (clientVersion, cloud, graphURL, authorityHost)
        (self.caCertificatePath, self.timeout, self.traceBodies) = (caCertificatePath, timeout, traceBodies)
    }

    /// What makes these settings unusable, found before any request; nil when there is nothing.
    public var problem: GraphSettingsProblem? {
        guard GraphCloud.named(cloud) != nil else { return .unknownCloud(cloud) }
        guard timeout > 0 else { return .nonPositiveTimeout }
        if let caCertificatePath, !FileManager.default.isReadableFile(atPath: caCertificatePath) {
            return .unreadableCACertificate(caCertificatePath)
        }
        return nil
    }
}

/// Settings that cannot work, found before any request (the executable words them with its option names).
public enum GraphSettingsProblem: Sendable, Hashable {
    case unknownCloud(String)
    case nonPositiveTimeout
    case unreadableCACertificate(String)
}

/// Why a session cannot be set up.
public enum GraphSessionError: Error, Sendable {
    case unknownCloud(String)
    /// The transport cannot be set up (libcurl cannot be initialised); the message is redacted.
    case transport(String)
    case credentials(any Error)
    /// The Graph root URL is not acceptable.
    case graphURL(any Error)
}

/// A configured Graph client with its transport and credential, built once per run.
public struct GraphSession: Sendable {
    public var client: GraphClient
    public var credentials: CredentialChain
    public var transport: CurlTransport
    public var cloud: GraphCloud
    public var redactor: Redactor

    public static func make(
        _ settings: GraphConnectionSettings, concurrency: Int = 4,
        environment: [String: String] = ProcessInfo.processInfo.environment, events: @escaping GraphEventSink
    ) throws(GraphSessionError) -> GraphSession {
        guard let cloud = GraphCloud.named(settings.cloud) else { throw .unknownCloud(settings.cloud) }
        let redactor = Redactor()
        let transport: CurlTransport
        do {
            transport = try CurlTransport(
                configuration: .init(
                    version: settings.clientVersion, caCertificatePath: settings.caCertificatePath,
                    maximumConcurrentRequests: concurrency))
        } catch {
            throw .transport(redactor.redact(String(describing: error)))
        }
        let credentials: CredentialChain
        do {
            credentials = try CredentialChain(
                environment: environment, cloud: cloud,
                authorityHost: settings.authorityHost ?? environment["AZURE_AUTHORITY_HOST"], transport: transport,
                redactor: redactor, events: events)
        } catch {
            throw .credentials(error)
        }
        // Normalised: a pasted `https://graph.microsoft.com/v1.0` must not become `/v1.0/v1.0/...`.
        let baseURL: String
        do {
            baseURL = try cloud.graphBaseURL(override: settings.graphURL, environment: environment)
        } catch {
            throw .graphURL(error)
        }
        let client = GraphClient(
            baseURL: baseURL, transport: transport, tokens: credentials, redactor: redactor,
            options: .init(retry: RetryPolicy(deadline: settings.timeout), traceBodies: settings.traceBodies),
            events: events)
        return GraphSession(client: client, credentials: credentials, transport: transport, cloud: cloud, redactor: redactor)
    }

    /// Which tenant this session writes to, for the apply journal and lock names: the Graph root plus the tenant
    /// id (from AZURE_TENANT_ID, else the token's `tid` claim). Never the token itself.
    public func tenantScope(environment: [String: String] = ProcessInfo.processInfo.environment) async -> String {
        var tenant = environment["AZURE_TENANT_ID"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if tenant == nil, let token = try? await credentials.accessToken(forceRenewal: false) {
            tenant = AccessTokenClaims.tenantID(in: token)?.lowercased()
        }
        return client.baseURL + "|" + (tenant ?? "tenant-of-the-token")
    }
}
