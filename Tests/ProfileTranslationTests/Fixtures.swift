@testable import GraphModel
@testable import VendorProfiles

/// Hand-built profiles for merge and render tests.
enum Fixtures {
    static func application(
        name: String = "acme", users: ObjectMapping = ObjectMapping(kind: .user),
        groups: ObjectMapping = ObjectMapping(kind: .group), token: SecretTokenSource = .environment(variable: "ACME_TOKEN"),
        scope: ProvisioningScope = .assignedOnly, notificationEmail: String? = nil, start: Bool = false
    ) -> ResolvedApplication {
        ResolvedApplication(
            name: name, displayName: "Acme SCIM (\(name))", tenantURL: "https://scim.acme.example/v2/tenant-42",
            secretToken: token, scope: scope, notificationEmail: notificationEmail, startProvisioning: start,
            users: users, groups: groups, location: nil)
    }

    static func profile(_ applications: [ResolvedApplication]) -> ResolvedProfile {
        ResolvedProfile(profile: Profile(name: "acme", vendor: "Acme"), parameterValues: [:], applications: applications)
    }

    static func userMappings(_ schema: SynchronizationSchema) -> SchemaObjectMapping? {
        objectMapping(schema, "User")
    }

    static func objectMapping(_ schema: SynchronizationSchema, _ name: String) -> SchemaObjectMapping? {
        schema.synchronizationRules.flatMap(\.objectMappings).first { $0.sourceObjectName == name }
    }

    static func mapping(_ schema: SynchronizationSchema, _ object: String, target: String) -> SchemaAttributeMapping? {
        objectMapping(schema, object)?.attributeMappings.first { $0.targetAttributeName == target }
    }

    static func targetAttributes(_ schema: SynchronizationSchema, _ object: String) -> [AttributeDefinition] {
        schema.directory(named: "customappsso")?.object(named: object)?.attributes ?? []
    }
}
