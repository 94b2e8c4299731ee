import Crypto
import Foundation
import GraphModel
import SwiftASN1
import TestSupport
import Testing
import X509
import _CryptoExtras
@testable import GraphHTTP
#if canImport(Glibc)
import Glibc
#endif

/// A small PKI made at test time with swift-crypto and swift-certificates: an app key with certificates for
/// several validity periods, issued by a CA that has its own key. Generated once per test run (RSA key
/// generation is slow in debug builds).
struct GeneratedPKI: Sendable {
    let appKey: _RSA.Signing.PrivateKey
    let ca: Certificate
    let app: Certificate
    let expiredApp: Certificate
    let futureApp: Certificate
    /// A certificate for the app key whose subject carries terminal escape sequences.
    let hostileSubjectCA: Certificate

    static let shared = Result { try GeneratedPKI() }
    static let now = Date()

    private init() throws {
        let appKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        self.appKey = appKey
        let caKey = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        let caName = try DistinguishedName { CommonName("scimctl test CA") }
        let day: TimeInterval = 86_400
        ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: caKey.publicKey,
            notValidBefore: Self.now - day, notValidAfter: Self.now + 3650 * day, issuer: caName, subject: caName,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
            issuerPrivateKey: caKey)
        func issue(_ name: String, from start: Date, to end: Date) throws -> Certificate {
            try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(appKey.publicKey), notValidBefore: start,
                notValidAfter: end, issuer: caName, subject: try DistinguishedName { CommonName(name) },
                signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(),
                issuerPrivateKey: caKey)
        }
        app = try issue("scimctl-test-app", from: Self.now - day, to: Self.now + 365 * day)
        expiredApp = try issue("scimctl-test-app", from: Date(timeIntervalSince1970: 1_577_836_800),  // 2020-01-01
                               to: Date(timeIntervalSince1970: 1_609_459_200))  // 2021-01-01
        futureApp = try issue("scimctl-test-app", from: Self.now + 30 * day, to: Self.now + 400 * day)
        let hostileName = try DistinguishedName { CommonName("evil\u{1B}[2J\u{1B}]0;owned\u{07}\u{202E}cert") }
        hostileSubjectCA = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: caKey.publicKey, notValidBefore: Self.now - day,
            notValidAfter: Self.now + day, issuer: hostileName, subject: hostileName,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(), issuerPrivateKey: caKey)
    }

    static func pem(_ certificate: Certificate) throws -> String { try certificate.serializeAsPEM().pemString + "\n" }
    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
    var keyPEM: String { appKey.pkcs8PEMRepresentation + "\n" }
}

@Suite struct CertificateFileTests {
    static let oneMessage = "the password does not decrypt the key in cert.pem, or the file is damaged"

