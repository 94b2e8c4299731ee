import Foundation
import GraphModel

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why saved or offered credentials do not work; rendered as a Graph error or a quarantine reason.
struct CredentialProblem: Sendable, Equatable {
    /// The code the provisioning service reports when it cannot reach or authenticate to the SCIM endpoint.
    static let validationCode = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable"
    var code = CredentialProblem.validationCode
    var message: String
}

/// The outcome of a real "test connection" query against a SCIM endpoint.
public enum ScimProbeResult: Sendable, Equatable {
    case reachable
    case failed(String)
}

/// Runs the service's connection test: `GET {base}/Users?filter=userName eq "<random>"` with the bearer token.
public protocol ScimProbing: Sendable {
    func probe(baseURL: String, token: String?, userName: String) async -> ScimProbeResult
}

/// Probes with URLSession; the token goes only into the Authorization header and never into a message.
public struct URLSessionScimProber: ScimProbing {
    public init() {}

    public func probe(baseURL: String, token: String?, userName: String) async -> ScimProbeResult {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let filter = "userName eq \"\(userName)\""
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        guard let encoded = filter.addingPercentEncoding(withAllowedCharacters: allowed),
            let url = URL(string: "\(base)/Users?filter=\(encoded)")
        else { return .failed("the SCIM base URL is not a valid URL") }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "GET"
        request.setValue("application/scim+json", forHTTPHeaderField: "Accept")
        if let token, !token.isEmpty { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { return .failed("the SCIM endpoint gave no HTTP answer") }
            guard http.statusCode == 200 else {
                return .failed("the SCIM endpoint answered HTTP \(http.statusCode) to the test query")
            }
            guard (try? JSONValue(parsing: Array(data)))?.objectValue != nil else {
                return .failed("the SCIM endpoint did not answer the test query with a JSON ListResponse")
            }
            return .reachable
        } catch {
            return .failed("the SCIM endpoint could not be reached")
        }
    }
}

extension EmulatorEngine {
    static let oauthClientCredentials = "OAuth2ClientCredentialsGrant"

    /// nil when the credentials would let the service talk to the SCIM endpoint.
    func credentialProblem(_ secrets: [SecretEntry]) async -> CredentialProblem? {
        func value(_ key: String) -> String? {
            guard let found = secrets.last(where: { $0.key == key })?.value, !found.trimmingSpaces.isEmpty else { return nil }
            return found
        }
        guard let baseAddress = value("BaseAddress") else {
            return CredentialProblem(message: "The tenant URL (BaseAddress) is missing.")
        }
        let token = value("SecretToken")
        if value("AuthenticationType") == Self.oauthClientCredentials {
            for key in ["Oauth2ClientId", "Oauth2ClientSecret", "Oauth2TokenExchangeUri"] where value(key) == nil {
                return CredentialProblem(message: "OAuth2 client credentials need \(key).")
            }
        } else if token == nil, !tokenIsOptional(for: baseAddress) {
            return CredentialProblem(message: "The secret token (SecretToken) is missing.")
        }
        if let target = configuration.scimTarget {
            let userName = generator.guid()
            switch await prober.probe(baseURL: target, token: token, userName: userName) {
            case .reachable: return nil
            case .failed(let reason):
                return CredentialProblem(message: "You appear to have entered invalid credentials: \(reason).")
            }
        }
        guard let url = ParsedURL(baseAddress), url.scheme == "https" else {
            return CredentialProblem(message: "The tenant URL must be an absolute https URL.")
        }
        return nil
    }

    /// Whether the app at `baseAddress` is configured to work without a token (see `tokenOptionalHosts`).
    func tokenIsOptional(for baseAddress: String) -> Bool {
        guard let host = ParsedURL(baseAddress)?.host.lowercased() else { return false }
        return configuration.tokenOptionalHosts.contains(host)
    }

    /// `useSavedCredentials: true` tests what was PUT to secrets; otherwise the offered `credentials`
    /// (falling back to the saved ones when none are offered).
    func validateCredentials(_ context: GraphCallContext, servicePrincipalId: String) async throws -> EmulatorResponse {
        let body = try context.jsonBody(allowEmpty: true)
        var secrets = state.secrets[servicePrincipalId] ?? []
        let useSaved = body["useSavedCredentials"]?.boolValue ?? false
        if !useSaved, let offered = body["credentials"], !offered.isNull {
            do {
                let entries = try TenantState.entries(offered, what: "credentials")
                if !entries.isEmpty { secrets = entries }
            } catch {
                throw GraphError.badRequest("'credentials' must be an array of {key, value} string pairs.")
            }
        }
        if let problem = await credentialProblem(secrets) {
            throw GraphError(status: 400, code: problem.code, message: problem.message)
        }
        return .noContent()
    }
}
