import ArgumentParser
import Diagnostics
import Foundation
import Provisioning
import Reports
import VendorProfiles

struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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

    @OptionGroup var format: FormatOption<ReportFormat>

    @Flag(help: "Warnings fail too (for example a vendor that publishes no /Schemas).")
    var strict = false

    func run() async throws {
        let loaded = try selection.load()
        let reports: [SCIMProbeReport]
        do {
            reports = try await SCIMProbe.run(
                loaded.applications, settings: options.settings,
                tokens: SecretTokenReader(environment: ProcessInfo.processInfo.environment), policy: loaded.policy)
        } catch {
            switch error {
            case .tenantURLNeedsOneApplication(let count):
                throw ValidationError(
                    "--tenant-url names one endpoint, but the profile has \(count) applications; choose one with --app")
            case .transport(let message):
                throw Output.failure("\(message)")
            }
        }
        Output.out(format.render(
            json: { ProbeRendering.json(reports) },
            text: { ProbeRendering.text(reports, texts: ProfileInput.texts(for: [selection.profile]), style: $0) }))
        let diagnostics = reports.flatMap(\.diagnostics)
        if diagnostics.hasErrors || (strict && diagnostics.warningCount > 0) { throw ExitCode.failure }
    }
}

/// How `scimctl probe` reaches the vendor (`apply --probe` builds its settings from its own options).
struct ProbeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Probe this SCIM base URL instead of the profile's (a staging endpoint, a local stand-in); needs one application.",
            valueName: "URL"))
    var tenantURL: String?

    @Option(help: ArgumentHelp("PEM bundle of extra trusted root certificates (a vendor's private CA).", valueName: "FILE"))
    var cacert: String?

    @Option(help: "Seconds each SCIM request may take.")
    var timeout: Double = 30

    var settings: SCIMProbe.Settings {
        SCIMProbe.Settings(tenantURL: tenantURL, caCertificatePath: cacert, timeout: timeout, clientVersion: Scimctl.version)
    }

    func validate() throws {
        if let problem = settings.problem { throw ValidationError(InputProblemWording.probeSettings(problem)) }
    }
}