    func verifies(_ certificate: ClientCertificate, with issued: Certificate) throws -> Bool {
        let key = try #require(_RSA.Signing.PublicKey(issued.publicKey))
        var all = true
        for algorithm in [ClientCertificate.SigningAlgorithm.ps256, .rs256] {
            let jwt = try certificate.assertion(clientID: "client-1", audience: "https://login.example/token",
                                                algorithm: algorithm, now: Date())
            let parts = jwt.split(separator: ".").map(String.init)
            try #require(parts.count == 3)
            let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Base64URL.decode(parts[2])))
            all = all && key.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8),
                                              padding: algorithm == .ps256 ? .PSS : .insecurePKCS1v1_5)
        }
        return all
    }

    // MARK: - Choosing the certificate

    @Test func theCertificateOfTheKeyIsChosenWhateverTheOrder() throws {
        let pki = try GeneratedPKI.shared.get()
        let app = try GeneratedPKI.pem(pki.app)
        let ca = try GeneratedPKI.pem(pki.ca)
        let appDER = try GeneratedPKI.der(pki.app)
        let pkcs1 = pki.appKey.pemRepresentation + "\n"
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        for parts in [[app, ca, pki.keyPEM], [ca, app, pki.keyPEM], [pki.keyPEM, ca, app], [ca, pki.keyPEM, app],
                      [ca, pkcs1, app]] {
            let certificate = try ClientCertificate(pem: parts.joined(), path: "cert.pem")
            #expect(certificate.certificateDER == appDER)
            #expect(certificate.certificatesInFile == 2)
            #expect(certificate.subject == "CN=scimctl-test-app")
            #expect(certificate.issuer == "CN=scimctl test CA")
            #expect(certificate.portalThumbprint == Hex.encode(Insecure.SHA1.hash(data: appDER)))
            #expect(certificate.sha256HexThumbprint == Hex.encode(SHA256.hash(data: appDER)))
            #expect(certificate.sha256Thumbprint == Base64URL.encode(SHA256.hash(data: appDER)))
            #expect(certificate.portalThumbprint.count == 40)
            #expect(try verifies(certificate, with: pki.app))
            #expect(try !verifies(certificate, with: pki.ca))
        }
    }

    @Test func aCertificateValidNowIsPreferredAmongRenewalsOfTheKey() throws {
        let pki = try GeneratedPKI.shared.get()
        let pem = try [pki.expiredApp, pki.app, pki.futureApp].map(GeneratedPKI.pem).joined() + pki.keyPEM
        let certificate = try ClientCertificate(pem: pem, path: "cert.pem", now: GeneratedPKI.now)
        #expect(certificate.certificateDER == (try GeneratedPKI.der(pki.app)))
        #expect(certificate.validity(at: GeneratedPKI.now) == .valid)
    }

    @Test func aCertificateOfAnotherKeyIsRefusedBeforeAnyTokenRequest() throws {
        let pki = try GeneratedPKI.shared.get()
        let caDER = try GeneratedPKI.der(pki.ca)
        let error = #expect(throws: AuthenticationError.self) {
            _ = try ClientCertificate(pem: try GeneratedPKI.pem(pki.ca) + pki.keyPEM, path: "cert.pem")
        }
        #expect(error?.message == "no certificate in cert.pem belongs to its private key; found CN=scimctl test CA "
            + "(thumbprint \(Hex.encode(Insecure.SHA1.hash(data: caDER))))")
        #expect(error?.hint?.contains("openssl x509 -noout -pubkey") == true)

        // Through the chain: refused while choosing the credential, so nothing is sent.
        let endpoint = FakeTokenEndpoint()
        let path = try temporaryFile(try GeneratedPKI.pem(pki.ca) + pki.keyPEM)
        #expect(throws: AuthenticationError.self) {
            _ = try CredentialChain(
                environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                              "AZURE_CLIENT_CERTIFICATE_PATH": path],
                transport: endpoint.transport, redactor: Redactor(), clock: VirtualClock())
        }
        #expect(endpoint.requests.isEmpty)
    }

    @Test func aBlockThatIsNotACertificateIsRefused() throws {
        let pki = try GeneratedPKI.shared.get()
        let app = try GeneratedPKI.pem(pki.app)
        let keyDER = try #require(PEMBlock.all(in: pki.keyPEM).first).der
        let cases: [(String, String)] = [
            ("-----BEGIN CERTIFICATE-----\n!!not*base64!!\n-----END CERTIFICATE-----\n" + pki.keyPEM,
             "the CERTIFICATE block in cert.pem is not base64-encoded data"),
            ("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n" + pki.keyPEM,
             "the CERTIFICATE block in cert.pem is not base64-encoded data"),
            ("-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n" + pki.keyPEM,
             "the CERTIFICATE block in cert.pem is not an X.509 certificate"),
            // The right certificate is there, but a second block is the key's DER mislabelled: refused too.
            (app + PEMBlock(label: "CERTIFICATE", der: keyDER, isBase64: true).text + pki.keyPEM,
             "CERTIFICATE block 2 of 2 in cert.pem is not an X.509 certificate"),
        ]
        for (pem, message) in cases {
            let error = #expect(throws: AuthenticationError.self) {
                _ = try ClientCertificate(pem: pem, path: "cert.pem")
            }
            #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
            // The mislabelled key must not be echoed in any form.
            #expect(error?.description.contains(Data(keyDER.prefix(48)).base64EncodedString()) == false)
        }
    }

    @Test func subjectsFromTheFileAreEscaped() throws {
        let pki = try GeneratedPKI.shared.get()
        let error = #expect(throws: AuthenticationError.self) {
            _ = try ClientCertificate(pem: try GeneratedPKI.pem(pki.hostileSubjectCA) + pki.keyPEM, path: "cert.pem")
        }
        let message = try #require(error?.message)
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
        #expect(message.contains(#"evil\u{1B}[2J\u{1B}]0\;owned\u{7}\u{202E}cert"#))
    }

    // MARK: - Validity

    @Test(arguments: [(0, "expired on 2021-01-01T00:00:00Z"), (1, "is not valid before")])
    func certificatesOutsideTheirValidityWarn(_ which: Int, _ expected: String) async throws {
        let pki = try GeneratedPKI.shared.get()
        let certificate = which == 0 ? pki.expiredApp : pki.futureApp
        let path = try temporaryFile(try GeneratedPKI.pem(certificate) + pki.keyPEM)
        let log = EventLog()
        let endpoint = FakeTokenEndpoint()
        endpoint.reject = { _ in true }  // as Entra does with such a certificate
        let chain = try CredentialChain(
            environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                          "AZURE_CLIENT_CERTIFICATE_PATH": path],
            transport: endpoint.transport, redactor: Redactor(), clock: VirtualClock(start: GeneratedPKI.now),
            events: log.sink)
        let warnings = log.events.compactMap { if case .warning(let warning) = $0 { warning } else { nil } }
        try #require(warnings.count == 1)
        #expect(warnings[0].message.contains(expected))
        #expect(warnings[0].message.contains("CN=scimctl-test-app"))
        #expect(warnings[0].description.hasPrefix("warning: the certificate in \(path)"))
        #expect(chain.describe().method == .clientCertificate)
        // The refusal that follows says why.
        let refusal = await #expect(throws: AuthenticationError.self) { _ = try await chain.accessToken(forceRenewal: false) }
        #expect(refusal?.code == "invalid_client, AADSTS700027")
        #expect(refusal?.hint?.contains(expected) == true)

        let valid = try temporaryFile(try GeneratedPKI.pem(pki.app) + pki.keyPEM)
        let quiet = EventLog()
        _ = try CredentialChain(
            environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                          "AZURE_CLIENT_CERTIFICATE_PATH": valid],
            transport: FakeTokenEndpoint().transport, redactor: Redactor(), clock: VirtualClock(start: GeneratedPKI.now),
            events: quiet.sink)
        #expect(quiet.events.isEmpty)
    }

    // MARK: - Decryption failures

    /// Flips one bit at every position of the ciphertext: whatever the damage breaks (padding, the DER of the
    /// plaintext, the RSA key), the error is the same sentence.
    @Test(arguments: ["pkcs8", "traditional"])
    func damagedCiphertextGivesOneMessageAtEveryPosition(_ form: String) throws {
        let pem = form == "pkcs8" ? EncryptedKeyFixtures.aes128SHA1 : EncryptedKeyFixtures.legacyAES128
        let block = try #require(PEMBlock.all(in: pem).first)
        let start: Int
        if form == "pkcs8" {
            let parameters = try PBES2Parameters(encryptedPrivateKeyInfo: block.der)
            start = block.der.count - parameters.ciphertext.count
            #expect(Array(block.der[start...]) == parameters.ciphertext)
        } else {
            start = 0
        }
        // The undamaged file loads.
        _ = try ClientCertificate(pem: EncryptedKeyTests.withTestCertificate(pem), path: "cert.pem",
                                  password: EncryptedKeyFixtures.password)
        var messages: [String: Int] = [:]
        for position in start..<block.der.count {
            var damaged = block
            damaged.der[position] ^= 0x01
            do {
                _ = try ClientCertificate(pem: EncryptedKeyTests.withTestCertificate(damaged.text), path: "cert.pem",
                                          password: EncryptedKeyFixtures.password)
                messages["loaded", default: 0] += 1
            } catch {
                messages[error.message, default: 0] += 1
            }
        }
        #expect(messages == [Self.oneMessage: block.der.count - start])
    }

    @Test func wrongPasswordsOfEveryLengthGiveTheSameMessage() throws {
        for pem in [EncryptedKeyFixtures.aes256SHA512, EncryptedKeyFixtures.legacyAES256] {
            for password in ["x", "wrong-password", String(repeating: "p", count: 300), "pässwörd"] {
                let error = #expect(throws: AuthenticationError.self) {
                    _ = try ClientCertificate(pem: EncryptedKeyTests.withTestCertificate(pem), path: "cert.pem",
                                              password: password)
                }
                #expect(error?.message == Self.oneMessage)
            }
        }
    }

    /// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc` (fixture password).
    static let encryptedECKey = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjXpjdJCeAbfwICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEKoE1ePmb56UVi0E5ZEvsKkEgZBD
        1ZqtG/LYwP/Y+Rt6cjL1uliEhDBSZexCqMIqjOrJs38sPs9Y1ALdMlasTY4NsJ9z
        8eZb+RaQB4xstcwOObRAgnU261U2St0JALoVhSWM8tfWsL6VM1/+mN3MoJDafFK3
        7dd9XuK06uM0jeRHCoDrsWxq48P21/kGJHvFNfQP6PFsOrhRLwNe3G9Bz6+lOTE=
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -aes-128-cbc` (fixture password).
    static let encrypted1024BitKey = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIC3TBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIVWGj5nyTvCQCAggA
        MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAECBBBSxozbU/ZbXyAtJ4ap4hA4BIIC
        gMyKwc3FxtFQyUhKB5D5HdhfI8zFjMPhzdvG5XNCAznw1gox3pV9+MOtInJbrWH9
        DpjcIPDVCUhCFbjvChaQLvKRJJxGmRBtunh0W19DTx2gNkXDFCS7cDAvguM2Y25H
        XICT3MdgPnNziepUemUIG4S8LMrQALYejH310R3W7K2b9k2b1EoLk2dJpOwc7l1D
        bqkgP/f1hnJxOMRnYTqrwbNkcte9MKmr/gJmVhZJeVnRmoIVdLfhItR8k+d76fQi
        jkbZsU0AGP4mVMYDwCpSPC3Z/xV2upB6PMU6VmY1rNLPAf3VV7U87VL5dFg0c3S3
        /6kdzbDndPgNTLCxRC5bbeSIOVvxhAOdEsxK0r2jRf1NgeFP/iBVsyehfHCQZZ/0
        kIM+pb8YvIwWOsLVxLAxTIhVHVGhpbIbnhRQH6EJ4wdQ8DtcvepSg/E5OGYsR18f
        mIqHTMsxsq+oGJOBPqDrBXA74Ec83nNzWheiSXVtuaR6hJMU9M8ZSWogXF480mid
        7qvVWPJZA6jMooI6B97LMwv9T5vakOjg6lzciV5FaFX33+B13iTrCfoE1vqH+PVr
        t27UsJg7n8/Z4lxWNX0sfucbQ6TTdrM/ItNKp2hswQ9AMHBQY9OhaDUGX1CF1XIo
        iYush6KWcQXDVd98ja1lr/QXpEmm+8OzJfGIhmKWOVHcU7U1Xzq74U1GEmBt9B3l
        q+dheUxuvfwICxad9baRgmk9Nwpekp6ZIctqtj1LJCOOQ/DExyhgHdyTBMCAb3bc
        3TlZZGCZSwlFBe775FAXZQtWVE6jp1q49BSH+jOJB9wQBTPK+TsMhb80G8FHtVjR
        aWqeu2UvVNQ+zGqcY4Yxvng=
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// With the right password, a key that is not usable is named for what it is, not blamed on the password.
    @Test func correctlyDecryptedKeysThatEntraCannotUseAreNamed() {
        let cases = [
            (Self.encryptedECKey, "the private key in cert.pem is not an RSA key (an elliptic-curve key)"),
            (Self.encrypted1024BitKey, "the private key in cert.pem has 1024 bits; Microsoft Entra needs 2048 or more"),
        ]
        for (key, message) in cases {
            let error = #expect(throws: AuthenticationError.self) {
                _ = try ClientCertificate(pem: EncryptedKeyTests.withTestCertificate(key), path: "cert.pem",
                                          password: EncryptedKeyFixtures.password)
            }
            #expect(error?.message == message)
            let wrong = #expect(throws: AuthenticationError.self) {
                _ = try ClientCertificate(pem: EncryptedKeyTests.withTestCertificate(key), path: "cert.pem",
                                          password: "not-the-password")
            }
            #expect(wrong?.message == Self.oneMessage)
        }
    }

    @Test func unsupportedCipherNamesFromTheFileAreEscaped() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
            + "DEK-Info: \u{1B}[31mEVIL-CBC\u{202E},00112233445566778899AABBCCDDEEFF\n\nAAAA\n"
            + "-----END RSA PRIVATE KEY-----\n"
        let error = #expect(throws: AuthenticationError.self) {
            _ = try ClientCertificate(pem: EncryptedKeyTests.withTestCertificate(pem), path: "cert.pem",
                                      password: "pw-123456")
        }
        let message = error?.message ?? ""
        #expect(message.contains(#"encrypted with \u{1b}[31mevil-cbc\u{202e}, which scimctl cannot decrypt"#))
        #expect(!message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test func theFuzzEntryPointTakesAnyBytes() throws {
        #expect(!ClientCertificate.fuzzKeyDecryption([]))
        #expect(!ClientCertificate.fuzzKeyDecryption([0]))
        #expect(!ClientCertificate.fuzzKeyDecryption([1] + Array("-----BEGIN CERTIFICATE-----\n".utf8)))
        // A real file through the PEM branch loads (the fixture's password is not `fuzz`, so use a plain key).
        #expect(ClientCertificate.fuzzKeyDecryption([1] + Array(TestCertificate.pem.utf8)))
        var random = SeededGenerator(seed: 0xF022)
        let seed = try #require(PEMBlock.all(in: EncryptedKeyFixtures.aes128SHA1).first).der
        for _ in 0..<200 {
            var bytes = [UInt8(Int.random(in: 0...1, using: &random))] + seed
            for _ in 0..<3 {
                bytes[Int.random(in: 1..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            #expect(!ClientCertificate.fuzzKeyDecryption(bytes))
        }
    }

    // MARK: - Size limit

    @Test func anOversizedFileIsRefusedFromItsSize() async throws {
        let directory = NSTemporaryDirectory() + "scimctl-big-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/huge.pem"
        // Sparse: 200 MB that take no disk space; reading it would take seconds, refusing it none.
        try #require(FileManager.default.createFile(atPath: path, contents: Data(TestCertificate.pem.utf8)))
        try #require(truncate(path, 200 << 20) == 0)
        for variable in ["AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE"] {
            let error = await #expect(throws: AuthenticationError.self) {
                let chain = try CredentialChain(
                    environment: ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1", variable: path],
                    transport: FakeTokenEndpoint().transport, redactor: Redactor(), clock: VirtualClock())
                // The federated token file is read at request time.
                _ = try await chain.accessToken(forceRenewal: false)
            }
            #expect(error?.message == "\(path) (\(variable)) is 209715200 bytes, more than a credential file can be "
                + "(limit \(CredentialFile.maximumSize) bytes)")
        }
        // In memory too.
        let large = String(repeating: "A", count: CredentialFile.maximumSize + 1)
        #expect(throws: AuthenticationError.self) { _ = try ClientCertificate(pem: large, path: "cert.pem") }
    }

    @Test func specialFilesAreRefusedWithoutWaiting() throws {
        let directory = NSTemporaryDirectory() + "scimctl-fifo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/pipe.pem"
        try #require(mkfifo(fifo, 0o600) == 0)
        for path in [fifo, "/dev/zero", directory] {
            let error = #expect(throws: AuthenticationError.self) {
                _ = try CredentialFile.read(path, variable: "AZURE_CLIENT_CERTIFICATE_PATH")
            }
            #expect(error?.message.hasPrefix("cannot read \(path) (AZURE_CLIENT_CERTIFICATE_PATH): ") == true)
        }
        let missing = #expect(throws: AuthenticationError.self) {
            _ = try CredentialFile.read(directory + "/none", variable: "AZURE_CLIENT_CERTIFICATE_PATH")
        }
        #expect(missing?.message.hasSuffix("No such file or directory") == true)
    }

    #if os(Linux)
    /// Pseudo-files report a size of 0: they are read to the end, and the limit still holds while reading.
    @Test func filesWhoseSizeIsUnknownAreStillBounded() throws {
        let status = try CredentialFile.read("/proc/self/status", variable: "AZURE_FEDERATED_TOKEN_FILE")
        #expect(String(decoding: status, as: UTF8.self).hasPrefix("Name:"))
        let error = #expect(throws: AuthenticationError.self) {
            _ = try CredentialFile.read("/proc/self/status", variable: "AZURE_FEDERATED_TOKEN_FILE", limit: 10)
        }
        #expect(error?.message == "cannot read /proc/self/status (AZURE_FEDERATED_TOKEN_FILE): it is longer than 10 bytes")
    }
    #endif

    @Test func escapingKeepsTextAndShowsControls() {
        #expect(FileText.escaped("CN=app, O=Contoso Ltd., ü") == "CN=app, O=Contoso Ltd., ü")
        #expect(FileText.escaped("a\nb\u{1B}[0m\u{9B}c\u{2066}") == #"a\u{A}b\u{1B}[0m\u{9B}c\u{2066}"#)
    }

    @Test func wipingClearsTheBuffer() {
        var bytes: [UInt8] = Array("secret key material".utf8)
        SecretMemory.wipe(&bytes)
        #expect(bytes == Array(repeating: 0, count: 19))
        var data = Data("password".utf8)
        SecretMemory.wipe(&data)
        #expect(data == Data(count: 8))
    }

    @Test func base64DecodingIsStrict() {
        #expect(Base64.decode(Array("aGVsbG8=".utf8)) == Array("hello".utf8))
        #expect(Base64.decode(Array("aGVsbA==".utf8)) == Array("hell".utf8))
        #expect(Base64.decode(Array("aGVs".utf8)) == Array("hel".utf8))
        for bad in ["aGVsbG8", "aGV=bG8=", "aGVsbG8*", "a===", "aGVsbG8=aGVs"] {
            #expect(Base64.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
    }
}

/// The certificate credential end to end: libcurl to a loopback token endpoint that, like Entra, looks up the
/// certificate the assertion names (`x5t#S256` or `x5t`) among those uploaded to the app registration and
/// verifies the signature with it before issuing a token.
@Suite struct LoopbackCertificateTokenTests {
    struct Uploaded: Sendable {
        let der: [UInt8]
        let key: _RSA.Signing.PublicKey
    }

