import ArgumentParser
import Diagnostics
import Foundation
import Reports

/// Where the executable writes. Library modules never print; everything user-visible goes through here.
enum Output {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func outLine(_ text: String = "") { out(text + "\n") }
    static func errLine(_ text: String = "") { err(text + "\n") }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Whether to colour stdout (or stderr): see `Style.allowed`.
    static func colorEnabled(forStdout: Bool) -> Bool {
        Style.allowed(onTerminal: forStdout ? stdoutIsTerminal : stderrIsTerminal, environment: ProcessInfo.processInfo.environment)
    }

    /// Progress on stderr, rewritten in place only on a terminal and never in a CI log.
    static func progress(verbose: Bool = false) -> ProgressDisplay {
        ProgressDisplay(interactive: stderrIsTerminal && !CIEnvironment().isCI, verbose: verbose) { err($0) }
    }

    /// Ends a command on an operational failure: one `error:` line on stderr, exit 1.
    static func failure(_ message: String) -> ExitCode {
        errLine("error: \(message)")
        return ExitCode.failure
    }

    /// Writes a report to `--output FILE`; a path that cannot be written is an operational failure (exit 1).
    static func report(_ text: String, to path: String) throws {
        do {
            try ReportFiles.write(text, to: path)
        } catch {
            throw failure("cannot write --output '\(path)': \(error.reason)")
        }
    }

    /// A profile's findings on stderr, with caret snippets from `texts`.
    static func findings(_ diagnostics: [Diagnostic], texts: [String: String]) {
        err(TextRenderer(style: Style(enabled: colorEnabled(forStdout: false))).lines(diagnostics, texts: texts))
    }

    /// Appends Markdown to the CI job summary; failing to is a warning, never the command's result.
    static func stepSummary(_ markdown: String) {
        if let warning = ReportFiles.appendToStepSummary(markdown, environment: CIEnvironment()) { errLine(warning) }
    }
}
