import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras

/// Why an encrypted private key could not be opened. `ClientCertificate` turns it into an `AuthenticationError`;
/// none of the cases carries the password or any derived key material.
enum KeyDecryptionError: Error, Equatable {
    /// The structure around the ciphertext is not what it claims to be; the text says which part. Found before
    /// the password is used, so it says nothing about the password.
    case malformed(String)
    /// A scheme, key derivation or cipher this module does not implement; the text names it (already escaped).
    case unsupported(String)
    /// Decryption did not yield a key: a wrong password or damaged ciphertext. Deliberately one case, whatever
    /// went wrong (padding, structure of the result), so errors cannot be used to probe the plaintext.
    case notDecrypted
}

/// Decrypts the two password-protected PEM key forms OpenSSL writes, returning the plain key DER
/// (PKCS#8 PrivateKeyInfo or PKCS#1 RSAPrivateKey, both accepted by `_RSA.Signing.PrivateKey(derRepresentation:)`):
/// - `ENCRYPTED PRIVATE KEY`: PKCS#8 EncryptedPrivateKeyInfo with PBES2 = PBKDF2 (HMAC-SHA1/224/256/384/512) and
///   AES-128/192/256-CBC, which is what `openssl genpkey -aes-256-cbc` and `openssl pkcs8 -topk8 -v2` write;
/// - the traditional form with `Proc-Type: 4,ENCRYPTED` and `DEK-Info: AES-…-CBC,<iv>` headers, whose key is
///   OpenSSL's EVP_BytesToKey (one MD5 round, salt = first 8 bytes of the IV).
/// swift-crypto has no API for either, so the key derivation and padding check live here; DER goes through
/// swift-asn1. The caller wipes the returned bytes once it has parsed them.
enum EncryptedPrivateKey {
    /// PBKDF2 rounds above this are refused: a hostile file could otherwise keep the process busy for hours.
    /// OpenSSL writes 2048 by default, and current password-storage advice stays well below this.
    static let maximumIterations = 5_000_000

    static func decryptPKCS8(_ der: [UInt8], password: [UInt8],
                             maximumIterations: Int = maximumIterations) throws(KeyDecryptionError) -> [UInt8] {
        let parameters = try PBES2Parameters(encryptedPrivateKeyInfo: der)
        guard parameters.iterations <= maximumIterations else {
            throw .malformed("the PBKDF2 iteration count \(parameters.iterations) is above the limit of \(maximumIterations)")
        }
        // An empty password never reaches here (ClientCertificate treats it as missing); BoringSSL would reject it.
        guard !password.isEmpty else { throw .notDecrypted }
        let key: SymmetricKey  // SecureBytes inside: swift-crypto clears it when released
        do {
            key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: parameters.salt, using: parameters.pseudoRandomFunction,
                outputByteCount: parameters.cipher.keyByteCount, unsafeUncheckedRounds: parameters.iterations)
        } catch {
            throw .malformed("PBKDF2 key derivation failed")
        }
        return try decrypt(parameters.ciphertext, key: key, iv: parameters.iv)
    }

    /// The traditional OpenSSL form; `dekInfo` is the value of the `DEK-Info` header (`AES-256-CBC,<hex iv>`).
    static func decryptTraditional(_ der: [UInt8], dekInfo: String?, password: [UInt8]) throws(KeyDecryptionError) -> [UInt8] {
        guard let dekInfo else { throw .malformed("the DEK-Info header is missing") }
        let parts = dekInfo.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let cipherName = parts.first, let ivText = parts.last else {
            throw .malformed("the DEK-Info header is not `<cipher>,<iv>`")
        }
        guard let cipher = AESCipher(traditionalName: cipherName) else {
            // The name comes from the file: it reaches the terminal only escaped, and shortened.
            throw .unsupported(FileText.escaped(cipherName.prefix(40)).lowercased())
        }
        guard let iv = Hex.decode(ivText), iv.count == AESCipher.blockSize else {
            throw .malformed("the DEK-Info IV is not \(AESCipher.blockSize) hexadecimal bytes")
        }
        var keyBytes = bytesToKey(password: password, salt: Array(iv.prefix(8)), count: cipher.keyByteCount)
        let key = SymmetricKey(data: keyBytes)
        SecretMemory.wipe(&keyBytes)
        return try decrypt(der, key: key, iv: iv)
    }

    /// OpenSSL's EVP_BytesToKey with MD5 and one round: D1 = MD5(password‖salt), Dn = MD5(Dn-1‖password‖salt).
    static func bytesToKey(password: [UInt8], salt: [UInt8], count: Int) -> [UInt8] {
        var derived: [UInt8] = []
        derived.reserveCapacity(count + Insecure.MD5.byteCount)
        var previous: [UInt8] = []
        while derived.count < count {
            var md5 = Insecure.MD5()
            md5.update(data: previous)
            md5.update(data: password)
            md5.update(data: salt)
            SecretMemory.wipe(&previous)
            previous = Array(md5.finalize())
            derived += previous
        }
        SecretMemory.wipe(&previous)
        let key = Array(derived.prefix(count))
        SecretMemory.wipe(&derived)
        return key
    }

    /// AES-CBC, then the PKCS#7 padding and the DER shape of the result checked. Every failure after the
    /// cipher has run is the same `notDecrypted`, so no error tells a padding failure from a structure failure.
    static func decrypt(_ ciphertext: [UInt8], key: SymmetricKey, iv: [UInt8]) throws(KeyDecryptionError) -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % AESCipher.blockSize == 0 else {
            throw .malformed("the encrypted key is not a whole number of AES blocks")
        }
        guard iv.count == AESCipher.blockSize else {
            throw .malformed("the cipher IV is not \(AESCipher.blockSize) bytes")
        }
        var plaintext: [UInt8]
        do {
            var decrypted = try AES._CBC.decrypt(ciphertext, using: key, iv: try AES._CBC.IV(ivBytes: iv), noPadding: true)
            plaintext = Array(decrypted)
            SecretMemory.wipe(&decrypted)
        } catch {
            throw .malformed("the cipher IV or key has the wrong size")
        }
        defer { SecretMemory.wipe(&plaintext) }
        guard let padding = plaintext.last.map(Int.init), (1...AESCipher.blockSize).contains(padding),
              padding <= plaintext.count, plaintext.suffix(padding).allSatisfy({ Int($0) == padding }) else {
            throw .notDecrypted
        }
        var key = Array(plaintext.dropLast(padding))
        // One DER SEQUENCE filling the whole plaintext (swift-asn1 refuses trailing bytes).
        guard let root = try? DER.parse(key), root.identifier == .sequence else {
            SecretMemory.wipe(&key)
            throw .notDecrypted
        }
        return key
    }
}

