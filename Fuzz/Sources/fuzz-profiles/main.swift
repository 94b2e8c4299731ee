import Diagnostics
import FuzzSupport
import VendorProfiles

/// Any bytes through the profile loader and validator (what `validate mapping` does), and, for inputs small enough
/// to keep the run fast, through `--fix`: its output must load whenever the input did and never add an error.
runFuzzer { data, size in
    let bytes = Array(input(data, size))
    let loaded = ProfileLoader.load(bytes: bytes, file: "fuzz.yaml", name: "fuzz")
    guard let profile = loaded.profile else { return 0 }
    let diagnostics = loaded.diagnostics + ProfileValidator.validate(profile)
    for diagnostic in diagnostics {
        precondition(!diagnostic.message.isEmpty, "a finding without a message")
    }
    guard size <= 4_096, diagnostics.contains(where: { $0.fixIt != nil }),
        let text = String(validating: bytes, as: UTF8.self)
    else { return 0 }
    let result = ProfileFixer.fix(text: text, file: "fuzz.yaml", name: "fuzz")
    guard result.applied > 0 else { return 0 }
    let before = errorCounts(ProfileLoader.load(text: text, file: "fuzz.yaml", name: "fuzz"))
    let afterLoad = ProfileLoader.load(text: result.text, file: "fuzz.yaml", name: "fuzz")
    precondition(afterLoad.profile != nil, "--fix output no longer loads")
    let after = errorCounts(afterLoad)
    for (id, count) in after {
        precondition(count <= before[id, default: 0], "--fix added an error: \(id)")
    }
    return 0
}

func errorCounts(_ loaded: ProfileLoader.Result) -> [DiagnosticID: Int] {
    var diagnostics = loaded.diagnostics
    if let profile = loaded.profile { diagnostics += ProfileValidator.validate(profile) }
    return diagnostics.filter { $0.severity == .error }.reduce(into: [:]) { $0[$1.id, default: 0] += 1 }
}
