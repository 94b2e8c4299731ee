import Foundation
import GraphModel

/// `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant with a client secret (form field or HTTP
/// Basic) or a client assertion (certificate or federated JWT). Tokens are opaque; the emulator only checks shape.
extension EmulatorEngine {
    static let jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    func tokenResponse(_ context: inout GraphCallContext) -> EmulatorResponse {
        let form = TargetParsing.formFields(Substring(String(decoding: context.request.body, as: UTF8.self)))
        var clientId = form["client_id"]
        var clientSecret = form["client_secret"]
        if let basic = context.request.headers["authorization"], basic.lowercased().hasPrefix("basic ") {
            // RFC 6749 §2.3.1: id and secret may come as HTTP Basic credentials instead of form fields.
            if let decoded = Base64.decode(String(basic.dropFirst("basic ".count))),
                let colon = decoded.firstIndex(of: ":")
            {
                clientId = clientId ?? TargetParsing.percentDecoded(decoded[..<colon], plusIsSpace: true)
                clientSecret = TargetParsing.percentDecoded(decoded[decoded.index(after: colon)...], plusIsSpace: true)
            }
        }
        guard let grantType = form["grant_type"], !grantType.isEmpty else {
            return tokenError(context, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
        }
        guard grantType == "client_credentials" else {
            return tokenError(context, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '\(grantType)'.")
        }
        guard let clientId, !clientId.isEmpty else {
            return tokenError(context, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")
        }
        guard let scope = form["scope"], !scope.isEmpty else {
            return tokenError(context, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.")
        }
        guard scope.hasSuffix("/.default") else {
            return tokenError(context, "invalid_scope", 1002012, "The provided value for scope \(scope) is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
        }
        if let assertion = form["client_assertion"] {
            guard form["client_assertion_type"] == Self.jwtBearerAssertionType else {
                return tokenError(context, "invalid_request", 50027, "The client_assertion_type must be '\(Self.jwtBearerAssertionType)'.")
            }
            let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                return tokenError(context, "invalid_client", 50027, "JWT token is invalid or malformed.")
            }
        } else {
            guard let clientSecret, !clientSecret.isEmpty else {
                return tokenError(context, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.")
            }
        }
        let lifetime = configuration.tokenLifetimeSeconds
        let token = issueToken()
        return context.decorate(
            .json(
                200,
                [
                    "token_type": "Bearer", "expires_in": .integer(Int64(lifetime)),
                    "ext_expires_in": .integer(Int64(lifetime)), "access_token": .string(token),
                ], headers: ["Cache-Control": "no-store, no-cache", "Pragma": "no-cache"]))
    }

    /// Entra's token errors: `error`, `error_description` with AADSTS code and trace lines, `error_codes`, ids.
    private func tokenError(_ context: GraphCallContext, _ error: String, _ code: Int, _ description: String) -> EmulatorResponse {
        let traceId = generator.guid()
        let correlationId = context.clientRequestId ?? generator.guid()
        let stamp = context.date.replacingOccurrences(of: "T", with: " ")
        let body: JSONValue = [
            "error": .string(error),
            "error_description": .string("AADSTS\(code): \(description)\r\nTrace ID: \(traceId)\r\nCorrelation ID: \(correlationId)\r\nTimestamp: \(stamp)"),
            "error_codes": [.integer(Int64(code))],
            "timestamp": .string(stamp),
            "trace_id": .string(traceId),
            "correlation_id": .string(correlationId),
        ]
        let status = error == "invalid_client" ? 401 : 400
        return context.decorate(.json(status, body))
    }
}

/// Standard base64 decoding for HTTP Basic credentials.
enum Base64 {
    static func decode(_ text: String) -> String? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var lookup = [UInt8?](repeating: nil, count: 256)
        for (index, byte) in alphabet.enumerated() { lookup[Int(byte)] = UInt8(index) }
        var bits: UInt32 = 0
        var bitCount = 0
        var output: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") && byte != UInt8(ascii: " ") {
            guard let value = lookup[Int(byte)] else { return nil }
            bits = bits << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: bits >> UInt32(bitCount)))
            }
        }
        return String(bytes: output, encoding: .utf8)
    }
}
