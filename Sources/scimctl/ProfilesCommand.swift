import ArgumentParser
import VendorProfiles

struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the bundled vendor profiles with their parameters and applications."
    )

    func run() async throws {
        for name in BundledProfiles.names {
            guard let profile = BundledProfiles.load(named: name)?.profile else { continue }
            Output.outLine("\(name)  (\(profile.vendor))")
            for parameter in profile.parameters {
                var line = "  --param \(parameter.name)="
                if let allowed = parameter.allowedValues {
                    line += allowed.joined(separator: "|")
                } else {
                    line += "VALUE"
                }
                if let value = parameter.defaultValue { line += " (default \(value))" }
                line += "  \(parameter.description)"
                Output.outLine(line)
            }
            for application in profile.applications {
                Output.outLine("  app \(application.name): \(application.displayName)")
            }
        }
    }
}
