import Crypto
import Foundation
import GraphSync
import _CryptoExtras

/// A certificate and its RSA private key, read from one PEM file (AZURE_CLIENT_CERTIFICATE_PATH).
public struct ClientCertificate: Sendable {
    /// DER bytes of the first certificate in the file (the leaf).
    public let certificateDER: [UInt8]
    let privateKey: _RSA.Signing.PrivateKey

    /// base64url SHA-256 of the certificate DER: the `x5t#S256` JWT header.
    public var sha256Thumbprint: String { Base64URL.encode(SHA256.hash(data: certificateDER)) }
    /// base64url SHA-1 of the certificate DER: the legacy `x5t` JWT header (a thumbprint, not a security use of SHA-1).
    public var sha1Thumbprint: String { Base64URL.encode(Insecure.SHA1.hash(data: certificateDER)) }
    /// The hex SHA-1 thumbprint as the Entra portal lists it.
    public var portalThumbprint: String {
        Insecure.SHA1.hash(data: certificateDER).map { String(format: "%02X", $0) }.joined()
    }

    /// - Parameters:
    ///   - path: how errors name the file.
    ///   - password: AZURE_CLIENT_CERTIFICATE_PASSWORD, for an `ENCRYPTED PRIVATE KEY` (PKCS#8, PBES2 with AES-CBC)
    ///     or a traditional `Proc-Type: 4,ENCRYPTED` key (AES-CBC); ignored when the key is not encrypted.
    ///     It never appears in an error.
    public init(pem: String, path: String = "the certificate file", password: String? = nil) throws(AuthenticationError) {
        let blocks = PEMBlock.all(in: pem)
        guard !blocks.isEmpty else {
            throw AuthenticationError(
                kind: .invalidConfiguration, message: "\(path) is not a PEM file",
                hint: "PKCS#12 (.pfx) is not supported; convert it with `openssl pkcs12 -in cert.pfx -nodes -out cert.pem`")
        }
        guard let certificate = blocks.first(where: { $0.label == "CERTIFICATE" }) else {
            throw AuthenticationError(kind: .invalidConfiguration, message: "\(path) has no CERTIFICATE block")
        }
        let keyLabels: Set<String> = ["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]
        guard let keyBlock = blocks.first(where: { keyLabels.contains($0.label) }) else {
            let hint = blocks.contains { $0.label == "EC PRIVATE KEY" }
                ? "Microsoft Entra accepts RSA certificates only" : "append the private key to the file"
            throw AuthenticationError(kind: .invalidConfiguration, message: "\(path) has no RSA private key", hint: hint)
        }
        do {
            if keyBlock.isEncrypted {
                let keyDER = try Self.decrypt(keyBlock, path: path, password: password)
                privateKey = try _RSA.Signing.PrivateKey(derRepresentation: keyDER)
            } else {
                privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: keyBlock.text)
            }
        } catch let error as AuthenticationError {
            throw error
        } catch {
            throw AuthenticationError(kind: .invalidConfiguration,
                                      message: "the private key in \(path) is not a usable RSA key of 2048 bits or more")
        }
        certificateDER = certificate.der
    }

    private static func decrypt(_ block: PEMBlock, path: String, password: String?) throws(AuthenticationError) -> [UInt8] {
        guard let password, !password.isEmpty else {
            throw AuthenticationError(
                kind: .invalidConfiguration,
                message: "the private key in \(path) is encrypted and AZURE_CLIENT_CERTIFICATE_PASSWORD is not set",
                hint: "set AZURE_CLIENT_CERTIFICATE_PASSWORD to the key's password")
        }
        do {
            return block.label == "ENCRYPTED PRIVATE KEY"
                ? try EncryptedPrivateKey.decryptPKCS8(block.der, password: Array(password.utf8))
                : try EncryptedPrivateKey.decryptTraditional(block.der, dekInfo: block.headers["DEK-Info"],
                                                             password: Array(password.utf8))
        } catch {
            let reencrypt = "re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in \(path) -out key.pem` "
                + "and combine key.pem with the certificate"
            switch error {
            case .badPadding:
                throw AuthenticationError(
                    kind: .invalidConfiguration,
                    message: "AZURE_CLIENT_CERTIFICATE_PASSWORD does not decrypt the private key in \(path) (bad padding)",
                    hint: "check the password")
            case .notAKey:
                throw AuthenticationError(
                    kind: .invalidConfiguration,
                    message: "AZURE_CLIENT_CERTIFICATE_PASSWORD does not decrypt the private key in \(path) (the result is not a key)",
                    hint: "check the password")
            case .unsupported(let algorithm):
                throw AuthenticationError(
                    kind: .invalidConfiguration,
                    message: "the private key in \(path) is encrypted with \(algorithm), which scimctl cannot decrypt",
                    hint: "only PBES2 (PBKDF2 with AES-CBC) and traditional AES-CBC keys are supported; \(reencrypt)")
            case .malformed(let detail):
                throw AuthenticationError(
                    kind: .invalidConfiguration, message: "the encrypted private key in \(path) is damaged: \(detail)")
            }
        }
    }

