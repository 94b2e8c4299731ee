import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles
@testable import Provisioning
import TestSupport
import Testing

@Suite("simulation input, probe settings, directory checks and job conditions, in process")
struct RunInputTests {
    func file(_ text: String) -> String {
        let path = temporaryDirectory() + "/users.jsonl"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func jsonLinesSkipBlankLinesAndNameTheBadOne() throws {
        var seen: [Int] = []
        try JSONLinesReader.forEachObject(in: file("{\"id\":\"1\"}\r\n\n  \n{\"id\":\"2\"}")) { _, line in seen.append(line) }
        #expect(seen == [1, 4])
        #expect(throws: JSONLinesReader.Failure.self) {
            try JSONLinesReader.forEachObject(in: file("{\"id\":\"1\"}\n[1, 2]\n")) { _, _ in }
        }
        do {
            try JSONLinesReader.forEachObject(in: file("{\"id\":\"1\"}\n[1, 2]\n")) { _, _ in }
        } catch let error as JSONLinesReader.Failure {
            #expect(error.line == 2)
            #expect(error.message == "each line must be one JSON object")
        }
    }

    @Test func usersFromAFileNeedAnIdAndReportProgress() throws {
        let application = try #require(try bundledProfile("flosum", ["region": "de"]).applications.first)
        let rules = try bundledProfile("flosum", ["region": "de"]).profile.rules
        var simulation = DirectorySimulation(application, rules: rules)
        let sources = UserSourceMap(sourceAttributes: simulation.mappings.sourceAttributes)
        var counts: [Int] = []
        try simulation.addUsers(
            fromFile: file("{\"id\":\"1\",\"userPrincipalName\":\"a@contoso.com\"}\n{\"id\":\"2\"}\n"), sources: sources
        ) { users, _ in counts.append(users) }
        #expect(counts == [1, 2])
        #expect(simulation.report().users == 2)
        do {
            try simulation.addUsers(fromFile: file("{\"name\":\"no id\"}\n"), sources: sources) { _, _ in }
            Issue.record("a user without an id must be refused")
        } catch {
            #expect(error.line == 1)
            #expect(error.message.contains("\"id\""))
        }
    }

    @Test func probeSettingsProblemsAreFoundBeforeAnyRequest() {
        #expect(SCIMProbe.Settings(tenantURL: "https://scim.example.com/v2", clientVersion: "test").problem == nil)
        #expect(SCIMProbe.Settings(tenantURL: "http://127.0.0.1:8080/scim", clientVersion: "test").problem == nil)
        #expect(SCIMProbe.Settings(timeout: 0, clientVersion: "test").problem == .timeoutOutOfRange)
        #expect(SCIMProbe.Settings(timeout: 3601, clientVersion: "test").problem == .timeoutOutOfRange)
        guard case .tenantURL = SCIMProbe.Settings(tenantURL: "http://scim.example.com", clientVersion: "test").problem else {
            Issue.record("plain http to a remote host must be refused")
            return
        }
        #expect(
            SCIMProbe.Settings(caCertificatePath: "/no/such.pem", clientVersion: "test").problem
                == .unreadableCACertificate("/no/such.pem"))
    }

    @Test func oneReplacementURLNeedsOneApplication() async throws {
        let applications = try bundledProfile("flosum", ["region": "de"]).applications
        let twice = applications + applications
        let settings = SCIMProbe.Settings(tenantURL: "https://127.0.0.1:1/scim", clientVersion: "test")
        do {
            _ = try await SCIMProbe.run(twice, settings: settings, tokens: SecretTokenReader(environment: [:]))
            Issue.record("two applications and one URL must be refused")
        } catch {
            guard case .tenantURLNeedsOneApplication(let count) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(count == 2)
        }
    }

    @Test func directoryProblemsAreFoundBeforeWriting() throws {
        let base = temporaryDirectory()
        #expect(WritableDirectory.problem(with: " ") == .emptyPath)
        #expect(WritableDirectory.problem(with: base) == nil)
        #expect(WritableDirectory.problem(with: base + "/new/deeper") == nil)
        FileManager.default.createFile(atPath: base + "/file", contents: Data())
        #expect(WritableDirectory.problem(with: base + "/file") == .isAFile)
        #expect(WritableDirectory.problem(with: base + "/file/below") == .underAFile)
        // Relative names, one letter long included (`--backup-dir b` once trapped), are judged from the current folder.
        #expect(WritableDirectory.problem(with: "b") == nil)
        #expect(WritableDirectory.problem(with: "b/c/") == nil)
        #expect(WritableDirectory.parent(of: "b") == "")
        #expect(WritableDirectory.parent(of: "/b") == "/")
        #expect(WritableDirectory.parent(of: "a/b//") == "a")
        #expect(WritableDirectory.parent(of: "/") == "")
    }

    @Test func jobConditionsParseAndMatch() throws {
        #expect(try JobCondition.parseList(" Quarantine,failure ") == [.quarantine, .failure])
        #expect(try JobCondition.parseList(nil) == [])
        do {
            _ = try JobCondition.parseList("warning,broken")
            Issue.record("an unknown state must be refused")
        } catch {
            #expect(error.name == "broken")
        }
        let job = StatusReader.status(
            of: ["id": "scim.1", "status": ["code": "Active", "countSuccessiveCompleteFailures": 2]], servicePrincipalID: "sp")
        #expect(JobCondition.conditions(of: job) == [.failure])
    }
}
