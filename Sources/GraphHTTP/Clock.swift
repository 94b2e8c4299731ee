import Foundation

/// Wall-clock time and sleeping, injected so retry and token-expiry logic is testable without waiting.
public protocol GraphClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double) async throws
}

public struct SystemClock: GraphClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1_000_000_000))
    }
}

/// A clock whose sleeps return at once and move time forward; it records every sleep it was asked for.
public final class VirtualClock: GraphClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var recordedSleeps: [Double] = []

    public init(start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        self.current = start
    }

    public func now() -> Date { lock.withLock { current } }

    public func sleep(seconds: Double) async throws {
        lock.withLock {
            recordedSleeps.append(seconds)
            current = current.addingTimeInterval(max(0, seconds))
        }
    }

    /// Moves time forward without recording a sleep (time spent in requests, for example).
    public func advance(seconds: Double) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    public var sleeps: [Double] { lock.withLock { recordedSleeps } }
}
