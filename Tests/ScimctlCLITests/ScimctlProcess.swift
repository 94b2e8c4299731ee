import Foundation
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

/// Runs the built `scimctl` executable. `swift test` builds every product before running tests, so the binary is
/// normally there; when it is not (a test target built on its own), it is built once, with a time limit.
enum Scimctl {
    static let binary: Result<URL, ScimctlUnavailable> = locateOrBuild()

    private static func locateOrBuild() -> Result<URL, ScimctlUnavailable> {
        let candidate = Repository.root.appendingPathComponent(".build/debug/scimctl")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return .success(candidate) }
        do {
            let build = try runProcess(
                URL(fileURLWithPath: "/usr/bin/env"), ["swift", "build", "--product", "scimctl"],
                directory: Repository.root, environment: ProcessInfo.processInfo.environment, timeout: 900)
            guard build.status == 0, FileManager.default.isExecutableFile(atPath: candidate.path) else {
                return .failure(ScimctlUnavailable(description: "swift build --product scimctl failed:\n\(build.stderr)"))
            }
            return .success(candidate)
        } catch {
            return .failure(ScimctlUnavailable(description: "could not build scimctl: \(error)"))
        }
    }

    /// Runs scimctl with no stdin and NO_COLOR=1, plus `environment`.
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> ProcessResult {
        let executable = try binary.get()
        // apply mirrors its journal and locks per user: keep the tests' copies away from the real home.
        let userState = FileManager.default.temporaryDirectory.appendingPathComponent("scimctl-cli-tests-state-\(getpid())")
        var env = [
            "NO_COLOR": "1", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "XDG_STATE_HOME": userState.path,
        ]
        env.merge(environment) { _, new in new }
        return try runProcess(executable, arguments, directory: directory, environment: env, timeout: 60)
    }

    struct TimedOut: Error {}

    /// Output goes to temporary files so a chatty process can never block on a full pipe.
    static func runProcess(
        _ executable: URL, _ arguments: [String], directory: URL?, environment: [String: String], timeout: Double
    ) throws -> ProcessResult {
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
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw TimedOut()
        }
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scimctl-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    deinit {
        // chmod 000 files inside must not stop the cleanup.
        if let files = FileManager.default.enumerator(atPath: url.path) {
            for case let file as String in files {
                try? FileManager.default.setAttributes(
                    [.posixPermissions: 0o755], ofItemAtPath: url.appendingPathComponent(file).path)
            }
        }
        try? FileManager.default.removeItem(at: url)
    }
}
