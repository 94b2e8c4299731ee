import Foundation
import Provisioning

/// Progress for stderr: a transient line rewritten in place on a terminal (never in CI), and lines that stay.
/// It decides what to show and when; `write` (the executable's stderr) does the writing.
public final class ProgressDisplay: @unchecked Sendable {
    public let interactive: Bool
    public let verbose: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var lastUsers = 0

    public init(interactive: Bool, verbose: Bool = false, write: @escaping @Sendable (String) -> Void) {
        self.interactive = interactive
        self.verbose = verbose
        self.write = write
    }

    /// An apply step: starts, ends and waits replace the transient line; notices and details leave it.
    public func report(_ event: ProgressEvent) {
        let shown = ProgressRendering.apply(event, verbose: verbose)
        lock.withLock {
            if interactive, [.started, .finished, .waiting].contains(event.kind) {
                write(ProgressRendering.clearLine + (shown.transient ?? ""))
            }
            if let line = shown.line { write(line + "\n") }
        }
    }

    /// `simulate`'s count: every 500 users on a terminal, every 10,000 as a plain line otherwise.
    public func users(_ users: Int, failing: Int) {
        let count = ProgressRendering.simulationCount(users: users, failing: failing)
        lock.withLock {
            if interactive {
                guard users - lastUsers >= 500 || users < lastUsers else { return }
                write(ProgressRendering.clearLine + "  … " + count)
            } else {
                guard users / 10_000 > lastUsers / 10_000 else { return }
                write("simulate: " + count + "\n")
            }
            lastUsers = users
        }
    }

    public func clear() {
        if interactive { write(ProgressRendering.clearLine) }
    }

    public func finish(users: Int, seconds: Double) {
        clear()
        write(ProgressRendering.simulationDone(users: users, seconds: seconds) + "\n")
    }
}
