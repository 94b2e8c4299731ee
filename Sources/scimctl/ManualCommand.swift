import ArgumentParser

/// `scimctl manual`: a man page (roff) built from the same help text `--help` prints, so it never drifts.
/// `make install` writes it to share/man/man1/scimctl.1.
struct ManualCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual",
        abstract: "Print the scimctl man page (roff).",
        shouldDisplay: false
    )

    func run() async throws {
        Output.out(ManualPage.render())
    }
}

enum ManualPage {
    static func render() -> String {
        var page = """
            .TH SCIMCTL 1 "" "scimctl \(Scimctl.version)" "User Commands"
            .SH NAME
            scimctl \\- configure Microsoft Entra ID SCIM provisioning for non-gallery enterprise apps as code
            .SH SYNOPSIS
            .B scimctl
            .I command
            .RI [ options ]
            .SH DESCRIPTION
            Vendor profiles (YAML) record what a vendor's setup guide says. scimctl validates them offline, renders the
            Microsoft Graph synchronization requests they imply, and applies them to a tenant idempotently, with a plan first.

            """
        page += ".SH COMMANDS\n"
        for (path, command) in commands(Scimctl.self, path: ["scimctl"]) {
            let help = Scimctl.helpMessage(for: command, includeHidden: false, columns: 100)
            page += ".SS \(escape(path.joined(separator: " ")))\n.nf\n\(escape(help))\n.fi\n"
        }
        page += """
            .SH EXIT STATUS
            0 success; 1 findings or a failed operation; 2 changes pending (plan \\-\\-detailed\\-exitcode); 64 usage error.
            .SH ENVIRONMENT
            SCIMCTL_ACCESS_TOKEN, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH,
            AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST, SCIMCTL_GRAPH_URL, NO_COLOR, and the secret-token variables
            the profiles name.
            .SH SEE ALSO
            graph\\-emulator(1)

            """
        return page
    }

    /// Every subcommand that does something, depth first, with its command path.
    static func commands(_ command: any ParsableCommand.Type, path: [String]) -> [([String], any ParsableCommand.Type)] {
        let configuration = command.configuration
        var result: [([String], any ParsableCommand.Type)] = []
        if configuration.subcommands.isEmpty {
            result.append((path, command))
        }
        for subcommand in configuration.subcommands where subcommand.configuration.shouldDisplay {
            let name = subcommand.configuration.commandName ?? String(describing: subcommand).lowercased()
            result += commands(subcommand, path: path + [name])
        }
        return result
    }

    /// Backslashes and leading dots or quotes would be read as roff requests.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line) }
            .joined(separator: "\n")
    }
}
