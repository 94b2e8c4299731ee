import GraphModel

/// How a throttled (429) answer spells `Retry-After`; Graph has been seen sending whole seconds, decimals, and nothing.
public enum RetryAfterStyle: String, Sendable, CaseIterable {
    case integer
    case decimal
    case absent
}

/// Everything that changes how the emulator behaves. Every realism switch is off by default so a plain
/// run answers like a healthy tenant; the random ones draw from one generator seeded with `seed`.
public struct EmulatorConfiguration: Sendable, Equatable {
    /// Seed of the generator behind ids and every random fault.
    public var seed: UInt64 = 0
    /// `expires_in` of issued access tokens; small values let a test watch a token expire mid-run.
    public var tokenLifetimeSeconds: Int = 3599
    /// A new service principal (and its application) answers 404 for this long after instantiate.
    public var replicationDelayMilliseconds: Int = 0
    /// A new service principal (and its application) is left out of `$filter` listings for this long after
    /// instantiate, even once it can be read by id: the lag behind "run apply again" creating a second app.
    public var listingDelayMilliseconds: Int = 0
    /// Probability (0...1) that a create (instantiate, a new job) takes effect but its reply is lost: the
    /// connection closes with no response, as when a proxy or load balancer drops it.
    public var lostReplyRate: Double = 0
    /// Probability (0...1) that a request about an object younger than `flapWindowMilliseconds` meets a stale
    /// replica: 404 on directory paths; 404, 403 or 409 on synchronization paths. Each request draws anew, so
    /// a success can be followed by a failure.
    public var flapRate: Double = 0
    public var flapWindowMilliseconds: Int = 10_000
    /// Added to every Graph and token request before it is answered.
    public var latencyMilliseconds: Int = 0
    /// Probability (0...1) that a request is answered 429.
    public var throttleRate: Double = 0
    public var retryAfterStyle: RetryAfterStyle = .integer
    /// Value sent in `Retry-After` for random 429s (rounded up for the integer style).
    public var retryAfterSeconds: Double = 1
    /// Probability (0...1) that a request is answered with one of `serverErrorStatuses`.
    public var serverErrorRate: Double = 0
    public var serverErrorStatuses: [Int] = [500, 503, 504]
    /// Probability (0...1) that the connection is closed without any response.
    public var dropRate: Double = 0
    /// At most this many requests per `throttleWindowMilliseconds`; nil means unlimited.
    public var throttleLimit: Int?
    public var throttleWindowMilliseconds: Int = 10_000
    /// How long a started job stays `NotRun` before its first cycle completes and it turns `Active`.
    public var firstCycleMilliseconds: Int = 0
    /// Enforce the documented provisionOnDemand limit of 5 requests per 10 seconds per job.
    public var enforceProvisionOnDemandLimit: Bool = false
    /// When set, validateCredentials and start really query this SCIM base URL instead of only checking the secrets.
    public var scimTarget: String?
    /// Bearer tokens accepted without a token request and never expiring (for callers that bring their own token).
    public var staticTokens: [String] = []
    /// SCIM hosts that accept connections without a secret token (TeleMessage allows a tenant by its id instead).
    /// Without `scimTarget` the emulator cannot ask the endpoint, so this says which apps need no token.
    public var tokenOptionalHosts: [String] = []

    public init() {}

    /// Status codes the random server-error switch may answer with.
    static let allowedServerErrorStatuses: Set<Int> = [500, 502, 503, 504]
}

