import ArgumentParser
import GraphHTTP

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
        discussion: "Exit codes: 0 a token was obtained, 1 it was not."
    )

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let session = try GraphSession.make(graph)
        let description = session.credentials.describe()
        Output.outLine(description.description)
        Output.outLine("graph: \(session.client.baseURL)")
        do {
            _ = try await session.credentials.accessToken(forceRenewal: false)
            Output.outLine("token: obtained")
        } catch {
            Output.outLine("token: not obtained")
            Output.errLine("error: \(session.redactor.redact(String(describing: error)))")
            throw ExitCode.failure
        }
    }
}
