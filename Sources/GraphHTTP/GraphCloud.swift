import Foundation

/// A Microsoft national cloud: where Graph and the login service live, and the ids that differ per cloud.
/// Tokens from one cloud are not accepted by another.
public struct GraphCloud: Sendable, Hashable, CustomStringConvertible {
    /// The name used on the command line (`--cloud global`).
    public let name: String
    public let graphURL: String
    /// The default authority host (Microsoft Entra login service) of the cloud.
    public let loginURL: String
    /// The "non-gallery application" template instantiated to create a custom enterprise app.
    public let nonGalleryTemplateID: String
    /// Audience a GitHub Actions OIDC token must carry for workload identity federation.
    public let federationAudience: String

    /// The client-credentials scope: every application permission granted for this cloud's Graph.
    public var scope: String { graphURL + "/.default" }

    public var description: String { name }

    public static let global = GraphCloud(
        name: "global", graphURL: "https://graph.microsoft.com", loginURL: "https://login.microsoftonline.com",
        nonGalleryTemplateID: "8adf8e6e-67b2-4cf2-a259-e3dc5476c621", federationAudience: "api://AzureADTokenExchange")
    /// US Government L4 (GCC High).
    public static let usgov = GraphCloud(
        name: "usgov", graphURL: "https://graph.microsoft.us", loginURL: "https://login.microsoftonline.us",
        nonGalleryTemplateID: "4602d0b4-76bb-404b-bca9-2652e1a39c6d",
        federationAudience: "api://AzureADTokenExchangeUSGov")
    /// US Government L5 (DoD). No template id of its own is documented; the US Government one is assumed.
    public static let usgovdod = GraphCloud(
        name: "usgovdod", graphURL: "https://dod-graph.microsoft.us", loginURL: "https://login.microsoftonline.us",
        nonGalleryTemplateID: "4602d0b4-76bb-404b-bca9-2652e1a39c6d",
        federationAudience: "api://AzureADTokenExchangeUSGov")
    /// Microsoft Azure operated by 21Vianet.
    public static let china = GraphCloud(
        name: "china", graphURL: "https://microsoftgraph.chinacloudapi.cn",
        loginURL: "https://login.partner.microsoftonline.cn",
        nonGalleryTemplateID: "5a532e38-1581-4918-9658-008dc27c1d68",
        federationAudience: "api://AzureADTokenExchangeChina")

    public static let all: [GraphCloud] = [.global, .usgov, .usgovdod, .china]

    public static func named(_ name: String) -> GraphCloud? {
        all.first { $0.name == name.lowercased() }
    }
}

/// Graph API versions; synchronization secrets can only be read back through beta.
public enum GraphAPIVersion: String, Sendable, Hashable {
    case v1 = "v1.0"
    case beta
}

extension GraphCloud {
    /// The Graph root to talk to: `--graph-url` wins, then `SCIMCTL_GRAPH_URL`, then the cloud's own.
    /// A trailing `/` or `/v1.0` / `/beta` is dropped; the URL must be https (or http on loopback, for the emulator).
    public func graphBaseURL(override: String?, environment: [String: String]) throws(HTTPTransportError) -> String {
        let chosen = override ?? environment["SCIMCTL_GRAPH_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? graphURL
        return try Self.normalizedRoot(chosen)
    }

    /// The authority to request tokens from: `--authority-host` wins, then `AZURE_AUTHORITY_HOST`, then the cloud's.
    /// A bare host name gets `https://`.
    public func authorityURL(override: String?, environment: [String: String]) throws(HTTPTransportError) -> String {
        var chosen = override ?? environment["AZURE_AUTHORITY_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? loginURL
        if !chosen.contains("://") { chosen = "https://" + chosen }
        return try Self.normalizedRoot(chosen)
    }

    static func normalizedRoot(_ url: String) throws(HTTPTransportError) -> String {
        var root = url.trimmingCharacters(in: .whitespaces)
        while root.hasSuffix("/") { root.removeLast() }
        for suffix in ["/" + GraphAPIVersion.v1.rawValue, "/" + GraphAPIVersion.beta.rawValue] where root.hasSuffix(suffix) {
            root.removeLast(suffix.count)
        }
        _ = try URLPolicy.check(root)
        guard let components = URLComponents(string: root), components.query == nil, components.fragment == nil else {
            throw HTTPTransportError(kind: .invalidURL, message: "a base URL cannot carry a query or fragment",
                                     requestNotSent: true)
        }
        return root
    }
}
