import Diagnostics

/// The vendor profiles shipped inside the binary (the YAML of `Profiles/`, embedded at build time).
public enum BundledProfiles {
    /// Bundled profile names, sorted: `andmoney`, `eptura`, `flosum`, `telemessage`, `totalmobile`.
    public static var names: [String] { sources.map(\.name) }

    /// The YAML text of a bundled profile.
    public static func text(named name: String) -> String? {
        sources.first { $0.name == name }?.text
    }

    /// The path diagnostics use for a bundled profile, so messages say where the text came from.
    public static func displayPath(for name: String) -> String { "Profiles/\(name).yaml" }

    public static func load(named name: String) -> ProfileLoader.Result? {
        guard let text = text(named: name) else { return nil }
        return ProfileLoader.load(text: text, file: displayPath(for: name), name: name)
    }

    /// `KEY=` for every parameter of every bundled profile, or `KEY=VALUE` for each allowed value: the words shell
    /// completion offers for `--param`, sorted and without repeats.
    public static var parameterWords: [String] {
        var words: Set<String> = []
        for parameter in names.compactMap({ load(named: $0)?.profile }).flatMap(\.parameters) {
            if let allowed = parameter.allowedValues {
                words.formUnion(allowed.map { "\(parameter.name)=\($0)" })
            } else {
                words.insert("\(parameter.name)=")
            }
        }
        return words.sorted()
    }
}
