import Foundation

/// The one rule for where scimctl may send requests: https everywhere, plain http only to this machine
/// (the local Graph emulator). Checked before any byte leaves the process.
public enum URLPolicy {
    public struct Checked: Sendable, Hashable {
        public var scheme: String
        public var host: String
        /// An endpoint on this machine: loopback, or IMDS's link-local address. Plain http is allowed and proxies
        /// are bypassed.
        public var isLoopback: Bool
    }

    public static func check(_ url: String) throws(HTTPTransportError) -> Checked {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw HTTPTransportError(kind: .invalidURL, message: "not an absolute URL: \(safeForMessages(url))",
                                     requestNotSent: true)
        }
        guard scheme == "https" || scheme == "http" else {
            throw HTTPTransportError(kind: .insecureURL, message: "refusing the \(scheme) scheme: only https is allowed",
                                     requestNotSent: true)
        }
        guard let rawHost = components.host, !rawHost.isEmpty else {
            throw HTTPTransportError(kind: .invalidURL, message: "not an absolute URL: \(safeForMessages(url))",
                                     requestNotSent: true)
        }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        let loopback = isLoopback(host: host)
        switch scheme {
        case "https":
            return Checked(scheme: scheme, host: host, isLoopback: loopback)
        case "http" where loopback:
            return Checked(scheme: scheme, host: host, isLoopback: true)
        case "http" where host == instanceMetadataHost:
            // Azure's Instance Metadata Service (managed identity tokens) speaks only plain http, on a link-local
            // address the hypervisor answers from inside this machine: traffic never leaves the host, and it must
            // not go through a proxy. So it is treated like loopback (http allowed, no proxy); exactly this
            // address, nothing else in 169.254.0.0/16.
            return Checked(scheme: scheme, host: host, isLoopback: true)
        case "http":
            throw HTTPTransportError(
                kind: .insecureURL,
                message: "refusing plain http to \(host): use https (http is allowed only for 127.0.0.1, ::1 and localhost, and for Azure's instance metadata service)",
                requestNotSent: true)
        default:
            throw HTTPTransportError(kind: .insecureURL, message: "refusing the \(scheme) scheme: only https is allowed",
                                     requestNotSent: true)
        }
    }

    /// IMDS, the one non-loopback host allowed over plain http (see `check`).
    public static let instanceMetadataHost = "169.254.169.254"

    /// 127.0.0.0/8, ::1 and localhost.
    public static func isLoopback(host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        let numbers = octets.compactMap { part -> Int? in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = Int(part), value <= 255
            else { return nil }
            return value
        }
        return numbers.count == 4 && numbers.first == 127
    }

    /// A URL for messages: scheme, host and path only, so query strings never leak into errors.
    public static func safeForMessages(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "<unparsable URL>" }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string ?? "<unparsable URL>"
    }
}
