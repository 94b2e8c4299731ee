import ArgumentParser
import Reports
import VendorProfiles

struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the bundled vendor profiles with their parameters and applications."
    )

    func run() async throws {
        let profiles = BundledProfiles.names.compactMap { name in BundledProfiles.load(named: name)?.profile.map { (name, $0) } }
        Output.out(ProfileListRendering.text(profiles))
    }
}
