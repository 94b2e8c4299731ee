import Crypto
import Foundation
import _CryptoExtras

/// Why an encrypted private key could not be opened. `ClientCertificate` turns it into an `AuthenticationError`;
/// none of the cases carries the password or any derived key material.
enum KeyDecryptionError: Error, Equatable {
    /// The bytes are not the structure they claim to be; the text says which part.
    case malformed(String)
    /// A scheme, key derivation or cipher this module does not implement; the text names it.
    case unsupported(String)
    /// Decryption ended in invalid PKCS#7 padding: almost always a wrong password.
    case badPadding
    /// Decryption produced something that is not a DER key: a wrong password that happened to pad correctly.
    case notAKey
}

/// Decrypts the two password-protected PEM key forms OpenSSL writes, returning the plain key DER
/// (PKCS#8 PrivateKeyInfo or PKCS#1 RSAPrivateKey, both accepted by `_RSA.Signing.PrivateKey(derRepresentation:)`):
/// - `ENCRYPTED PRIVATE KEY`: PKCS#8 EncryptedPrivateKeyInfo with PBES2 = PBKDF2 (HMAC-SHA1/224/256/384/512) and
///   AES-128/192/256-CBC, which is what `openssl genpkey -aes-256-cbc` and `openssl pkcs8 -topk8 -v2` write;
/// - the traditional form with `Proc-Type: 4,ENCRYPTED` and `DEK-Info: AES-…-CBC,<iv>` headers, whose key is
///   OpenSSL's EVP_BytesToKey (one MD5 round, salt = first 8 bytes of the IV).
enum EncryptedPrivateKey {
    /// PBKDF2 rounds above this are refused: a hostile file could otherwise keep the process busy for hours.
    /// OpenSSL writes 2048 by default, and current password-storage advice stays well below this.
    static let maximumIterations = 5_000_000

