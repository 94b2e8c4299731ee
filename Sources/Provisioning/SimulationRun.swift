import Diagnostics
import Foundation
import VendorProfiles

/// What a simulation report says about the run besides the findings.
public struct SimulationContext: Sendable {
    public var application: String
    public var vendor: String
    public var scope: ProvisioningScope
    /// The users' file, or "Microsoft Graph".
    public var source: String
    /// Source attributes Graph cannot give (tenant runs only): empty for every user.
    public var unavailable: [UnavailableSourceAttribute] = []

    public init(application: String, vendor: String, scope: ProvisioningScope, source: String) {
        self.application = application
        self.vendor = vendor
        self.scope = scope
        self.source = source
    }
}

/// One `simulate` run: an application's user mappings over every user of a JSON Lines export or of the tenant,
/// read-only.
public struct SimulationRun: Sendable {
    /// Where the users come from.
    public enum Users: Sendable {
        /// A JSON Lines file: one user object a line, with Graph or provisioning attribute names.
        case file(String)
        /// The tenant's `/users`; for scope assigned, the app's assignments (found by display name unless pinned).
        case tenant(DirectoryReader, servicePrincipalID: String?)
    }

    /// Why a run gave no report.
    public enum Failure: Error {
        /// The user mapping is disabled, so provisioning would send no users.
        case mappingDisabled(application: String)
        /// A line of the users' file is not a user.
        case file(path: String, JSONLinesReader.Failure)
        /// Reading the tenant failed.
        case graph(any Error)
    }

    public private(set) var context: SimulationContext
    /// The compiled mappings, before any user; each run adds users to its own copy.
    private let simulation: DirectorySimulation
    private let sources: UserSourceMap
    private let users: Users
    private let application: ResolvedApplication

    /// `scope` overrides the application's own.
    public init(
        _ application: ResolvedApplication, rules: VendorRules, vendor: String, scope: ProvisioningScope? = nil, users: Users
    ) throws(Failure) {
        let simulation = DirectorySimulation(application, rules: rules)
        guard simulation.mappings.enabled else { throw .mappingDisabled(application: application.name) }
        let fromFile: String?
        if case .file(let path) = users { fromFile = path } else { fromFile = nil }
        sources = UserSourceMap(sourceAttributes: simulation.mappings.sourceAttributes, acceptsProvisioningNames: fromFile != nil)
        context = SimulationContext(
            application: application.name, vendor: vendor, scope: scope ?? application.scope, source: fromFile ?? "Microsoft Graph")
        // A file's users carry whatever attributes it has; only Graph lacks some.
        if fromFile == nil { context.unavailable = sources.unavailable }
        (self.simulation, self.users, self.application) = (simulation, users, application)
    }

    /// Reads every user and reports who would fail, without the `silenced` rules (simulate's findings are failures,
    /// so a policy's severity overrides do not apply). `progress` sees the running counts of users and failures.
    public func run(silencing silenced: Set<DiagnosticID> = [], progress: (_ users: Int, _ failing: Int) -> Void)
        async throws(Failure) -> SimulationReport
    {
        var simulation = self.simulation
        switch users {
        case .file(let path):
            do {
                try simulation.addUsers(fromFile: path, sources: sources, progress: progress)
            } catch {
                throw .file(path: path, error)
            }
        case .tenant(let reader, let servicePrincipalID):
            do {
                try await simulation.addUsers(
                    from: reader, sources: sources, scope: context.scope, application: application,
                    servicePrincipalID: servicePrincipalID, progress: progress)
            } catch {
                throw .graph(error)
            }
        }
        return simulation.report().disabling(silenced)
    }
}