extension EncryptedPrivateKey {
    /// The algorithm of a decrypted PKCS#8 PrivateKeyInfo that is well formed but not RSA (an EC or Ed25519
    /// key), so the error can say so instead of blaming the password. Nil for RSA and for anything else.
    static func nonRSAAlgorithm(of der: [UInt8]) -> String? {
        let algorithm = try? DER.sequence(try DER.parse(der), identifier: .sequence) { fields -> ASN1ObjectIdentifier in
            _ = try Int(derEncoded: try present(fields.next(), "version"))
            let identifier = try AlgorithmIdentifier(fields.next(), "private key algorithm")
            _ = try ASN1OctetString(derEncoded: try present(fields.next(), "private key"))
            while fields.next() != nil {}  // attributes, public key: not needed
            return identifier.oid
        }
        guard let algorithm, algorithm != KeyAlgorithmOID.rsaEncryption else { return nil }
        return KeyAlgorithmOID.keyNames[algorithm] ?? "algorithm \(algorithm.description)"
    }
}

/// The parameters of a PKCS#8 EncryptedPrivateKeyInfo using PBES2 (RFC 8018):
///
///     EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
///     PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }
///     PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, keyLength INTEGER OPTIONAL,
///                                  prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
struct PBES2Parameters {
    var salt: [UInt8]
    var iterations: Int
    var pseudoRandomFunction: KDF.Insecure.PBKDF2.HashFunction
    var cipher: AESCipher
    var iv: [UInt8]
    var ciphertext: [UInt8]

    init(encryptedPrivateKeyInfo der: [UInt8]) throws(KeyDecryptionError) {
        do {
            self = try Self.parse(der)
        } catch let error as KeyDecryptionError {
            throw error
        } catch {
            throw .malformed("the EncryptedPrivateKeyInfo is truncated or not valid DER")
        }
    }

    private init(salt: [UInt8], iterations: Int, pseudoRandomFunction: KDF.Insecure.PBKDF2.HashFunction,
                 cipher: AESCipher, iv: [UInt8], ciphertext: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.pseudoRandomFunction = pseudoRandomFunction
        self.cipher = cipher
        self.iv = iv
        self.ciphertext = ciphertext
    }

