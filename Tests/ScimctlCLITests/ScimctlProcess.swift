import Foundation
import TestSupport
import Testing

/// The repository this test file lives in (Tests/ScimctlCLITests/ScimctlProcess.swift → two levels up).
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func profileText(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("Profiles/\(name).yaml"), encoding: .utf8)
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

struct ScimctlUnavailable: Error, CustomStringConvertible {
    var description: String
}

/// The executables `swift build` (and `swift test`, which builds every product first) put beside the test bundle.
///
/// The products directory is found from the running test bundle, so debug, release and a custom `--scratch-path`
/// all work; `SCIMCTL_TEST_PRODUCTS` names another directory. A missing executable is a failure, never a build.
enum BuiltProducts {
    static let directory: Result<URL, ScimctlUnavailable> = locate()

    static func executable(_ name: String) throws -> URL {
        let directory = try directory.get()
        let candidate = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw ScimctlUnavailable(
                description: "\(name) is not built in \(directory.path); run `swift build` (or `swift test`, which builds "
                    + "every product) first, or set SCIMCTL_TEST_PRODUCTS to the directory that holds it")
        }
        return candidate
    }

    private static func locate() -> Result<URL, ScimctlUnavailable> {
        if let override = ProcessInfo.processInfo.environment["SCIMCTL_TEST_PRODUCTS"], !override.isEmpty {
            return .success(URL(fileURLWithPath: override, isDirectory: true))
        }
        // Linux: the test runner is the `…PackageTests.xctest` executable in the products directory.
        if let runner = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return .success(URL(fileURLWithPath: runner).deletingLastPathComponent())
        }
        // macOS: the `.xctest` bundle sits in the products directory.
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return .success(bundle.bundleURL.deletingLastPathComponent())
        }
        return .failure(ScimctlUnavailable(description: "cannot tell where the test bundle runs from; set SCIMCTL_TEST_PRODUCTS"))
    }
}

/// Runs the built `scimctl` executable.
enum Scimctl {
    /// Runs scimctl with no stdin and NO_COLOR=1, plus `environment`.
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> ProcessResult {
        let executable = try BuiltProducts.executable("scimctl")
        // apply mirrors its journal and locks per user: keep the tests' copies away from the real home.
        let userState = FileManager.default.temporaryDirectory.appendingPathComponent("scimctl-cli-tests-state-\(getpid())")
        var env = [
            "NO_COLOR": "1", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "XDG_STATE_HOME": userState.path,
        ]
        env.merge(environment) { _, new in new }
        return try await runProcess(executable, arguments, directory: directory, environment: env, timeout: .seconds(60))
    }

    struct TimedOut: Error {}

    /// Output goes to temporary files so a chatty process can never block on a full pipe. The wait is asynchronous:
    /// no thread of the cooperative pool is held while the child runs.
    static func runProcess(
        _ executable: URL, _ arguments: [String], directory: URL?, environment: [String: String], timeout: Duration
    ) async throws -> ProcessResult {
        let scratch = try TemporaryDirectory()
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        let exit = ProcessExit(process)
        try process.run()
        guard await exit.wait(timeout: timeout) else {
            process.terminate()
            _ = await exit.wait(timeout: .seconds(10))
            throw TimedOut()
        }
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

/// The end of a child process, awaited without blocking a thread. Create it before `process.run()`.
final class ProcessExit: @unchecked Sendable {
    private let lock = NSLock()
    private var exited = false

    init(_ process: Process) {
        process.terminationHandler = { [self] _ in lock.withLock { exited = true } }
    }

    var hasExited: Bool { lock.withLock { exited } }

    /// True once the process has exited; false when `timeout` passed first. Checks every few milliseconds with
    /// `Task.sleep`, so it may be called again after a timeout (to wait out a `terminate()`).
    func wait(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !hasExited {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
