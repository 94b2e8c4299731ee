import Profiles

/// Turns a profile's mapping source into Graph's `attributeMappingSource` JSON.
///
/// Attribute and constant sources are built exactly. Expression sources are sent as a `Function` source carrying the
/// expression text and the outermost function name; Graph re-parses the text on PUT. This is the single seam where
/// the Expressions module's full parameter tree can be swapped in.
public enum MappingSourceJSON {
    public static func make(_ source: MappingSource) -> JSONValue {
        switch source {
        case .attribute(let name):
            return attribute(name)
        case .constant(let value):
            return constant(value)
        case .expression(let text):
            let trimmed = Substring(text).trimmingWhitespace()
            if let name = bracketedAttribute(trimmed) { return attribute(name) }
            if let value = quotedConstant(trimmed) { return constant(value) }
            return [
                "expression": .string(trimmed),
                "name": .string(functionName(trimmed)),
                "parameters": [],
                "type": "Function",
            ]
        }
    }

    static func attribute(_ name: String) -> JSONValue {
        ["expression": .string("[\(name)]"), "name": .string(name), "parameters": [], "type": "Attribute"]
    }

    static func constant(_ value: String) -> JSONValue {
        let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return ["expression": .string("\"\(escaped)\""), "name": .string(value), "parameters": [], "type": "Constant"]
    }

    /// `[mail]` → `mail`; anything with more than one bracketed name is left alone.
    private static func bracketedAttribute(_ text: String) -> String? {
        guard text.hasPrefix("["), text.hasSuffix("]"), text.count > 2 else { return nil }
        let inner = text.dropFirst().dropLast()
        guard !inner.contains("["), !inner.contains("]") else { return nil }
        return String(inner)
    }

    /// `"abc"` → `abc`, undoing `\"` and `\\`; nil unless the whole text is one literal.
    private static func quotedConstant(_ text: String) -> String? {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
        var value = ""
        var escaping = false
        for character in text.dropFirst().dropLast() {
            if escaping {
                value.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return nil
            } else {
                value.append(character)
            }
        }
        return escaping ? nil : value
    }

    /// The identifier before the first `(`, or the whole text when it is not a call.
    private static func functionName(_ text: String) -> String {
        guard let open = text.firstIndex(of: "(") else { return text }
        return Substring(text[..<open]).trimmingWhitespace()
    }
}
