import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles

/// Reads a JSON Lines file a chunk at a time, so a large export is never held whole.
public enum JSONLinesReader {
    public struct Failure: Error, Sendable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// One line of a user export is a few kilobytes; anything this long is not one.
    public static let maximumLineBytes = 1 << 20

    public static func forEachObject(in path: String, _ body: (JSONValue, Int) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(line: 0, message: "cannot read the file")
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        var lineNumber = 0
        func handleLine(_ bytes: ArraySlice<UInt8>) throws {
            lineNumber += 1
            var line = bytes
            if line.last == 0x0D { line = line.dropLast() }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            let value: JSONValue
            do {
                value = try JSONValue(parsing: line)
            } catch {
                throw Failure(line: lineNumber, message: error.description)
            }
            guard value.objectValue != nil else { throw Failure(line: lineNumber, message: "each line must be one JSON object") }
            try body(value, lineNumber)
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 16) ?? Data()
            } catch {
                throw Failure(line: lineNumber, message: "cannot read the file: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            buffer.append(contentsOf: chunk)
            var start = buffer.startIndex
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                try handleLine(buffer[start..<newline])
                start = newline + 1
            }
            buffer.removeSubrange(buffer.startIndex..<start)
            if buffer.count > maximumLineBytes {
                throw Failure(line: lineNumber + 1, message: "line is longer than \(maximumLineBytes) bytes")
            }
        }
        if !buffer.isEmpty { try handleLine(buffer[...]) }
    }
}

extension DirectorySimulation {
    /// Adds every user of a JSON Lines export (one user object a line); `progress` sees the running counts.
    public mutating func addUsers(
        fromFile path: String, sources: UserSourceMap, progress: (_ users: Int, _ failing: Int) -> Void
    ) throws(JSONLinesReader.Failure) {
        do {
            try JSONLinesReader.forEachObject(in: path) { object, line in
                guard let user = sources.user(from: object) else {
                    throw JSONLinesReader.Failure(line: line, message: "a user needs a string \"id\" (or \"objectId\")")
                }
                add(user)
                progress(usersRead, failing)
            }
        } catch let failure as JSONLinesReader.Failure {
            throw failure
        } catch {
            throw JSONLinesReader.Failure(line: 0, message: String(describing: error))
        }
    }

    /// Adds the tenant's users, read-only: every user for scope all, else the users and members of the groups
    /// assigned to the application (found by display name unless `servicePrincipalID` pins it).
    public mutating func addUsers(
        from reader: DirectoryReader, sources: UserSourceMap, scope: ProvisioningScope, application: ResolvedApplication,
        servicePrincipalID: String?, progress: (_ users: Int, _ failing: Int) -> Void
    ) async throws {
        var assigned: Set<String>?
        if scope == .assignedOnly {
            let servicePrincipal = try await reader.servicePrincipalID(of: application, pinned: servicePrincipalID)
            assigned = try await reader.assignedUserIDs(servicePrincipalID: servicePrincipal)
        }
        try await reader.forEachPage(sources.usersPath, operation: "list users") { page in
            for object in page {
                if let assigned {
                    guard let id = object["id"]?.stringValue, assigned.contains(id) else { continue }
                }
                guard let user = sources.user(from: object) else { continue }
                add(user)
            }
            progress(usersRead, failing)
        }
    }
}
