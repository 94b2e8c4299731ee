import Foundation
import GraphHTTP

/// `auth check`'s description of a certificate credential: what the portal needs to recognise the certificate, and
/// whether it is in date. Public details only; the key itself is never shown.
public enum CredentialRendering {
    public static func certificateLines(_ certificate: ClientCertificate, now: Date = Date()) -> [String] {
        let dates = ISO8601DateFormatter()
        let state: String
        switch certificate.validity(at: now) {
        case .valid: state = "valid now"
        case .expired: state = "EXPIRED"
        case .notYetValid: state = "NOT YET VALID"
        }
        let others = certificate.certificatesInFile - 1
        return [
            "certificate subject: \(certificate.subject)",
            "certificate issuer: \(certificate.issuer)",
            "certificate thumbprint (SHA-1, as the Entra portal lists it): \(certificate.portalThumbprint)",
            "certificate thumbprint (SHA-256): \(certificate.sha256HexThumbprint)",
            "certificate validity: \(dates.string(from: certificate.notValidBefore)) to "
                + "\(dates.string(from: certificate.notValidAfter)) (\(state))",
            "certificate matches the private key: yes (RSA \(certificate.keySizeInBits) bits"
                + (others > 0 ? "; \(others) other certificate\(others == 1 ? "" : "s") in the file not used)" : ")"),
        ]
    }
}
