import FuzzSupport
import GraphHTTP

/// Credential files are hostile input too. An even first byte sends the rest through the PBES2 decryption of a
/// DER EncryptedPrivateKeyInfo (password `fuzz`, PBKDF2 capped at 1000 rounds so every input stays fast); an odd
/// one loads the rest as a whole PEM file without a password, so parsing, certificate matching and the refusal of
/// encrypted keys are exercised but no unbounded key derivation. Any input must be refused or accepted, never trap.
runFuzzer { data, size in
    let bytes = Array(input(data, size))
    guard let selector = bytes.first else { return 0 }
    if selector % 2 == 0 {
        _ = ClientCertificate.fuzzKeyDecryption(bytes)
    } else {
        _ = try? ClientCertificate(pemBytes: Array(bytes.dropFirst()), path: "fuzz.pem", password: nil)
    }
    return 0
}
