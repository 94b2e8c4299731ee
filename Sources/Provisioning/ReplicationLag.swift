import Foundation
import GraphHTTP
import GraphModel

/// The objects this run created (or a journal says an earlier run created) that Entra may still be replicating.
///
/// For a while after a create, Entra answers some requests about the new service principal or job from replicas
/// that have not seen it: 404 on reads, and 403 or 409 on synchronization calls, even after a first success.
/// Those answers mean "not yet", not "no", for requests that name one of these ids.
public final class ReplicationTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var created: [String: Date] = [:]
    /// How long after its creation an object's stale answers are waited out.
    public let window: Double

    /// Ten minutes: Entra's documentation speaks of replication "within minutes"; stale answers beyond that are
    /// real answers.
    public init(window: Double = 600) { self.window = window }

    /// Remembers `id` as created at `date`.
    public func track(_ id: String, createdAt date: Date = Date()) {
        guard !id.isEmpty else { return }
        lock.withLock { created[id] = date }
    }

    public func forget(_ id: String) { lock.withLock { created[id] = nil } }

    /// Tracks the objects of a journal entry that are younger than the window.
    public func track(journaled entry: JournalEntry?) {
        for record in [entry?.servicePrincipal, entry?.job].compactMap({ $0 }) where record.isRecent(window: window) {
            if let id = record.id { track(id, createdAt: record.createdAt ?? record.intendedAt) }
        }
    }

    /// The tracked id that `path` is about and that is still inside the window, if any.
    func youngObject(in path: String, now: Date = Date()) -> String? {
        let segments = GraphPathSegments(path).segments
        return lock.withLock {
            segments.first { segment in
                guard let date = created[segment] else { return false }
                return now.timeIntervalSince(date) < window
            }
        }
    }
}

/// A `GraphService` that waits out replication lag for objects in a `ReplicationTracker`, and passes everything
/// else through. It is optimistic: each request is sent at once, and only a stale answer costs a wait.
public struct ConsistentGraph: GraphService {
    public var inner: any GraphService
    public var tracker: ReplicationTracker
    /// Most seconds spent waiting for one request.
    public var deadline: Double
    public var sleep: @Sendable (Double) async throws -> Void
    public var random: @Sendable () -> Double
    /// Told about each wait, for progress output.
    public var onWait: @Sendable (_ operation: String, _ status: Int, _ seconds: Double) -> Void

    public init(
        _ inner: any GraphService, tracker: ReplicationTracker, deadline: Double = 180,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onWait: @escaping @Sendable (String, Int, Double) -> Void = { _, _, _ in }
    ) {
        self.inner = inner
        self.tracker = tracker
        self.deadline = deadline
        self.sleep = sleep
        self.random = random
        self.onWait = onWait
    }

    public func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, operation: String, version: GraphAPIVersion,
        idempotent: Bool?
    ) async throws -> JSONValue? {
        var waited = 0.0
        var attempt = 0
        while true {
            do {
                return try await inner.call(
                    method, path, body: body, operation: operation, version: version, idempotent: idempotent)
            } catch let error as GraphError {
                guard let status = error.status,
                    Self.isReplicationLag(status: status, method: method, path: path, idempotent: idempotent),
                    tracker.youngObject(in: path) != nil
                else { throw error }
                attempt += 1
                // Exponential backoff with jitter in [0.5, 1) of the ceiling: 0.25 s doubling up to 8 s.
                let ceiling = min(8, 0.25 * pow(2, Double(min(attempt - 1, 10))))
                let wait = ceiling * (0.5 + 0.5 * min(max(random(), 0), 1))
                guard waited + wait <= deadline else {
                    var final = error
                    final.message += String(format: " (still answered this %.0f s after a new object was created)", waited)
                    throw final
                }
                onWait(operation, status, wait)
                try await sleep(wait)
                waited += wait
            }
        }
    }

    /// 404 anywhere, and 403 or 409 on synchronization paths. A 409 on a create might mean "it exists already",
    /// so non-idempotent requests repeat only after 403 and 404, which certainly changed nothing.
    static func isReplicationLag(status: Int, method: HTTPMethod, path: String, idempotent: Bool?) -> Bool {
        let repeatable = idempotent ?? (method != .post)
        let synchronization = path.contains("/synchronization")
        switch status {
        case 404: return true
        case 403: return synchronization
        case 409: return synchronization && repeatable
        default: return false
        }
    }
}

/// The segments of a Graph path without its query, percent-decoded.
struct GraphPathSegments {
    var segments: [String]

    init(_ path: String) {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        segments = withoutQuery.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
    }
}
