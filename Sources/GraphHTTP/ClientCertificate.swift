import Crypto
import Foundation
import GraphModel
import X509
import _CryptoExtras

/// A certificate and its RSA private key, read from one PEM file (AZURE_CLIENT_CERTIFICATE_PATH).
///
/// The file may hold a chain in any order: the certificate used is the one whose public key is the private key's.
/// Everything is checked locally, before any token request: a file whose certificates all belong to other keys,
/// or with a CERTIFICATE block that is not a certificate, is refused with the reason.
public struct ClientCertificate: Sendable {
    /// DER bytes of the certificate that belongs to the private key (the one named in assertions).
    public let certificateDER: [UInt8]
    let certificate: Certificate
    let privateKey: _RSA.Signing.PrivateKey
    /// How many certificates the file holds, the chosen one included.
    public let certificatesInFile: Int

    /// base64url SHA-256 of the certificate DER: the `x5t#S256` JWT header.
    public var sha256Thumbprint: String { Base64URL.encode(SHA256.hash(data: certificateDER)) }
    /// base64url SHA-1 of the certificate DER: the legacy `x5t` JWT header (a thumbprint, not a security use of SHA-1).
    public var sha1Thumbprint: String { Base64URL.encode(Insecure.SHA1.hash(data: certificateDER)) }
    /// The hex SHA-1 thumbprint as the Entra portal lists it.
    public var portalThumbprint: String { Hex.encode(Insecure.SHA1.hash(data: certificateDER)) }
    /// The hex SHA-256 thumbprint.
    public var sha256HexThumbprint: String { Hex.encode(SHA256.hash(data: certificateDER)) }
    /// The subject distinguished name, with any control characters escaped (it comes from the file).
    public var subject: String { FileText.escaped(certificate.subject.description) }
    public var issuer: String { FileText.escaped(certificate.issuer.description) }
    public var notValidBefore: Date { certificate.notValidBefore }
    public var notValidAfter: Date { certificate.notValidAfter }
    /// The public key's size; Entra accepts 2048 bits and more.
    public var keySizeInBits: Int { privateKey.keySizeInBits }

    public enum Validity: Sendable, Hashable {
        case valid
        case expired
        case notYetValid
    }

    public func validity(at date: Date) -> Validity {
        if date < notValidBefore { return .notYetValid }
        if date > notValidAfter { return .expired }
        return .valid
    }

    /// - Parameters:
    ///   - path: how errors name the file.
    ///   - password: AZURE_CLIENT_CERTIFICATE_PASSWORD, for an `ENCRYPTED PRIVATE KEY` (PKCS#8, PBES2 with AES-CBC)
    ///     or a traditional `Proc-Type: 4,ENCRYPTED` key (AES-CBC); ignored when the key is not encrypted.
    ///     It never appears in an error.
    ///   - now: when several certificates belong to the key, one valid at this time is preferred.
    public init(pem: String, path: String = "the certificate file", password: String? = nil,
                now: Date = Date()) throws(AuthenticationError) {
        var bytes = Array(pem.utf8)
        defer { SecretMemory.wipe(&bytes) }
        try self.init(pemBytes: bytes, path: path, password: password, now: now)
    }

    /// The same from the file's bytes, which the caller wipes afterwards.
    public init(pemBytes: [UInt8], path: String = "the certificate file", password: String? = nil,
                now: Date = Date()) throws(AuthenticationError) {
        let shown = FileText.escaped(path)
        guard pemBytes.count <= CredentialFile.maximumSize else {
            throw AuthenticationError(kind: .invalidConfiguration,
                                      message: "\(shown) is larger than a certificate file can be (\(pemBytes.count) bytes)")
        }
        var blocks = PEMBlock.all(in: pemBytes)
        defer { for index in blocks.indices { SecretMemory.wipe(&blocks[index].der) } }
        guard !blocks.isEmpty else {
            throw AuthenticationError(
                kind: .invalidConfiguration, message: "\(shown) is not a PEM file",
                hint: "PKCS#12 (.pfx) is not supported; convert it with `openssl pkcs12 -in cert.pfx -out cert.pem`, "
                    + "which keeps the key encrypted under the export password you choose, and set "
                    + "AZURE_CLIENT_CERTIFICATE_PASSWORD to that password")
        }
        let certificates = try Self.certificates(in: blocks, path: shown)
        privateKey = try Self.privateKey(in: blocks, path: shown, password: password)

        let publicKey = Certificate.PublicKey(privateKey.publicKey)
        let matching = certificates.filter { $0.certificate.publicKey == publicKey }
        guard let first = matching.first else {
            let found = certificates.map { "\(FileText.escaped($0.certificate.subject.description)) "
                + "(thumbprint \(Hex.encode(Insecure.SHA1.hash(data: $0.der))))" }
            throw AuthenticationError(
                kind: .invalidConfiguration,
                message: "no certificate in \(shown) belongs to its private key; found "
                    + found.joined(separator: ", "),
                hint: "put the certificate issued for this key in the file (compare "
                    + "`openssl x509 -noout -pubkey -in cert.pem` with `openssl pkey -pubout -in key.pem`)")
        }
        // A renewal may reuse the key: prefer a certificate valid now, then the one that lasts longest.
        let chosen = matching.filter { $0.certificate.notValidBefore <= now && now <= $0.certificate.notValidAfter }
            .max { $0.certificate.notValidAfter < $1.certificate.notValidAfter } ?? first
        certificate = chosen.certificate
        certificateDER = chosen.der
        certificatesInFile = certificates.count
    }

