import ArgumentParser
import Diagnostics
import Foundation
import GraphSync
import Profiles
import Provisioning

enum SimulateFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

extension ProvisioningScope: ExpressibleByArgument {}

/// `scimctl simulate`: evaluate a profile's user mappings over the whole directory, read-only, before provisioning
/// is switched on.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Evaluate a profile's user mappings for every user in scope and report who would fail (reads only).",
        discussion: """
            Users come from the tenant (GET /users, read-only) or, with --users, from a JSON Lines file (one user \
            object a line, Graph or provisioning attribute names). Scope "all" is every user; scope "assigned" is \
            the users and the members of the groups assigned to the app, which must exist. Disabled users are \
            skipped, as Entra does not create soft-deleted users. Exit codes: 0 no user fails, 1 some user fails \
            (or the run failed), 64 usage error.
            """
    )

    @OptionGroup var selection: ProfileSelection

    @Option(
        name: .customLong("users"),
        help: ArgumentHelp("Read users from this JSON Lines file instead of the tenant.", valueName: "FILE.jsonl"))
    var usersFile: String?

    @Option(help: "Users in scope: all or assigned (default: the profile's scope).")
    var scope: ProvisioningScope?

    @Option(
        name: .customLong("service-principal-id"),
        help: ArgumentHelp("For scope assigned: the app's service principal, instead of finding it by display name.", valueName: "ID"))
    var servicePrincipalID: String?

    @Option(help: "Output format: text, json or markdown.")
    var format: SimulateFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var graph: GraphOptions

    func run() async throws {
        let resolved = try LoadedProfile.resolve(
            selection.profile, parameters: selection.parameters, policy: selection.policy.choice)
        let applications = try selection.applications(of: resolved)
        guard applications.count == 1, let application = applications.first else {
            throw ValidationError(
                "profile '\(resolved.profile.name)' has \(applications.count) applications; choose one with --app ("
                    + applications.map(\.name).joined(separator: ", ") + ")")
        }
        var simulation = DirectorySimulation(application, rules: resolved.profile.rules)
        guard simulation.mappings.enabled else {
            Output.errLine("error: \(application.name): the user mapping is disabled, so provisioning would send no users")
            throw ExitCode.failure
        }
        let sources = UserSourceMap(
            sourceAttributes: simulation.mappings.sourceAttributes, acceptsProvisioningNames: usersFile != nil)
        let scope = self.scope ?? application.scope
        let progress = SimulationProgress(
            interactive: Output.stderrIsTerminal && ProcessInfo.processInfo.environment["CI"] == nil)
        let started = Date()
        var context = ReportContext(application: application.name, vendor: resolved.profile.vendor, scope: scope, source: "")

        if let usersFile {
            context.source = usersFile
            do {
                try JSONLinesReader.forEachObject(in: usersFile) { object, line in
                    guard let user = sources.user(from: object) else {
                        throw JSONLinesReader.Failure(line: line, message: "a user needs a string \"id\" (or \"objectId\")")
                    }
                    simulation.add(user)
                    progress.update(users: simulation.usersRead, failing: simulation.failing)
                }
            } catch let failure as JSONLinesReader.Failure {
                progress.clear()
                Output.errLine("error: \(usersFile):\(failure.line): \(failure.message)")
                throw ExitCode.failure
            }
        } else {
            context.source = "Microsoft Graph"
            for missing in sources.unavailable {
                Output.errLine("warning: source attribute '\(missing.name)' cannot be read from Graph (\(missing.reason)); it is empty for every user")
            }
            context.unavailable = sources.unavailable
            let session = try GraphSession.make(graph, concurrency: 2)
            let reader = DirectoryReader(graph: session.client)
            do {
                var assigned: Set<String>?
                if scope == .assignedOnly {
                    let servicePrincipal = try await reader.servicePrincipalID(of: application, pinned: servicePrincipalID)
                    assigned = try await reader.assignedUserIDs(servicePrincipalID: servicePrincipal)
                }
                try await reader.forEachPage(sources.usersPath, operation: "list users") { page in
                    for object in page {
                        if let assigned {
                            guard let id = object["id"]?.stringValue, assigned.contains(id) else { continue }
                        }
                        guard let user = sources.user(from: object) else { continue }
                        simulation.add(user)
                    }
                    progress.update(users: simulation.usersRead, failing: simulation.failing)
                }
            } catch {
                progress.clear()
                throw CommandFailure.report(error, session: session)
            }
            if graph.verbose { Output.errLine("simulate: \(session.statisticsLine)") }
        }
        // The profile's policy silences simulate's rules too (severity overrides do not apply: these are failures).
        let policyPath = FileManager.default.fileExists(atPath: selection.profile) ? selection.profile : nil
        let report = simulation.report().disabling(try selection.policy.choice.policy(forProfileAt: policyPath).disabled)
        progress.finish(users: report.users + report.skipped, seconds: Date().timeIntervalSince(started))

        let rendered: String
        switch format {
        case .json: rendered = SimulationRendering.json(report).serialized(pretty: true) + "\n"
        case .text:
            rendered = SimulationRendering.text(
                report, context: context, style: Style(enabled: output == nil && Output.colorEnabled(forStdout: true)))
        case .markdown: rendered = SimulationRendering.markdown(report, context: context)
        }
        if let output {
            do {
                try rendered.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                Output.errLine("error: cannot write the report to '\(output)': \(error.localizedDescription)")
                throw ExitCode.failure
            }
            Output.errLine("\(report.failing) of \(report.users) users would fail; report written to \(output)")
        } else {
            Output.out(rendered)
        }
        if report.failing > 0 { throw ExitCode.failure }
    }
}

