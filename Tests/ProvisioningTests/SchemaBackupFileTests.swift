import Foundation
import GraphModel
import Provisioning
import TestSupport
import Testing

@Suite("schema backup files")
struct SchemaBackupFileTests {
    /// `rollback --to FILE` reads whatever the user names: only a regular file of schema size is read.
    @Test func aBackupIsReadOnlyFromARegularFileOfSchemaSize() throws {
        let scratch = try TemporaryDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let backups = SchemaBackups(directory: scratch.path)
        let saved = try backups.save(SynchronizationSchema(json: ["id": "scim"]), servicePrincipalID: "sp-1")
        #expect(try backups.load(saved).id == "scim")

        func refusal(_ path: String) -> String {
            do {
                _ = try backups.load(path)
                return "read"
            } catch {
                return "\(error)"
            }
        }
        let fifo = scratch.path + "/fifo.json"
        try #require(mkfifo(fifo, 0o600) == 0)
        #expect(refusal(fifo).contains("backup file"), "a FIFO is never opened")
        #expect(refusal(scratch.path).contains("backup file"), "a directory is not a backup")

        // A sparse file past the limit: refused by its size, without reading it.
        let huge = scratch.path + "/huge.json"
        try #require(FileManager.default.createFile(atPath: huge, contents: nil))
        try #require(truncate(huge, off_t(SchemaBackups.maximumFileSize + 1)) == 0)
        #expect(refusal(huge).contains("\(SchemaBackups.maximumFileSize + 1) bytes, more than"))

        let broken = try scratch.write("broken.json", "{\"id\":").path
        #expect(refusal(broken).contains("invalid JSON"))
    }
}
