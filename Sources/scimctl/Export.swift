import ArgumentParser
import GraphHTTP
import Provisioning

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a live application's provisioning setup as a profile (YAML on stdout).",
        discussion: """
            The profile lists the mappings that differ from the non-gallery template's defaults (all of them with \
            --exclusive, or when a default mapping was removed). The secret token cannot be read back: the profile \
            reads it from <VENDOR>_SCIM_TOKEN. Applying the export to the same tenant plans no changes. \
            Example: scimctl export --name "Flosum" --vendor Flosum > flosum-live.yaml
            """
    )

    @OptionGroup var servicePrincipal: ServicePrincipalOption

    @Option(help: ArgumentHelp("The enterprise application's display name (instead of the id).", valueName: "NAME"))
    var name: String?

    @Option(help: ArgumentHelp("Vendor name for the profile and its token variable (default: the display name).", valueName: "NAME"))
    var vendor: String?

    @Flag(help: "List every live mapping and make the profile exclusive.")
    var exclusive = false

    @OptionGroup var graph: GraphOptions

    func validate() throws {
        guard (servicePrincipal.id == nil) != (name == nil) else {
            throw ValidationError("name the application with exactly one of --service-principal-id or --name")
        }
    }

    func run() async throws {
        let session = try GraphSession.make(graph)
        let exported = try await session.attempt {
            try await ProfileExporter(graph: session.client).export(
                servicePrincipalID: servicePrincipal.id, displayName: name, vendor: vendor, exclusive: exclusive)
        }
        Output.out(exported.yaml)
        for note in exported.notes { Output.errLine("note: \(note)") }
    }
}
