import ArgumentParser
import Reports

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
        let sections = commands(Scimctl.self, path: ["scimctl"]).map { path, command in
            (name: path.joined(separator: " "), help: Scimctl.helpMessage(for: command, includeHidden: false, columns: 100))
        }
        return ManualPageRendering.render(
            version: Scimctl.version, commands: sections,
            exitStatus: "0 success; 1 findings or a failed operation; 2 changes pending (plan --detailed-exitcode); 64 usage error.")
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
}
