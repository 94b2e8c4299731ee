import Diagnostics
import Expressions

/// Places findings inside a value: through its exact source map when the value came from a file, else by counting
/// columns from where the value starts. A map that could not be proved places every finding at the value's start
/// and offers no fix-it.
struct ValueLocator: ValueSourceMap {
    let map: ScalarSourceMap?
    let plain: LocationMapper?

    init(map: ScalarSourceMap?, text: String, start: SourceLocation?) {
        self.map = map
        plain = map == nil ? LocationMapper(text: text, base: start) : nil
    }

    func location(atOffset offset: Int) -> SourceLocation {
        if let map { return map.location(atOffset: offset) }
        return plain?.location(atOffset: offset) ?? SourceLocation(file: "<memory>", line: 1, column: 1)
    }

    func fixIt(replacing range: Range<Int>, with replacement: String) -> FixIt? {
        if let map { return map.fixIt(replacing: range, with: replacement) }
        return plain?.fixIt(replacing: range, with: replacement)
    }
}

/// Copy-paste damage that does not show on screen.
public enum TextChecks {
    /// Characters an editor shows as nothing or as an ordinary space: no-break and other non-ASCII spaces,
    /// zero-width characters, bidirectional controls, the byte order mark, soft hyphen, and control characters.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return true }
        if value == 0xA0 || value == 0xAD || value == 0x180E || value == 0xFEFF { return true }
        if (0x2000...0x200F).contains(value) || (0x2028...0x202F).contains(value) || (0x205F...0x206F).contains(value) {
            return true
        }
        if value == 0x3000 || value == 0x1680 { return true }
        return scalar.properties.generalCategory == .format
    }

    /// `U+00A0 NO-BREAK SPACE`, for messages about characters the reader cannot see.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return scalar.properties.name.map { "\(code) \($0)" } ?? code
    }

    /// `https://user:secret@host/` → `https://user:***@host/`; text without credentials is returned unchanged.
    public static func redactingCredentials(in url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        let userinfo = rest[..<at]
        let user = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let masked = userinfo.contains(":") ? "\(user):***" : "***"
        return String(url[..<schemeEnd.upperBound]) + masked + String(rest[at...])
    }
}
