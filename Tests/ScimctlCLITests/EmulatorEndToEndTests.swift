import Foundation
import TestSupport
import Testing

/// The two executables together, as a pipeline would use them: graph-emulator on a free port, scimctl against it.
/// Use it through `withRunningEmulator`, which ends the process after the body.
final class RunningEmulator: @unchecked Sendable {
    let process: Process
    let url: String
    let token = "cli-end-to-end-token"
    private let exit: ProcessExit

    private init(process: Process, url: String, exit: ProcessExit) {
        self.process = process
        self.url = url
        self.exit = exit
    }

    static func start(directory: TemporaryDirectory, extraArguments: [String] = []) async throws -> RunningEmulator {
        let output = directory.url.appendingPathComponent("emulator-\(UUID().uuidString).out")
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw ScimctlUnavailable(description: "cannot create \(output.path)")
        }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = try BuiltProducts.executable("graph-emulator")
        process.arguments = ["--port", "0", "--static-token", "cli-end-to-end-token"] + extraArguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let exit = ProcessExit(process)
        try process.run()
        let emulator = RunningEmulator(process: process, url: "", exit: exit)
        // The emulator prints `listening on http://127.0.0.1:PORT` once it accepts connections.
        let deadline = ContinuousClock.now + .seconds(30)  // generous: the machine may be loaded
        while ContinuousClock.now < deadline && process.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on "),
                let url = text[range.upperBound...].split(whereSeparator: \.isWhitespace).first.map(String.init)
            {
                return RunningEmulator(process: process, url: url, exit: exit)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await emulator.stop()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        throw ScimctlUnavailable(description: "graph-emulator did not report its port:\n\(text)")
    }

    /// Ends the process and returns once it has exited.
    func stop() async {
        if process.isRunning { process.terminate() }
        if !(await exit.wait(timeout: .seconds(10))) {
            kill(process.processIdentifier, SIGKILL)
            _ = await exit.wait(timeout: .seconds(10))
        }
    }
}

/// Runs `body` against a fresh graph-emulator process and ends the process afterwards, also when `body` throws.
func withRunningEmulator<T>(
    directory: TemporaryDirectory, extraArguments: [String] = [], _ body: (RunningEmulator) async throws -> T
) async throws -> T {
    let emulator = try await RunningEmulator.start(directory: directory, extraArguments: extraArguments)
    return try await withStopping(emulator, stop: { await $0.stop() }, body)
}

