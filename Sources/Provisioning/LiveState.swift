import Foundation
import GraphHTTP
import GraphModel
import ProfileTranslation
import VendorProfiles

/// What the tenant holds for one application, read before planning.
public struct LiveState: Sendable {
    public var servicePrincipalID: String?
    public var appID: String?
    /// The job scimctl manages (template `scim`), if any.
    public var job: SynchronizationJobSummary?
    /// A 2018-era `customappsso` job, reported and left alone.
    public var legacyJob: SynchronizationJobSummary?
    public var schema: SynchronizationSchema?
    /// Saved secrets by key, as the beta GET returns them (secret values masked).
    public var secrets: [String: String]?
    /// How many requests reading took.
    public var reads: Int = 0
    /// The service principal's `notes` say scimctl created it (see `ScimctlMarker`).
    public var carriesMarker = false
    /// Found through the apply journal while directory listings did not show it yet.
    public var servicePrincipalFromJournal = false
    /// A previous run journaled the intent to create the application (or its job) at this time, and nothing has been
    /// found yet: the request may have gone out, so apply looks again before creating.
    public var pendingServicePrincipalIntent: Date?
    public var pendingJobIntent: Date?
}

public struct SynchronizationJobSummary: Sendable, Hashable {
    public var id: String
    public var templateID: String
    /// `NotConfigured`, `NotRun`, `Active`, `Paused`, `Quarantine`.
    public var statusCode: String
    /// `Active`, `Disabled` or `Paused`.
    public var scheduleState: String
    public var json: JSONValue

    public init?(json: JSONValue) {
        let job = SynchronizationJob(json: json)
        guard let id = job.id else { return nil }
        self.id = id
        self.templateID = job.templateId ?? String(id.split(separator: ".").first ?? "")
        self.statusCode = job.status?.code ?? "NotConfigured"
        self.scheduleState = job.schedule?.state ?? "Disabled"
        self.json = json
    }

    /// Running or scheduled to run: starting it again would only disturb it.
    public var isRunning: Bool { scheduleState == "Active" && statusCode != "Quarantine" }
}

enum LiveStateReader {
    /// Finds the application by pinned id or by display name (or, while listings lag, through the journal), then
    /// its jobs, secrets and schema.
    static func read(
        _ application: ResolvedApplication, servicePrincipalID pinned: String?, graph: any GraphService,
        journal entry: JournalEntry? = nil, window: Double = 180
    ) async throws -> LiveState {
        var state = LiveState()
        if let pinned {
            state.reads += 1
            guard let servicePrincipal = try await graph.get(GraphPaths.servicePrincipal(pinned), "read the service principal")
            else { throw ProvisioningError.notFound("service principal \(pinned)") }
            let typed = ServicePrincipal(json: servicePrincipal)
            state.servicePrincipalID = typed.id ?? pinned
            state.appID = typed.appId
            state.carriesMarker = ScimctlMarker.isPresent(in: servicePrincipal)
        } else {
            state.reads += 1
            let found = try await ExistingApplication.candidates(application, graph: graph)
            if found.count > 1 {
                throw ProvisioningError.ambiguousApplication(
                    application.displayName, ids: found.compactMap { ServicePrincipal(json: $0).id })
            }
            let first = found.first.map(ServicePrincipal.init(json:))
            state.servicePrincipalID = first?.id
            state.appID = first?.appId
            state.carriesMarker = ScimctlMarker.isPresent(in: found.first)
            if found.isEmpty, let record = entry?.servicePrincipal {
                if let id = record.id {
                    // Created by an earlier run but not listed (yet): ask for it by id. Unconfirmed and recent, its
                    // 404s are replication lag (the caller's graph waits them out); otherwise a 404 means deleted.
                    state.reads += 1
                    do {
                        if let servicePrincipal = try await graph.get(GraphPaths.servicePrincipal(id), "read the journaled service principal") {
                            let typed = ServicePrincipal(json: servicePrincipal)
                            state.servicePrincipalID = typed.id ?? id
                            state.appID = typed.appId ?? record.appID
                            state.carriesMarker = ScimctlMarker.isPresent(in: servicePrincipal)
                            state.servicePrincipalFromJournal = true
                        }
                    } catch where error.isGraphNotFound {
                        // Gone: the application was deleted since; a new one will be created.
                    }
                } else if record.isRecent(window: window) {
                    state.pendingServicePrincipalIntent = record.intendedAt
                }
            }
        }
        guard let servicePrincipalID = state.servicePrincipalID else { return state }

        // The saved settings need only the service principal: read them while the jobs (and then the schema) are.
        state.reads += 1
        async let savedSecrets = readSecrets(servicePrincipalID, graph: graph)

        state.reads += 1
        let jobs = try await graph.get(GraphPaths.jobs(servicePrincipalId: servicePrincipalID), "list synchronization jobs")
        let summaries = (jobs?["value"]?.arrayValue ?? []).compactMap(SynchronizationJobSummary.init(json:))
        state.job = summaries.first { $0.templateID == GraphPaths.scimJobTemplateId }
        state.legacyJob = summaries.first { $0.templateID == "customappsso" }
        if state.job == nil, let record = entry?.job, record.parentID == servicePrincipalID {
            if let id = record.id {
                state.reads += 1
                do {
                    if let job = try await graph.get(
                        GraphPaths.job(servicePrincipalId: servicePrincipalID, jobId: id), "read the journaled job")
                    {
                        state.job = SynchronizationJobSummary(json: job)
                    }
                } catch where error.isGraphNotFound {
                    // Deleted since: a new job will be created.
                }
            } else if record.isRecent(window: window) {
                state.pendingJobIntent = record.intendedAt
            }
        }

        if let job = state.job {
            state.reads += 1
            if let schema = try await graph.get(
                GraphPaths.schema(servicePrincipalId: servicePrincipalID, jobId: job.id), "read the job schema")
            {
                state.schema = SynchronizationSchema(json: schema)
            }
        }
        state.secrets = try await savedSecrets
        return state
    }

    /// Saved secrets by key, nil when Graph has none.
    static func readSecrets(_ servicePrincipalID: String, graph: any GraphService) async throws -> [String: String]? {
        guard let secrets = try await graph.get(
            GraphPaths.secrets(servicePrincipalId: servicePrincipalID), "read provisioning settings", version: .beta)
        else { return nil }
        var values: [String: String] = [:]
        for pair in secrets["value"]?.arrayValue ?? [] {
            if let key = pair["key"]?.stringValue { values[key] = pair["value"]?.stringValue ?? "" }
        }
        return values
    }

    static func findServicePrincipals(named displayName: String, graph: any GraphService) async throws -> [JSONValue] {
        let result = try await graph.get(
            "/servicePrincipals?$filter=displayName eq '\(filterLiteral(displayName))'", "find the application by display name")
        // The filter is case-insensitive on Graph; keep exact matches only.
        return (result?["value"]?.arrayValue ?? []).filter { $0["displayName"]?.stringValue == displayName }
    }

    /// An OData string literal's inside, safe in a query: quotes doubled, and the characters that would end or
    /// split the query value (`%`, `&`, `#`, `+`) percent-encoded; the client encodes spaces and the rest.
    static func filterLiteral(_ text: String) -> String {
        var result = ""
        for character in text.replacingOccurrences(of: "'", with: "''") {
            switch character {
            case "%": result += "%25"
            case "&": result += "%26"
            case "#": result += "%23"
            case "+": result += "%2B"
            default: result.append(character)
            }
        }
        return result
    }
}
