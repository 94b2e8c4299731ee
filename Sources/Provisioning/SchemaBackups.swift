import Foundation
import GraphModel
import ProfileTranslation

/// Saves a job's schema before scimctl replaces it, so `rollback` can put it back. Secrets are never saved here.
public struct SchemaBackups: Sendable {
    /// Default `.scimctl/backups`.
    public var directory: String

    public init(directory: String = ".scimctl/backups") { self.directory = directory }

    /// Writes `<directory>/<servicePrincipalID>/<UTC timestamp>-schema.json` and returns its path.
    public func save(_ schema: SynchronizationSchema, servicePrincipalID: String, now: Date = Date()) throws -> String {
        let folder = directory + "/" + Self.safeComponent(servicePrincipalID)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var path = folder + "/" + Self.timestamp(now) + "-schema.json"
        var suffix = 1
        while FileManager.default.fileExists(atPath: path) {
            suffix += 1
            path = folder + "/" + Self.timestamp(now) + "-\(suffix)-schema.json"
        }
        try (schema.json.serialized(pretty: true) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Saved schemas for a service principal, oldest first.
    public func list(servicePrincipalID: String) -> [String] {
        let folder = directory + "/" + Self.safeComponent(servicePrincipalID)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix("-schema.json") }.sorted { Self.order($0) < Self.order($1) }
            .map { folder + "/" + $0 }
    }

    /// Timestamp, then the same-second counter: `…Z-schema.json` is 1, `…Z-2-schema.json` is 2.
    static func order(_ name: String) -> (String, Int, String) {
        let stem = name.dropLast("-schema.json".count)
        guard let dash = stem.lastIndex(of: "-"), let counter = Int(stem[stem.index(after: dash)...]) else {
            return (String(stem), 1, name)
        }
        return (String(stem[..<dash]), counter, name)
    }

    /// A job schema is tens to hundreds of kilobytes; a file past this is not one, and is refused before it is read.
    public static let maximumFileSize = 32 << 20

    public func load(_ path: String) throws -> SynchronizationSchema {
        do {
            return SynchronizationSchema(json: try JSONValue(contentsOfFile: path, limit: Self.maximumFileSize))
        } catch {
            switch error {
            case .unreadable: throw ProvisioningError.notFound("backup file '\(path)'")
            case .tooLarge, .invalid: throw ProvisioningError.notFound("a valid schema in '\(path)' (\(error))")
            }
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// Ids come from Graph; keep them from escaping the backup folder all the same.
    static func safeComponent(_ text: String) -> String {
        let cleaned = String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "_" + cleaned : cleaned
    }
}
