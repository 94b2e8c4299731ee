import Crypto
import Foundation
import GraphModel
import SwiftASN1
import TestSupport
import Testing
import _CryptoExtras
@testable import GraphHTTP

@Suite struct EncryptedKeyTests {
    /// The certificate of TestCertificate, which every encrypted copy of its key belongs to.
    static let certificateBlock = PEMBlock.all(in: TestCertificate.pem).first { $0.label == "CERTIFICATE" }?.text ?? ""

    static func withTestCertificate(_ key: String) -> String { certificateBlock + key + "\n" }

    /// The public half of TestCertificate's unencrypted key.
    func testPublicKey() throws -> _RSA.Signing.PublicKey {
        let keyPEM = try #require(PEMBlock.all(in: TestCertificate.pem).first { $0.label == "PRIVATE KEY" })
        return try _RSA.Signing.PrivateKey(pemRepresentation: keyPEM.text).publicKey
    }

    /// Signs a PS256 and an RS256 assertion and checks both against `key`.
    func expectAssertionsVerify(_ certificate: ClientCertificate, with key: _RSA.Signing.PublicKey) throws {
        for algorithm in [ClientCertificate.SigningAlgorithm.ps256, .rs256] {
            let jwt = try certificate.assertion(clientID: "client-1", audience: "https://login.example/token",
                                                algorithm: algorithm, now: Date(timeIntervalSince1970: 1_750_000_000))
            let parts = jwt.split(separator: ".").map(String.init)
            try #require(parts.count == 3)
            let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Base64URL.decode(parts[2])))
            let padding: _RSA.Signing.Padding = algorithm == .ps256 ? .PSS : .insecurePKCS1v1_5
            #expect(key.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8), padding: padding))
            #expect(!key.isValidSignature(signature, for: Array((parts[0] + "." + parts[1] + "x").utf8), padding: padding))
        }
    }

    static let passwordForms: [(name: String, pem: String, password: String)] = [
        ("pkcs8 aes-128-cbc hmacWithSHA1", EncryptedKeyFixtures.aes128SHA1, EncryptedKeyFixtures.password),
        ("pkcs8 aes-192-cbc hmacWithSHA384", EncryptedKeyFixtures.aes192SHA384, EncryptedKeyFixtures.password),
        ("pkcs8 aes-256-cbc hmacWithSHA512", EncryptedKeyFixtures.aes256SHA512, EncryptedKeyFixtures.password),
        ("pkcs8 aes-256-cbc hmacWithSHA256, utf-8 password", EncryptedKeyFixtures.unicodePKCS8,
         EncryptedKeyFixtures.unicodePassword),
        ("traditional AES-256-CBC", EncryptedKeyFixtures.legacyAES256, EncryptedKeyFixtures.password),
        ("traditional AES-128-CBC", EncryptedKeyFixtures.legacyAES128, EncryptedKeyFixtures.password),
    ]

    @Test(arguments: passwordForms.indices)
    func encryptedFormsDecryptAndSign(_ index: Int) throws {
        let form = Self.passwordForms[index]
        let certificate = try ClientCertificate(pem: Self.withTestCertificate(form.pem), path: "cert.pem",
                                                password: form.password)
        #expect(certificate.sha256Thumbprint == TestCertificate.sha256Thumbprint, "\(form.name)")
        try expectAssertionsVerify(certificate, with: try testPublicKey())
    }

    @Test func opensslGenpkeyDefaultsDecryptAndMatchTheirCertificate() throws {
        let pem = EncryptedKeyFixtures.generatedCertificate + "\n" + EncryptedKeyFixtures.generatedKey
        let certificate = try ClientCertificate(pem: pem, password: EncryptedKeyFixtures.password)
        #expect(certificate.sha256Thumbprint == EncryptedKeyFixtures.generatedSHA256Thumbprint)
        #expect(certificate.portalThumbprint == EncryptedKeyFixtures.generatedPortalThumbprint)
        // The certificate's SubjectPublicKeyInfo is the decrypted key's public half, so verifying with it is
        // verifying with the certificate's public key.
        let publicKey = certificate.privateKey.publicKey
        let spki = Array(publicKey.derRepresentation)
        #expect(certificate.certificateDER.count > spki.count)
        #expect((0...(certificate.certificateDER.count - spki.count)).contains {
            Array(certificate.certificateDER[$0..<($0 + spki.count)]) == spki
        })
        try expectAssertionsVerify(certificate, with: publicKey)
    }

    @Test func passwordIsIgnoredForAnUnencryptedKey() throws {
        let certificate = try ClientCertificate(pem: TestCertificate.pem, password: "not-needed-here")
        #expect(certificate.sha256Thumbprint == TestCertificate.sha256Thumbprint)
        try expectAssertionsVerify(certificate, with: try testPublicKey())
    }

    @Test(arguments: [nil, ""] as [String?])
    func missingPasswordNamesTheVariable(_ password: String?) {
        for pem in [EncryptedKeyFixtures.aes128SHA1, EncryptedKeyFixtures.legacyAES256] {
            let error = #expect(throws: AuthenticationError.self) {
                _ = try ClientCertificate(pem: Self.withTestCertificate(pem), path: "cert.pem", password: password)
            }
            #expect(error?.kind == .invalidConfiguration)
            #expect(error?.message == "the private key in cert.pem is encrypted and AZURE_CLIENT_CERTIFICATE_PASSWORD is not set")
            #expect(error?.hint == "set AZURE_CLIENT_CERTIFICATE_PASSWORD to the key's password")
        }
    }

    @Test(arguments: passwordForms.indices)
    func wrongPasswordFailsWithoutEchoingIt(_ index: Int) {
        let form = Self.passwordForms[index]
        let wrong = "Wrong-Password-Canary-42"
        let error = #expect(throws: AuthenticationError.self) {
            _ = try ClientCertificate(pem: Self.withTestCertificate(form.pem), path: "cert.pem", password: wrong)
        }
        #expect(error?.message == "the password does not decrypt the key in cert.pem, or the file is damaged",
                "\(form.name)")
        #expect(error?.hint == "check AZURE_CLIENT_CERTIFICATE_PASSWORD")
        #expect(error?.description.contains(wrong) == false)
        #expect(error?.description.contains(form.password) == false)
    }

    @Test func unsupportedSchemesAreNamedWithAWayOut() {
        let cases = [
            (EncryptedKeyFixtures.des3PKCS8, "des-ede3-cbc"),
            (EncryptedKeyFixtures.pbes1PKCS8, "PKCS#12 PBE (pbeWithSHA1And3-KeyTripleDES-CBC)"),
            (EncryptedKeyFixtures.legacyDES3, "des-ede3-cbc"),
        ]
        for (pem, algorithm) in cases {
            let error = #expect(throws: AuthenticationError.self) {
                _ = try ClientCertificate(pem: Self.withTestCertificate(pem), path: "cert.pem",
                                          password: EncryptedKeyFixtures.password)
            }
            #expect(error?.message == "the private key in cert.pem is encrypted with \(algorithm), which scimctl cannot decrypt")
            #expect(error?.hint?.contains("openssl pkcs8 -topk8 -v2 aes-256-cbc -in cert.pem") == true)
        }
    }

    @Test func damagedStructuresAreReported() throws {
        let block = try #require(PEMBlock.all(in: EncryptedKeyFixtures.aes128SHA1).first)
        // Cut inside the ciphertext: the outer SEQUENCE now claims more bytes than there are.
        let truncated = Array(block.der.prefix(block.der.count - 7))
        #expect(throws: KeyDecryptionError.malformed("the EncryptedPrivateKeyInfo is truncated or not valid DER")) {
            _ = try EncryptedPrivateKey.decryptPKCS8(truncated, password: Array("x".utf8))
        }
        #expect(throws: KeyDecryptionError.malformed("the DEK-Info header is missing")) {
            _ = try EncryptedPrivateKey.decryptTraditional([], dekInfo: nil, password: Array("x".utf8))
        }
        #expect(throws: KeyDecryptionError.malformed("the DEK-Info IV is not 16 hexadecimal bytes")) {
            _ = try EncryptedPrivateKey.decryptTraditional([], dekInfo: "AES-256-CBC,12ZZ", password: Array("x".utf8))
        }
        // A ciphertext that is not a whole number of blocks.
        #expect(throws: KeyDecryptionError.malformed("the encrypted key is not a whole number of AES blocks")) {
            _ = try EncryptedPrivateKey.decryptTraditional(Array(repeating: 1, count: 17), dekInfo: "AES-128-CBC,"
                + String(repeating: "00", count: 16), password: Array("x".utf8))
        }
        let error = #expect(throws: AuthenticationError.self) {
            let pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAMCAQA=\n-----END ENCRYPTED PRIVATE KEY-----\n"
            _ = try ClientCertificate(pem: Self.withTestCertificate(pem), path: "cert.pem", password: "pw-123456")
        }
        #expect(error?.message.hasPrefix("the encrypted private key in cert.pem is damaged: ") == true)
    }

    @Test func iterationCountIsCapped() throws {
        // A PBES2 structure asking for 2^31-1 PBKDF2 rounds: refused before any key derivation.
        let salt: [UInt8] = [0x04, 0x08] + Array(repeating: 7, count: 8)
        let iterations: [UInt8] = [0x02, 0x04, 0x7F, 0xFF, 0xFF, 0xFF]
        let info = try pbes2Info(iterationCount: iterations, salt: salt)
        #expect(throws: KeyDecryptionError.malformed("the PBKDF2 iteration count 2147483647 is above the limit of 5000000")) {
            _ = try EncryptedPrivateKey.decryptPKCS8(info, password: Array("password".utf8))
        }
    }

    /// Hundreds of seeded random mutations of real encrypted keys: each must load or fail with an
    /// AuthenticationError that does not contain the password; none may crash.
    @Test(arguments: [EncryptedKeyFixtures.aes256SHA512, EncryptedKeyFixtures.legacyAES256])
    func mutatedKeysFailCleanly(_ pem: String) throws {
        let block = try #require(PEMBlock.all(in: pem).first)
        let headerLines = block.headers.sorted { $0.key > $1.key }.map { "\($0.key): \($0.value)\n" }.joined()
        var random = SeededGenerator(seed: 0x5C1_C71)
        var failures = 0
        for _ in 0..<300 {
            var bytes = block.der
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.removeSubrange(index...)
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                default: bytes[index] ^= 0x80
                }
            }
            let mutated = "-----BEGIN \(block.label)-----\n" + headerLines
                + Data(bytes).base64EncodedString(options: .lineLength64Characters)
                + "\n-----END \(block.label)-----\n"
            do {
                _ = try ClientCertificate(pem: Self.withTestCertificate(mutated), path: "cert.pem",
                                          password: EncryptedKeyFixtures.password)
            } catch {
                failures += 1
                #expect(!error.description.contains(EncryptedKeyFixtures.password))
            }
        }
        // A mutation can land in a part that does not matter, but most must be caught.
        #expect(failures > 250)
    }

    @Test func everyTruncationFailsCleanly() throws {
        for pem in [EncryptedKeyFixtures.aes128SHA1, EncryptedKeyFixtures.legacyAES128] {
            let block = try #require(PEMBlock.all(in: pem).first)
            for length in 0..<block.der.count {
                let prefix = Array(block.der.prefix(length))
                let password = Array(EncryptedKeyFixtures.password.utf8)
                #expect(throws: KeyDecryptionError.self) {
                    if block.label == "ENCRYPTED PRIVATE KEY" {
                        _ = try EncryptedPrivateKey.decryptPKCS8(prefix, password: password)
                    } else {
                        _ = try EncryptedPrivateKey.decryptTraditional(prefix, dekInfo: block.headers["DEK-Info"],
                                                                       password: password)
                    }
                }
            }
        }
    }

    @Test func hostileDERIsRefused() throws {
        let hostile: [[UInt8]] = [
            [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF],  // four-byte length far beyond the data
            [0x30, 0x88, 0, 0, 0, 0, 0, 0, 0, 1],  // more length bytes than there are
            [0x30, 0x80, 0x00, 0x00],  // indefinite length (BER)
            [0x30, 0x81, 0x01, 0x00],  // a length in more bytes than DER allows
            [0x1F, 0x81, 0x01, 0x00],  // multi-byte tag
            [0x30],  // no length at all
            [0x30, 0x82, 0x01],  // length cut short
            [0x30, 0x00, 0x00],  // trailing data after the structure
            (0..<80).reduce([0x05, 0x00]) { inner, _ in der(0x30, inner) },  // nesting far deeper than any key
        ]
        for bytes in hostile {
            #expect(throws: KeyDecryptionError.malformed("the EncryptedPrivateKeyInfo is truncated or not valid DER")) {
                _ = try EncryptedPrivateKey.decryptPKCS8(bytes, password: Array("x".utf8))
            }
        }
        let salt: [UInt8] = [0x04, 0x08] + Array(repeating: 7, count: 8)
        #expect(throws: KeyDecryptionError.malformed("the PBKDF2 iteration count is not a positive integer")) {
            _ = try PBES2Parameters(encryptedPrivateKeyInfo: try pbes2Info(iterationCount: [0x02, 0x01, 0x80], salt: salt))
        }
        #expect(throws: KeyDecryptionError.malformed("the PBKDF2 iteration count is too large")) {
            _ = try PBES2Parameters(encryptedPrivateKeyInfo: try pbes2Info(iterationCount: [0x02, 0x05, 0x01, 0, 0, 0, 0],
                                                                           salt: salt))
        }
        #expect(throws: KeyDecryptionError.malformed("the PBKDF2 salt is empty")) {
            _ = try PBES2Parameters(encryptedPrivateKeyInfo: try pbes2Info(iterationCount: [0x02, 0x01, 0x01],
                                                                           salt: [0x04, 0x00]))
        }
        let parsed = try PBES2Parameters(encryptedPrivateKeyInfo: try pbes2Info(iterationCount: [0x02, 0x02, 0x08, 0x00],
                                                                                salt: salt))
        #expect(parsed.iterations == 2048)
        #expect(parsed.cipher.keyByteCount == 32)
        #expect(parsed.salt == Array(repeating: 7, count: 8))
    }

    @Test func bytesToKeyMatchesOpenSSL() {
        // `openssl enc -aes-256-cbc -P -md md5 -S 0102030405060708 -pass pass:password` prints this key.
        let key = EncryptedPrivateKey.bytesToKey(password: Array("password".utf8), salt: [1, 2, 3, 4, 5, 6, 7, 8],
                                                 count: 32)
        #expect(Hex.decode("E7B0971E52CA5CC8D0539FB3412F6316F7BA2E6EE293D9F3457B99436B51CE02") == key)
    }

    @Test func unsupportedAlgorithmsAreNamedOrShownInDottedForm() throws {
        #expect(KeyAlgorithmOID.name(of: "1.2.840.113549.3.7") == "des-ede3-cbc")
        #expect(KeyAlgorithmOID.name(of: "1.3.6.1") == "algorithm 1.3.6.1")
        #expect(KeyAlgorithmOID.name(of: "1.3.6.1.4.1.11591.4.11") == "scrypt")
    }

    // MARK: - Through the credential chain

    @Test func chainPassesThePasswordAndRedactsIt() async throws {
        let endpoint = FakeTokenEndpoint()
        let redactor = Redactor()
        let path = try temporaryFile(Self.withTestCertificate(EncryptedKeyFixtures.legacyAES256))
        let chain = try CredentialChain(
            environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                          "AZURE_CLIENT_CERTIFICATE_PATH": path,
                          "AZURE_CLIENT_CERTIFICATE_PASSWORD": EncryptedKeyFixtures.password],
            transport: endpoint.transport, redactor: redactor, clock: VirtualClock())
        #expect(try await chain.accessToken(forceRenewal: false) == "issued-token-1")
        #expect(chain.describe().method == .clientCertificate)
        #expect(chain.describe().detail?.contains(TestCertificate.portalThumbprint) == true)
        let described = "\(chain.describe())"
        #expect(!described.contains(EncryptedKeyFixtures.password))
        // The password is a registered secret: masked wherever it might be echoed.
        #expect(redactor.redact("openssl said: \(EncryptedKeyFixtures.password)") == "openssl said: \(Redactor.mask)")
        let form = try #require(endpoint.forms.first)
        #expect(!form.values.contains { $0.contains(EncryptedKeyFixtures.password) })
    }

    @Test func chainReportsAWrongPasswordWithoutIt() throws {
        let canary = "Canary-Password-Do-Not-Print"
        let redactor = Redactor()
        let path = try temporaryFile(Self.withTestCertificate(EncryptedKeyFixtures.aes128SHA1))
        let error = #expect(throws: AuthenticationError.self) {
            _ = try CredentialChain(
                environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                              "AZURE_CLIENT_CERTIFICATE_PATH": path, "AZURE_CLIENT_CERTIFICATE_PASSWORD": canary],
                transport: FakeTokenEndpoint().transport, redactor: redactor, clock: VirtualClock())
        }
        #expect(error?.message == "the password does not decrypt the key in \(path), or the file is damaged")
        #expect(error?.description.contains(canary) == false)
        #expect(redactor.redact("value=\(canary)") == "value=\(Redactor.mask)")
    }

    @Test func chainWithoutPasswordNamesTheVariable() throws {
        let path = try temporaryFile(Self.withTestCertificate(EncryptedKeyFixtures.aes256SHA512))
        let error = #expect(throws: AuthenticationError.self) {
            _ = try CredentialChain(
                environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                              "AZURE_CLIENT_CERTIFICATE_PATH": path, "AZURE_CLIENT_CERTIFICATE_PASSWORD": ""],
                transport: FakeTokenEndpoint().transport, redactor: Redactor(), clock: VirtualClock())
        }
        #expect(error?.message.contains("AZURE_CLIENT_CERTIFICATE_PASSWORD is not set") == true)
    }
}

/// DER tag-length-value with a definite length, for building test structures.
private func der(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
    let count = contents.count
    let length: [UInt8] = count < 0x80 ? [UInt8(count)]
        : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
    return [tag] + length + contents
}

/// An EncryptedPrivateKeyInfo with PBES2, PBKDF2 (`iterationCount` and `salt` given as whole DER elements) and
/// AES-256-CBC over 32 zero bytes.
func pbes2Info(iterationCount: [UInt8], salt: [UInt8]) throws -> [UInt8] {
    func oid(_ identifier: ASN1ObjectIdentifier) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(identifier)
        return serializer.serializedBytes
    }
    let kdf = der(0x30, try oid(KeyAlgorithmOID.pbkdf2) + der(0x30, salt + iterationCount))
    let cipher = der(0x30, try oid(KeyAlgorithmOID.aes256CBC) + der(0x04, Array(repeating: 0, count: 16)))
    let algorithm = der(0x30, try oid(KeyAlgorithmOID.pbes2) + der(0x30, kdf + cipher))
    return der(0x30, algorithm + der(0x04, Array(repeating: 0, count: 32)))
}

/// SplitMix64: a small deterministic generator so the mutation test is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