    /// Every CERTIFICATE block, parsed; one that is not a certificate makes the whole file invalid.
    private static func certificates(in blocks: [PEMBlock], path: String) throws(AuthenticationError)
        -> [(certificate: Certificate, der: [UInt8])]
    {
        let blocks = blocks.filter { $0.label == "CERTIFICATE" }
        guard !blocks.isEmpty else {
            throw AuthenticationError(kind: .invalidConfiguration, message: "\(path) has no CERTIFICATE block")
        }
        var parsed: [(certificate: Certificate, der: [UInt8])] = []
        for (index, block) in blocks.enumerated() {
            let ordinal = blocks.count == 1 ? "the CERTIFICATE block" : "CERTIFICATE block \(index + 1) of \(blocks.count)"
            guard block.isBase64, !block.der.isEmpty else {
                throw AuthenticationError(kind: .invalidConfiguration,
                                          message: "\(ordinal) in \(path) is not base64-encoded data")
            }
            // swift-asn1's error text names its own source lines, which would not help; the block number does.
            guard let certificate = try? Certificate(derEncoded: block.der) else {
                throw AuthenticationError(kind: .invalidConfiguration,
                                          message: "\(ordinal) in \(path) is not an X.509 certificate")
            }
            parsed.append((certificate, block.der))
        }
        return parsed
    }

    private static func privateKey(in blocks: [PEMBlock], path: String, password: String?)
        throws(AuthenticationError) -> _RSA.Signing.PrivateKey
    {
        let keyLabels: Set<String> = ["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]
        guard let keyBlock = blocks.first(where: { keyLabels.contains($0.label) }) else {
            let hint = blocks.contains { $0.label == "EC PRIVATE KEY" }
                ? "Microsoft Entra accepts RSA certificates only" : "append the private key to the file"
            throw AuthenticationError(kind: .invalidConfiguration, message: "\(path) has no RSA private key", hint: hint)
        }
        guard keyBlock.isBase64 else {
            throw AuthenticationError(kind: .invalidConfiguration,
                                      message: "the private key block in \(path) is not base64-encoded data")
        }
        guard keyBlock.isEncrypted else {
            do {
                return try _RSA.Signing.PrivateKey(derRepresentation: keyBlock.der)
            } catch {
                throw AuthenticationError(kind: .invalidConfiguration, message: Self.unusableKey(keyBlock.der, path: path))
            }
        }
        var keyDER = try decrypt(keyBlock, path: path, password: password)
        defer { SecretMemory.wipe(&keyDER) }
        do {
            return try _RSA.Signing.PrivateKey(derRepresentation: keyDER)
        } catch {
            // A key that decrypted to valid RSA parameters but is too small is a fact about the right password;
            // anything else is indistinguishable from a wrong password and gets its message.
            if (try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: keyDER)) != nil {
                throw AuthenticationError(kind: .invalidConfiguration, message: Self.unusableKey(keyDER, path: path))
            }
            if let algorithm = EncryptedPrivateKey.nonRSAAlgorithm(of: keyDER) {
                throw AuthenticationError(kind: .invalidConfiguration,
                                          message: "the private key in \(path) is not an RSA key (\(algorithm))",
                                          hint: "Microsoft Entra accepts RSA certificates only")
            }
            throw Self.notDecrypted(path)
        }
    }

