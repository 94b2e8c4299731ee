import ArgumentParser

@main
struct Scimctl: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        abstract: "Configure Microsoft Entra ID SCIM provisioning for non-gallery enterprise apps as code.",
        discussion: """
            Vendor profiles (YAML) say what a vendor's setup guide says. scimctl validates them offline, \
            renders the Microsoft Graph requests they imply, and applies them idempotently. \
            Exit codes: 0 success, 1 errors found or operation failed, 2 changes pending (plan \
            --detailed-exitcode), 64 usage error.
            """,
        version: version,
        subcommands: [
            Validate.self, Render.self, Preview.self, Simulate.self, Plan.self, Apply.self, Probe.self,
            Profiles.self, Init.self,
            Schema.self, Export.self, Status.self, ProvisionOnDemand.self, Logs.self,
            Restart.self,
            RollbackCommand.self, Auth.self, Manual.self, Rules.self, Explain.self,
        ]
    )
}

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate profiles and expressions offline.",
        subcommands: [ValidateMapping.self, ValidateExpression.self]
    )
}

struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Microsoft Graph requests a profile implies, offline.",
        subcommands: [RenderProfile.self]
    )
}
