import Foundation
import Testing

/// The two executables together, as a pipeline would use them: graph-emulator on a free port, scimctl against it.
final class RunningEmulator: @unchecked Sendable {
    let process = Process()
    let url: String
    let token = "cli-end-to-end-token"
    private let output: URL

    init(directory: TemporaryDirectory, extraArguments: [String] = []) throws {
        let binary = Repository.root.appendingPathComponent(".build/debug/graph-emulator")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ScimctlUnavailable(description: "graph-emulator is not built at \(binary.path)")
        }
        output = directory.url.appendingPathComponent("emulator.out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.executableURL = binary
        process.arguments = ["--port", "0", "--static-token", token] + extraArguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The emulator prints `listening on http://127.0.0.1:PORT` once it accepts connections.
        var found: String?
        for _ in 0..<600 where found == nil {  // up to 30 s on a loaded machine
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on ") {
                found = text[range.upperBound...].split(whereSeparator: \.isWhitespace).first.map(String.init)
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found else {
            process.terminate()
            throw ScimctlUnavailable(description: "graph-emulator did not report its port")
        }
        url = found
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

@Suite("scimctl against the graph-emulator executable", .serialized)
struct EmulatorEndToEndTests {
    @Test func planApplyReplanWithDetailedExitCodes() throws {
        let directory = try TemporaryDirectory()
        let emulator = try RunningEmulator(directory: directory)
        #expect(emulator.url.hasPrefix("http://127.0.0.1:"))
        let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "FLOSUM_SCIM_TOKEN": "cli-canary-vendor-token"]
        let target = ["flosum", "--param", "region=jp", "--graph-url", emulator.url]

        let plan = try Scimctl.run(["plan", "profile"] + target + ["--detailed-exitcode"], environment: environment)
        #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("+ create enterprise application"))
        #expect(plan.stdout.contains("~ set BaseAddress, SecretToken, SyncAll"))

        // No terminal and no --yes: refused, nothing written.
        let refused = try Scimctl.run(["apply", "profile"] + target, environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--yes"))

        let backups = directory.url.appendingPathComponent("backups").path
        let apply = try Scimctl.run(
            ["apply", "profile"] + target + ["--yes", "--format", "json", "--backup-dir", backups, "--verbose"],
            environment: environment)
        #expect(apply.status == 0, "\(apply.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(apply.stdout.utf8)) as? [String: Any]
        let applications = result?["applications"] as? [[String: Any]]
        #expect((applications?.first?["jobId"] as? String)?.hasPrefix("scim.") == true)
        #expect(((applications?.first?["changed"] as? [String]) ?? []).contains("started provisioning"))
        // The vendor token never shows, not even in --verbose traces.
        #expect(!apply.stdout.contains("cli-canary-vendor-token") && !apply.stderr.contains("cli-canary-vendor-token"))
        #expect(!apply.stderr.contains(emulator.token))

        let replan = try Scimctl.run(["plan", "profile"] + target + ["--detailed-exitcode", "--format", "json"], environment: environment)
        #expect(replan.status == 0, "\(replan.stdout)")
        let replanned = try JSONSerialization.jsonObject(with: Data(replan.stdout.utf8)) as? [String: Any]
        #expect(replanned?["changes"] as? Bool == false)

        let status = try Scimctl.run(["status"] + target, environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Active") || status.stdout.contains("NotRun"))
    }

    /// A Graph URL pasted with its version (`…/v1.0`) must not become `/v1.0/v1.0/…`.
    @Test func graphURLEndingInTheVersionIsNormalised() throws {
        let directory = try TemporaryDirectory()
        let emulator = try RunningEmulator(directory: directory)
        let plan = try Scimctl.run(
            ["plan", "profile", "flosum", "--param", "region=jp", "--graph-url", emulator.url + "/v1.0/", "--detailed-exitcode"],
            environment: ["SCIMCTL_ACCESS_TOKEN": emulator.token])
        #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("+ create enterprise application"))
    }

    @Test func authCheckNamesTheMethodButNeverTheToken() throws {
        let directory = try TemporaryDirectory()
        let emulator = try RunningEmulator(directory: directory)
        let check = try Scimctl.run(
            ["auth", "check", "--graph-url", emulator.url], environment: ["SCIMCTL_ACCESS_TOKEN": emulator.token])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(!check.stdout.contains(emulator.token) && !check.stderr.contains(emulator.token))
        let none = try Scimctl.run(["auth", "check", "--graph-url", emulator.url])
        #expect(none.status == 1)
    }
}
