import ArgumentParser
import Diagnostics
import Foundation
import GraphHTTP
import GraphSync
import Profiles
import Provisioning

/// `scimctl probe`: reads the vendor's SCIM endpoint and checks it against what the profile would make Entra send.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Check the vendor's SCIM endpoint against the profile (reads only, talks to the vendor, not Graph).",
        discussion: """
            Reads /ServiceProviderConfig, /Schemas, /ResourceTypes and runs Entra's connection test \
            (GET /Users?filter=userName eq "<random>", and /Groups when groups are provisioned) with the profile's \
            secret token, then maps every target attribute the tenant would send onto the vendor's schema. \
            Exit codes: 0 everything maps, 1 findings or the endpoint failed (warnings too with --strict), 64 usage error.
            """
    )

    @OptionGroup var selection: ProfileSelection
    @OptionGroup var options: ProbeOptions

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    @Flag(help: "Warnings fail too (for example a vendor that publishes no /Schemas).")
    var strict = false

    func validate() throws { try options.check() }

    func run() async throws {
        let resolved = try LoadedProfile.resolve(
            selection.profile, parameters: selection.parameters, policy: selection.policy.choice)
        let applications = try selection.applications(of: resolved)
        let outcome = try await options.settings.probe(applications)
        let reports = try ProbeGate.applyingPolicy(selection.policy.choice, to: outcome.reports, profile: selection.profile)
        let texts = ProbeOutput.profileTexts(selection.profile)
        switch format {
        case .text:
            Output.out(ProbeOutput.text(reports, texts: texts, style: Style(enabled: Output.colorEnabled(forStdout: true))))
        case .json:
            Output.out(ProbeOutput.json(reports).serialized(pretty: true) + "\n")
        }
        let diagnostics = reports.flatMap(\.diagnostics)
        if diagnostics.hasErrors || (strict && diagnostics.warningCount > 0) { throw ExitCode.failure }
    }
}

/// How `scimctl probe` reaches the vendor (`apply --probe` builds `ProbeSettings` from its own options).
struct ProbeOptions: ParsableArguments {
    @Option(
        name: .customLong("tenant-url"),
        help: ArgumentHelp(
            "Probe this SCIM base URL instead of the profile's (a staging endpoint, a local stand-in); needs one application.",
            valueName: "URL"))
    var tenantURL: String?

    @Option(help: ArgumentHelp("PEM bundle of extra trusted root certificates (a vendor's private CA).", valueName: "FILE"))
    var cacert: String?

    @Option(help: "Seconds each SCIM request may take.")
    var timeout: Double = 30

    var settings: ProbeSettings { ProbeSettings(tenantURL: tenantURL, cacert: cacert, timeout: timeout) }

    func check() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        if let tenantURL {
            do {
                _ = try URLPolicy.check(tenantURL)
            } catch {
                throw ValidationError("--tenant-url: \(error)")
            }
        }
        if let cacert, !FileManager.default.isReadableFile(atPath: cacert) {
            throw ValidationError("--cacert: cannot read '\(cacert)'")
        }
    }
}

/// Where and how the probe reaches the vendor, once options are parsed.
struct ProbeSettings {
    var tenantURL: String?
    var cacert: String?
    var timeout: Double = 30

    struct Outcome {
        var reports: [SCIMProbeReport]
    }