@Suite("scimctl against the graph-emulator executable", .serialized)
struct EmulatorEndToEndTests {
    @Test func planApplyReplanWithDetailedExitCodes() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            #expect(emulator.url.hasPrefix("http://127.0.0.1:"))
            // Totalmobile: its guide creates the app (Flosum's and &Money's configure one that exists).
            let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "TOTALMOBILE_SCIM_TOKEN": "cli-canary-vendor-token"]
            let target = ["totalmobile", "--param", "customer=contoso", "--graph-url", emulator.url]

            // apply keeps its journal and locks in .scimctl/ of the working directory: a scratch one here.
            let plan = try await Scimctl.run(
                ["plan", "profile"] + target + ["--detailed-exitcode"], in: directory.url, environment: environment)
            #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("+ create enterprise application"))
            #expect(plan.stdout.contains("~ set BaseAddress, SecretToken, SyncAll"))

            // No terminal and no --yes: refused, nothing written.
            let refused = try await Scimctl.run(["apply", "profile"] + target, in: directory.url, environment: environment)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("--yes"))

            let backups = directory.url.appendingPathComponent("backups").path
            let apply = try await Scimctl.run(
                ["apply", "profile"] + target + ["--yes", "--format", "json", "--backup-dir", backups, "--verbose"],
                in: directory.url, environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            let result = try JSONSerialization.jsonObject(with: Data(apply.stdout.utf8)) as? [String: Any]
            let applications = result?["applications"] as? [[String: Any]]
            #expect((applications?.first?["jobId"] as? String)?.hasPrefix("scim.") == true)
            #expect(((applications?.first?["changed"] as? [String]) ?? []).contains("started provisioning"))
            // The vendor token never shows, not even in --verbose traces.
            #expect(!apply.stdout.contains("cli-canary-vendor-token") && !apply.stderr.contains("cli-canary-vendor-token"))
            #expect(!apply.stderr.contains(emulator.token))

            let replan = try await Scimctl.run(
                ["plan", "profile"] + target + ["--detailed-exitcode", "--format", "json"], in: directory.url,
                environment: environment)
            #expect(replan.status == 0, "\(replan.stdout)")
            let replanned = try JSONSerialization.jsonObject(with: Data(replan.stdout.utf8)) as? [String: Any]
            #expect(replanned?["changes"] as? Bool == false)

            let status = try await Scimctl.run(["status"] + target, environment: environment)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("Active") || status.stdout.contains("NotRun"))
        }
    }

    /// A Graph URL pasted with its version (`…/v1.0`) must not become `/v1.0/v1.0/…`.
    @Test func graphURLEndingInTheVersionIsNormalised() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let plan = try await Scimctl.run(
                ["plan", "profile", "totalmobile", "--param", "customer=contoso", "--graph-url", emulator.url + "/v1.0/", "--detailed-exitcode"],
                environment: ["SCIMCTL_ACCESS_TOKEN": emulator.token])
            #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("+ create enterprise application"))
        }
    }

    @Test func authCheckNamesTheMethodButNeverTheToken() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(directory: directory) { emulator in
            let check = try await Scimctl.run(
                ["auth", "check", "--graph-url", emulator.url], environment: ["SCIMCTL_ACCESS_TOKEN": emulator.token])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(!check.stdout.contains(emulator.token) && !check.stderr.contains(emulator.token))
            let none = try await Scimctl.run(["auth", "check", "--graph-url", emulator.url])
            #expect(none.status == 1)
        }
    }

    /// `withRunningEmulator` ends the graph-emulator process before it returns, so no emulator outlives its test.
    @Test func theEmulatorProcessEndsWithItsScope() async throws {
        let directory = try TemporaryDirectory()
        let (process, port) = try await withRunningEmulator(directory: directory) { emulator in
            let port = URLComponents(string: emulator.url)?.port ?? 0
            #expect(loopbackPortAcceptsConnections(port))
            return (emulator.process, port)
        }
        #expect(!process.isRunning)
        #expect(port > 0)
        #expect(!loopbackPortAcceptsConnections(port))
    }

    /// Two `scimctl apply` processes started together against one tenant, from two folders: one application.
    @Test func twoAppliesStartedTogetherCreateOneApplication() async throws {
        let directory = try TemporaryDirectory()
        // Listings lag behind as in Entra, so a second apply without the lock would not see the first one's app.
        try await withRunningEmulator(
            directory: directory, extraArguments: ["--replication-delay-ms", "300", "--listing-delay-ms", "60000",
                                                   "--latency-ms", "50"]) { emulator in
            // Each process gets its own per-user state, as two CI jobs on one runner share nothing but the machine.
            let environment = [
                "SCIMCTL_ACCESS_TOKEN": emulator.token, "TOTALMOBILE_SCIM_TOKEN": "cli-canary-vendor-token",
                "XDG_STATE_HOME": directory.url.appendingPathComponent("user-state").path,
            ]
            let arguments = ["apply", "profile", "totalmobile", "--param", "customer=contoso", "--graph-url", emulator.url, "--yes"]
            let first = directory.url.appendingPathComponent("first")
            let second = directory.url.appendingPathComponent("second")
            for folder in [first, second] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

            let finished = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
                for folder in [first, second] {
                    group.addTask { try await Scimctl.run(arguments, in: folder, environment: environment) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(finished.count == 2)
            let succeeded = finished.filter { $0.status == 0 }
            let refused = finished.filter { $0.status == 1 && $0.stderr.contains("another scimctl apply is working on 'Totalmobile'") }
            #expect(succeeded.count + refused.count == 2, "\(finished.map(\.stderr))")
            #expect(succeeded.count >= 1)

            // Whatever the interleaving, the tenant has one Totalmobile, and from either folder (listings still lag) a plan
            // knows it through the journal: nothing to create.
            for folder in [first, second] {
                let state = try await Scimctl.run(
                    ["plan", "profile", "totalmobile", "--param", "customer=contoso", "--graph-url", emulator.url, "--detailed-exitcode"],
                    in: folder, environment: environment)
                #expect(state.status == 0, "\(state.stdout)\(state.stderr)")
            }
            let again = try await Scimctl.run(arguments + ["--lock-wait", "30"], in: second, environment: environment)
            #expect(again.status == 0, "\(again.stderr)")
        }
    }
}

extension EmulatorEndToEndTests {
    /// The emulator's control API, read with libcurl's command-line tool (the CLI test target links nothing).
    func control(_ emulator: RunningEmulator, _ path: String) async throws -> [String: Any] {
        let result = try await Scimctl.runProcess(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "--max-time", "5", emulator.url + path], directory: nil,
            environment: [:], timeout: .seconds(10))
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// A real SIGKILL the moment Graph has received the create, then an immediate re-run: one application.
    @Test func killedWithSigkillAfterTheCreateAndRerunAtOnce() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningEmulator(
            directory: directory,
            extraArguments: ["--replication-delay-ms", "500", "--listing-delay-ms", "120000", "--latency-ms", "150"]) { emulator in
            let environment = [
                "SCIMCTL_ACCESS_TOKEN": emulator.token, "TOTALMOBILE_SCIM_TOKEN": "cli-canary-vendor-token", "NO_COLOR": "1",
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "XDG_STATE_HOME": directory.url.appendingPathComponent("user-state").path,
            ]
            let arguments = ["apply", "profile", "totalmobile", "--param", "customer=contoso", "--graph-url", emulator.url, "--yes"]

            let process = Process()
            process.executableURL = try BuiltProducts.executable("scimctl")
            process.arguments = arguments
            process.environment = environment
            process.currentDirectoryURL = directory.url
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let exit = ProcessExit(process)
            try process.run()
            var created = false
            let deadline = ContinuousClock.now + .seconds(30)  // generous: the machine may be loaded
            while !created && process.isRunning && ContinuousClock.now < deadline {
                let log = try await control(emulator, "/_emulator/requests")
                let entries = (log["value"] as? [[String: Any]]) ?? []
                created = entries.contains { ($0["path"] as? String)?.contains("/instantiate") == true }
                if !created { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(created, "apply never reached the create")
            kill(process.processIdentifier, SIGKILL)
            #expect(await exit.wait(timeout: .seconds(30)), "scimctl did not die of SIGKILL")

            // Listings will not show the new app for two minutes; the re-run must find it through the journal.
            let rerun = try await Scimctl.run(arguments, in: directory.url, environment: environment)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let state = try await control(emulator, "/_emulator/state")
            #expect((state["servicePrincipals"] as? [Any])?.count == 1, "\(rerun.stderr)")
            #expect((state["jobs"] as? [Any])?.count == 1)
            let plan = try await Scimctl.run(
                ["plan", "profile", "totalmobile", "--param", "customer=contoso", "--graph-url", emulator.url, "--detailed-exitcode"],
                in: directory.url, environment: environment)
            #expect(plan.status == 0, "\(plan.stdout)")
        }
    }
}
