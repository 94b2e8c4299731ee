import GraphModel
import VendorProfiles

/// Apps a profile says already exist (`create: false`): found by application id or display name, never created.
enum ExistingApplication {
    /// The service principals the application could be: by `appId` when the profile gives one, else by display name.
    static func candidates(_ application: ResolvedApplication, graph: any GraphService) async throws -> [JSONValue] {
        guard let appID = application.appID else {
            return try await LiveStateReader.findServicePrincipals(named: application.displayName, graph: graph)
        }
        let result = try await graph.get(
            "/servicePrincipals?$filter=appId eq '\(LiveStateReader.filterLiteral(appID))'",
            "find the application by appId")
        return (result?["value"]?.arrayValue ?? []).filter { $0["appId"]?.stringValue?.lowercased() == appID.lowercased() }
    }

    /// Planning stops here when an app that must exist was not found, before anything else is compared.
    static func requireFound(_ application: ResolvedApplication, live: LiveState) throws {
        guard !application.create, live.servicePrincipalID == nil else { return }
        let lookup =
            application.appID.map { "with appId \($0)" } ?? "named '\(application.displayName)'"
        throw ProvisioningError.existingApplicationMissing(
            "application '\(application.name)' has create: false, and no enterprise application \(lookup) was found; "
                + "create it first (for single sign-on, or with the vendor's script)")
    }
}
