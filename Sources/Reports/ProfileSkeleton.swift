import VendorProfiles

/// `init`'s commented profile skeleton, starting from the `scim` template's default mappings.
public enum ProfileSkeleton {
    public static func mappingLines(_ mappings: [AttributeMapping], indent: String) -> String {
        mappings.flatMap(ProfileYAML.lines(for:)).map { indent + $0 + "\n" }.joined()
    }

    public static func yaml(vendor: String) -> String {
        let slug = ProfileYAML.applicationName(for: vendor)
        let variable = ProfileYAML.tokenVariable(for: vendor)
        return """
            # yaml-language-server: $schema=profile.schema.json
            # (create the schema for your editor with: scimctl schema > profile.schema.json)
            # A scimctl profile for \(vendor). Fill it in from the vendor's setup guide, then run:
            #   scimctl validate mapping \(slug).yaml
            vendor: \(ProfileYAML.quoted(vendor))
            # guide: https://… (the vendor's setup guide)
            description: Provisions users from Entra ID to \(vendor).
            parameters:
              tenant:
                description: your \(vendor) tenant name, as it appears in the SCIM URL
                pattern: "[a-z0-9-]+"
                example: contoso
            applications:
              - name: \(slug)
                displayName: \(ProfileYAML.quoted(vendor))
                # create: false   # the app exists already (made for SSO or by a script): find it, never create it
                # appId: ...      # with create: false, find the app by its application (client) id
                # The vendor's SCIM base URL; {tenant} is replaced by --param tenant=...
                tenantURL: https://{tenant}.example.com/scim/v2
                # Where apply reads the vendor's token from (never write it here). Use `secretToken: none` if there is none.
                secretToken:
                  env: \(variable)
                # assigned: only users and groups assigned to the app; all: everyone in the directory.
                scope: assigned
                # Who is assigned to the app (apply ensures these; needs AppRoleAssignment.ReadWrite.All).
                # A group by display name or object id, a user by principal name or object id; optional role:
                # an app role's displayName or value (the app's default user role otherwise).
                assignments:
                  - group: \(ProfileYAML.quoted(vendor + " Users"))
                # assignmentMode: exclusive   # also remove assignments not listed here
                startProvisioning: false
                # paused: true    # provisioning must be off: apply pauses a running job and never starts it
                # notificationEmail: ops@example.com   # or "{notify}" with a parameter
                users:
                  # exclusive: exactly the mappings below (delete the ones the vendor does not want);
                  # amend: list only the mappings that differ from the template's defaults.
                  mode: exclusive
                  attributes:
            \(mappingLines(SCIMTemplate.defaultMappings(for: .user), indent: "        "))\
                groups:
                  # Set enabled: false if the vendor does not take groups.
                  enabled: true
                  mode: exclusive
                  attributes:
            \(mappingLines(SCIMTemplate.defaultMappings(for: .group), indent: "        "))\
            # rules:
            #   allowedUserTargets: [...]     # the only user attributes the vendor accepts
            #   requiredUserTargets: [...]
            #   prerequisites:
            #     - steps the vendor requires outside Entra

            """
    }
}
