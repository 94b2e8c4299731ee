import Foundation
import GraphModel

/// JSON documents read from files the user names (a sample user, a schema backup): only a regular file, and never
/// more than a limit, checked before any byte is read.
extension JSONValue {
    /// Why a JSON file gave no document.
    public enum FileProblem: Error, Sendable, Hashable, CustomStringConvertible {
        /// Missing, unreadable, or not a regular file (a FIFO or device is never opened).
        case unreadable
        case tooLarge(bytes: Int, limit: Int)
        case invalid(JSONParseError)

        public var description: String {
            switch self {
            case .unreadable: "cannot be read"
            case .tooLarge(let bytes, let limit): "\(bytes) bytes, more than the \(limit) this file can be"
            case .invalid(let error): error.description
            }
        }
    }

    /// The document in the regular file at `path`, refused before it is read when it is larger than `limit` bytes:
    /// a wrong path to a disk image must not keep scimctl busy or fill its memory.
    public init(contentsOfFile path: String, limit: Int) throws(FileProblem) {
        let file = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        guard file[.type] as? FileAttributeType == .typeRegular else { throw .unreadable }
        if let size = file[.size] as? Int, size > limit { throw .tooLarge(bytes: size, limit: limit) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable }
        do {
            try self.init(parsing: Array(data))
        } catch {
            throw .invalid(error)
        }
    }
}