    static func decryptPKCS8(_ der: [UInt8], password: [UInt8]) throws(KeyDecryptionError) -> [UInt8] {
        var document = DERReader(der)
        var info = try document.read(.sequence, "EncryptedPrivateKeyInfo").reader
        try document.expectEnd("EncryptedPrivateKeyInfo")
        var algorithm = try info.read(.sequence, "encryption algorithm").reader
        let ciphertext = try info.read(.octetString, "encrypted data").contents
        try info.expectEnd("EncryptedPrivateKeyInfo")

        let schemeOID = try algorithm.read(.objectIdentifier, "encryption scheme").contents
        guard schemeOID == KeyAlgorithmOID.pbes2 else {
            throw .unsupported(KeyAlgorithmOID.name(of: schemeOID))
        }
        var pbes2 = try algorithm.read(.sequence, "PBES2 parameters").reader
        try algorithm.expectEnd("encryption algorithm")
        var keyDerivation = try pbes2.read(.sequence, "key derivation function").reader
        var encryptionScheme = try pbes2.read(.sequence, "encryption scheme").reader
        try pbes2.expectEnd("PBES2 parameters")

        let cipherOID = try encryptionScheme.read(.objectIdentifier, "cipher").contents
        guard let cipher = AESCipher(objectIdentifier: cipherOID) else {
            throw .unsupported(KeyAlgorithmOID.name(of: cipherOID))
        }
        let iv = try encryptionScheme.read(.octetString, "cipher IV").contents
        try encryptionScheme.expectEnd("encryption scheme")

        let kdfOID = try keyDerivation.read(.objectIdentifier, "key derivation function").contents
        guard kdfOID == KeyAlgorithmOID.pbkdf2 else {
            throw .unsupported(KeyAlgorithmOID.name(of: kdfOID))
        }
        var parameters = try keyDerivation.read(.sequence, "PBKDF2 parameters").reader
        try keyDerivation.expectEnd("key derivation function")
        let salt = try parameters.read(.octetString, "PBKDF2 salt").contents
        let iterations = try parameters.read(.integer, "PBKDF2 iteration count").positiveInteger("PBKDF2 iteration count")
        if parameters.nextTag == DERReader.Tag.integer.rawValue {
            let keyLength = try parameters.read(.integer, "PBKDF2 key length").positiveInteger("PBKDF2 key length")
            guard keyLength == cipher.keyByteCount else {
                throw .malformed("the PBKDF2 key length \(keyLength) does not fit \(cipher.name)")
            }
        }
        var pseudoRandomFunction = KDF.Insecure.PBKDF2.HashFunction.insecureSHA1  // the PKCS#5 default
        if parameters.nextTag == DERReader.Tag.sequence.rawValue {
            var prf = try parameters.read(.sequence, "PBKDF2 PRF").reader
            let prfOID = try prf.read(.objectIdentifier, "PBKDF2 PRF").contents
            guard let function = KeyAlgorithmOID.hmacFunctions[prfOID] else {
                throw .unsupported(KeyAlgorithmOID.name(of: prfOID))
            }
            pseudoRandomFunction = function
            if !prf.isAtEnd { _ = try prf.read(.null, "PBKDF2 PRF parameters") }
            try prf.expectEnd("PBKDF2 PRF")
        }
        try parameters.expectEnd("PBKDF2 parameters")

        // BoringSSL's PBKDF2 wants non-empty inputs, and the round count must fit in 32 bits.
        guard !salt.isEmpty else { throw .malformed("the PBKDF2 salt is empty") }
        guard iterations <= maximumIterations else {
            throw .malformed("the PBKDF2 iteration count \(iterations) is above the limit of \(maximumIterations)")
        }
        // An empty password never reaches here (ClientCertificate treats it as missing); BoringSSL would reject it.
        guard !password.isEmpty else { throw .badPadding }
        let key: SymmetricKey
        do {
            key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: pseudoRandomFunction, outputByteCount: cipher.keyByteCount,
                unsafeUncheckedRounds: iterations)
        } catch {
            throw .malformed("PBKDF2 key derivation failed")
        }
        return try decrypt(ciphertext, key: key, iv: iv)
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
            throw .unsupported(cipherName.lowercased())
        }
        guard let iv = Hex.decode(ivText), iv.count == AESCipher.blockSize else {
            throw .malformed("the DEK-Info IV is not \(AESCipher.blockSize) hexadecimal bytes")
        }
        let key = SymmetricKey(data: bytesToKey(password: password, salt: Array(iv.prefix(8)), count: cipher.keyByteCount))
        return try decrypt(der, key: key, iv: iv)
    }

    /// OpenSSL's EVP_BytesToKey with MD5 and one round: D1 = MD5(password‖salt), Dn = MD5(Dn-1‖password‖salt).
    static func bytesToKey(password: [UInt8], salt: [UInt8], count: Int) -> [UInt8] {
        var derived: [UInt8] = []
        var previous: [UInt8] = []
        while derived.count < count {
            var md5 = Insecure.MD5()
            md5.update(data: previous)
            md5.update(data: password)
            md5.update(data: salt)
            previous = Array(md5.finalize())
            derived += previous
        }
        return Array(derived.prefix(count))
    }

    /// AES-CBC with the PKCS#7 padding checked here (so a wrong password is told apart from a damaged file),
    /// then a check that the result is one DER SEQUENCE filling the whole plaintext.
    static func decrypt(_ ciphertext: [UInt8], key: SymmetricKey, iv: [UInt8]) throws(KeyDecryptionError) -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % AESCipher.blockSize == 0 else {
            throw .malformed("the encrypted key is not a whole number of AES blocks")
        }
        let plaintext: [UInt8]
        do {
            let vector = try AES._CBC.IV(ivBytes: iv)
            plaintext = Array(try AES._CBC.decrypt(ciphertext, using: key, iv: vector, noPadding: true))
        } catch {
            throw .malformed("the cipher IV or key has the wrong size")
        }
        guard let padding = plaintext.last.map(Int.init), (1...AESCipher.blockSize).contains(padding),
              padding <= plaintext.count, plaintext.suffix(padding).allSatisfy({ Int($0) == padding }) else {
            throw .badPadding
        }
        let key = Array(plaintext.dropLast(padding))
        var reader = DERReader(key)
        do {
            _ = try reader.read(.sequence, "private key")
            try reader.expectEnd("private key")
        } catch {
            throw .notAKey
        }
        return key
    }
}

/// The AES-CBC variants both encrypted forms may name.
struct AESCipher: Equatable {
    static let blockSize = 16
    let keyByteCount: Int
    var name: String { "aes-\(keyByteCount * 8)-cbc" }

