import Foundation
import TestSupport
import Testing

@Suite("scimctl render profile")
struct RenderCommandTests {
    /// A made-up token value; it must never show up in what render prints.
    static let token = "tok-7Q2x-never-print-me"

    func requests(in output: String) throws -> [[String: Any]] {
        let applications = try #require(try jsonObject(output)["applications"] as? [[String: Any]])
        #expect(applications.count == 1)
        return try #require(applications.first?["requests"] as? [[String: Any]])
    }

    func secrets(in requests: [[String: Any]]) throws -> [String: String] {
        let put = try #require(requests.first { ($0["path"] as? String)?.hasSuffix("/synchronization/secrets") == true })
        #expect(put["method"] as? String == "PUT")
        let body = try #require(put["body"] as? [String: Any])
        let entries = try #require(body["value"] as? [[String: Any]])
        var values: [String: String] = [:]
        for entry in entries {
            if let key = entry["key"] as? String, let value = entry["value"] as? String { values[key] = value }
        }
        return values
    }

    @Test func flosumGermany() async throws {
        let result = try await Scimctl.run(
            ["render", "profile", "flosum", "--param", "region=de"], environment: ["FLOSUM_SCIM_TOKEN": Self.token])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(Self.token))
        #expect(!result.stderr.contains(Self.token))
        let requests = try requests(in: result.stdout)
        // Job, secrets, connection test, schema, start: what a first apply to the existing Flosum app sends.
        #expect(requests.count == 5, "create: false: no instantiate and no marker, the app exists")
        #expect(requests.first?["method"] as? String == "POST")
        #expect(requests.contains { ($0["path"] as? String)?.hasSuffix("/validateCredentials") == true })
        let secrets = try secrets(in: requests)
        #expect(secrets["BaseAddress"] == "https://global-de.flosum.app/api/v1/scim")
        #expect(secrets["SecretToken"]?.contains("FLOSUM_SCIM_TOKEN") == true)
        #expect(secrets["SecretToken"] != Self.token)
        #expect(secrets["SyncAll"] == "false")
    }

    @Test func missingParameterIsAUsageError() async throws {
        let result = try await Scimctl.run(["render", "profile", "flosum"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("[param.missing]"))
        #expect(result.stderr.contains("region"))
    }

    @Test func unknownParameterIsAUsageError() async throws {
        let result = try await Scimctl.run(["render", "profile", "flosum", "--param", "region=de", "--param", "regoin=de"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("[param.unknown]"))
    }

    @Test func outputDirectoryGetsOneFilePerRequest() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("requests")
        let result = try await Scimctl.run(["render", "profile", "flosum", "--param", "region=au", "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(files.count == 5)
        #expect(files.allSatisfy { $0.hasSuffix(".json") })
        #expect(files.first?.hasPrefix("01-") == true)
        for file in files {
            let object = try jsonObject(try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8))
            #expect(object["method"] is String)
            #expect(object["path"] is String)
        }
        #expect(result.stderr.contains("wrote "))
    }

    @Test func renderingTwiceIsByteForByteStable() async throws {
        let first = try await Scimctl.run(["render", "profile", "andmoney", "--param", "environment=test"])
        let second = try await Scimctl.run(["render", "profile", "andmoney", "--param", "environment=test"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let applications = try #require(try jsonObject(first.stdout)["applications"] as? [[String: Any]])
        #expect(applications.compactMap { $0["name"] as? String } == ["advisors", "rooms"])
    }

    @Test func telemessageSendsNoSecretToken() async throws {
        let result = try await Scimctl.run(["render", "profile", "telemessage", "--param", "manager=Jane Example"])
        #expect(result.status == 0, "\(result.stderr)")
        let secrets = try secrets(in: try requests(in: result.stdout))
        #expect(secrets["SecretToken"] == nil)
        #expect(secrets["BaseAddress"] == "https://provisioning-gateway-service-charlie.kapi.telemessage.com/scim/v2")
    }

    @Test func appOptionPicksOneApplication() async throws {
        let result = try await Scimctl.run(["render", "profile", "andmoney", "--param", "environment=test", "--app", "rooms"])
        #expect(result.status == 0, "\(result.stderr)")
        let secrets = try secrets(in: try requests(in: result.stdout))
        #expect(secrets["BaseAddress"] == "https://api.test-env.booking.andmoney.dk/rooms/scim")
        #expect(secrets["SecretToken"]?.contains("ANDMONEY_ROOMS_SCIM_TOKEN") == true)
    }

    @Test func unknownAppIsAUsageError() async throws {
        let result = try await Scimctl.run(["render", "profile", "andmoney", "--param", "environment=test", "--app", "desks"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("advisors, rooms"))
    }

    @Test func outputDirectoryWithSeveralApplicationsUsesAFolderEach() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        let result = try await Scimctl.run(
            ["render", "profile", "andmoney", "--param", "environment=production", "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(folders == ["advisors", "rooms"])
        for folder in folders {
            let files = try FileManager.default.contentsOfDirectory(
                atPath: output.appendingPathComponent(folder).path)
            #expect(files.contains { $0.hasSuffix("-put-secrets.json") })
        }
    }

    @Test func renderOfABrokenProfileFileFailsWithItsDiagnostics() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("example.yaml", brokenProfile)
        let result = try await Scimctl.run(["render", "profile", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "nothing is rendered when the profile has errors")
        #expect(result.stderr.contains("\(file.path):11:19: error:"))
    }
}