/// A problem with a configuration document sent to `PUT /_emulator/config` or given on the command line.
public struct EmulatorConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension EmulatorConfiguration {
    /// The configuration as JSON; static tokens are secrets, so only their count is shown.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "seed": .integer(Int64(truncatingIfNeeded: seed)),
            "tokenLifetimeSeconds": .integer(Int64(tokenLifetimeSeconds)),
            "replicationDelayMilliseconds": .integer(Int64(replicationDelayMilliseconds)),
            "listingDelayMilliseconds": .integer(Int64(listingDelayMilliseconds)),
            "lostReplyRate": .double(lostReplyRate),
            "flapRate": .double(flapRate),
            "flapWindowMilliseconds": .integer(Int64(flapWindowMilliseconds)),
            "latencyMilliseconds": .integer(Int64(latencyMilliseconds)),
            "throttleRate": .double(throttleRate),
            "retryAfterStyle": .string(retryAfterStyle.rawValue),
            "retryAfterSeconds": .double(retryAfterSeconds),
            "serverErrorRate": .double(serverErrorRate),
            "serverErrorStatuses": .array(serverErrorStatuses.map { .integer(Int64($0)) }),
            "dropRate": .double(dropRate),
            "throttleWindowMilliseconds": .integer(Int64(throttleWindowMilliseconds)),
            "firstCycleMilliseconds": .integer(Int64(firstCycleMilliseconds)),
            "enforceProvisionOnDemandLimit": .bool(enforceProvisionOnDemandLimit),
            "staticTokenCount": .integer(Int64(staticTokens.count)),
        ]
        members["throttleLimit"] = throttleLimit.map { .integer(Int64($0)) } ?? .null
        members["scimTarget"] = scimTarget.map { .string($0) } ?? .null
        members["tokenOptionalHosts"] = .array(tokenOptionalHosts.map { .string($0) })
        return .object(members)
    }

    /// Applies the members present in `patch`; absent members keep their value, `null` clears optional ones.
    public mutating func apply(_ patch: JSONValue) throws(EmulatorConfigurationError) {
        guard let members = patch.objectValue else {
            throw EmulatorConfigurationError(message: "the configuration must be a JSON object")
        }
        var updated = self
        for (key, value) in members {
            switch key {
            case "seed": updated.seed = UInt64(bitPattern: try Self.integer(value, key))
            case "tokenLifetimeSeconds": updated.tokenLifetimeSeconds = try Self.nonNegative(value, key)
            case "replicationDelayMilliseconds": updated.replicationDelayMilliseconds = try Self.nonNegative(value, key)
            case "listingDelayMilliseconds": updated.listingDelayMilliseconds = try Self.nonNegative(value, key)
            case "lostReplyRate": updated.lostReplyRate = try Self.rate(value, key)
            case "flapRate": updated.flapRate = try Self.rate(value, key)
            case "flapWindowMilliseconds": updated.flapWindowMilliseconds = try Self.nonNegative(value, key)
            case "latencyMilliseconds": updated.latencyMilliseconds = try Self.nonNegative(value, key)
            case "throttleRate": updated.throttleRate = try Self.rate(value, key)
            case "retryAfterStyle":
                guard let text = value.stringValue, let style = RetryAfterStyle(rawValue: text) else {
                    throw EmulatorConfigurationError(message: "retryAfterStyle must be one of integer, decimal, absent")
                }
                updated.retryAfterStyle = style
            case "retryAfterSeconds":
                let seconds = try Self.number(value, key)
                guard seconds >= 0, seconds <= 86_400 else {
                    throw EmulatorConfigurationError(message: "retryAfterSeconds must be between 0 and 86400")
                }
                updated.retryAfterSeconds = seconds
            case "serverErrorRate": updated.serverErrorRate = try Self.rate(value, key)
            case "serverErrorStatuses":
                guard let list = value.arrayValue, !list.isEmpty else {
                    throw EmulatorConfigurationError(message: "serverErrorStatuses must be a non-empty array")
                }
                var statuses: [Int] = []
                for element in list {
                    guard let status = element.integerValue.map({ Int($0) }),
                        Self.allowedServerErrorStatuses.contains(status)
                    else {
                        throw EmulatorConfigurationError(message: "serverErrorStatuses may only contain 500, 502, 503, 504")
                    }
                    statuses.append(status)
                }
                updated.serverErrorStatuses = statuses
            case "dropRate": updated.dropRate = try Self.rate(value, key)
            case "throttleLimit":
                if value.isNull {
                    updated.throttleLimit = nil
                } else {
                    let limit = try Self.nonNegative(value, key)
                    guard limit > 0 else { throw EmulatorConfigurationError(message: "throttleLimit must be positive or null") }
                    updated.throttleLimit = limit
                }
            case "throttleWindowMilliseconds":
                let window = try Self.nonNegative(value, key)
                guard window > 0 else { throw EmulatorConfigurationError(message: "throttleWindowMilliseconds must be positive") }
                updated.throttleWindowMilliseconds = window
            case "firstCycleMilliseconds": updated.firstCycleMilliseconds = try Self.nonNegative(value, key)
            case "enforceProvisionOnDemandLimit":
                guard let flag = value.boolValue else {
                    throw EmulatorConfigurationError(message: "enforceProvisionOnDemandLimit must be a boolean")
                }
                updated.enforceProvisionOnDemandLimit = flag
            case "scimTarget":
                if value.isNull {
                    updated.scimTarget = nil
                } else {
                    guard let text = value.stringValue else {
                        throw EmulatorConfigurationError(message: "scimTarget must be a string or null")
                    }
                    updated.scimTarget = try Self.checkedScimTarget(text)
                }
            case "tokenOptionalHosts":
                guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                    throw EmulatorConfigurationError(message: "tokenOptionalHosts must be an array of host names")
                }
                updated.tokenOptionalHosts = list.compactMap { $0.stringValue?.lowercased() }
            case "staticTokens":
                guard let list = value.arrayValue else {
                    throw EmulatorConfigurationError(message: "staticTokens must be an array of strings")
                }
                var tokens: [String] = []
                for element in list {
                    guard let token = element.stringValue, !token.isEmpty else {
                        throw EmulatorConfigurationError(message: "staticTokens must be an array of non-empty strings")
                    }
                    tokens.append(token)
                }
                updated.staticTokens = tokens
            case "staticTokenCount":
                continue  // read-only mirror of staticTokens, tolerated so a GET result can be PUT back
            default:
                throw EmulatorConfigurationError(message: "unknown configuration key '\(key)'")
            }
        }
        self = updated
    }

    /// A SCIM target must be https, or plain http on a loopback host (a local test server).
    public static func checkedScimTarget(_ text: String) throws(EmulatorConfigurationError) -> String {
        guard let url = ParsedURL(text) else {
            throw EmulatorConfigurationError(message: "scimTarget '\(text)' is not an absolute http(s) URL")
        }
        if url.scheme == "https" { return text }
        if url.scheme == "http", url.isLoopback { return text }
        throw EmulatorConfigurationError(message: "scimTarget must use https (plain http is allowed only for loopback hosts)")
    }

    private static func integer(_ value: JSONValue, _ key: String) throws(EmulatorConfigurationError) -> Int64 {
        guard let number = value.integerValue else {
            throw EmulatorConfigurationError(message: "\(key) must be an integer")
        }
        return number
    }

    private static func nonNegative(_ value: JSONValue, _ key: String) throws(EmulatorConfigurationError) -> Int {
        let number = try integer(value, key)
        guard number >= 0, number <= Int64(Int32.max) else {
            throw EmulatorConfigurationError(message: "\(key) must be between 0 and \(Int32.max)")
        }
        return Int(number)
    }

    private static func number(_ value: JSONValue, _ key: String) throws(EmulatorConfigurationError) -> Double {
        switch value {
        case .integer(let number): return Double(number)
        case .double(let number) where number.isFinite: return number
        default: throw EmulatorConfigurationError(message: "\(key) must be a number")
        }
    }

    private static func rate(_ value: JSONValue, _ key: String) throws(EmulatorConfigurationError) -> Double {
        let number = try number(value, key)
        guard number >= 0, number <= 1 else { throw EmulatorConfigurationError(message: "\(key) must be between 0 and 1") }
        return number
    }
}

/// The few URL facts the emulator needs, without Foundation's lenient parsing surprises.
struct ParsedURL: Sendable, Equatable {
    var scheme: String
    var host: String
    var port: Int?
    /// Everything after the authority, without a trailing slash.
    var path: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[text.startIndex..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = String(rest[rest.startIndex..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        var pathPart = String(rest[authorityEnd...])
        if let cut = pathPart.firstIndex(where: { $0 == "?" || $0 == "#" }) { pathPart = String(pathPart[..<cut]) }
        while pathPart.hasSuffix("/") { pathPart.removeLast() }
        path = pathPart
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
        } else {
            host = authority
        }
        host = host.lowercased()
        guard !host.isEmpty else { return nil }
    }

    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