/// What the report says about the run besides the findings.
struct ReportContext {
    var application: String
    var vendor: String
    var scope: ProvisioningScope
    var source: String
    var unavailable: [UnavailableSourceAttribute] = []
}

/// Progress on stderr: a line rewritten in place on a terminal; every 10,000 users a plain line otherwise.
final class SimulationProgress: @unchecked Sendable {
    let interactive: Bool
    private var lastReported = 0

    init(interactive: Bool) { self.interactive = interactive }

    func update(users: Int, failing: Int) {
        if interactive {
            guard users - lastReported >= 500 || users < lastReported else { return }
            lastReported = users
            Output.err("\r\u{1B}[K  … \(users.formatted()) users read, \(failing.formatted()) failing")
        } else if users / 10_000 > lastReported / 10_000 {
            lastReported = users
            Output.errLine("simulate: \(users.formatted()) users read, \(failing.formatted()) failing")
        }
    }

    func clear() {
        if interactive { Output.err("\r\u{1B}[K") }
    }

    func finish(users: Int, seconds: Double) {
        clear()
        Output.errLine("simulate: \(users.formatted()) users read in \(String(format: "%.1f", seconds)) s")
    }
}

/// Reads a JSON Lines file a chunk at a time, so a large export is never held whole.
enum JSONLinesReader {
    struct Failure: Error {
        var line: Int
        var message: String
    }

    /// One line of a user export is a few kilobytes; anything this long is not one.
    static let maximumLineBytes = 1 << 20

    static func forEachObject(in path: String, _ body: (JSONValue, Int) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(line: 0, message: "cannot read the file")
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        var lineNumber = 0
        func handleLine(_ bytes: ArraySlice<UInt8>) throws {
            lineNumber += 1
            var line = bytes
            if line.last == 0x0D { line = line.dropLast() }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            let value: JSONValue
            do {
                value = try JSONValue(parsing: line)
            } catch {
                throw Failure(line: lineNumber, message: error.description)
            }
            guard value.objectValue != nil else { throw Failure(line: lineNumber, message: "each line must be one JSON object") }
            try body(value, lineNumber)
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 16) ?? Data()
            } catch {
                throw Failure(line: lineNumber, message: "cannot read the file: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            buffer.append(contentsOf: chunk)
            var start = buffer.startIndex
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                try handleLine(buffer[start..<newline])
                start = newline + 1
            }
            buffer.removeSubrange(buffer.startIndex..<start)
            if buffer.count > maximumLineBytes {
                throw Failure(line: lineNumber + 1, message: "line is longer than \(maximumLineBytes) bytes")
            }
        }
        if !buffer.isEmpty { try handleLine(buffer[...]) }
    }
}

/// The three report formats.
enum SimulationRendering {
    /// Examples shown per reason in text and markdown; JSON lists every failing user.
    static let examplesPerReason = 5

    static func json(_ report: SimulationReport) -> JSONValue {
        var byReason: [String: JSONValue] = [:]
        for (id, count) in report.byReason { byReason[id.rawValue] = .integer(Int64(count)) }
        return [
            "summary": [
                "users": .integer(Int64(report.users)), "failing": .integer(Int64(report.failing)), "byReason": .object(byReason),
            ],
            "failures": .array(
                report.failures.map { failure in
                    [
                        "user": .string(failure.user), "id": .string(failure.id),
                        "findings": .array(
                            failure.findings.map {
                                ["id": .string($0.id.rawValue), "target": .string($0.target), "message": .string($0.message)]
                            }),
                    ]
                }),
        ]
    }