    /// Probes every application concurrently. A token that cannot be read becomes a finding, not a crash.
    func probe(_ applications: [ResolvedApplication]) async throws -> Outcome {
        if tenantURL != nil, applications.count > 1 {
            throw ValidationError(
                "--tenant-url names one endpoint, but the profile has \(applications.count) applications; choose one with --app")
        }
        let redactor = Redactor()
        let transport: CurlTransport
        do {
            transport = try CurlTransport(
                configuration: .init(
                    version: Scimctl.version, connectTimeout: .seconds(min(timeout, 15)), caCertificatePath: cacert,
                    maximumConcurrentRequests: min(16, 5 * max(1, applications.count)), maximumResponseBytes: 8 << 20))
        } catch {
            Output.errLine("error: \(error)")
            throw ExitCode.failure
        }
        let prober = SCIMProbe(transport: transport, redactor: redactor, requestTimeout: .milliseconds(Int(timeout * 1000)))
        let tokens = SecretTokenReader(environment: ProcessInfo.processInfo.environment)
        let tenantURL = self.tenantURL
        let reports = await withTaskGroup(of: (Int, SCIMProbeReport).self) { group in
            for (index, application) in applications.enumerated() {
                group.addTask { (index, await prober.probe(application, tenantURL: tenantURL, tokens: tokens)) }
            }
            var collected: [(Int, SCIMProbeReport)] = []
            for await item in group { collected.append(item) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // Anything a vendor echoed back is masked once more before it can be shown.
        let masked = reports.map { report in
            var report = report
            report.diagnostics = report.diagnostics.map { diagnostic in
                var diagnostic = diagnostic
                diagnostic.message = redactor.redact(diagnostic.message)
                diagnostic.hint = diagnostic.hint.map(redactor.redact)
                return diagnostic
            }
            report.exchanges = report.exchanges.map { exchange in
                var exchange = exchange
                exchange.failure = exchange.failure.map(redactor.redact)
                return exchange
            }
            return report
        }
        return Outcome(reports: masked)
    }
}

/// The wording of probe results.
enum ProbeOutput {
    /// Profile texts by the path diagnostics use, for caret snippets.
    static func profileTexts(_ argument: String) -> [String: String] {
        guard let sources = try? ProfileInput.sources(for: [argument]).sources else { return [:] }
        var texts: [String: String] = [:]
        for source in sources { texts[source.path] = String(decoding: source.bytes, as: UTF8.self) }
        return texts
    }

    static func text(_ reports: [SCIMProbeReport], texts: [String: String], style: Style) -> String {
        var output = ""
        for report in reports {
            output += style.bold("\(report.application): \(report.tenantURL)") + "\n"
            let pathWidth = report.exchanges.map(\.path.count).max() ?? 0
            for exchange in report.exchanges {
                let status = exchange.status.map(String.init) ?? "—"
                output += "  GET \(pad(exchange.path, pathWidth)) \(pad(status, 4)) \(exchange.milliseconds) ms"
                if let failure = exchange.failure { output += "  \(failure)" }
                output += "\n"
            }
            if let features = report.features {
                output += "  vendor supports: PATCH \(yesNo(features.patch)), filter \(yesNo(features.filter))"
                output += ", bulk \(yesNo(features.bulk))"
                if !features.authenticationSchemes.isEmpty {
                    output += "; authentication: \(features.authenticationSchemes.joined(separator: ", "))"
                }
                output += "\n"
            }
            if report.schemasChecked {
                for kind in ObjectKind.allCases {
                    let targets = report.targets.filter { $0.object == kind }
                    guard !targets.isEmpty else { continue }
                    let mapped = targets.filter { $0.status == .mapped }.count
                    output += "  \(kind.schemaObjectName): \(mapped) of \(targets.count) targets map onto the vendor's schema\n"
                    let width = min(48, targets.map(\.target.count).max() ?? 0)
                    for target in targets {
                        let mark = target.status == .mapped ? style.green("✓") : style.red("✗")
                        let detail =
                            target.status == .mapped
                            ? "→ " + (target.vendorAttribute ?? "")
                            : target.status.rawValue.replacingOccurrences(of: "-", with: " ")
                        output += "    \(mark) \(pad(target.target, width))  \(detail)\n"
                    }
                }
            } else if report.diagnostics.contains(where: { $0.id == .probeNoSchemas }) {
                output += "  \(report.targets.count) targets not checked (no vendor schema)\n"
            }
        }
        let diagnostics = reports.flatMap(\.diagnostics)
        if !diagnostics.isEmpty { output += "\n" }
        let renderer = TextRenderer(style: style)
        for report in reports {
            for diagnostic in report.diagnostics.sortedForOutput() {
                output += (reports.count > 1 ? "[\(report.application)] " : "") + renderer.line(for: diagnostic, texts: texts)
            }
        }
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        let summary =
            "probe: \(reports.count) application\(reports.count == 1 ? "" : "s"): \(errors) error\(errors == 1 ? "" : "s"), "
            + "\(warnings) warning\(warnings == 1 ? "" : "s")"
        output += (errors > 0 ? style.red(summary) : warnings > 0 ? style.yellow(summary) : style.green(summary)) + "\n"
        return output
    }

    static func json(_ reports: [SCIMProbeReport]) -> JSONValue {
        let diagnostics = reports.flatMap { report in report.diagnostics.map { (report.application, $0) } }
        return [
            "applications": .array(
                reports.map { report in
                    [
                        "name": .string(report.application),
                        "tenantURL": .string(report.tenantURL),
                        "rounds": .integer(Int64(report.rounds)),
                        "requests": .array(
                            report.exchanges.map { exchange in
                                [
                                    "method": "GET", "path": .string(exchange.path),
                                    "status": exchange.status.map { .integer(Int64($0)) } ?? .null,
                                    "failure": exchange.failure.map(JSONValue.string) ?? .null,
                                    "milliseconds": .integer(Int64(exchange.milliseconds)),
                                ]
                            }),
                        "serviceProvider": report.features.map { features in
                            [
                                "patch": features.patch.map(JSONValue.bool) ?? .null,
                                "filter": features.filter.map(JSONValue.bool) ?? .null,
                                "bulk": features.bulk.map(JSONValue.bool) ?? .null,
                                "authenticationSchemes": .array(features.authenticationSchemes.map(JSONValue.string)),
                            ]
                        } ?? .null,
                        "schemasChecked": .bool(report.schemasChecked),
                        "targets": .array(
                            report.targets.map { target in
                                [
                                    "object": .string(target.object.rawValue), "target": .string(target.target),
                                    "status": .string(target.status.rawValue),
                                    "vendorAttribute": target.vendorAttribute.map(JSONValue.string) ?? .null,
                                    "matchingPriority": .integer(Int64(target.matchingPriority)),
                                ]
                            }),
                    ]
                }),
            "diagnostics": .array(
                diagnostics.map { application, diagnostic in
                    [
                        "application": .string(application),
                        "severity": .string(diagnostic.severity.rawValue), "id": .string(diagnostic.id.rawValue),
                        "message": .string(diagnostic.message),
                        "file": diagnostic.location.map { .string($0.file) } ?? .null,
                        "line": diagnostic.location.map { .integer(Int64($0.line)) } ?? .null,
                        "column": diagnostic.location.map { .integer(Int64($0.column)) } ?? .null,
                        "hint": diagnostic.hint.map(JSONValue.string) ?? .null,
                        "notes": .array(diagnostic.notes.map(JSONValue.string)),
                    ]
                }),
            "summary": [
                "applications": .integer(Int64(reports.count)),
                "errors": .integer(Int64(reports.flatMap(\.diagnostics).errorCount)),
                "warnings": .integer(Int64(reports.flatMap(\.diagnostics).warningCount)),
            ],
        ]
    }

    private static func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "not stated" }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// `apply --probe`: the probe as a gate before planning. Its report goes to stderr so apply's stdout stays the plan.
enum ProbeGate {
    static func run(
        _ applications: [ResolvedApplication], settings: ProbeSettings, profile argument: String, policy: PolicyChoice
    ) async throws {
        let outcome = try await settings.probe(applications)
        let reports = try applyingPolicy(policy, to: outcome.reports, profile: argument)
        let texts = ProbeOutput.profileTexts(argument)
        Output.err(ProbeOutput.text(reports, texts: texts, style: Style(enabled: Output.colorEnabled(forStdout: false))))
        if reports.flatMap(\.diagnostics).hasErrors {
            Output.errLine("error: the vendor's SCIM endpoint failed the probe; nothing was written")
            throw ExitCode.failure
        }
    }

    /// The probe's findings under the profile's policy, the same one validate and apply use.
    static func applyingPolicy(_ choice: PolicyChoice, to reports: [SCIMProbeReport], profile argument: String) throws
        -> [SCIMProbeReport]
    {
        let path = FileManager.default.fileExists(atPath: argument) ? argument : nil
        let policy = try choice.policy(forProfileAt: path)
        return reports.map { report in
            var filtered = report
            filtered.diagnostics = policy.apply(to: report.diagnostics)
            return filtered
        }
    }
}
