/// Paths of the Graph synchronization API, relative to the versioned root (`https://graph.microsoft.com/v1.0`).
/// Ids are inserted as given; render passes placeholders such as `{servicePrincipalId}`.
public enum GraphPaths {
    /// The non-gallery ("custom") application template in the global cloud.
    public static let nonGalleryTemplateId = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
    /// The non-gallery template in the US Government clouds.
    public static let nonGalleryTemplateIdUSGovernment = "4602d0b4-76bb-404b-bca9-2652e1a39c6d"
    /// The non-gallery template in the China (21Vianet) cloud.
    public static let nonGalleryTemplateIdChina = "5a532e38-1581-4918-9658-008dc27c1d68"
    /// The synchronization template of new non-gallery SCIM jobs (`customappsso` is the 2018 legacy one).
    public static let scimJobTemplateId = "scim"

    public static func instantiate(applicationTemplateId: String) -> String {
        "/applicationTemplates/\(applicationTemplateId)/instantiate"
    }
    public static func servicePrincipal(_ id: String) -> String { "/servicePrincipals/\(id)" }
    public static func templates(servicePrincipalId: String) -> String {
        "/servicePrincipals/\(servicePrincipalId)/synchronization/templates"
    }
    public static func jobs(servicePrincipalId: String) -> String {
        "/servicePrincipals/\(servicePrincipalId)/synchronization/jobs"
    }
    public static func job(servicePrincipalId: String, jobId: String) -> String {
        jobs(servicePrincipalId: servicePrincipalId) + "/\(jobId)"
    }
    public static func secrets(servicePrincipalId: String) -> String {
        "/servicePrincipals/\(servicePrincipalId)/synchronization/secrets"
    }
    public static func schema(servicePrincipalId: String, jobId: String) -> String {
        job(servicePrincipalId: servicePrincipalId, jobId: jobId) + "/schema"
    }
    public static func parseExpression(servicePrincipalId: String, jobId: String) -> String {
        schema(servicePrincipalId: servicePrincipalId, jobId: jobId) + "/parseExpression"
    }
    /// `start`, `pause`, `restart`, `provisionOnDemand`, `validateCredentials`.
    public static func jobAction(_ action: String, servicePrincipalId: String, jobId: String) -> String {
        job(servicePrincipalId: servicePrincipalId, jobId: jobId) + "/\(action)"
    }
}
