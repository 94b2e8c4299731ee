import Foundation
import TestSupport
import Testing

@Suite("scimctl logs against the graph-emulator executable", .serialized)
struct LogsCommandTests {
    @Test func logsSummariseTheFirstCyclePerUser() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "EPTURA_SCIM_TOKEN": "cli-logs-vendor-token"]
            let target = ["eptura", "--param", "domain=scim.example.eptura.com", "--graph-url", emulator.url]
            let backups = directory.url.appendingPathComponent("backups").path
            let apply = try await Scimctl.run(
                ["apply", "profile"] + target + ["--yes", "--backup-dir", backups], in: directory.url, environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")

            let text = try await Scimctl.run(["logs"] + target + ["--since", "1h"], environment: environment)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("provisioning log of \"EpturaScimApplication\""))
            #expect(text.stdout.contains("1 entries for 1 objects: 1 success"))
            #expect(text.stdout.contains("user Adele Vance (5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13): create success"))

            let json = try await Scimctl.run(["logs"] + target + ["--format", "json", "--failed"], environment: environment)
            #expect(json.status == 0, "\(json.stderr)")
            let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(document?["failedOnly"] as? Bool == true)
            #expect((document?["subjects"] as? [Any])?.isEmpty == true)
            #expect(!json.stdout.contains("cli-logs-vendor-token") && !text.stdout.contains(emulator.token))

            // By service principal id, the same entries.
            let listed = try await Scimctl.run(["logs"] + target + ["--format", "json"], environment: environment)
            let listedDocument = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
            let servicePrincipalID = try #require(listedDocument?["servicePrincipalId"] as? String)
            let byID = try await Scimctl.run(
                ["logs", "--service-principal-id", servicePrincipalID, "--since", "2020-01-01", "--graph-url", emulator.url],
                environment: environment)
            #expect(byID.status == 0, "\(byID.stderr)")
            #expect(byID.stdout.contains("create success"))
        }
    }

    @Test(arguments: [
        ["logs", "eptura", "--param", "domain=a.example.com", "--since", "yesterday"],
        ["logs", "eptura", "--param", "domain=a.example.com", "--since", "0h"],
        ["logs"],
        ["logs", "eptura", "--service-principal-id", "x"],
    ])
    func badInvocationsAreUsageErrors(_ arguments: [String]) async throws {
        let result = try await Scimctl.run(arguments, environment: ["SCIMCTL_ACCESS_TOKEN": "unused"])
        #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

@Suite("auth check --for logs")
struct LogsPermissionTests {
    /// An unsigned token whose payload grants `roles`; auth check reads claims without verifying them.
    func token(roles: [String]) throws -> String {
        let payload = try JSONSerialization.data(withJSONObject: ["roles": roles])
        let encoded = payload.base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return "eyJhbGciOiJub25lIn0.\(encoded).c2ln"
    }

    @Test func logsNeedAuditLogReadAll() async throws {
        let without = try await Scimctl.run(
            ["auth", "check", "--for", "logs"],
            environment: ["SCIMCTL_ACCESS_TOKEN": try token(roles: ["Application.Read.All", "Synchronization.Read.All"])])
        #expect(without.status == 1)
        #expect(without.stdout.contains("logs: missing AuditLog.Read.All (to read the provisioning logs)"), "\(without.stdout)")
        let with = try await Scimctl.run(
            ["auth", "check", "--for", "logs"],
            environment: ["SCIMCTL_ACCESS_TOKEN": try token(roles: ["Application.Read.All", "AuditLog.Read.All"])])
        #expect(with.status == 0, "\(with.stdout)\(with.stderr)")
        #expect(with.stdout.contains("logs: ok"))
    }
}

extension RunningEmulator {
    /// Creates an enterprise application through the emulator's Graph, as the admin did before a guide that
    /// configures an existing app (Flosum's single sign-on app, &Money's script). Returns its service principal id.
    @discardableResult
    func createExistingApplication(displayName: String) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["displayName": displayName])
        let result = try await Scimctl.runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "curl", "-sS", "--fail", "-X", "POST", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                "--data-binary", String(decoding: body, as: UTF8.self),
                url + "/v1.0/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
            ],
            directory: nil, environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"], timeout: .seconds(60))
        guard result.status == 0,
            let answer = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            let id = (answer["servicePrincipal"] as? [String: Any])?["id"] as? String
        else { throw CLIExpectationFailure("creating '\(displayName)' failed: \(result.stderr)") }
        return id
    }
}