    static func uploaded(_ certificates: [Certificate]) throws -> [Uploaded] {
        try certificates.map { certificate in
            Uploaded(der: try GeneratedPKI.der(certificate), key: try #require(_RSA.Signing.PublicKey(certificate.publicKey)))
        }
    }

    static func uploaded(pem: String) throws -> Uploaded {
        let der = try #require(PEMBlock.all(in: pem).first { $0.label == "CERTIFICATE" }).der
        return try #require(try uploaded([Certificate(derEncoded: der)]).first)
    }

    /// Answers like the login service: a token when the assertion verifies, AADSTS700027 otherwise.
    static func verifyingEndpoint(uploaded: [Uploaded], acceptPS256: Bool = true, clientID: String = "client-1")
        -> @Sendable (LocalHTTPServer.Received) -> LocalHTTPServer.Reply
    {
        { request in
            let refusal = LocalHTTPServer.Reply(
                status: 401, headers: [("Content-Type", "application/json")],
                body: #"{"error":"invalid_client","error_description":"AADSTS700027: Client assertion failed signature validation.","error_codes":[700027]}"#)
            let fields = formFields(Array(request.body.utf8))
            guard fields["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                  let parts = fields["client_assertion"]?.split(separator: ".").map(String.init), parts.count == 3,
                  let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONValue(parsing: headerBytes),
                  let claimBytes = Base64URL.decode(parts[1]), let claims = try? JSONValue(parsing: claimBytes),
                  let signatureBytes = Base64URL.decode(parts[2])
            else { return refusal }
            let named: Uploaded?
            let padding: _RSA.Signing.Padding
            switch header["alg"]?.stringValue {
            case "PS256" where acceptPS256:
                named = uploaded.first { Base64URL.encode(SHA256.hash(data: $0.der)) == header["x5t#S256"]?.stringValue }
                padding = .PSS
            case "RS256":
                named = uploaded.first { Base64URL.encode(Insecure.SHA1.hash(data: $0.der)) == header["x5t"]?.stringValue }
                padding = .insecurePKCS1v1_5
            default:
                return refusal
            }
            let signature = _RSA.Signing.RSASignature(rawRepresentation: signatureBytes)
            guard let named, named.key.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8),
                                                        padding: padding),
                  claims["iss"]?.stringValue == clientID, claims["sub"]?.stringValue == clientID,
                  claims["aud"]?.stringValue?.hasSuffix("/tenant-1/oauth2/v2.0/token") == true
            else { return refusal }
            return LocalHTTPServer.Reply(
                headers: [("Content-Type", "application/json")],
                body: #"{"token_type":"Bearer","expires_in":3599,"access_token":"loopback-token"}"#)
        }
    }

    func chain(file: String, server: LocalHTTPServer, password: String? = nil) throws -> CredentialChain {
        var environment = ["AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1",
                           "AZURE_CLIENT_CERTIFICATE_PATH": try temporaryFile(file)]
        environment["AZURE_CLIENT_CERTIFICATE_PASSWORD"] = password
        return try CredentialChain(
            environment: environment, authorityHost: server.baseURL,
            transport: try CurlTransport(configuration: .init(version: "9.9.9-test")), redactor: Redactor())
    }

    @Test func aChainWithTheCAFirstSignsWithTheCertificateOfTheKey() async throws {
        let pki = try GeneratedPKI.shared.get()
        let server = try LocalHTTPServer(script: [.init()],
                                         responder: Self.verifyingEndpoint(uploaded: try Self.uploaded([pki.app, pki.ca])))
        let file = try GeneratedPKI.pem(pki.ca) + GeneratedPKI.pem(pki.app) + pki.keyPEM
        let token = try await chain(file: file, server: server).accessToken(forceRenewal: false)
        await server.stop()
        #expect(token == "loopback-token")
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.target == "/tenant-1/oauth2/v2.0/token")
    }

    @Test func theRS256FallbackNamesTheCertificateByItsSHA1Thumbprint() async throws {
        let pki = try GeneratedPKI.shared.get()
        let server = try LocalHTTPServer(
            script: [.init(), .init()],
            responder: Self.verifyingEndpoint(uploaded: try Self.uploaded([pki.app]), acceptPS256: false))
        let file = try GeneratedPKI.pem(pki.app) + GeneratedPKI.pem(pki.ca) + pki.keyPEM
        let token = try await chain(file: file, server: server).accessToken(forceRenewal: false)
        await server.stop()
        #expect(token == "loopback-token")
        #expect(server.requests.count == 2)
    }

    @Test func anEncryptedKeyWithItsCertificateAfterAnotherOneSigns() async throws {
        let pki = try GeneratedPKI.shared.get()
        let server = try LocalHTTPServer(
            script: [.init()],
            responder: Self.verifyingEndpoint(uploaded: [try Self.uploaded(pem: EncryptedKeyFixtures.generatedCertificate)]))
        let file = try GeneratedPKI.pem(pki.ca) + EncryptedKeyFixtures.generatedCertificate + "\n"
            + EncryptedKeyFixtures.generatedKey + "\n"
        let token = try await chain(file: file, server: server, password: EncryptedKeyFixtures.password)
            .accessToken(forceRenewal: false)
        await server.stop()
        #expect(token == "loopback-token")
        let assertion = try #require(formFields(Array((server.requests.first?.body ?? "").utf8))["client_assertion"])
        #expect(!assertion.contains(EncryptedKeyFixtures.password))
    }

    /// The endpoint really verifies: when only the CA certificate is uploaded, both algorithms are refused.
    @Test func theEndpointRefusesAnAssertionForACertificateItDoesNotKnow() async throws {
        let pki = try GeneratedPKI.shared.get()
        let server = try LocalHTTPServer(script: [.init(), .init()],
                                         responder: Self.verifyingEndpoint(uploaded: try Self.uploaded([pki.ca])))
        let file = try GeneratedPKI.pem(pki.app) + pki.keyPEM
        let credentials = try chain(file: file, server: server)
        let error = await #expect(throws: AuthenticationError.self) {
            _ = try await credentials.accessToken(forceRenewal: false)
        }
        await server.stop()
        #expect(error?.code == "invalid_client, AADSTS700027")
        #expect(server.requests.count == 2)
    }
}
