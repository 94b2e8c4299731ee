/// Paths of the Graph synchronization API, relative to the versioned root (`https://graph.microsoft.com/v1.0`).
/// Ids are inserted as one percent-encoded path segment each (an id such as `../../applications` cannot climb out
/// of its collection); render's placeholders such as `{servicePrincipalId}` pass through unchanged.
public enum GraphPaths {
    /// `id` as a single path segment: unreserved characters and the braces of placeholders stay, everything else
    /// (including `/`, `?`, `#`, `%`) is percent-encoded, and the dot segments `.` and `..` are encoded too.
    public static func segment(_ id: String) -> String {
        if id == "." || id == ".." { return String(repeating: "%2E", count: id.count) }
        var result = ""
        for byte in id.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~{}".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// The non-gallery ("custom") application template in the global cloud.
    public static let nonGalleryTemplateId = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
    /// The non-gallery template in the US Government clouds.
    public static let nonGalleryTemplateIdUSGovernment = "4602d0b4-76bb-404b-bca9-2652e1a39c6d"
    /// The non-gallery template in the China (21Vianet) cloud.
    public static let nonGalleryTemplateIdChina = "5a532e38-1581-4918-9658-008dc27c1d68"
    /// The synchronization template of new non-gallery SCIM jobs (`customappsso` is the 2018 legacy one).
    public static let scimJobTemplateId = "scim"

    public static func instantiate(applicationTemplateId: String) -> String {
        "/applicationTemplates/\(segment(applicationTemplateId))/instantiate"
    }
    public static func servicePrincipal(_ id: String) -> String { "/servicePrincipals/\(segment(id))" }
    /// Who is assigned to the application (users and groups, with their app roles).
    public static func appRoleAssignedTo(servicePrincipalId: String) -> String {
        servicePrincipal(servicePrincipalId) + "/appRoleAssignedTo"
    }
    public static func appRoleAssignment(servicePrincipalId: String, assignmentId: String) -> String {
        appRoleAssignedTo(servicePrincipalId: servicePrincipalId) + "/\(segment(assignmentId))"
    }
    public static func templates(servicePrincipalId: String) -> String {
        "/servicePrincipals/\(segment(servicePrincipalId))/synchronization/templates"
    }
    public static func jobs(servicePrincipalId: String) -> String {
        "/servicePrincipals/\(segment(servicePrincipalId))/synchronization/jobs"
    }
    public static func job(servicePrincipalId: String, jobId: String) -> String {
        jobs(servicePrincipalId: servicePrincipalId) + "/\(segment(jobId))"
    }
    public static func secrets(servicePrincipalId: String) -> String {
        "/servicePrincipals/\(segment(servicePrincipalId))/synchronization/secrets"
    }
    public static func schema(servicePrincipalId: String, jobId: String) -> String {
        job(servicePrincipalId: servicePrincipalId, jobId: jobId) + "/schema"
    }
    public static func parseExpression(servicePrincipalId: String, jobId: String) -> String {
        schema(servicePrincipalId: servicePrincipalId, jobId: jobId) + "/parseExpression"
    }
    /// `start`, `pause`, `restart`, `provisionOnDemand`, `validateCredentials`.
    public static func jobAction(_ action: String, servicePrincipalId: String, jobId: String) -> String {
        job(servicePrincipalId: servicePrincipalId, jobId: jobId) + "/\(segment(action))"
    }
}
