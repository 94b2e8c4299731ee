#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Provisioning
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

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static func colorEnabled(forStdout: Bool) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return forStdout ? stdoutIsTerminal : stderrIsTerminal
    }
}

/// Progress on stderr: a transient line rewritten in place on a terminal (never in CI), and lines that stay.
final class StderrProgress: @unchecked Sendable {
    let interactive: Bool
    let verbose: Bool
    private let lock = NSLock()
    private var lastUsers = 0

    init(interactive: Bool, verbose: Bool = false) {
        self.interactive = interactive
        self.verbose = verbose
    }

    /// An apply step: starts, ends and waits replace the transient line; notices and details leave it.
    func report(_ event: ProgressEvent) {
        let shown = ProgressRendering.apply(event, verbose: verbose)
        lock.withLock {
            if interactive, [.started, .finished, .waiting].contains(event.kind) {
                Output.err(ProgressRendering.clearLine + (shown.transient ?? ""))
            }
            if let line = shown.line { Output.errLine(line) }
        }
    }

    /// `simulate`'s count: every 500 users on a terminal, every 10,000 as a plain line otherwise.
    func users(_ users: Int, failing: Int) {
        let count = ProgressRendering.simulationCount(users: users, failing: failing)
        lock.withLock {
            if interactive {
                guard users - lastUsers >= 500 || users < lastUsers else { return }
                Output.err(ProgressRendering.clearLine + "  … " + count)
            } else {
                guard users / 10_000 > lastUsers / 10_000 else { return }
                Output.errLine("simulate: " + count)
            }
            lastUsers = users
        }
    }

    func clear() {
        if interactive { Output.err(ProgressRendering.clearLine) }
    }

    func finish(users: Int, seconds: Double) {
        clear()
        Output.errLine(ProgressRendering.simulationDone(users: users, seconds: seconds))
    }
}
