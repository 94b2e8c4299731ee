/// Text made safe for a terminal, and ANSI styling that collapses to plain text when colour is off.
public enum TerminalText {
    /// `text` with control characters shown as `\u{1B}`-style escapes, so a hostile profile (a key or value holding
    /// ESC sequences) cannot move the cursor, retitle the window or hide output. Tab stays; newlines only with
    /// `keepNewlines`.
    public static func escaped(_ text: String, keepNewlines: Bool = false) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let control = (value < 0x20 && scalar != "\t" && !(keepNewlines && scalar == "\n")) || (0x7F...0x9F).contains(value)
                || value == 0x2028 || value == 0x2029 || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            if control {
                result += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// ANSI styling that collapses to plain text when colour is off.
public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or the terminal is dumb.
    public static func allowed(onTerminal terminal: Bool, environment: [String: String]) -> Bool {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return terminal
    }

    public func paint(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func bold(_ text: String) -> String { paint(text, "1") }
    public func red(_ text: String) -> String { paint(text, "1;31") }
    public func yellow(_ text: String) -> String { paint(text, "1;33") }
    public func green(_ text: String) -> String { paint(text, "1;32") }
    public func cyan(_ text: String) -> String { paint(text, "1;36") }
    public func dim(_ text: String) -> String { paint(text, "2") }
}
