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
            ListProfiles.self, Init.self, ProfileJSONSchemaCommand.self, Export.self, Status.self,
            ProvisionOnDemand.self, Logs.self, Restart.self, RollbackCommand.self, Auth.self, Manual.self, Rules.self,
            Explain.self,
        ]
    )

    /// ArgumentParser's own, except that a usage error found while a command runs (an unknown `--app`, a profile
    /// argument that names two profiles) shows that command's usage rather than the root's.
    static func main() async {
        var command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(nil)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            let ran = ObjectIdentifier(type(of: command))
            let path = ManualPage.commands(Scimctl.self, path: ["scimctl"]).first { ObjectIdentifier($0.1) == ran }?.0
            Output.errLine("Error: \(error.message)\nUsage: \(usageString(for: type(of: command)))")
            Output.errLine("  See '\((path ?? ["scimctl"]).joined(separator: " ")) --help' for more information.")
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }
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
