import Foundation
import TestSupport
import Testing

@Suite("scimctl init")
struct InitCommandTests {
    @Test func skeletonValidatesCleanlyAndIsNotOverwritten() async throws {
        let directory = try TemporaryDirectory()
        let created = try await Scimctl.run(["init", "Contoso & Co"], in: directory.url)
        #expect(created.status == 0, "\(created.stderr)")
        let file = directory.url.appendingPathComponent("contoso-and-co.yaml")
        #expect(FileManager.default.fileExists(atPath: file.path))
        let validated = try await Scimctl.run(["validate", "mapping", file.path])
        #expect(validated.status == 0, "\(validated.stdout)")
        #expect(validated.stdout.contains("1 profile checked: 0 errors, 0 warnings"))
        let again = try await Scimctl.run(["init", "Contoso & Co"], in: directory.url)
        #expect(again.status == 64)
        #expect(again.stderr.contains("--force"))
    }
}
