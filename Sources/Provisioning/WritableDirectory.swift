import Foundation

/// A directory the caller is about to write into (render output, schema backups), checked before any work: not
/// empty, not a file, and either existing and writable or creatable under a writable ancestor.
public enum WritableDirectory {
    public enum Problem: Sendable, Hashable {
        case emptyPath
        case isAFile
        case notWritable
        case underAFile
        /// The directory does not exist and its nearest existing ancestor is not writable.
        case ancestorNotWritable(String)
    }

    /// Nil when the directory can be written.
    public static func problem(with path: String) -> Problem? {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { return .emptyPath }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return .isAFile }
            return fileManager.isWritableFile(atPath: path) ? nil : .notWritable
        }
        var ancestor = parent(of: path)
        while !ancestor.isEmpty, !fileManager.fileExists(atPath: ancestor) {
            ancestor = parent(of: ancestor)
        }
        if ancestor.isEmpty { ancestor = "." }
        guard fileManager.fileExists(atPath: ancestor, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .underAFile
        }
        return fileManager.isWritableFile(atPath: ancestor) ? nil : .ancestorNotWritable(ancestor)
    }

    /// The path without its last component ("" for a bare name, "/" for a name at the root). Plain string work: the
    /// NSString bridge trapped on Linux for a one-letter relative name (`--backup-dir b`).
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }
}
