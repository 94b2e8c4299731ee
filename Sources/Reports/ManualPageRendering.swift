/// `scimctl manual`: a man page (roff) built from the same help text `--help` prints, so it never drifts.
public enum ManualPageRendering {
    /// The page: fixed sections around each command's help text (`commands` are name and help, in order).
    public static func render(version: String, commands: [(name: String, help: String)], exitStatus: String) -> String {
        var page = """
            .TH SCIMCTL 1 "" "scimctl \(version)" "User Commands"
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
        for command in commands {
            page += ".SS \(escape(command.name))\n.nf\n\(escape(command.help))\n.fi\n"
        }
        page += """
            .SH EXIT STATUS
            \(escape(exitStatus).replacingOccurrences(of: "-", with: "\\-"))
            .SH ENVIRONMENT
            SCIMCTL_ACCESS_TOKEN, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH,
            AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST, SCIMCTL_GRAPH_URL, NO_COLOR, and the secret-token variables
            the profiles name.
            .SH SEE ALSO
            graph\\-emulator(1)

            """
        return page
    }

    /// Backslashes and leading dots or quotes would be read as roff requests.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line) }
            .joined(separator: "\n")
    }
}
