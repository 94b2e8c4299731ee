import GraphModel

/// A request as the emulator sees it, independent of the HTTP server that received it.
public struct EmulatorRequest: Sendable {
    public var method: String
    /// Path and query exactly as sent (still percent-encoded).
    public var target: String
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method.uppercased()
        self.target = target
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        self.headers = lowered
        self.body = body
    }
}

/// A complete HTTP answer.
public struct EmulatorResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ status: Int, _ value: JSONValue, headers: [String: String] = [:]) -> EmulatorResponse {
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
        return EmulatorResponse(status: status, headers: allHeaders, body: Array(value.serialized().utf8))
    }

    static func noContent() -> EmulatorResponse { EmulatorResponse(status: 204) }

    /// The body parsed as JSON, for tests and tools.
    public var jsonBody: JSONValue? { try? JSONValue(parsing: body) }
}

/// What the server should do with a request.
public enum EmulatorReply: Sendable, Equatable {
    case respond(EmulatorResponse)
    /// Close the connection without writing anything (the dropped-connection fault).
    case dropConnection
}

/// One line of `GET /_emulator/requests`.
public struct RecordedRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    /// nil when the connection was dropped without an answer.
    public var status: Int?
    public var time: String
    public var write: Bool
    /// Which injected fault answered, if any: `throttled`, `server-error`, `dropped`.
    public var fault: String?

    var json: JSONValue {
        [
            "method": .string(method), "path": .string(path), "status": status.map { .integer(Int64($0)) } ?? .null,
            "time": .string(time), "write": .bool(write), "fault": fault.map { .string($0) } ?? .null,
        ]
    }
}

/// Graph's error envelope: `{"error": {"code", "message", "innerError": {...}}}`.
struct GraphError: Error, Sendable {
    var status: Int
    var code: String
    var message: String
    var headers: [String: String] = [:]

    static func notFound(_ what: String) -> GraphError {
        // Directory objects answer with this code and wording on the real service.
        GraphError(
            status: 404, code: "Request_ResourceNotFound",
            message: "Resource '\(what)' does not exist or one of its queried reference-property objects are not present.")
    }

    static func badRequest(_ message: String, code: String = "BadRequest") -> GraphError {
        GraphError(status: 400, code: code, message: message)
    }

    static func unknownSegment(_ segment: String) -> GraphError {
        GraphError(status: 400, code: "BadRequest", message: "Resource not found for the segment '\(segment)'.")
    }

    static func methodNotAllowed(_ method: String) -> GraphError {
        GraphError(status: 405, code: "Request_BadRequest", message: "The HTTP method '\(method)' is not supported on this resource.")
    }

    func response(requestId: String, date: String, clientRequestId: String?) -> EmulatorResponse {
        var inner: [String: JSONValue] = ["request-id": .string(requestId), "date": .string(date)]
        if let clientRequestId { inner["client-request-id"] = .string(clientRequestId) }
        let body: JSONValue = ["error": ["code": .string(code), "message": .string(message), "innerError": .object(inner)]]
        return .json(status, body, headers: headers)
    }
}

/// Emulator clock values are seconds since 1970; Graph renders them as UTC ISO 8601.
enum Timestamp {
    /// Years 0001 to 9999; anything outside (or not finite, e.g. from a hand-written state file) is clamped.
    static let range: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    static func iso8601(_ unclamped: Double, fractional: Bool = false) -> String {
        let seconds = unclamped.isFinite ? min(max(unclamped, range.lowerBound), range.upperBound) : 0
        let whole = Int64(seconds.rounded(.down))
        var days = whole / 86_400
        var secondsOfDay = whole % 86_400
        if secondsOfDay < 0 {
            secondsOfDay += 86_400
            days -= 1
        }
        // Civil-from-days (Howard Hinnant's algorithm) so no locale or calendar object is involved.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(year)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60)):\(two(secondsOfDay % 60))"
        if fractional {
            let fraction = Int64(((seconds - Double(whole)) * 10_000_000).rounded(.down))
            let digits = String(max(0, min(fraction, 9_999_999)))
            text += "." + String(repeating: "0", count: 7 - digits.count) + digits
        }
        return text + "Z"
    }
}

/// Percent-decoding and query splitting for request targets.
enum TargetParsing {
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let high = hexValue(utf8[utf8.startIndex]),
                let low = hexValue(utf8[utf8.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Splits `a=1&b=2` (form bodies and query strings); later duplicates win.
    static func formFields(_ text: Substring) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first else { continue }
            let value = parts.count > 1 ? parts[parts.index(after: parts.startIndex)] : ""
            fields[percentDecoded(name, plusIsSpace: true)] = percentDecoded(value, plusIsSpace: true)
        }
        return fields
    }
}
