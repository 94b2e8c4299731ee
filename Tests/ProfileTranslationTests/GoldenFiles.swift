import Foundation
import Testing

@testable import GraphModel

/// Reads test fixtures from the bundled `Golden` directory and compares rendered output with golden files.
///
/// Recording is an explicit opt-in (`SCIMCTL_RECORD_GOLDEN=1`) that rewrites the golden files in the source tree and
/// still fails the test, so a recording run can never pass for a comparison; under `CI` it is refused outright.
/// A missing golden file is a failure, never created silently. See docs/testing.md.
enum GoldenFiles {
    static let recordVariable = "SCIMCTL_RECORD_GOLDEN"

    static var bundledRoot: URL? { Bundle.module.url(forResource: "Golden", withExtension: nil) }

    /// `Tests/ProfileTranslationTests/Golden` in the checkout, where recording writes.
    static var sourceRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    enum Mode: Equatable {
        case compare
        case record
        /// Recording was asked for where it must not happen (a CI run).
        case refused
    }

    static func mode(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Mode {
        guard environment[recordVariable] == "1" else { return .compare }
        let ci = environment["CI"].map { !$0.isEmpty && $0 != "0" && $0.lowercased() != "false" } ?? false
        return ci ? .refused : .record
    }

    static func read(_ relativePath: String) throws -> String {
        guard let root = bundledRoot else { throw GraphDecodingError("golden resources are missing from the bundle") }
        return try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func list(_ directory: String) throws -> [String] {
        guard let root = bundledRoot else { throw GraphDecodingError("golden resources are missing from the bundle") }
        return try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path).sorted()
    }

    /// Compares `actual` with the golden file. With `SCIMCTL_RECORD_GOLDEN=1` (outside CI) it writes `actual` to the
    /// source tree instead and records a failure that says so.
    static func assertMatches(
        _ actual: String, golden relativePath: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let mode = mode()
        if mode == .record {
            let url = sourceRoot.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        if let failure = failure(actual: actual, expected: try? read(relativePath), golden: relativePath, mode: mode) {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }

    /// Why the comparison fails, or nil when it passes; only `.compare` of equal text passes.
    static func failure(actual: String, expected: String?, golden relativePath: String, mode: Mode) -> String? {
        switch mode {
        case .refused:
            return "\(recordVariable)=1 is refused when CI is set: record golden files on a developer machine and review them"
        case .record:
            return "recorded \(relativePath); review the diff, then re-run without \(recordVariable)"
        case .compare:
            guard let expected else {
                return "golden file \(relativePath) is missing; create it with \(recordVariable)=1 and review it"
            }
            if actual == expected { return nil }
            let lines = zip(actual.split(separator: "\n", omittingEmptySubsequences: false),
                            expected.split(separator: "\n", omittingEmptySubsequences: false))
            let line = lines.enumerated().first { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
            return "output differs from \(relativePath)\(line.map { " (first at line \($0))" } ?? " (in length)"); "
                + "if the change is intended, re-record with \(recordVariable)=1"
        }
    }
}
