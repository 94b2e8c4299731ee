import Expressions
import Foundation
import ProfileTranslation
import TestSupport
import Testing

@Suite("preview's sample user file")
struct SampleFileTests {
    @Test func aSampleIsReadOnlyFromARegularFileOfSampleSize() throws {
        let scratch = try TemporaryDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let directory = scratch.path
        let good = directory + "/ana.json"
        try #"{"givenName":"Ana","mobile":"+44 1234 567890"}"#.write(toFile: good, atomically: true, encoding: .utf8)
        let sample = try SampleObject.attributes(fromFileAt: good)
        #expect(sample["givenName"] == .string("Ana"))
        #expect(sample["IsSoftDeleted"] == .boolean(false), "an assigned sample is not soft-deleted unless it says so")

        func problem(_ path: String) -> SampleObject.FileProblem? {
            do {
                _ = try SampleObject.attributes(fromFileAt: path)
                return nil
            } catch {
                return error
            }
        }
        guard case .file(.unreadable) = problem(directory + "/missing.json") else { throw SampleFileExpectation("missing file") }
        guard case .file(.unreadable) = problem(directory) else { throw SampleFileExpectation("a directory") }
        let fifo = directory + "/fifo.json"
        try #require(mkfifo(fifo, 0o600) == 0)
        guard case .file(.unreadable) = problem(fifo) else { throw SampleFileExpectation("a FIFO is never opened") }

        let large = directory + "/large.json"
        try ("[" + String(repeating: " ", count: SampleObject.maximumFileSize) + "]").write(toFile: large, atomically: true, encoding: .utf8)
        guard case .file(.tooLarge(let bytes, let limit)) = problem(large) else { throw SampleFileExpectation("a file past the limit") }
        #expect(bytes == SampleObject.maximumFileSize + 2 && limit == SampleObject.maximumFileSize)
        #expect("\(SampleObject.FileProblem.file(.tooLarge(bytes: bytes, limit: limit)))".contains("\(bytes) bytes, more than"))

        let list = directory + "/list.json"
        try "[1]".write(toFile: list, atomically: true, encoding: .utf8)
        guard case .notAnObject = problem(list) else { throw SampleFileExpectation("JSON that is not an object") }
        #expect("\(SampleObject.FileProblem.notAnObject)".contains("JSON object"))
        let broken = directory + "/broken.json"
        try "{".write(toFile: broken, atomically: true, encoding: .utf8)
        guard case .file(.invalid(let error)) = problem(broken) else { throw SampleFileExpectation("broken JSON") }
        #expect(error.offset == 1)
    }
}

struct SampleFileExpectation: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "wrong problem for " + description }
}
