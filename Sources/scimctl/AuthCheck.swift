import ArgumentParser
import GraphHTTP
import Reports

struct Auth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check how scimctl authenticates to Microsoft Graph.",
        subcommands: [AuthCheckCommand.self]
    )
}

/// `scimctl auth check`: which method the environment selects, and whether it yields a token. Never the token.
struct AuthCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Show the chosen credential method, tenant and client id, and whether a token can be obtained.",
        discussion: """
            Also lists the Graph permissions the token grants (its roles claim) and which of them validate, plan, \
            apply, assignments and logs lack. Exit codes: 0 a token was obtained (with every permission the --for \
            commands need), 1 it was not, or a --for command lacks a permission; 64 usage error.
            """
    )

    @OptionGroup var graph: GraphOptions

    @Option(
        name: .customLong("for"),
        help: ArgumentHelp("Exit 1 unless the token has the permissions this command needs (repeatable).", valueName: "COMMAND"))
    var requiredFor: [GraphPermissions.Command] = []

    func run() async throws {
        let session = try GraphSession.make(graph)
        CredentialRendering.identityLines(session.credentials, graphURL: session.client.baseURL).forEach { Output.outLine($0) }
        let token: String
        do {
            token = try await session.credentials.accessToken(forceRenewal: false)
        } catch {
            Output.outLine("token: not obtained")
            throw Output.failure("\(session.redactor.redact(String(describing: error)))")
        }
        Output.outLine("token: obtained")
        CredentialRendering.permissionLines(token: token).forEach { Output.outLine($0) }
        let lacking = GraphPermissions.lacking(requiredFor, token: token)
        guard lacking.isEmpty else {
            throw Output.failure(
                "the token does not show every permission that \(lacking.map(\.rawValue).joined(separator: ", ")) needs; "
                    + "grant them to the app registration (application permissions, admin consent)")
        }
    }
}

extension GraphPermissions.Command: ExpressibleByArgument {}
