import Foundation
import TestSupport
import Testing

/// Runs the GitHub Action's scripts (scripts/action/*.sh) as the runner would: inputs only in the environment,
/// GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY pointing at scratch files.
struct ActionHarness {
    let directory: TemporaryDirectory
    let output: URL
    let path: URL
    let summary: URL
    let fakeBin: URL
    let argsLog: URL

    init() throws {
        directory = try TemporaryDirectory()
        output = try directory.write("github_output", "")
        path = try directory.write("github_path", "")
        summary = try directory.write("step_summary", "")
        argsLog = directory.url.appendingPathComponent("args.log")
        // A stand-in scimctl that records each argument NUL-terminated and exits with FAKE_EXIT.
        let fake = try directory.write(
            "fakebin/scimctl",
            """
            #!/usr/bin/env bash
            printf '%s\\0' "$@" > "$FAKE_ARGS_LOG"
            exit "${FAKE_EXIT:-0}"

            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        fakeBin = fake.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("work"), withIntermediateDirectories: true)
    }

    var work: URL { directory.url.appendingPathComponent("work") }

    func run(_ script: String, _ environment: [String: String], binPath: String? = nil) async throws -> ProcessResult {
        var env = [
            "PATH": (binPath ?? fakeBin.path) + ":/usr/local/bin:/usr/bin:/bin",
            "GITHUB_OUTPUT": output.path, "GITHUB_PATH": path.path, "GITHUB_STEP_SUMMARY": summary.path,
            "GITHUB_WORKSPACE": work.path, "RUNNER_TEMP": directory.url.path, "FAKE_ARGS_LOG": argsLog.path,
            "ACTION_PATH": Repository.root.path, "HOME": directory.url.path,
        ]
        env.merge(environment) { _, new in new }
        let scriptURL = Repository.root.appendingPathComponent("scripts/action/\(script)")
        return try await Scimctl.runProcess(
            URL(fileURLWithPath: "/bin/bash"), [scriptURL.path], directory: work, environment: env, timeout: .seconds(120))
    }

    /// The arguments the stand-in scimctl received, or nil when it never ran.
    func receivedArguments() throws -> [String]? {
        guard let data = FileManager.default.contents(atPath: argsLog.path) else { return nil }
        var words = String(decoding: data, as: UTF8.self).components(separatedBy: "\0")
        words.removeLast()
        return words
    }

    func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    var workContents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? [] }
}

@Suite("the GitHub Action's scripts")
struct ActionScriptTests {
    @Test func argumentsAreSplitLikeAShellButNothingRuns() async throws {
        let action = try ActionHarness()
        let args = #"""
            validate mapping "my profiles/" --param manager="Jane Doe" --param 'note=$(touch pwned1)'
              --param "x=`touch pwned2`" --param y=a\;touch\ pwned3 --param "z=\"quoted\" \$HOME" $(touch pwned4) `id`
            """#
        let result = try await action.run("run.sh", ["SCIMCTL_ARGS": args])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            try action.receivedArguments() == [
                "validate", "mapping", "my profiles/", "--param", "manager=Jane Doe", "--param", "note=$(touch pwned1)",
                "--param", "x=`touch pwned2`", "--param", "y=a;touch pwned3", "--param", #"z="quoted" $HOME"#,
                "$(touch", "pwned4)", "`id`",
            ])
        #expect(action.workContents.filter { $0.hasPrefix("pwned") } == [], "a command ran")
        #expect(try action.read(action.output).contains("exit-code=0\n"))
    }

    @Test func unquotedShellOperatorsAreRefusedAndNothingRuns() async throws {
        for args in ["validate mapping Profiles/ ; touch pwned", "validate mapping Profiles/ > out.sarif",
            "validate mapping | tee x", "validate mapping && touch pwned", "validate mapping \"unterminated"]
        {
            let action = try ActionHarness()
            let result = try await action.run("run.sh", ["SCIMCTL_ARGS": args])
            #expect(result.status == 64, "\(args): \(result.stdout)")
            #expect(result.stdout.contains("::error title=scimctl action::"), "\(args)")
            #expect(try action.receivedArguments() == nil, "scimctl ran for \(args)")
            #expect(action.workContents.filter { $0.hasPrefix("pwned") || $0 == "out.sarif" || $0 == "x" } == [])
            #expect(try action.read(action.output).contains("exit-code=64"))
        }
        let empty = try await ActionHarness().run("run.sh", ["SCIMCTL_ARGS": "  \n "])
        #expect(empty.status == 64)
    }

    @Test func exitCodesReachTheOutputAndExit2IsNotAFailure() async throws {
        let action = try ActionHarness()
        let changes = try await action.run("run.sh", ["SCIMCTL_ARGS": "plan profile flosum --detailed-exitcode", "FAKE_EXIT": "2"])
        #expect(changes.status == 0)
        #expect(try action.read(action.output).contains("exit-code=2\n"))
        let strict = try await action.run(
            "run.sh", ["SCIMCTL_ARGS": "plan profile flosum", "FAKE_EXIT": "2", "SCIMCTL_ALLOW_EXIT_2": "false"])
        #expect(strict.status == 2)
        let failed = try await action.run("run.sh", ["SCIMCTL_ARGS": "apply profile flosum --yes", "FAKE_EXIT": "1"])
        #expect(failed.status == 1)
        #expect(try action.read(action.output).contains("exit-code=1\n"))
    }

    @Test func realScimctlWritesItsReportAndTheJobSummary() async throws {
        let action = try ActionHarness()
        let bin = try BuiltProducts.executable("scimctl").deletingLastPathComponent().path
        let result = try await action.run(
            "run.sh",
            [
                "SCIMCTL_ARGS": #"validate mapping flosum --param region="us" --format sarif --output "reports/scimctl.sarif""#,
                "GITHUB_ACTIONS": "true",
            ], binPath: bin)
        // The reports directory does not exist: scimctl says so and the step fails with its exit code.
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot write --output 'reports/scimctl.sarif'"))
        try FileManager.default.createDirectory(
            at: action.work.appendingPathComponent("reports"), withIntermediateDirectories: true)
        let again = try await action.run(
            "run.sh",
            [
                "SCIMCTL_ARGS": #"validate mapping flosum --param region="us" --format sarif --output "reports/scimctl.sarif""#,
                "GITHUB_ACTIONS": "true",
            ], binPath: bin)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        let sarif = try action.read(action.work.appendingPathComponent("reports/scimctl.sarif"))
        #expect(try sarifSchema.get().violations(of: try JSONNode.parse(sarif)) == [])
        // Flosum provisions assigned users only and lists no assignments: one warning, no error.
        #expect(try action.read(action.summary).contains("scimctl validate: 1 profile, 0 errors, 1 warning"))
    }
}

@Suite("action.yml")
struct ActionDefinitionTests {
    /// GitHub expands `${{ }}` before the shell sees a script, so an expression inside `run:` pastes input into code.
    /// Every `run:` of the action must be free of them; inputs travel through `env:`.
    @Test func noExpressionInsideARunScript() async throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("action.yml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var runLines: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("run:") || trimmed.hasPrefix("- run:") {
                runLines.append(line)
                let indent = line.prefix { $0 == " " }.count
                index += 1
                // A block scalar continues while lines are indented deeper than the key.
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).isEmpty
                    || lines[index].prefix(while: { $0 == " " }).count > indent
                {
                    runLines.append(lines[index])
                    index += 1
                }
                continue
            }
            index += 1
        }
        #expect(runLines.count >= 5, "found the run: scripts")
        let offending = runLines.filter { $0.contains("${{") }
        #expect(offending == [], "expressions inside run: \(offending)")
        #expect(text.contains("SCIMCTL_ARGS: ${{ inputs.args }}"), "args reach the script through the environment")
    }
}

@Suite("the GitHub Action's installer")
struct ActionInstallTests {
    /// A release tree as GitHub serves it: BASE/vVERSION/scimctl-VERSION-linux-ARCH.tar.gz and its .sha256.
    func publishRelease(
        in action: ActionHarness, version: String, corruptChecksum: Bool = false, reportedVersion: String? = nil
    ) async throws -> String {
        let arch = try await machineArchitecture()
        let name = "scimctl-\(version)-linux-\(arch)"
        let stage = action.directory.url.appendingPathComponent("stage/\(name)/bin")
        try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
        let binary = stage.appendingPathComponent("scimctl")
        try Data("#!/bin/sh\necho \(reportedVersion ?? version)\n".utf8).write(to: binary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
        let releases = action.directory.url.appendingPathComponent("releases/v\(version)")
        try FileManager.default.createDirectory(at: releases, withIntermediateDirectories: true)
        let script = """
            set -e
            tar -czf "$1/\(name).tar.gz" -C "$2" "\(name)"
            cd "$1" && sha256sum "\(name).tar.gz" > "\(name).tar.gz.sha256"
            if [ "$3" = corrupt ]; then echo "$(printf 'e%.0s' $(seq 64))  \(name).tar.gz" > "\(name).tar.gz.sha256"; fi
            """
        let result = try await Scimctl.runProcess(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", script, "publish", releases.path, action.directory.url.appendingPathComponent("stage").path,
             corruptChecksum ? "corrupt" : "intact"],
            directory: nil, environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(60))
        guard result.status == 0 else { throw CLIExpectationFailure("publishing failed: \(result.stderr)") }
        return "file://" + action.directory.url.appendingPathComponent("releases").path
    }

    func machineArchitecture() async throws -> String {
        let result = try await Scimctl.runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["uname", "-m"], directory: nil, environment: ["PATH": "/usr/bin:/bin"],
            timeout: .seconds(10))
        let machine = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return machine == "arm64" ? "aarch64" : (machine == "amd64" ? "x86_64" : machine)
    }

    @Test func aVerifiedArchiveOfTheActionsOwnVersionGoesOnPath() async throws {
        let action = try ActionHarness()
        let base = try await publishRelease(in: action, version: "0.4.2")
        let result = try await action.run("install.sh", ["ACTION_REF": "v0.4.2", "SCIMCTL_DOWNLOAD_BASE": base])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let outputs = try action.read(action.output)
        #expect(outputs.contains("installed=archive\n") && outputs.contains("version=0.4.2\n"))
        let bin = try action.read(action.path).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(bin.hasSuffix("/scimctl-0.4.2-linux-\(try await machineArchitecture())/bin"))
        #expect(FileManager.default.isExecutableFile(atPath: bin + "/scimctl"))
    }

    @Test func aChecksumMismatchIsRefusedWithoutFallingBack() async throws {
        let action = try ActionHarness()
        let base = try await publishRelease(in: action, version: "0.4.2", corruptChecksum: true)
        let result = try await action.run("install.sh", ["ACTION_REF": "v0.4.2", "SCIMCTL_DOWNLOAD_BASE": base])
        #expect(result.status == 1)
        #expect(result.stdout.contains("checksum mismatch"))
        #expect(try action.read(action.path).isEmpty, "nothing may go on PATH")
        #expect(!(try action.read(action.output)).contains("installed="))
    }

    @Test func anArchiveHoldingAnotherVersionIsRefused() async throws {
        let action = try ActionHarness()
        let base = try await publishRelease(in: action, version: "0.4.2", reportedVersion: "0.4.1")
        let result = try await action.run("install.sh", ["ACTION_REF": "v0.4.2", "SCIMCTL_DOWNLOAD_BASE": base])
        #expect(result.status == 1)
        #expect(result.stdout.contains("holds scimctl '0.4.1', not 0.4.2"))
        #expect(try action.read(action.path).isEmpty)
    }

    @Test func aBranchOrAMissingArchiveFallsBackToASourceBuildInsideTheWorkspace() async throws {
        let action = try ActionHarness()
        let base = try await publishRelease(in: action, version: "0.4.2")
        let branch = try await action.run("install.sh", ["ACTION_REF": "main", "SCIMCTL_DOWNLOAD_BASE": base])
        #expect(branch.status == 0, "\(branch.stdout)\(branch.stderr)")
        let outputs = try action.read(action.output)
        #expect(outputs.contains("installed=source\n"))
        let sourceDir = action.work.appendingPathComponent(".scimctl-action/src").path
        #expect(outputs.contains("source-dir=\(sourceDir)\n"))
        // The sources the cache key hashes are inside the workspace, and git ignores the copy.
        #expect(FileManager.default.fileExists(atPath: sourceDir + "/Package.resolved"))
        #expect(FileManager.default.fileExists(atPath: sourceDir + "/Sources/scimctl/Scimctl.swift"))
        #expect(try action.read(action.work.appendingPathComponent(".scimctl-action/.gitignore")) == "*\n")

        let missing = try ActionHarness()
        let release = try await publishRelease(in: missing, version: "0.4.2")
        let unreleased = try await missing.run("install.sh", ["ACTION_REF": "v9.9.9", "SCIMCTL_DOWNLOAD_BASE": release])
        #expect(unreleased.status == 0, "\(unreleased.stdout)\(unreleased.stderr)")
        #expect(try missing.read(missing.output).contains("installed=source\n"))

        let bad = try await ActionHarness().run("install.sh", ["SCIMCTL_VERSION": "1.0; rm -rf /"])
        #expect(bad.status == 64)
    }
}