    init?(objectIdentifier: [UInt8]) {
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

/// The object identifiers involved, as their DER content bytes.
enum KeyAlgorithmOID {
    static let pbes2: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D]  // 1.2.840.113549.1.5.13
    static let pbkdf2: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C]  // 1.2.840.113549.1.5.12
    static let aes128CBC: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02]  // 2.16.840.1.101.3.4.1.2
    static let aes192CBC: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16]  // …4.1.22
    static let aes256CBC: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]  // …4.1.42

    /// hmacWithSHA1 … hmacWithSHA512 (1.2.840.113549.2.7 to .2.11).
    static let hmacFunctions: [[UInt8]: KDF.Insecure.PBKDF2.HashFunction] = [
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x07]: .insecureSHA1,
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x08]: .insecureSHA224,
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09]: .sha256,
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x0A]: .sha384,
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x0B]: .sha512,
    ]

    /// Names for the unsupported algorithms people actually meet, so the error says more than digits.
    private static let knownNames: [String: String] = [
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

    static func name(of contents: [UInt8]) -> String {
        let dotted = self.dotted(contents)
        return knownNames[dotted] ?? "algorithm \(dotted)"
    }

    /// Dotted notation; arcs too large to print, or a dangling continuation byte, become "?".
    static func dotted(_ contents: [UInt8]) -> String {
        guard !contents.isEmpty else { return "?" }
        var arcs: [String] = []
        var value: UInt64 = 0
        var complete = true
        for byte in contents {
            guard value <= (UInt64.max >> 7) else { return "?" }
            value = (value << 7) | UInt64(byte & 0x7F)
            complete = byte & 0x80 == 0
            if complete {
                if arcs.isEmpty {
                    let first = min(value / 40, 2)
                    arcs.append("\(first)")
                    arcs.append("\(value - first * 40)")
                } else {
                    arcs.append("\(value)")
                }
                value = 0
            }
        }
        return complete ? arcs.joined(separator: ".") : "?"
    }
}

/// A minimal DER reader for the encrypted-key structures: definite lengths only, single-byte tags, and every
/// length checked against the bytes that are really there.
struct DERReader {
    enum Tag: UInt8 {
        case integer = 0x02
        case octetString = 0x04
        case null = 0x05
        case objectIdentifier = 0x06
        case sequence = 0x30
    }

    struct Element {
        let tag: UInt8
        let contents: [UInt8]
        var reader: DERReader { DERReader(contents) }

        /// An INTEGER that is positive and fits comfortably in an Int (at most four value bytes).
        func positiveInteger(_ what: String) throws(KeyDecryptionError) -> Int {
            guard let first = contents.first, first & 0x80 == 0 else {
                throw .malformed("the \(what) is not a positive integer")
            }
            let significant = contents.drop { $0 == 0 }
            guard !significant.isEmpty else { throw .malformed("the \(what) is zero") }
            guard significant.count <= 4 else { throw .malformed("the \(what) is too large") }
            return significant.reduce(0) { $0 << 8 | Int($1) }
        }
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }
    var nextTag: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func read(_ expected: Tag, _ what: String) throws(KeyDecryptionError) -> Element {
        guard let element = readElement() else { throw .malformed("the \(what) is truncated or not valid DER") }
        guard element.tag == expected.rawValue else { throw .malformed("the \(what) has an unexpected type") }
        return element
    }

    func expectEnd(_ what: String) throws(KeyDecryptionError) {
        guard isAtEnd else { throw .malformed("the \(what) has unexpected trailing data") }
    }

    private mutating func readElement() -> Element? {
        var cursor = position
        guard let tag = byte(at: cursor), tag & 0x1F != 0x1F else { return nil }  // no multi-byte tags here
        cursor += 1
        guard let first = byte(at: cursor) else { return nil }
        cursor += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard (1...4).contains(count) else { return nil }  // 0x80 (indefinite) is BER, not DER
            for _ in 0..<count {
                guard let next = byte(at: cursor) else { return nil }
                length = length << 8 | Int(next)
                cursor += 1
            }
        }
        guard length <= bytes.count - cursor else { return nil }
        let contents = Array(bytes[cursor..<(cursor + length)])
        position = cursor + length
        return Element(tag: tag, contents: contents)
    }

    private func byte(at index: Int) -> UInt8? {
        index >= 0 && index < bytes.count ? bytes[index] : nil
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

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
