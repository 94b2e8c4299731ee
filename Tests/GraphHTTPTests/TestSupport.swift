import Foundation
import GraphModel
import TestSupport
@testable import GraphHTTP

/// A token provider that hands out numbered tokens and counts renewals.
final class CountingTokenProvider: TokenProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var issued = 0
    private(set) var renewals = 0

    func accessToken(forceRenewal: Bool) async throws -> String {
        lock.withLock {
            if forceRenewal || issued == 0 {
                if forceRenewal { renewals += 1 }
                issued += 1
            }
            return "test-token-\(issued)"
        }
    }
}

/// Collects events from the client and credentials.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [GraphEvent] = []

    var sink: GraphEventSink { { event in self.lock.withLock { self.recorded.append(event) } } }
    var events: [GraphEvent] { lock.withLock { recorded } }

    var retries: [RetryNotice] {
        events.compactMap { if case .retry(let notice) = $0 { notice } else { nil } }
    }
    var traces: [RequestTrace] {
        events.compactMap { if case .request(let trace) = $0 { trace } else { nil } }
    }
}

struct ClientHarness {
    let transport: InMemoryTransport
    let clock = VirtualClock()
    let log = EventLog()
    let tokens = CountingTokenProvider()
    let redactor = Redactor()
    let client: GraphClient

    init(
        retry: RetryPolicy = RetryPolicy(), traceBodies: Bool = false, random: Double = 0.5,
        script: [Result<HTTPResponse, HTTPTransportError>]
    ) {
        transport = InMemoryTransport(script: script)
        client = GraphClient(
            baseURL: "https://graph.microsoft.com/", transport: transport, tokens: tokens, redactor: redactor,
            options: .init(retry: retry, traceBodies: traceBodies), clock: clock, random: { random },
            makeRequestID: { "00000000-0000-0000-0000-000000000001" }, events: log.sink)
    }
}

func status(_ code: Int, headers: HTTPHeaders = HTTPHeaders(), body: String = "") -> Result<HTTPResponse, HTTPTransportError> {
    .success(HTTPResponse(status: code, headers: headers, body: Array(body.utf8)))
}

func failure(_ kind: HTTPTransportError.Kind, notSent: Bool = false) -> Result<HTTPResponse, HTTPTransportError> {
    .failure(HTTPTransportError(kind: kind, message: "simulated \(kind.rawValue)", requestNotSent: notSent))
}

/// Decodes an `application/x-www-form-urlencoded` body.
func formFields(_ body: [UInt8]) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { continue }
        fields[parts[0]] = parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
    return fields
}