    private static func parse(_ der: [UInt8]) throws -> PBES2Parameters {
        try DER.sequence(try DER.parse(der), identifier: .sequence) { info in
            let algorithm = try AlgorithmIdentifier(info.next(), "encryption algorithm")
            let ciphertext = Array(try ASN1OctetString(derEncoded: try present(info.next(), "encrypted data")).bytes)
            guard algorithm.oid == KeyAlgorithmOID.pbes2 else {
                throw KeyDecryptionError.unsupported(KeyAlgorithmOID.name(of: algorithm.oid))
            }
            let parameters = try present(algorithm.parameters, "PBES2 parameters")
            return try DER.sequence(parameters, identifier: .sequence) { pbes2 in
                let keyDerivation = try AlgorithmIdentifier(pbes2.next(), "key derivation function")
                let scheme = try AlgorithmIdentifier(pbes2.next(), "encryption scheme")
                guard let cipher = AESCipher(objectIdentifier: scheme.oid) else {
                    throw KeyDecryptionError.unsupported(KeyAlgorithmOID.name(of: scheme.oid))
                }
                let iv = Array(try ASN1OctetString(derEncoded: try present(scheme.parameters, "cipher IV")).bytes)
                guard iv.count == AESCipher.blockSize else {
                    throw KeyDecryptionError.malformed("the cipher IV is not \(AESCipher.blockSize) bytes")
                }
                guard keyDerivation.oid == KeyAlgorithmOID.pbkdf2 else {
                    throw KeyDecryptionError.unsupported(KeyAlgorithmOID.name(of: keyDerivation.oid))
                }
                let pbkdf2 = try present(keyDerivation.parameters, "PBKDF2 parameters")
                let (salt, iterations, function) = try Self.pbkdf2Parameters(pbkdf2, cipher: cipher)
                return PBES2Parameters(salt: salt, iterations: iterations, pseudoRandomFunction: function,
                                       cipher: cipher, iv: iv, ciphertext: ciphertext)
            }
        }
    }

    private static func pbkdf2Parameters(_ node: ASN1Node, cipher: AESCipher) throws
        -> ([UInt8], Int, KDF.Insecure.PBKDF2.HashFunction)
    {
        try DER.sequence(node, identifier: .sequence) { fields in
            // `otherSource` salts (an AlgorithmIdentifier) are reserved by RFC 8018 and never written by OpenSSL.
            let salt = Array(try ASN1OctetString(derEncoded: try present(fields.next(), "PBKDF2 salt")).bytes)
            let iterations = try positive(try present(fields.next(), "PBKDF2 iteration count"), "PBKDF2 iteration count")
            var lookahead = fields
            var next = lookahead.next()
            if let keyLengthNode = next, keyLengthNode.identifier == .integer {
                fields = lookahead
                let keyLength = try positive(keyLengthNode, "PBKDF2 key length")
                guard keyLength == cipher.keyByteCount else {
                    throw KeyDecryptionError.malformed("the PBKDF2 key length \(keyLength) does not fit \(cipher.name)")
                }
                next = lookahead.next()
            }
            var function = KDF.Insecure.PBKDF2.HashFunction.insecureSHA1  // the PKCS#5 default
            if let prfNode = next {
                fields = lookahead
                let prf = try AlgorithmIdentifier(prfNode, "PBKDF2 PRF")
                guard let chosen = KeyAlgorithmOID.hmacFunctions[prf.oid] else {
                    throw KeyDecryptionError.unsupported(KeyAlgorithmOID.name(of: prf.oid))
                }
                if let parameters = prf.parameters { _ = try ASN1Null(derEncoded: parameters) }
                function = chosen
            }
            // BoringSSL's PBKDF2 wants a non-empty salt.
            guard !salt.isEmpty else { throw KeyDecryptionError.malformed("the PBKDF2 salt is empty") }
            return (salt, iterations, function)
        }
    }

    /// An INTEGER that is positive and fits in 32 bits (what BoringSSL's round counter takes).
    private static func positive(_ node: ASN1Node, _ what: String) throws -> Int {
        guard node.identifier == .integer, case .primitive(let bytes) = node.content else {
            throw KeyDecryptionError.malformed("the \(what) is not an integer")
        }
        guard let first = bytes.first, first & 0x80 == 0 else {
            throw KeyDecryptionError.malformed("the \(what) is not a positive integer")
        }
        let significant = bytes.drop { $0 == 0 }
        guard !significant.isEmpty else { throw KeyDecryptionError.malformed("the \(what) is zero") }
        guard significant.count <= 4 else { throw KeyDecryptionError.malformed("the \(what) is too large") }
        _ = try Int(derEncoded: node)  // swift-asn1's check that the encoding is minimal
        return significant.reduce(0) { $0 << 8 | Int($1) }
    }
}

