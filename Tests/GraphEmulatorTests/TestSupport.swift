import Foundation
import GraphModel
import TestSupport
import Testing

@testable import GraphEmulator

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Calls the engine directly (no sockets) the way the HTTP server would.
struct EngineClient {
    let engine: EmulatorEngine
    var token: String?

    init(_ configuration: EmulatorConfiguration = EmulatorConfiguration(), state: TenantState = .fresh(),
         prober: any ScimProbing = RecordingProber(result: .reachable)) async
    {
        engine = EmulatorEngine(configuration: configuration, initialState: state, prober: prober)
        token = await engine.issueToken()
    }

    @discardableResult
    func call(_ method: String, _ target: String, _ body: String? = nil, headers: [String: String] = [:],
              authorized: Bool = true) async -> EmulatorResponse
    {
        var allHeaders = headers
        if authorized, let token { allHeaders["Authorization"] = "Bearer \(token)" }
        let request = EmulatorRequest(method: method, target: target, headers: allHeaders, body: Array((body ?? "").utf8))
        switch await engine.handle(request) {
        case .respond(let response): return response
        case .dropConnection: return EmulatorResponse(status: -1)
        }
    }

    /// Instantiates the non-gallery app and returns the service principal id.
    func instantiate(_ name: String = "Acme SCIM", version: String = "v1.0") async throws -> String {
        let response = await call(
            "POST", "/\(version)/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
            #"{"displayName":"\#(name)"}"#)
        try #require(response.status == 201)
        return try #require(response.jsonBody?["servicePrincipal"]?["id"]?.stringValue)
    }

    func createJob(_ servicePrincipalId: String) async throws -> String {
        let response = await call("POST", "/v1.0/servicePrincipals/\(servicePrincipalId)/synchronization/jobs", #"{"templateId":"scim"}"#)
        try #require(response.status == 201)
        return try #require(response.jsonBody?["id"]?.stringValue)
    }

    @discardableResult
    func putSecrets(_ servicePrincipalId: String, baseAddress: String, token: String?) async -> EmulatorResponse {
        var entries = [#"{"key":"BaseAddress","value":"\#(baseAddress)"}"#]
        if let token { entries.append(#"{"key":"SecretToken","value":"\#(token)"}"#) }
        let response = await call(
            "PUT", "/v1.0/servicePrincipals/\(servicePrincipalId)/synchronization/secrets",
            #"{"value":[\#(entries.joined(separator: ","))]}"#)
        #expect(response.status == 204)
        return response
    }

    func jobStatus(_ servicePrincipalId: String, _ jobId: String) async -> String? {
        await call("GET", "/v1.0/servicePrincipals/\(servicePrincipalId)/synchronization/jobs/\(jobId)").jsonBody?["status"]?["code"]?.stringValue
    }
}

/// Serves `emulator` on a free loopback port for the length of `body`, and stops it afterwards, also when `body`
/// throws.
func withServing<T>(_ emulator: GraphEmulator, _ body: (Int) async throws -> T) async throws -> T {
    try await withStopping(try await emulator.start(port: 0), stop: { _ in await emulator.stop() }, body)
}

/// A SCIM prober that records what it was asked and answers as told.
final class RecordingProber: ScimProbing, @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(baseURL: String, token: String?, userName: String)] = []
    let result: ScimProbeResult

    init(result: ScimProbeResult) { self.result = result }

    func probe(baseURL: String, token: String?, userName: String) async -> ScimProbeResult {
        lock.withLock { calls.append((baseURL, token, userName)) }
        return result
    }

    var recorded: [(baseURL: String, token: String?, userName: String)] { lock.withLock { calls } }
}

extension EmulatorResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A plain URLSession client for the tests that go over the loopback socket.
struct HTTPTestClient {
    let base: String

    func send(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws
        -> (status: Int, headers: [String: String], json: JSONValue?)
    {
        let url = try #require(URL(string: base + path))
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return (http.statusCode, fields, data.isEmpty ? nil : try? JSONValue(parsing: Array(data)))
    }
}
