/// Writing profile YAML (used by `scimctl export` and `scimctl init`). Every string is double-quoted, so no value
/// can change the document's structure.
public enum ProfileYAML {
    public static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0xFEFF || scalar.value == 0x2028 || scalar.value == 0x2029
                {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// `Contoso & Co` → `contoso-and-co`; always a valid application name.
    public static func applicationName(for vendor: String) -> String {
        let words = words(in: vendor).map { $0.lowercased() }
        return words.isEmpty ? "app" : words.joined(separator: "-")
    }

    /// `Contoso & Co` → `CONTOSO_AND_CO_SCIM_TOKEN`.
    public static func tokenVariable(for vendor: String) -> String {
        var stem = words(in: vendor).joined(separator: "_").uppercased()
        if stem.isEmpty { return "SCIM_TOKEN" }
        if stem.first?.isNumber == true { stem = "APP_" + stem }
        return stem + "_SCIM_TOKEN"
    }

    /// Runs of ASCII letters and digits; `&` reads as the word "and".
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.replacingOccurrences(of: "&", with: " and ").unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The lines of one `attributes` entry, starting with `- target: …`.
    public static func lines(for mapping: AttributeMapping) -> [String] {
        var entry = ["- target: \(quoted(mapping.target))"]
        switch mapping.source {
        case .attribute(let name):
            entry.append("  source: \(quoted(name))")
        case .constant(let value):
            if Placeholders.names(in: value).isEmpty {
                entry.append("  constant: \(quoted(value))")
            } else {
                // Constants are searched for {parameter} placeholders; an expression's string literal is not.
                let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                entry.append("  expression: \(quoted("\"\(escaped)\""))")
            }
        case .expression(let text):
            entry.append("  expression: \(quoted(text))")
        }
        if let precedence = mapping.matchingPrecedence, precedence > 0 {
            entry.append("  matchingPrecedence: \(precedence)")
        }
        if mapping.applyWhen == .onCreate { entry.append("  apply: \(ApplyWhen.onCreate.rawValue)") }
        if let value = mapping.defaultValue { entry.append("  default: \(quoted(value))") }
        return entry
    }
}
