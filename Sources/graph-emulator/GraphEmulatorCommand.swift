import ArgumentParser
import Foundation
import GraphEmulator
import GraphModel

/// `graph-emulator`: serves the emulated Graph synchronization API and token endpoint on 127.0.0.1.
@main
struct GraphEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph-emulator",
        abstract: "A local, stateful Microsoft Graph synchronization API and Entra token endpoint.",
        discussion: "Listens on 127.0.0.1 only and prints 'listening on http://127.0.0.1:PORT' once ready.")

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: "Seed for generated ids and random faults.")
    var seed: UInt64 = 0

    @Option(help: "Start from this tenant state (JSON as written by GET /_emulator/state).")
    var state: String?

    @Option(
        help: ArgumentHelp(
            "Source users: a number N to generate N users for GET /users, or a JSON array file of users to seed (each an object with an id).",
            valueName: "N|FILE"))
    var users: String?

    @Option(help: "Really query this SCIM base URL when credentials are validated (https, or http on loopback).")
    var scimTarget: String?

    @Option(help: "A SCIM host that needs no secret token, e.g. TeleMessage's gateway (repeatable).")
    var tokenOptionalHost: [String] = []

    @Option(help: "Lifetime of issued access tokens in seconds.")
    var tokenLifetime: Int = 3599

    @Option(help: "Bearer token accepted without a token request (repeatable).")
    var staticToken: [String] = []

    @Option(help: "A new service principal answers 404 for this many milliseconds after instantiate.")
    var replicationDelayMs: Int = 0

    @Option(help: "A new service principal is missing from $filter listings for this many milliseconds.")
    var listingDelayMs: Int = 0

    @Option(help: "Probability (0...1) that a create takes effect but its reply is lost (connection closed).")
    var lostReplyRate: Double = 0

    @Option(help: "Probability (0...1) that a request about a young object meets a stale replica (404/403/409).")
    var flapRate: Double = 0

    @Option(help: "How long after creation an object can meet stale replicas, in milliseconds.")
    var flapWindowMs: Int = 10_000

    @Option(help: "Milliseconds added to every Graph and token request.")
    var latencyMs: Int = 0

    @Option(help: "Probability (0...1) of answering 429.")
    var throttleRate: Double = 0

    @Option(help: "How Retry-After is sent on 429 and 503: integer, decimal or absent.")
    var retryAfterStyle: String = "integer"

    @Option(help: "Retry-After value in seconds for random 429 and 503 answers.")
    var retryAfter: Double = 1

    @Option(help: "Probability (0...1) of answering with a server error.")
    var serverErrorRate: Double = 0

    @Option(help: "Comma-separated statuses used for server errors (500, 502, 503, 504).")
    var serverErrorStatuses: String = "500,503,504"

    @Option(help: "Probability (0...1) of closing the connection without a response.")
    var dropRate: Double = 0

    @Option(help: "Allow at most this many requests per throttle window; more get 429.")
    var throttleLimit: Int?

    @Option(help: "Length of the throttle window in milliseconds.")
    var throttleWindowMs: Int = 10_000

    @Option(help: "Milliseconds a started job stays NotRun before turning Active.")
    var firstCycleMs: Int = 0

    @Flag(help: "Enforce the documented provisionOnDemand limit (5 requests per 10 seconds).")
    var enforceProvisionOnDemandLimit = false

    func run() async throws {
        var patch: [String: JSONValue] = [
            "seed": .integer(Int64(bitPattern: seed)), "tokenLifetimeSeconds": .integer(Int64(tokenLifetime)),
            "replicationDelayMilliseconds": .integer(Int64(replicationDelayMs)),
            "listingDelayMilliseconds": .integer(Int64(listingDelayMs)),
            "lostReplyRate": .double(lostReplyRate),
            "flapRate": .double(flapRate),
            "flapWindowMilliseconds": .integer(Int64(flapWindowMs)),
            "latencyMilliseconds": .integer(Int64(latencyMs)), "throttleRate": .double(throttleRate),
            "retryAfterStyle": .string(retryAfterStyle), "retryAfterSeconds": .double(retryAfter),
            "serverErrorRate": .double(serverErrorRate), "dropRate": .double(dropRate),
            "throttleWindowMilliseconds": .integer(Int64(throttleWindowMs)),
            "firstCycleMilliseconds": .integer(Int64(firstCycleMs)),
            "enforceProvisionOnDemandLimit": .bool(enforceProvisionOnDemandLimit),
            "staticTokens": .array(staticToken.map { .string($0) }),
        ]
        var statuses: [JSONValue] = []
        for part in serverErrorStatuses.split(separator: ",") {
            guard let status = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--server-error-statuses must be comma-separated numbers")
            }
            statuses.append(.integer(Int64(status)))
        }
        patch["serverErrorStatuses"] = .array(statuses)
        if let throttleLimit { patch["throttleLimit"] = .integer(Int64(throttleLimit)) }
        if let scimTarget { patch["scimTarget"] = .string(scimTarget) }
        patch["tokenOptionalHosts"] = .array(tokenOptionalHost.map { .string($0) })
        var configuration = EmulatorConfiguration()
        do {
            try configuration.apply(.object(patch))
        } catch {
            throw ValidationError(error.description)
        }

        var tenant = TenantState.fresh()
        if let state {
            do {
                tenant = try TenantState(json: try Self.readJSON(state))
            } catch let error as TenantStateError {
                throw ValidationError("\(state): \(error.message)")
            }
        }
        var directory = EmulatedDirectory(seed: seed)
        if let users, let count = Int(users) {
            guard (0...EmulatedDirectory.maximumGeneratedUsers).contains(count) else {
                throw ValidationError("--users takes 0 to \(EmulatedDirectory.maximumGeneratedUsers) generated users")
            }
            directory.generatedUsers = count
        } else if let users {
            guard let list = try Self.readJSON(users).arrayValue else {
                throw ValidationError("\(users): expected a JSON array of users")
            }
            for user in list {
                guard let id = user["id"]?.stringValue, !id.isEmpty, user.objectValue != nil else {
                    throw ValidationError("\(users): every user must be an object with a string id")
                }
                tenant.users.removeAll { $0["id"]?.stringValue == id }
                tenant.users.append(user)
            }
        }

        let emulator = GraphEmulator(configuration: configuration, initialState: tenant)
        await emulator.engine.setDirectory(directory)
        let bound: Int
        do {
            bound = try await emulator.start(port: port)
        } catch {
            FileHandle.standardError.write(Data("graph-emulator: \(error)\n".utf8))
            throw ExitCode.failure
        }
        // Written straight to the descriptor (no stdio buffering) so a script reading the pipe sees it at once.
        FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(bound)\n".utf8))
        while !Task.isCancelled {
            try await Task.sleep(nanoseconds: 3_600_000_000_000)
        }
    }

    private static func readJSON(_ path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        do {
            return try JSONValue(parsing: Array(data))
        } catch {
            throw ValidationError("\(path): \(error.description)")
        }
    }
}
