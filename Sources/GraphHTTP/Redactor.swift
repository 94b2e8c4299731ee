import Foundation
import GraphModel

/// Masks secrets before anything leaves the library (events, errors, descriptions). It knows two things:
/// every secret value registered with it (tokens, client secrets, assertions, vendor secret tokens), and the
/// shapes that carry secrets whatever their value (Authorization headers, `client_secret=` form fields,
/// `access_token` JSON members, Graph `SecretToken` entries). Copies share one registry, so a token acquired
/// later is masked everywhere.
public struct Redactor: Sendable {
    public static let mask = "[REDACTED]"

    /// Graph synchronization secret keys whose values are credentials (others, like BaseAddress, are not).
    public static let secretKeys: Set<String> = [
        "secrettoken", "password", "clientsecret", "apitoken", "token", "oauth2clientsecret", "accesstoken",
        "refreshtoken", "privatekey",
    ]

    /// JSON members and form fields whose values are always secret.
    static let sensitiveNames: Set<String> = [
        "access_token", "refresh_token", "id_token", "client_secret", "client_assertion", "assertion", "password",
        "accesstoken", "secret", "secrettoken",
    ]

    private let registry: SecretRegistry

    public init() {
        registry = SecretRegistry()
    }

    /// Secrets at least this long are masked wherever they appear; shorter ones only where they stand alone
    /// (between characters that are not letters or digits), so a short token echoed by a server is still masked
    /// without garbling every word that happens to contain it.
    public static let minimumEmbeddedLength = 6

    /// Remembers `secret` so every later redaction masks it, in the forms a server may echo it: as is,
    /// percent-encoded (with `%20` or `+` for a space), and JSON-escaped (minimal, or with every non-alphanumeric
    /// character as `\uXXXX`, in either hex case).
    public func register(_ secret: String) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        var variants: Set<String> = [trimmed]
        if let encoded = trimmed.addingPercentEncoding(withAllowedCharacters: .formValueAllowed) {
            variants.insert(encoded)
            variants.insert(encoded.replacingOccurrences(of: "%20", with: "+"))
        }
        let jsonEscaped = JSONValue.string(trimmed).serialized()
        variants.insert(String(jsonEscaped.dropFirst().dropLast()))
        for uppercase in [false, true] {
            var escaped = ""
            for unit in trimmed.utf16 {
                if let scalar = Unicode.Scalar(unit), scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                    escaped.unicodeScalars.append(scalar)
                } else {
                    let hex = String(unit, radix: 16, uppercase: uppercase)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
            variants.insert(escaped)
        }
        registry.add(variants)
    }

    /// Free text: known secrets, bearer credentials, secret form fields and JSON members, and anything shaped like a JWT.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in registry.all() where result.contains(secret) {
            if secret.count >= Self.minimumEmbeddedLength {
                result = result.replacingOccurrences(of: secret, with: Self.mask)
            } else {
                result = Self.maskingStandalone(secret, in: result)
            }
        }
        for pattern in Self.patterns {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.expression.stringByReplacingMatches(
                in: result, options: [], range: range, withTemplate: pattern.template)
        }
        return result
    }

    public func redact(_ headers: HTTPHeaders) -> HTTPHeaders {
        var masked = HTTPHeaders()
        for field in headers {
            let name = field.name.lowercased()
            if name == "authorization" || name == "proxy-authorization" || name == "cookie" || name == "set-cookie" {
                masked.add(field.name, Self.mask)
            } else {
                masked.add(field.name, redact(field.value))
            }
        }
        return masked
    }

    /// A JSON tree with secret members and Graph secret entries masked, and known secrets masked in every string.
    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(redact(text))
        case .array(let elements):
            return .array(elements.map(redact))
        case .object(let members):
            let entryKey = members["key"]?.stringValue?.lowercased()
            let isSecretEntry = entryKey.map { Self.secretKeys.contains($0) } ?? false
            var masked: [String: JSONValue] = [:]
            for (name, member) in members {
                if Self.sensitiveNames.contains(name.lowercased()) || (isSecretEntry && name == "value") {
                    masked[name] = member.isNull ? member : .string(Self.mask)
                } else {
                    masked[name] = redact(member)
                }
            }
            return .object(masked)
        default:
            return value
        }
    }

    /// A request or response body for a trace: JSON is masked structurally, anything else as text.
    public func redactBody(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        if let json = try? JSONValue(parsing: body) { return redact(json).serialized() }
        return redact(String(decoding: body, as: UTF8.self))
    }

    /// `text` with each occurrence of `secret` that is not part of a longer word replaced by the mask.
    static func maskingStandalone(_ secret: String, in text: String) -> String {
        let needle = Array(secret.unicodeScalars)
        let haystack = Array(text.unicodeScalars)
        func isWord(_ index: Int) -> Bool {
            guard index >= 0, index < haystack.count else { return false }
            return haystack[index].properties.isAlphabetic || haystack[index].properties.numericType != nil
        }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < haystack.count {
            if index + needle.count <= haystack.count, Array(haystack[index..<index + needle.count]) == needle,
                !isWord(index - 1), !isWord(index + needle.count)
            {
                output.append(contentsOf: mask.unicodeScalars)
                index += needle.count
            } else {
                output.append(haystack[index])
                index += 1
            }
        }
        return String(output)
    }

    private struct Pattern: @unchecked Sendable {
        let expression: NSRegularExpression
        let template: String
    }

    private static let patterns: [Pattern] = {
        let names = "access_token|refresh_token|id_token|client_secret|client_assertion|assertion|password"
        let sources: [(String, String)] = [
            // Authorization: Bearer <token> / Basic <credentials>
            (#"(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*"#, "$1 \(mask)"),
            // client_secret=...&  in form bodies and query strings
            (#"(?i)\b(\#(names))=[^&\s"]*"#, "$1=\(mask)"),
            // "access_token": "..." in JSON text
            (#"(?i)("(?:\#(names)|accessToken|secretToken)"\s*:\s*)"(?:[^"\\]|\\.)*""#, "$1\"\(mask)\""),
            // Anything shaped like a JWT (header.payload.signature, base64url, header starting with {")
            (#"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"#, mask),
        ]
        return sources.compactMap { source, template in
            (try? NSRegularExpression(pattern: source)).map { Pattern(expression: $0, template: template) }
        }
    }()
}

/// The shared, lock-protected set behind `Redactor`.
private final class SecretRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var secrets: [String] = []

    func add(_ values: Set<String>) {
        lock.withLock {
            for value in values where !secrets.contains(value) { secrets.append(value) }
            // Longest first, so a secret that contains another is masked whole.
            secrets.sort { $0.count > $1.count }
        }
    }

    func all() -> [String] { lock.withLock { secrets } }
}

extension CharacterSet {
    /// Characters left as is in `application/x-www-form-urlencoded` values.
    static let formValueAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")
}
