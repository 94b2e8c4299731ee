import ArgumentParser
import ProfileTranslation
import Provisioning
import Reports
import VendorProfiles

struct RenderProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Print the Graph requests a fresh apply of a profile would send (offline, no credentials).",
        discussion: """
            Prints {"applications":[{"name","displayName","requests":[{"method","path","body"}]}]} with keys \
            sorted, stable byte for byte. Ids not yet known are {servicePrincipalId} and {jobId}; secret tokens \
            are shown as where they come from, never as values.
            """
    )

    @OptionGroup var selection: ProfileSelection

    @Option(help: ArgumentHelp("Write one JSON file per request into this directory instead.", valueName: "DIR"))
    var output: String?

    func validate() throws {
        if let output { try DirectoryOption.check(output, option: "--output") }
    }

    func run() async throws {
        let resolved = try selection.load().resolved
        let rendered: RenderedProfile
        do {
            rendered = try RequestRenderer.render(resolved, application: selection.variant.application)
        } catch {
            throw Output.failure("cannot render the schema: \(error.description)")
        }
        guard let output else {
            Output.out(rendered.text)
            return
        }
        do {
            try rendered.write(into: output) { Output.errLine("wrote \($0)") }
        } catch {
            throw Output.failure("cannot write '\(error.path)': \(error.reason)")
        }
    }
}

/// A directory option (`--output`, `--backup-dir`) checked before any work, worded with the option's name.
enum DirectoryOption {
    static func check(_ path: String, option: String) throws {
        guard let problem = WritableDirectory.problem(with: path) else { return }
        throw ValidationError(InputProblemWording.directory(problem, path: path, option: option))
    }
}
