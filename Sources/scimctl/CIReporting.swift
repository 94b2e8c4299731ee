import ArgumentParser
import Diagnostics
import Foundation
import VendorProfiles

/// What the executable knows about the CI system it runs in, from the variables each system sets.
enum CIEnvironment {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// GitHub Actions' job summary file; every step appends Markdown to it.
    static var stepSummaryPath: String? {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return nil }
        return path
    }

    /// The annotation format of the CI system we run in, for stdout when the report itself goes to `--output`.
    static var annotationFormat: DiagnosticFormat {
        if environment["GITHUB_ACTIONS"] == "true" { return .github }
        if let azure = environment["TF_BUILD"], azure.lowercased() == "true" { return .azureDevOps }
        return .text
    }
}

/// Writing reports to files: `--output FILE` and the GitHub job summary.
enum ReportFiles {
    /// Writes a report to `--output FILE`; a path that cannot be written is an operational failure (exit 1).
    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            Output.errLine("error: cannot write --output '\(path)': \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }

    /// Appends Markdown to the job summary when GitHub Actions provides one. The summary is a convenience, so a
    /// failure to write it is a warning, never the step's result.
    static func appendToStepSummary(_ markdown: String) {
        guard let path = CIEnvironment.stepSummaryPath else { return }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            Output.errLine("warning: cannot append to GITHUB_STEP_SUMMARY '\(path)'")
            return
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((markdown.hasSuffix("\n") ? markdown : markdown + "\n").utf8))
        } catch {
            Output.errLine("warning: cannot append to GITHUB_STEP_SUMMARY '\(path)': \(error.localizedDescription)")
        }
    }
}

extension Array where Element == Diagnostic {
    /// Whether every error is about the `--param` values the user typed (unknown name, missing or disallowed
    /// value): a usage error (exit 64), not a defect of the profile.
    var errorsAreParameterUsage: Bool {
        let usage: Set<DiagnosticID> = [.unknownParameter, .missingParameter, .parameterValue]
        let errors = filter { $0.severity == .error }
        return !errors.isEmpty && errors.allSatisfy { usage.contains($0.id) }
    }
}
