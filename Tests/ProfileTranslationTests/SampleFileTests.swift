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
        guard case .unreadable = problem(directory + "/missing.json") else { throw SampleFileExpectation("missing file") }
        guard case .unreadable = problem(directory) else { throw SampleFileExpectation("a directory") }
        let fifo = directory + "/fifo.json"
        try #require(mkfifo(fifo, 0o600) == 0)
        guard case .unreadable = problem(fifo) else { throw SampleFileExpectation("a FIFO is never opened") }

        let large = directory + "/large.json"
        try ("[" + String(repeating: " ", count: SampleObject.maximumFileSize) + "]").write(toFile: large, atomically: true, encoding: .utf8)
        guard case .tooLarge(let bytes) = problem(large) else { throw SampleFileExpectation("a file past the limit") }
        #expect(bytes == SampleObject.maximumFileSize + 2)
        #expect("\(SampleObject.FileProblem.tooLarge(bytes: bytes))".contains("limited to \(SampleObject.maximumFileSize) bytes"))

        let list = directory + "/list.json"
        try "[1]".write(toFile: list, atomically: true, encoding: .utf8)
        guard case .invalid(let reason) = problem(list) else { throw SampleFileExpectation("JSON that is not an object") }
        #expect(reason.contains("JSON object"))
    }
}

struct SampleFileExpectation: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "wrong problem for " + description }
}
