import Foundation
import GraphHTTP
import Provisioning

/// How progress reads on stderr: a transient line a terminal rewrites in place, and lines that stay.
public enum ProgressRendering {
    /// Erases the current terminal line.
    public static let clearLine = "\r\u{1B}[K"

    /// What one apply event shows: `transient` only on a terminal (rewritten by the next), `line` everywhere (nil:
    /// nothing stays; `--verbose` details only when `verbose`).
    public static func apply(_ event: ProgressEvent, verbose: Bool) -> (transient: String?, line: String?) {
        switch event.kind {
        case .started: return ("  … \(event.application): \(event.step)", nil)
        case .finished:
            let time = event.seconds.map { String(format: " (%.1fs)", $0) } ?? ""
            return (nil, "  ✓ \(event.application): \(event.step)\(time)")
        case .waiting: return (nil, "  … \(event.application): \(event.step) \(event.detail)")
        case .notice: return (nil, "  ! \(event.application): \(event.step) \(event.detail)")
        case .detail: return (nil, verbose ? "  · \(event.application): \(event.detail)" : nil)
        }
    }

    /// `simulate`'s running count, and its closing line.
    public static func simulationCount(users: Int, failing: Int) -> String {
        "\(users.formatted()) users read, \(failing.formatted()) failing"
    }

    public static func simulationDone(users: Int, seconds: Double) -> String {
        "simulate: \(users.formatted()) users read in \(String(format: "%.1f", seconds)) s"
    }

    /// A Graph event's stderr line: warnings always, the rest only with `--verbose`.
    public static func graphEvent(_ event: GraphEvent, verbose: Bool) -> String? {
        if case .warning = event { return event.description }
        return verbose ? "  · \(event.description)" : nil
    }

    /// Requests sent and connections opened, for `--verbose`.
    public static func statistics(_ stats: ConnectionStatistics) -> String {
        "\(stats.requestsSent) request\(stats.requestsSent == 1 ? "" : "s"), "
            + "\(stats.connectionsOpened) connection\(stats.connectionsOpened == 1 ? "" : "s")"
    }
}
