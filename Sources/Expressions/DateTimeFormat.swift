import Foundation

/// The small subset of .NET date handling the expression functions need: custom format strings
/// (`yyyyMMddHHmmss.fZ`, `M/d/yyyy h:mm:ss tt`, …) for parsing and printing, all in UTC unless an offset is given.
enum DateTimeFormat {
    enum Piece: Equatable {
        case year(Int)  // digits: 2 or 4
        case month(Int)
        case day(Int)
        case hour24(Int)
        case hour12(Int)
        case minute(Int)
        case second(Int)
        case fraction(Int)
        /// `F`: like `f` when printing; when parsing, 1 up to n digits.
        case flexibleFraction(Int)
        case amPm
        case offset(Int)  // z, zz, zzz
        case literal(String)
    }

    static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }

    /// Splits a .NET custom format string into pieces.
    static func pieces(_ format: String) -> [Piece] {
        let chars = Array(format)
        var result: [Piece] = []
        var i = 0
        func run(_ c: Character) -> Int {
            var n = 0
            while i + n < chars.count, chars[i + n] == c { n += 1 }
            return n
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "y": let n = run(c); result.append(.year(n >= 3 ? 4 : 2)); i += n
            case "M": let n = run(c); result.append(.month(min(n, 2))); i += n
            case "d": let n = run(c); result.append(.day(min(n, 2))); i += n
            case "H": let n = run(c); result.append(.hour24(min(n, 2))); i += n
            case "h": let n = run(c); result.append(.hour12(min(n, 2))); i += n
            case "m": let n = run(c); result.append(.minute(min(n, 2))); i += n
            case "s": let n = run(c); result.append(.second(min(n, 2))); i += n
            case "f": let n = run(c); result.append(.fraction(min(n, 7))); i += n
            case "F": let n = run(c); result.append(.flexibleFraction(min(n, 7))); i += n
            case "t": let n = run(c); result.append(.amPm); i += n
            case "z": let n = run(c); result.append(.offset(min(n, 3))); i += n
            case "K": result.append(.offset(3)); i += 1
            case "'", "\"":
                var j = i + 1
                var text = ""
                while j < chars.count, chars[j] != c { text.append(chars[j]); j += 1 }
                result.append(.literal(text)); i = j + 1
            case "\\":
                if i + 1 < chars.count { result.append(.literal(String(chars[i + 1]))) }
                i += 2
            default:
                result.append(.literal(String(c))); i += 1
            }
        }
        return result
    }

    static func format(_ date: Date, _ format: String) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let year = c.year ?? 1, month = c.month ?? 1, day = c.day ?? 1
        let hour = c.hour ?? 0, minute = c.minute ?? 0, second = c.second ?? 0, nanos = c.nanosecond ?? 0
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = ""
        for piece in pieces(format) {
            switch piece {
            case .year(let n): out += n == 2 ? pad(year % 100, 2) : pad(year, 4)
            case .month(let n): out += pad(month, n)
            case .day(let n): out += pad(day, n)
            case .hour24(let n): out += pad(hour, n)
            case .hour12(let n): out += pad(hour % 12 == 0 ? 12 : hour % 12, n)
            case .minute(let n): out += pad(minute, n)
            case .second(let n): out += pad(second, n)
            case .fraction(let n), .flexibleFraction(let n):
                let ticks = nanos / 100  // 7 digits
                var digits = pad(ticks, 7)
                digits = String(digits.prefix(n))
                out += digits
            case .amPm: out += hour < 12 ? "AM" : "PM"
            case .offset(let n): out += n == 3 ? "+00:00" : n == 2 ? "+00" : "+0"
            case .literal(let text): out += text
            }
        }
        return out
    }

    /// Parses `text` exactly against a .NET custom format. nil when it does not match.
    static func parse(_ text: String, format: String) -> Date? {
        let chars = Array(text)
        var i = 0
        var year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0
        var pm: Bool?
        var offsetSeconds = 0
        func digits(min minimum: Int, max maximum: Int) -> Int? {
            var n = 0
            var value = 0
            while n < maximum, i + n < chars.count, let d = chars[i + n].wholeNumberValue, chars[i + n].isASCII {
                value = value * 10 + d
                n += 1
            }
            guard n >= minimum else { return nil }
            i += n
            return value
        }
        for piece in pieces(format) {
            switch piece {
            case .year(let n):
                guard let v = digits(min: n, max: n) else { return nil }
                year = n == 2 ? 2000 + v : v
            case .month(let n): guard let v = digits(min: n, max: 2) else { return nil }; month = v
            case .day(let n): guard let v = digits(min: n, max: 2) else { return nil }; day = v
            case .hour24(let n): guard let v = digits(min: n, max: 2) else { return nil }; hour = v
            case .hour12(let n): guard let v = digits(min: n, max: 2) else { return nil }; hour = v % 12
            case .minute(let n): guard let v = digits(min: n, max: 2) else { return nil }; minute = v
            case .second(let n): guard let v = digits(min: n, max: 2) else { return nil }; second = v
            case .fraction(let n), .flexibleFraction(let n):
                let start = i
                let flexible = piece != .fraction(n)
                guard let v = digits(min: flexible ? 1 : n, max: n) else { return nil }
                var scaled = v
                for _ in (i - start)..<9 { scaled *= 10 }
                nanos = scaled
            case .amPm:
                guard i + 1 < chars.count else { return nil }
                let marker = String(chars[i...i + 1]).uppercased()
                guard marker == "AM" || marker == "PM" else { return nil }
                pm = marker == "PM"
                i += 2
            case .offset:
                guard i < chars.count else { return nil }
                if chars[i] == "Z" { i += 1; continue }
                guard chars[i] == "+" || chars[i] == "-" else { return nil }
                let sign = chars[i] == "-" ? -1 : 1
                i += 1
                guard let h = digits(min: 1, max: 2) else { return nil }
                var m = 0
                if i < chars.count, chars[i] == ":" {
                    i += 1
                    guard let parsed = digits(min: 2, max: 2) else { return nil }
                    m = parsed
                }
                offsetSeconds = sign * (h * 3600 + m * 60)
            case .literal(let literal):
                for expected in literal {
                    guard i < chars.count, chars[i] == expected else { return nil }
                    i += 1
                }
            }
        }
        guard i == chars.count else { return nil }
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                        nanos: nanos, offsetSeconds: offsetSeconds)
    }

    static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanos: Int,
                         offsetSeconds: Int) -> Date? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        var components = DateComponents()
        components.year = year; components.month = month; components.day = day
        components.hour = hour; components.minute = minute; components.second = second
        components.nanosecond = nanos
        guard let local = utcCalendar.date(from: components) else { return nil }
        let check = utcCalendar.dateComponents([.day], from: local)
        guard check.day == day else { return nil }  // 31 February and friends
        return local.addingTimeInterval(TimeInterval(-offsetSeconds))
    }

    /// Formats accepted by CDate and the date arguments of DateAdd/DateDiff, tried in order.
    static let lenientFormats = [
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss",
        "yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddzzz", "yyyy-MM-dd",
        "yyyyMMddHHmmss.FZ", "yyyyMMddHHmmssZ",
        "M/d/yyyy h:mm:ss tt", "M/d/yyyy H:mm:ss", "M/d/yyyy h:mm tt", "M/d/yyyy",
    ]

    static func parseLenient(_ text: String) -> Date? {
        let trimmed = text.trimmingASCIIWhitespace()
        for format in lenientFormats {
            if let date = parse(trimmed, format: format) { return date }
        }
        // Variable-length fractions: retry with the fraction cut to 7 digits or dropped.
        return nil
    }

    /// The text form Entra uses for DateTime values.
    static func display(_ date: Date) -> String { format(date, "M/d/yyyy h:mm:ss tt") }

    /// 100-ns ticks between 1601-01-01 (Windows FILETIME epoch) and 1970-01-01.
    static let fileTimeEpochOffset: Int64 = 116_444_736_000_000_000
}