    /// Reasons by how many users they fail, most first, then by id.
    static func reasons(_ report: SimulationReport) -> [(DiagnosticID, Int)] {
        report.byReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }

    /// The first few (user, finding) pairs for one reason.
    static func examples(_ report: SimulationReport, reason: DiagnosticID) -> [(SimulatedUserFailure, SimulationFinding)] {
        var found: [(SimulatedUserFailure, SimulationFinding)] = []
        for failure in report.failures {
            if let finding = failure.findings.first(where: { $0.id == reason }) {
                found.append((failure, finding))
                if found.count == examplesPerReason { break }
            }
        }
        return found
    }

    static func headline(_ report: SimulationReport, context: ReportContext) -> String {
        var line = "\(context.vendor) app '\(context.application)', scope \(context.scope.rawValue), users from \(context.source): "
            + "\(report.users.formatted()) user\(report.users == 1 ? "" : "s") evaluated"
        if report.skipped > 0 { line += ", \(report.skipped.formatted()) soft-deleted skipped" }
        return line
    }

    static func text(_ report: SimulationReport, context: ReportContext, style: Style) -> String {
        var output = headline(report, context: context) + "\n"
        for missing in context.unavailable {
            output += style.yellow("warning") + ": '\(missing.name)' is not readable from Graph (\(missing.reason))\n"
        }
        guard report.failing > 0 else {
            return output + style.green("ok") + ": no user would fail\n"
        }
        output += style.red("\(report.failing.formatted()) of \(report.users.formatted()) users would fail") + "\n"
        let ordered = reasons(report)
        let width = ordered.map(\.0.rawValue.count).max() ?? 0
        for (id, count) in ordered {
            output += "  " + id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(count.formatted()) user\(count == 1 ? "" : "s")\n"
        }
        for (id, count) in ordered {
            output += "\n" + style.bold(id.rawValue) + " (\(count.formatted()) user\(count == 1 ? "" : "s"))\n"
            let shown = examples(report, reason: id)
            for (failure, finding) in shown {
                output += "  \(displayName(failure)): \(finding.message)\n"
            }
            if count > shown.count { output += style.dim("  … and \((count - shown.count).formatted()) more") + "\n" }
        }
        return output
    }

    static func markdown(_ report: SimulationReport, context: ReportContext) -> String {
        var output = "## scimctl simulate: \(context.application)\n\n" + headline(report, context: context) + ".\n\n"
        for missing in context.unavailable {
            output += "> **Warning**: `\(missing.name)` is not readable from Graph (\(missing.reason)).\n\n"
        }
        guard report.failing > 0 else { return output + "**No user would fail.**\n" }
        output += "**\(report.failing.formatted()) of \(report.users.formatted()) users would fail.**\n\n"
        output += "| rule | users |\n|---|---:|\n"
        let ordered = reasons(report)
        for (id, count) in ordered { output += "| `\(id.rawValue)` | \(count.formatted()) |\n" }
        for (id, count) in ordered {
            output += "\n### `\(id.rawValue)`\n\n| user | target | finding |\n|---|---|---|\n"
            let shown = examples(report, reason: id)
            for (failure, finding) in shown {
                output += "| \(cell(displayName(failure))) | `\(cell(finding.target))` | \(cell(finding.message)) |\n"
            }
            if count > shown.count { output += "\n…and \((count - shown.count).formatted()) more (see `--format json`).\n" }
        }
        return output
    }

    static func displayName(_ failure: SimulatedUserFailure) -> String {
        failure.user.isEmpty ? failure.id : "\(failure.user) (\(failure.id))"
    }

    /// Text safe inside a markdown table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

extension SimulationReport {
    /// The report without the findings of `disabled` rules; a user left with none no longer fails.
    func disabling(_ disabled: Set<DiagnosticID>) -> SimulationReport {
        guard !disabled.isEmpty else { return self }
        var result = self
        result.failures = failures.compactMap { failure in
            var kept = failure
            kept.findings = failure.findings.filter { !disabled.contains($0.id) }
            return kept.findings.isEmpty ? nil : kept
        }
        result.byReason = byReason.filter { !disabled.contains($0.key) }
        return result
    }
}
