import Foundation

/// What scimctl has asked a tenant to create for one application, kept on disk so that a re-run (after Ctrl-C, a
/// kill, a crash or a lost reply) finds the objects an earlier run made instead of creating them again.
///
/// Each create is journaled twice: the intent just before the request is sent, and the id the moment the answer
/// arrives. An intent without an id means "the request may have gone out": a re-run looks for the object for a
/// replication window before it may create another. The journal holds ids and times only, never a secret.
public struct JournalEntry: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        /// Nil while only the intent is known.
        public var id: String?
        public var appID: String?
        /// The service principal a job belongs to.
        public var parentID: String?
        /// When the intent was written (and so, at the latest, when the request went out).
        public var intendedAt: Date
        public var createdAt: Date?
        /// Seen through a normal lookup since: from then on a disappearance is a deletion, not replication lag.
        public var confirmed: Bool

        public init(id: String? = nil, appID: String? = nil, parentID: String? = nil, intendedAt: Date,
                    createdAt: Date? = nil, confirmed: Bool = false) {
            self.id = id
            self.appID = appID
            self.parentID = parentID
            self.intendedAt = intendedAt
            self.createdAt = createdAt
            self.confirmed = confirmed
        }

        /// The intent or creation is younger than `window` seconds at `now`.
        public func isRecent(window: Double, now: Date = Date()) -> Bool {
            now.timeIntervalSince(createdAt ?? intendedAt) < window
        }
    }

    public var version = 1
    /// When this entry was last written; decides between copies in several directories.
    public var lastChange: Date = .distantPast
    public var scope: String
    public var displayName: String
    public var servicePrincipal: Record?
    public var job: Record?

    public init(scope: String, displayName: String) {
        self.scope = scope
        self.displayName = displayName
    }
}

/// A problem with the journal on disk. Reading never guesses: a damaged file stops apply with this message.
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "the apply journal '\(path)' \(reason)" }
}

/// The journal files, one per tenant and application, in one or more directories: the project's `.scimctl/journal`
/// and a per-user one, so that an apply started from another folder of the same machine sees them too. Writes go to
/// every directory; a read takes the newest entry found.
public struct ApplyJournal: Sendable {
    public var directories: [String]
    /// The tenant: Graph root plus tenant id, so one directory can serve several tenants.
    public var scope: String

    public init(directory: String, scope: String) {
        self.init(directories: [directory], scope: scope)
    }

    public init(directories: [String], scope: String) {
        self.directories = directories.isEmpty ? [".scimctl/journal"] : directories
        self.scope = scope
    }

    /// Journal files are small; anything larger is not one of ours.
    static let maximumFileBytes = 64 * 1024

    /// The file in the first (the project's) directory.
    public func path(for displayName: String) -> String { paths(for: displayName)[0] }

    func paths(for displayName: String) -> [String] {
        directories.map { ($0 as NSString).appendingPathComponent("\(StableKey.hex(scope + "\n" + displayName)).json") }
    }

    /// The newest entry for an application, or nil when no directory has one.
    public func entry(for displayName: String) throws(JournalError) -> JournalEntry? {
        var newest: JournalEntry?
        for path in paths(for: displayName) {
            guard let entry = try Self.read(path, scope: scope, displayName: displayName) else { continue }
            if newest == nil || entry.lastChange > (newest?.lastChange ?? .distantPast) { newest = entry }
        }
        return newest
    }

    private static func read(_ path: String, scope: String, displayName: String) throws(JournalError) -> JournalEntry? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw JournalError(path: path, reason: "cannot be read (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw JournalError(path: path, reason: "is not a regular file") }
        guard info.st_size <= Self.maximumFileBytes else {
            throw JournalError(path: path, reason: "is larger than a journal can be; move it away and check the tenant")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError(path: path, reason: "cannot be read")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let entry = try? decoder.decode(JournalEntry.self, from: data) else {
            throw JournalError(
                path: path,
                reason: "is damaged; check the tenant for an application named '\(displayName)', then delete the file")
        }
        guard entry.scope == scope, entry.displayName == displayName else {
            throw JournalError(path: path, reason: "belongs to another tenant or application; move it away")
        }
        return entry
    }

    /// Changes the entry of an application and writes it durably (temporary file, fsync, rename) everywhere.
    @discardableResult
    public func update(_ displayName: String, _ change: (inout JournalEntry) -> Void) throws(JournalError) -> JournalEntry {
        var entry = try entry(for: displayName) ?? JournalEntry(scope: scope, displayName: displayName)
        change(&entry)
        entry.lastChange = Date()
        try write(entry)
        return entry
    }

    public func remove(_ displayName: String) throws(JournalError) {
        for path in paths(for: displayName) where unlink(path) != 0 && errno != ENOENT {
            throw JournalError(path: path, reason: "cannot be removed (\(String(cString: strerror(errno))))")
        }
    }

    private func write(_ entry: JournalEntry) throws(JournalError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        for path in paths(for: entry.displayName) {
            guard let data = try? encoder.encode(entry) else { throw JournalError(path: path, reason: "could not be encoded") }
            do {
                try PrivateFiles.writeDurably(data, to: path)
            } catch {
                throw JournalError(path: path, reason: "cannot be written (\(error.reason))")
            }
        }
    }
}

/// A short, stable file-name key (FNV-1a, 64 bits, twice with different seeds); the file itself carries the full
/// names it stands for, so a collision is detected rather than trusted.
enum StableKey {
    static func hex(_ text: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
        let first = String(fnv(0xcbf2_9ce4_8422_2325), radix: 16)
        let second = String(fnv(0x8422_2325_cbf2_9ce4), radix: 16)
        return String(repeating: "0", count: 16 - first.count) + first + String(repeating: "0", count: 16 - second.count)
            + second
    }
}

/// Files only their owner can read, written so that a crash leaves the old content or the new, never half.
enum PrivateFiles {
    struct Failure: Error {
        var reason: String
    }

    static func makeDirectory(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(reason: "cannot create directory '\(path)'")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(reason: "'\(path)' is not a directory")
        }
    }

    static func writeDurably(_ data: Data, to path: String) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectory(directory)
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        ok = ok && fsync(descriptor) == 0
        let reason = ok ? "" : String(cString: strerror(errno))
        close(descriptor)
        guard ok, rename(temporary, path) == 0 else {
            let failure = ok ? String(cString: strerror(errno)) : reason
            unlink(temporary)
            throw Failure(reason: failure)
        }
        // The rename itself is durable only once the directory is synced.
        let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
