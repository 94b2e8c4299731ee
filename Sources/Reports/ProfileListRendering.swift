import VendorProfiles

/// `scimctl profiles`: each bundled profile with its `--param` values and applications.
public enum ProfileListRendering {
    /// One block per profile, in the order given.
    public static func text(_ profiles: [(name: String, profile: Profile)]) -> String {
        var lines: [String] = []
        for (name, profile) in profiles {
            lines.append("\(name)  (\(profile.vendor))")
            for parameter in profile.parameters {
                var line = "  --param \(parameter.name)="
                if let allowed = parameter.allowedValues {
                    line += allowed.joined(separator: "|")
                } else {
                    line += "VALUE"
                }
                if let value = parameter.defaultValue { line += " (default \(value))" }
                line += "  \(parameter.description)"
                lines.append(line)
            }
            for application in profile.applications {
                lines.append("  app \(application.name): \(application.displayName)")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
