import Foundation
import GraphHTTP

/// `auth check`'s lines: the credential, never a secret, and the permissions its token grants.
public enum CredentialRendering {
    /// The chosen method with its tenant and client id, the Graph root and, for a certificate credential, what the
    /// portal needs to recognise the certificate.
    public static func identityLines(_ credentials: CredentialChain, graphURL: String) -> [String] {
        var lines = [credentials.describe().description, "graph: \(graphURL)"]
        if let certificate = credentials.credential as? ClientCertificateCredential {
            lines += certificateLines(certificate.certificate)
        }
        return lines
    }

    /// The token's roles (and delegated scopes), then per command `ok` or the permissions it lacks. Only the `roles`
    /// and `scp` claims are read; the token itself is never shown.
    public static func permissionLines(token: String) -> [String] {
        guard let (roles, scopes) = GraphPermissions.granted(byToken: token) else {
            return ["permissions: unknown (the token is not a JWT, so its roles cannot be read)"]
        }
        var lines = ["roles: " + (roles.isEmpty ? "none" : roles.sorted().joined(separator: ", "))]
        if !scopes.isEmpty { lines.append("delegated scopes: " + scopes.sorted().joined(separator: ", ")) }
        for command in GraphPermissions.Command.allCases {
            let gaps = GraphPermissions.missing(for: command, granted: roles + scopes)
            guard !gaps.isEmpty else {
                lines.append("\(command.rawValue): ok" + (command.needs.isEmpty ? " (offline, no permission needed)" : ""))
                continue
            }
            let wanted = gaps.map { need in
                let others = need.anyOf.dropFirst()
                return "\(need.anyOf.first ?? "") (to \(need.purpose)" + (others.isEmpty ? ")" : "; or \(others.joined(separator: ", ")))")
            }
            lines.append("\(command.rawValue): missing " + wanted.joined(separator: "; "))
        }
        if (roles + scopes).contains(where: { $0.caseInsensitiveCompare("Application.ReadWrite.OwnedBy") == .orderedSame }) {
            lines.append(
                "note: Application.ReadWrite.OwnedBy covers only applications this identity owns (ones it created); "
                    + "managing existing applications needs Synchronization.ReadWrite.All and Application.Read.All")
        }
        return lines
    }

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
