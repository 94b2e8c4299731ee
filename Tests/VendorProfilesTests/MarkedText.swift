import Diagnostics
import Testing

@testable import VendorProfiles

/// YAML written inline in a test, with markers such as `1️⃣` where a diagnostic must point.
/// The markers are removed from the text; their 1-based line and column (in Unicode scalars, like
/// `SourceLocation`) are remembered by name.
struct MarkedText {
    static let markerNames = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    let text: String
    let file: String
    private(set) var markers: [String: Diagnostics.SourceLocation] = [:]

    init(_ marked: String, file: String = "profile.yaml") {
        self.file = file
        var output = ""
        var line = 1
        var column = 1
        for character in marked {
            // Markers are keycap emoji: one Character ending in U+20E3.
            if character.unicodeScalars.last == "\u{20E3}", Self.markerNames.contains(String(character)) {
                markers[String(character)] = Diagnostics.SourceLocation(file: file, line: line, column: column)
                continue
            }
            output.append(character)
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        text = output
    }

    func location(_ marker: String) -> Diagnostics.SourceLocation? { markers[marker] }
}

/// What a marked-text test runs on the YAML.
enum Check {
    /// Load the bytes and, when a profile comes back, validate it (what `scimctl validate mapping` does).
    case validate([String: String] = [:])
    /// Load, then resolve with exactly these values (what render, plan and apply do).
    case resolve([String: String])
}

/// Every finding the profile layer reports for `marked`.
func findings(for marked: MarkedText, _ check: Check = .validate()) -> [Diagnostic] {
    let loaded = ProfileLoader.load(bytes: Array(marked.text.utf8), file: marked.file)
    guard let profile = loaded.profile else { return loaded.diagnostics }
    switch check {
    case .validate(let parameters):
        return loaded.diagnostics + ProfileValidator.validate(profile, parameters: parameters)
    case .resolve(let parameters):
        return loaded.diagnostics + profile.resolve(parameters: parameters).1
    }
}

/// Asserts that `yaml` yields a diagnostic with `id` and `severity` at the marker (or, with `marker` nil, one
/// without a location) whose message contains `fragment`. Unless `alone` is false, no other error or warning may
/// appear (expression findings are ignored: that checker is tested on its own). Returns the diagnostic so a test
/// can check its hint and fix-it.
@discardableResult
func expectDiagnostic(
    _ id: DiagnosticID,
    _ severity: Severity,
    at marker: String? = "1️⃣",
    message fragment: String,
    in yaml: String,
    _ check: Check = .validate(),
    alone: Bool = true,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    let marked = MarkedText(yaml)
    let expectedLocation = marker.flatMap(marked.location)
    if let marker, expectedLocation == nil {
        Issue.record("marker \(marker) is missing from the YAML", sourceLocation: sourceLocation)
        return nil
    }
    let all = findings(for: marked, check)
    let described = all.map { "\($0.severity) \($0.id) \($0.location?.description ?? "-") \($0.message)" }
        .joined(separator: "\n")
    let matching = all.filter { $0.id == id && $0.location == expectedLocation }
    guard let found = matching.first else {
        Issue.record(
            "expected \(id) at \(expectedLocation?.description ?? "no location"); got:\n\(described)",
            sourceLocation: sourceLocation)
        return nil
    }
    #expect(found.severity == severity, "severity of \(id)", sourceLocation: sourceLocation)
    #expect(found.message.contains(fragment), "message '\(found.message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
    #expect(!found.message.hasSuffix("."), "messages have no trailing period", sourceLocation: sourceLocation)
    if alone {
        let others = all.filter {
            // Most samples assign nobody; that warning is tested on its own.
            $0.severity != .note && $0.id != id && !$0.id.rawValue.hasPrefix("expression.") && $0.id != .noAssignments
        }
        #expect(others.isEmpty, "unexpected findings besides \(id):\n\(described)", sourceLocation: sourceLocation)
    }
    return found
}
