import Foundation
import GraphModel

/// Azure managed identity, as azure-identity's ManagedIdentityCredential reads it:
/// - App Service and Functions set IDENTITY_ENDPOINT (a loopback URL) and IDENTITY_HEADER (a per-process secret sent
///   as `X-IDENTITY-HEADER`);
/// - a VM, scale set or container instance asks the Instance Metadata Service (IMDS), plain http on the link-local
///   address 169.254.169.254 with `Metadata: true`.
/// A user-assigned identity is chosen by its client id (AZURE_CLIENT_ID); otherwise the system-assigned one is used.
public struct ManagedIdentityCredential: TokenCredential {
    public enum Source: Sendable, Hashable {
        case appService(endpoint: String, header: String)
        case instanceMetadata(endpoint: String)
    }

    /// IMDS's token endpoint. Tests pass a loopback stand-in instead; nothing else changes it.
    public static let instanceMetadataEndpoint = "http://169.254.169.254/metadata/identity/oauth2/token"

    let source: Source
    let clientID: String?
    /// The Graph root the token is for (`resource`, not a v2 scope: these endpoints speak the v1 protocol).
    let resource: String
    let transport: any HTTPTransport
    let redactor: Redactor
    let clock: any GraphClock

    public init(
        source: Source, clientID: String?, resource: String, transport: any HTTPTransport, redactor: Redactor,
        clock: any GraphClock = SystemClock()
    ) {
        self.source = source
        self.clientID = clientID
        self.resource = resource
        self.transport = transport
        self.redactor = redactor
        self.clock = clock
        if case .appService(_, let header) = source { redactor.register(header) }
    }

    public var summary: CredentialDescription {
        let detail: String
        switch source {
        case .appService(let endpoint, _): detail = "App Service identity endpoint \(URLPolicy.safeForMessages(endpoint))"
        case .instanceMetadata(let endpoint): detail = "instance metadata service \(URLPolicy.safeForMessages(endpoint))"
        }
        return CredentialDescription(
            method: .managedIdentity, tenantID: nil, clientID: clientID ?? "system-assigned", authority: nil,
            detail: detail)
    }

    public func requestToken() async throws -> AccessToken {
        var headers = HTTPHeaders()
        headers.add("Accept", "application/json")
        let endpoint: String
        var query = [("resource", resource)]
        switch source {
        case .appService(let url, let header):
            endpoint = url
            query.insert(("api-version", "2019-08-01"), at: 0)
            headers.add("X-IDENTITY-HEADER", header)
        case .instanceMetadata(let url):
            endpoint = url
            query.insert(("api-version", "2018-02-01"), at: 0)
            headers.add("Metadata", "true")
        }
        if let clientID { query.append(("client_id", clientID)) }
        let url = endpoint + (endpoint.contains("?") ? "&" : "?")
            + query.map { "\($0.0)=\(TokenEndpoint.formEncode($0.1))" }.joined(separator: "&")

        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: .get, url: url, headers: headers, timeout: .seconds(30)))
        } catch let error as HTTPTransportError {
            throw AuthenticationError(
                kind: .tokenRequestFailed,
                message: "could not reach the managed identity endpoint \(URLPolicy.safeForMessages(endpoint)): "
                    + redactor.redact(error.message),
                hint: "managed identity works only on Azure compute with an identity assigned")
        }
        let json = try? JSONValue(parsing: response.body)
        guard (200..<300).contains(response.status) else {
            let answer = json.map(OAuthErrorResponse.init(json:))
            let text: String? = answer?.errorDescription ?? json?["message"]?.stringValue
            let description = text?.split(whereSeparator: \.isNewline).first.map(String.init)
            throw AuthenticationError(
                kind: .tokenRequestFailed,
                message: "the managed identity endpoint answered HTTP \(response.status)"
                    + (description.map { ": " + redactor.redact($0) } ?? ""),
                code: answer?.error,
                hint: response.status == 400
                    ? "no managed identity is assigned to this resource\(clientID.map { " with client id \($0)" } ?? "")"
                    : nil)
        }
        let answer = json.map(OAuthTokenResponse.init(json:))
        guard let token = answer?.accessToken, !token.isEmpty else {
            throw AuthenticationError(kind: .tokenRequestFailed, message: "the managed identity endpoint answered without an access token")
        }
        redactor.register(token)
        // expires_on is epoch seconds (a string on both endpoints); expires_in is the fallback.
        let expiry: Date
        if let epoch = answer?.expiresOn {
            expiry = Date(timeIntervalSince1970: Double(epoch))
        } else {
            let lifetime = answer?.expiresIn ?? 3599
            expiry = clock.now().addingTimeInterval(Double(lifetime))
        }
        return AccessToken(value: token, expiresOn: expiry)
    }
}