    private static func unusableKey(_ der: [UInt8], path: String) -> String {
        if let small = try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: der) {
            return "the private key in \(path) has \(small.keySizeInBits) bits; Microsoft Entra needs 2048 or more"
        }
        return "the private key in \(path) is not a usable RSA key of 2048 bits or more"
    }

    /// The one message for every way decryption with a given password can fail.
    static func notDecrypted(_ path: String) -> AuthenticationError {
        AuthenticationError(
            kind: .invalidConfiguration,
            message: "the password does not decrypt the key in \(path), or the file is damaged",
            hint: "check AZURE_CLIENT_CERTIFICATE_PASSWORD")
    }

    private static func decrypt(_ block: PEMBlock, path: String, password: String?) throws(AuthenticationError) -> [UInt8] {
        guard let password, !password.isEmpty else {
            throw AuthenticationError(
                kind: .invalidConfiguration,
                message: "the private key in \(path) is encrypted and AZURE_CLIENT_CERTIFICATE_PASSWORD is not set",
                hint: "set AZURE_CLIENT_CERTIFICATE_PASSWORD to the key's password")
        }
        var passwordBytes = Array(password.utf8)
        defer { SecretMemory.wipe(&passwordBytes) }
        do {
            return block.label == "ENCRYPTED PRIVATE KEY"
                ? try EncryptedPrivateKey.decryptPKCS8(block.der, password: passwordBytes)
                : try EncryptedPrivateKey.decryptTraditional(block.der, dekInfo: block.headers["DEK-Info"],
                                                             password: passwordBytes)
        } catch {
            switch error {
            case .notDecrypted:
                throw notDecrypted(path)
            case .unsupported(let algorithm):
                throw AuthenticationError(
                    kind: .invalidConfiguration,
                    message: "the private key in \(path) is encrypted with \(algorithm), which scimctl cannot decrypt",
                    hint: "only PBES2 (PBKDF2 with AES-CBC) and traditional AES-CBC keys are supported; re-encrypt it "
                        + "with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in \(path) -out key.pem` "
                        + "and combine key.pem with the certificate")
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

    /// An entry point for fuzzing the certificate-file and key-decryption code with arbitrary bytes: never
    /// traps, returns whether a usable certificate and key came out. The first byte chooses the input:
    /// even, the rest is an EncryptedPrivateKeyInfo (DER) for the PBES2 path; odd, the rest is a whole PEM
    /// file. Both use the password `fuzz`, and PBKDF2 is capped at 1000 rounds so each input stays fast.
    public static func fuzzKeyDecryption(_ input: [UInt8]) -> Bool {
        guard let selector = input.first else { return false }
        let rest = Array(input.dropFirst())
        if selector % 2 == 0 {
            guard var key = try? EncryptedPrivateKey.decryptPKCS8(rest, password: Array("fuzz".utf8),
                                                                  maximumIterations: 1000) else { return false }
            defer { SecretMemory.wipe(&key) }
            return (try? _RSA.Signing.PrivateKey(derRepresentation: key)) != nil
        }
        return (try? ClientCertificate(pemBytes: rest, path: "fuzz.pem", password: "fuzz")) != nil
    }
}

/// One `-----BEGIN X-----` … `-----END X-----` block.
struct PEMBlock {
    var label: String
    /// The decoded body; empty when it is not base64 (see `isBase64`).
    var der: [UInt8]
    var isBase64: Bool
    /// RFC 1421 headers such as `Proc-Type` and `DEK-Info` (traditional encrypted OpenSSL keys).
    var headers: [String: String] = [:]

    /// The block re-armoured (for tests, which build files from blocks).
    var text: String {
        let lines = headers.sorted { $0.key > $1.key }.map { "\($0.key): \($0.value)\n" }.joined()
        return "-----BEGIN \(label)-----\n" + lines + Data(der).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END \(label)-----\n"
    }

    /// Old OpenSSL "Proc-Type: 4,ENCRYPTED" keys.
    var isLegacyEncrypted: Bool { headers["Proc-Type"]?.contains("ENCRYPTED") == true }
    var isEncrypted: Bool { label == "ENCRYPTED PRIVATE KEY" || isLegacyEncrypted }

    static func all(in pem: String) -> [PEMBlock] { all(in: Array(pem.utf8)) }

    /// Works on bytes so a key's base64 never becomes a `String` (which could not be wiped).
    static func all(in bytes: [UInt8]) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        body.reserveCapacity(bytes.count)  // no reallocation, so no unwiped copies of a key's base64
        defer { SecretMemory.wipe(&body) }
        for line in lines(of: bytes) {
            if label == nil {
                if let begun = armour(line, "-----BEGIN ") {
                    label = begun
                    headers = [:]
                    SecretMemory.wipe(&body)
                    body.removeAll(keepingCapacity: true)
                }
            } else if let current = label, armour(line, "-----END ") == current {
                let decoded = Base64.decode(body)
                blocks.append(PEMBlock(label: current, der: decoded ?? [], isBase64: decoded != nil, headers: headers))
                label = nil
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                // Base64 never contains a colon: this is an RFC 1421 header.
                let name = String(decoding: line[..<colon], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                headers[name] = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            } else {
                body += line
            }
        }
        return blocks
    }

    /// The label of a `-----BEGIN X-----` / `-----END X-----` line.
    private static func armour(_ line: ArraySlice<UInt8>, _ prefix: String) -> String? {
        let prefixBytes = Array(prefix.utf8)
        let suffix = Array("-----".utf8)
        guard line.count >= prefixBytes.count + suffix.count, line.starts(with: prefixBytes),
              line.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        return String(decoding: line.dropFirst(prefixBytes.count).dropLast(suffix.count), as: UTF8.self)
    }

    /// Lines without their terminator and surrounding blanks.
    private static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(omittingEmptySubsequences: true) { $0 == 0x0A || $0 == 0x0D }.map { line in
            var line = line
            while let first = line.first, first == 0x20 || first == 0x09 { line.removeFirst() }
            while let last = line.last, last == 0x20 || last == 0x09 { line.removeLast() }
            return line
        }.filter { !$0.isEmpty }
    }
}

/// Strict standard base64 (RFC 4648) into bytes, so decoded key material stays in buffers that can be wiped.
enum Base64 {
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var accumulator: UInt32 = 0
        var count = 0
        var padding = 0
        for character in text {
            if character == UInt8(ascii: "=") {
                padding += 1
                count += 1
                accumulator <<= 6
            } else {
                guard padding == 0, let value = value(of: character) else {
                    SecretMemory.wipe(&output)
                    return nil
                }
                accumulator = accumulator << 6 | UInt32(value)
                count += 1
            }
            if count == 4 {
                output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                if padding < 2 { output.append(UInt8(truncatingIfNeeded: accumulator >> 8)) }
                if padding < 1 { output.append(UInt8(truncatingIfNeeded: accumulator)) }
                accumulator = 0
                count = 0
            }
        }
        guard count == 0, padding <= 2 else {
            SecretMemory.wipe(&output)
            return nil
        }
        return output
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}

/// AZURE_CLIENT_CERTIFICATE_PATH: signs a fresh client assertion for every token request. PS256 first; if the
/// login service rejects the client, one more try with RS256/x5t, which older registrations expect.
public final class ClientCertificateCredential: TokenCredential, @unchecked Sendable {
    let endpoint: TokenEndpoint
    /// The certificate and key in use; `scimctl auth check` shows its public details.
    public let certificate: ClientCertificate
    public let path: String
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
            authority: endpoint.authority, detail: "certificate: \(FileText.escaped(path)) (thumbprint \(certificate.portalThumbprint))")
    }

    /// A warning when the certificate is outside its validity period at `date`: Entra refuses such a
    /// certificate, so the token request that follows will fail.
    public func validityWarning(at date: Date) -> CredentialWarning? {
        let formatter = ISO8601DateFormatter()
        let named = "the certificate in \(FileText.escaped(path)) (\(certificate.subject), thumbprint \(certificate.portalThumbprint))"
        switch certificate.validity(at: date) {
        case .valid:
            return nil
        case .expired:
            return CredentialWarning(
                message: "\(named) expired on \(formatter.string(from: certificate.notValidAfter)); "
                    + "Microsoft Entra will refuse it: upload a renewed certificate to the app registration")
        case .notYetValid:
            return CredentialWarning(
                message: "\(named) is not valid before \(formatter.string(from: certificate.notValidBefore)); "
                    + "Microsoft Entra will refuse it until then (check this machine's clock)")
        }
    }

    public func requestToken() async throws -> AccessToken {
        let first = lock.withLock { preferred }
        do {
            do {
                return try await request(with: first)
            } catch let error as AuthenticationError where first == .ps256 && error.code?.hasPrefix("invalid_client") == true {
                let token = try await request(with: .rs256)
                lock.withLock { preferred = .rs256 }
                return token
            }
        } catch var error as AuthenticationError where error.code?.hasPrefix("invalid_client") == true {
            // The login service's text is generic; an out-of-date certificate is the likely reason, so say it.
            if let warning = validityWarning(at: endpoint.clock.now()) { error.hint = warning.message }
            throw error
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