    public enum SigningAlgorithm: String, Sendable, Hashable {
        /// RSASSA-PSS with SHA-256 and an `x5t#S256` header: what Entra asks for today.
        case ps256 = "PS256"
        /// RSASSA-PKCS1-v1_5 with SHA-256 and an `x5t` header: the older form, kept as a fallback.
        case rs256 = "RS256"
    }

    /// A client assertion JWT for `audience` (the token endpoint URL), valid for ten minutes.
    public func assertion(clientID: String, audience: String, algorithm: SigningAlgorithm, now: Date,
                          id: String = UUID().uuidString.lowercased()) throws(AuthenticationError) -> String {
        var header: JSONValue = ["alg": .string(algorithm.rawValue), "typ": "JWT"]
        switch algorithm {
        case .ps256: header["x5t#S256"] = .string(sha256Thumbprint)
        case .rs256: header["x5t"] = .string(sha1Thumbprint)
        }
        let issued = Int64(now.timeIntervalSince1970)
        let claims: JSONValue = [
            "aud": .string(audience), "iss": .string(clientID), "sub": .string(clientID), "jti": .string(id),
            "nbf": .integer(issued), "iat": .integer(issued), "exp": .integer(issued + 600),
        ]
        let signingInput = Base64URL.encode(Array(header.serialized().utf8)) + "."
            + Base64URL.encode(Array(claims.serialized().utf8))
        let signature: _RSA.Signing.RSASignature
        do {
            signature = try privateKey.signature(
                for: Array(signingInput.utf8), padding: algorithm == .ps256 ? .PSS : .insecurePKCS1v1_5)
        } catch {
            throw AuthenticationError(kind: .invalidConfiguration, message: "signing the client assertion failed")
        }
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }
}

/// One `-----BEGIN X-----` … `-----END X-----` block.
struct PEMBlock {
    var label: String
    /// The block including its armour lines, as PEM parsers expect.
    var text: String
    var der: [UInt8]
    /// RFC 1421 headers such as `Proc-Type` and `DEK-Info` (traditional encrypted OpenSSL keys).
    var headers: [String: String] = [:]

    /// Old OpenSSL "Proc-Type: 4,ENCRYPTED" keys.
    var isLegacyEncrypted: Bool { headers["Proc-Type"]?.contains("ENCRYPTED") == true }
    var isEncrypted: Bool { label == "ENCRYPTED PRIVATE KEY" || isLegacyEncrypted }

    static func all(in pem: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var lines: [String] = []
        var headers: [String: String] = [:]
        var body = ""
        for rawLine in pem.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if label == nil, line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5))
                lines = [line]
                headers = [:]
                body = ""
            } else if let current = label, line == "-----END \(current)-----" {
                lines.append(line)
                let der = Data(base64Encoded: body).map { Array($0) } ?? []
                blocks.append(PEMBlock(label: current, text: lines.joined(separator: "\n") + "\n", der: der,
                                       headers: headers))
                label = nil
            } else if label != nil {
                lines.append(line)
                if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                    headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                } else {
                    body += line
                }
            }
        }
        return blocks
    }
}

/// AZURE_CLIENT_CERTIFICATE_PATH: signs a fresh client assertion for every token request. PS256 first; if the
/// login service rejects the client, one more try with RS256/x5t, which older registrations expect.
public final class ClientCertificateCredential: TokenCredential, @unchecked Sendable {
    let endpoint: TokenEndpoint
    let certificate: ClientCertificate
    let path: String
    private let lock = NSLock()
    private var preferred: ClientCertificate.SigningAlgorithm = .ps256

    init(endpoint: TokenEndpoint, certificate: ClientCertificate, path: String) {
        self.endpoint = endpoint
        self.certificate = certificate
        self.path = path
    }

    public var summary: CredentialDescription {
        CredentialDescription(
            method: .clientCertificate, tenantID: endpoint.tenantID, clientID: endpoint.clientID,
            authority: endpoint.authority, detail: "certificate: \(path) (thumbprint \(certificate.portalThumbprint))")
    }

    public func requestToken() async throws -> AccessToken {
        let first = lock.withLock { preferred }
        do {
            return try await request(with: first)
        } catch let error as AuthenticationError where first == .ps256 && error.code?.hasPrefix("invalid_client") == true {
            let token = try await request(with: .rs256)
            lock.withLock { preferred = .rs256 }
            return token
        }
    }

    private func request(with algorithm: ClientCertificate.SigningAlgorithm) async throws -> AccessToken {
        let assertion = try certificate.assertion(clientID: endpoint.clientID, audience: endpoint.url,
                                                  algorithm: algorithm, now: endpoint.clock.now())
        endpoint.redactor.register(assertion)
        return try await endpoint.requestToken(credential: [
            ("client_assertion_type", jwtBearerAssertionType), ("client_assertion", assertion),
        ])
    }
}
