import Foundation

/// Another apply holds the lock for the same tenant and application.
public struct ApplyLockError: Error, Sendable, Hashable, CustomStringConvertible {
    public var displayName: String
    public var path: String
    /// What the holder wrote into the lock file: its process id, host and start time.
    public var holder: String?
    public var waited: Double

    public var description: String {
        var text = "another scimctl apply is working on '\(displayName)' in this tenant"
        if let holder, !holder.isEmpty { text += " (\(holder))" }
        text += waited > 0 ? String(format: "; gave up after waiting %.0f s", waited) : "; nothing was written"
        text += " (lock file: \(path)). Wait for it to finish"
        return text
    }

    public var remedy: Remedy { .queueBehindLock }
}

/// An exclusive `flock` on one file per tenant and application. The kernel drops it when the process ends,
/// however it ends (Ctrl-C, SIGKILL, a crash), so a stale lock never needs cleaning up.
public final class ApplyLock: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock, polling until `wait` seconds have passed; throws `ApplyLockError` when it stays taken.
    public static func acquire(
        directory: String, scope: String, displayName: String, wait: Double = 0,
        sleep: @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) async throws -> ApplyLock {
        do {
            try PrivateFiles.makeDirectory(directory)
        } catch {
            throw JournalError(path: directory, reason: "cannot hold lock files (\(error.reason))")
        }
        let path = (directory as NSString).appendingPathComponent("\(StableKey.hex(scope + "\n" + displayName)).lock")
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw JournalError(path: path, reason: "cannot be opened as a lock file (\(String(cString: strerror(errno))))")
        }
        var waited = 0.0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw JournalError(path: path, reason: "cannot be locked (\(reason))")
            }
            guard waited < wait else {
                let holder = Self.holder(descriptor)
                close(descriptor)
                throw ApplyLockError(displayName: displayName, path: path, holder: holder, waited: waited)
            }
            let step = min(0.2, max(0.01, wait - waited))
            do {
                try await sleep(step)
            } catch {
                close(descriptor)
                throw error
            }
            waited += step
        }
        // Who holds it, for the message a second apply prints; never anything secret.
        let note = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), since \(ISO8601DateFormatter().string(from: Date()))"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return ApplyLock(path: path, descriptor: descriptor)
    }

    /// Unlocks; safe to call more than once.
    public func release() {
        lock.withLock {
            guard descriptor >= 0 else { return }
            _ = ftruncate(descriptor, 0)
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }
    }

    private static func holder(_ descriptor: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 255, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        // The file is shared with other processes: show printable text only.
        return String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
    }
}
