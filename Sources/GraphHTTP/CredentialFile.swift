import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a credential file (certificate and key, federated token) with a size limit checked before any byte is
/// read, so a mistaken path to a disk image or a device cannot keep scimctl busy or fill its memory.
public enum CredentialFile {
    /// A certificate chain with its key is a few kilobytes; a token well under one.
    public static let maximumSize = 4 << 20

    /// The file's bytes. Errors name the file (escaped) and `variable`, never its contents.
    static func read(_ path: String, variable: String, limit: Int = maximumSize) throws(AuthenticationError) -> [UInt8] {
        let shown = FileText.escaped(path)
        func failure(_ reason: String) -> AuthenticationError {
            AuthenticationError(kind: .invalidConfiguration, message: "cannot read \(shown) (\(variable)): \(reason)")
        }
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(String(cString: strerror(errno))) }
        guard (status.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else { throw failure("not a regular file") }
        guard status.st_size <= limit else {
            throw AuthenticationError(
                kind: .invalidConfiguration,
                message: "\(shown) (\(variable)) is \(status.st_size) bytes, more than a credential file can be "
                    + "(limit \(limit) bytes)",
                hint: "check that \(variable) names the right file")
        }
        // The size only refuses early: pseudo-files report 0, and a file may grow after fstat, so the read
        // itself stops once it passes the limit.
        var contents: [UInt8] = []
        contents.reserveCapacity(Int(status.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        defer { SecretMemory.wipe(&chunk) }
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                SecretMemory.wipe(&contents)
                throw failure(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            contents += chunk[..<count]
            guard contents.count <= limit else {
                SecretMemory.wipe(&contents)
                throw failure("it is longer than \(limit) bytes")
            }
        }
        return contents
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}

/// Overwrites buffers that held key material or a password before their memory is released. Swift may have
/// copied a value before it reaches here (and a `String` cannot be cleared at all), so this narrows the window
/// rather than closing it.
enum SecretMemory {
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { clear($0) }
    }

    static func wipe(_ data: inout Data) {
        data.withUnsafeMutableBytes { clear($0) }
    }

    private static func clear(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        // Unlike memset, these may not be optimised away because the buffer is about to be freed.
        #if canImport(Darwin)
        _ = memset_s(base, buffer.count, 0, buffer.count)
        #else
        explicit_bzero(base, buffer.count)
        #endif
    }
}

/// Text taken from a file (a PEM header, a certificate subject) made safe to show in a terminal: control
/// characters, including escape sequences and bidirectional overrides, become visible `\u{…}` escapes.
enum FileText {
    static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if shouldEscape(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func shouldEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0, DEL, C1 (ESC, CSI, newlines)
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidirectional controls
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: scalar.properties.generalCategory == .format && scalar.value != 0x200D
        }
    }
}
