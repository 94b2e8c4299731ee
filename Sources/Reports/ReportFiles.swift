import Foundation

/// What scimctl knows about the CI system it runs in, from the variables each system sets.
public struct CIEnvironment: Sendable {
    public var variables: [String: String]

    public init(_ variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    /// The annotation format of the CI system we run in, for stdout when the report itself goes to `--output`.
    public var annotationFormat: DiagnosticFormat {
        if variables["GITHUB_ACTIONS"] == "true" { return .github }
        if let azure = variables["TF_BUILD"], azure.lowercased() == "true" { return .azureDevOps }
        return .text
    }

    /// Whether this is a CI log, where progress must never rewrite its line in place.
    public var isCI: Bool { variables["CI"] != nil }

    /// GitHub Actions' job summary file, when there is one.
    public var stepSummaryPath: String? {
        guard let path = variables["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return nil }
        return path
    }
}

/// A report file that could not be written: the path and why.
public struct ReportFileError: Error, Sendable {
    public var path: String
    public var reason: String
}

/// Writing reports to files: `--output FILE` and the GitHub job summary.
public enum ReportFiles {
    /// Writes a report atomically, replacing the file.
    public static func write(_ text: String, to path: String) throws(ReportFileError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReportFileError(path: path, reason: error.localizedDescription)
        }
    }

    /// Appends Markdown to GitHub Actions' job summary when there is one. The summary is a convenience, so a
    /// failure to write it is a warning (returned for the caller to show), never the step's result.
    public static func appendToStepSummary(_ markdown: String, environment: CIEnvironment) -> String? {
        guard let path = environment.stepSummaryPath else { return nil }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            return "warning: cannot append to GITHUB_STEP_SUMMARY '\(path)'"
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((markdown.hasSuffix("\n") ? markdown : markdown + "\n").utf8))
        } catch {
            return "warning: cannot append to GITHUB_STEP_SUMMARY '\(path)': \(error.localizedDescription)"
        }
        return nil
    }
}
