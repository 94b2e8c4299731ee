import Foundation

/// When and how often a failed Graph request is repeated.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first one included.
    public var maximumAttempts: Int
    /// Time budget for one logical request, waits included; a wait that would overrun it is not started.
    public var deadline: Double
    /// First backoff ceiling when the server gave no Retry-After; doubles per attempt.
    public var initialBackoff: Double
    public var maximumBackoff: Double
    /// Statuses that mean "not done, try again later". 429 is safe to repeat even for non-idempotent calls.
    public var retryableStatuses: Set<Int>
    /// Statuses repeated only for idempotent requests (GET, PUT, and POSTs marked idempotent): the server may
    /// have done part of the work before failing, which a repeat of an idempotent request cannot double.
    public var idempotentRetryableStatuses: Set<Int>

    public init(
        maximumAttempts: Int = 6, deadline: Double = 300, initialBackoff: Double = 1, maximumBackoff: Double = 60,
        retryableStatuses: Set<Int> = [429, 503, 504], idempotentRetryableStatuses: Set<Int> = [500, 502]
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.deadline = deadline
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.retryableStatuses = retryableStatuses
        self.idempotentRetryableStatuses = idempotentRetryableStatuses
    }

    /// Exponential backoff with full jitter: a uniform pick between 0 and the capped ceiling.
    /// `attempt` is the 1-based number of the attempt that just failed; `random` is in 0..<1.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let ceiling = min(maximumBackoff, initialBackoff * pow(2, exponent))
        return ceiling * min(max(random, 0), 1)
    }
}

/// Reads a `Retry-After` header: whole or decimal seconds, or an HTTP-date.
public enum RetryAfter {
    /// Seconds to wait from `now`, or nil when the value is not understood. Dates in the past mean 0.
    public static func seconds(from value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.first?.isNumber == true || trimmed.first == "." {
            guard let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 else { return nil }
            return seconds
        }
        guard let date = httpDate(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// IMF-fixdate, the obsolete RFC 850 form and asctime, as RFC 9110 asks recipients to accept.
    static func httpDate(_ text: String) -> Date? {
        let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text.replacingOccurrences(of: "  ", with: " ")) { return date }
        }
        return nil
    }
}
