import Foundation

/// What Provisioning reports while it works. The executable turns these into progress lines; the library never prints.
public struct ProgressEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A step began.
        case started
        /// A step finished; `seconds` is its duration.
        case finished
        /// Waiting for Graph to catch up (replication after instantiate).
        case waiting
        /// Something worth knowing that is not an error (a legacy job left alone, a prerequisite).
        case notice
        /// Detail for `--verbose` only (where Graph's expression tree differs from the local compiler's).
        case detail
    }

    public var application: String
    public var kind: Kind
    public var step: String
    public var detail: String
    public var seconds: Double?

    public init(application: String, kind: Kind, step: String, detail: String = "", seconds: Double? = nil) {
        self.application = application
        self.kind = kind
        self.step = step
        self.detail = detail
        self.seconds = seconds
    }
}

public typealias ProgressSink = @Sendable (ProgressEvent) -> Void
