import ArgumentParser
import Foundation
import Reports
import VendorProfiles

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a new profile skeleton, starting from the template's default mappings."
    )

    @Argument(help: "The vendor's name, e.g. Contoso.")
    var vendor: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write it (default: <vendor>.yaml; - for stdout).", valueName: "FILE"))
    var output: String?

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func validate() throws {
        guard !vendor.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the vendor name is empty") }
    }

    func run() async throws {
        let text = ProfileSkeleton.yaml(vendor: vendor)
        let path = output ?? ProfileYAML.applicationName(for: vendor) + ".yaml"
        if path == "-" {
            Output.out(text)
            return
        }
        if FileManager.default.fileExists(atPath: path) && !force {
            throw ValidationError("'\(path)' exists; pass --force to overwrite it")
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Output.failure("cannot write '\(path)': \(error.localizedDescription)")
        }
        Output.errLine("wrote \(path); edit it, then run: scimctl validate mapping \(path)")
    }
}

struct ListProfiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the bundled vendor profiles with their parameters and applications."
    )

    func run() async throws {
        let profiles = BundledProfiles.names.compactMap { name in BundledProfiles.load(named: name)?.profile.map { (name, $0) } }
        Output.out(ProfileListRendering.text(profiles))
    }
}

/// `scimctl schema`: the JSON Schema of the profile format, generated from the same declaration the loader checks
/// against (`ProfileShape`), so editors and scimctl never disagree.
struct ProfileJSONSchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the profile format (committed as Schema/profile.schema.json)."
    )

    func run() async throws {
        Output.out(ProfileJSONSchema.document().serialized(pretty: true) + "\n")
    }
}
