import ArgumentParser
import Reports

/// `scimctl schema`: the JSON Schema of the profile format, generated from the same declaration the loader checks
/// against (`ProfileShape`), so editors and scimctl never disagree.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the profile format (committed as Schema/profile.schema.json)."
    )

    func run() async throws {
        Output.out(ProfileJSONSchema.document().serialized(pretty: true) + "\n")
    }
}
