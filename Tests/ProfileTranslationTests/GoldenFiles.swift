import Foundation
import Testing

@testable import GraphModel

/// Reads test fixtures from the bundled `Golden` directory and compares rendered output with golden files.
/// Run with `SCIMCTL_RECORD=1` to rewrite the golden files in the source tree instead of comparing.
enum GoldenFiles {
    static var bundledRoot: URL? { Bundle.module.url(forResource: "Golden", withExtension: nil) }

    /// `Tests/ProfileTranslationTests/Golden` in the checkout, where recording writes.
    static var sourceRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static var isRecording: Bool { ProcessInfo.processInfo.environment["SCIMCTL_RECORD"] == "1" }

    static func read(_ relativePath: String) throws -> String {
        guard let root = bundledRoot else { throw GraphDecodingError("golden resources are missing from the bundle") }
        return try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func list(_ directory: String) throws -> [String] {
        guard let root = bundledRoot else { throw GraphDecodingError("golden resources are missing from the bundle") }
        return try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path).sorted()
    }

    /// Compares `actual` with the golden file, or records it when `SCIMCTL_RECORD=1`.
    static func assertMatches(_ actual: String, golden relativePath: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        if isRecording {
            let url = sourceRoot.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try read(relativePath)
        #expect(actual == expected, "output differs from \(relativePath); rerun with SCIMCTL_RECORD=1 to re-record",
            sourceLocation: sourceLocation)
    }
}
