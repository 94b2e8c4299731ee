import ArgumentParser
import GraphHTTP
import Reports

/// `scimctl auth`: authentication helpers.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
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
        let description = session.credentials.describe()
        Output.outLine(description.description)
        Output.outLine("graph: \(session.client.baseURL)")
        // A certificate credential: the public details the portal needs to recognise it; never the key.
        if let credential = session.credentials.credential as? ClientCertificateCredential {
            CredentialRendering.certificateLines(credential.certificate).forEach { Output.outLine($0) }
        }
        let token: String
        do {
            token = try await session.credentials.accessToken(forceRenewal: false)
            Output.outLine("token: obtained")
        } catch {
            Output.outLine("token: not obtained")
            Output.errLine("error: \(session.redactor.redact(String(describing: error)))")
            throw ExitCode.failure
        }
        try reportPermissions(of: token)
    }

    /// Prints the token's permissions per command; fails when a `--for` command lacks one.
    func reportPermissions(of token: String) throws {
        let (lines, satisfied) = GraphPermissions.report(token: token, required: requiredFor)
        for line in lines { Output.outLine(line) }
        if !satisfied {
            Output.errLine(
                "error: the token does not show every permission that \(requiredFor.map(\.rawValue).joined(separator: ", ")) needs; "
                    + "grant them to the app registration (application permissions, admin consent)")
            throw ExitCode.failure
        }
    }
}

extension GraphPermissions.Command: ExpressibleByArgument {}