private func present(_ node: ASN1Node?, _ what: String) throws -> ASN1Node {
    guard let node else { throw KeyDecryptionError.malformed("the \(what) is missing") }
    return node
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`
private struct AlgorithmIdentifier {
    var oid: ASN1ObjectIdentifier
    var parameters: ASN1Node?

    init(_ node: ASN1Node?, _ what: String) throws {
        (oid, parameters) = try DER.sequence(try present(node, what), identifier: .sequence) { fields in
            (try ASN1ObjectIdentifier(derEncoded: try present(fields.next(), what)), fields.next())
        }
    }
}

/// The AES-CBC variants both encrypted forms may name.
struct AESCipher: Equatable {
    static let blockSize = 16
    let keyByteCount: Int
    var name: String { "aes-\(keyByteCount * 8)-cbc" }

    init?(objectIdentifier: ASN1ObjectIdentifier) {
        switch objectIdentifier {
        case KeyAlgorithmOID.aes128CBC: keyByteCount = 16
        case KeyAlgorithmOID.aes192CBC: keyByteCount = 24
        case KeyAlgorithmOID.aes256CBC: keyByteCount = 32
        default: return nil
        }
    }

    init?(traditionalName: String) {
        switch traditionalName.uppercased() {
        case "AES-128-CBC": keyByteCount = 16
        case "AES-192-CBC": keyByteCount = 24
        case "AES-256-CBC": keyByteCount = 32
        default: return nil
        }
    }
}

/// The object identifiers involved.
enum KeyAlgorithmOID {
    static let pbes2: ASN1ObjectIdentifier = "1.2.840.113549.1.5.13"
    static let pbkdf2: ASN1ObjectIdentifier = "1.2.840.113549.1.5.12"
    static let aes128CBC: ASN1ObjectIdentifier = "2.16.840.1.101.3.4.1.2"
    static let aes192CBC: ASN1ObjectIdentifier = "2.16.840.1.101.3.4.1.22"
    static let aes256CBC: ASN1ObjectIdentifier = "2.16.840.1.101.3.4.1.42"
    static let rsaEncryption: ASN1ObjectIdentifier = "1.2.840.113549.1.1.1"

    /// Key algorithms of PKCS#8 keys that are not RSA.
    static let keyNames: [ASN1ObjectIdentifier: String] = [
        "1.2.840.10045.2.1": "an elliptic-curve key",
        "1.3.101.112": "an Ed25519 key",
        "1.3.101.113": "an Ed448 key",
        "1.2.840.10040.4.1": "a DSA key",
        "1.2.840.113549.1.1.10": "an RSA-PSS key",
    ]

    /// hmacWithSHA1 … hmacWithSHA512.
    static let hmacFunctions: [ASN1ObjectIdentifier: KDF.Insecure.PBKDF2.HashFunction] = [
        "1.2.840.113549.2.7": .insecureSHA1,
        "1.2.840.113549.2.8": .insecureSHA224,
        "1.2.840.113549.2.9": .sha256,
        "1.2.840.113549.2.10": .sha384,
        "1.2.840.113549.2.11": .sha512,
    ]

    /// Names for the unsupported algorithms people actually meet, so the error says more than digits.
    private static let knownNames: [ASN1ObjectIdentifier: String] = [
        "1.2.840.113549.3.7": "des-ede3-cbc",
        "1.3.14.3.2.7": "des-cbc",
        "1.2.840.113549.1.5.3": "PBES1 (pbeWithMD5AndDES-CBC)",
        "1.2.840.113549.1.5.10": "PBES1 (pbeWithSHA1AndDES-CBC)",
        "1.2.840.113549.1.12.1.3": "PKCS#12 PBE (pbeWithSHA1And3-KeyTripleDES-CBC)",
        "1.2.840.113549.1.12.1.6": "PKCS#12 PBE (pbeWithSHA1And40BitRC2-CBC)",
        "1.2.840.113549.1.5.14": "PBMAC1",
        "1.3.6.1.4.1.11591.4.11": "scrypt",
        "1.2.840.113549.2.5": "hmacWithMD5",
        "1.2.840.113549.2.12": "hmacWithSHA512-224",
        "1.2.840.113549.2.13": "hmacWithSHA512-256",
    ]

    /// A known name, or the dotted form (digits and dots only, so safe to print).
    static func name(of oid: ASN1ObjectIdentifier) -> String {
        knownNames[oid] ?? "algorithm \(oid.description)"
    }
}

enum Hex {
    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var index = 0
        while index + 1 < digits.count {
            guard let high = value(of: digits[index]), let low = value(of: digits[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    /// Upper-case hexadecimal, as the Entra portal shows thumbprints.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
