#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Where the executable writes. Library modules never print; everything user-visible goes through here.
enum Output {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func outLine(_ text: String = "") { out(text + "\n") }
    static func errLine(_ text: String = "") { err(text + "\n") }

    /// `text` with control characters shown as `\u{1B}`-style escapes, so a hostile profile (a key or value holding
    /// ESC sequences) cannot move the cursor, retitle the window or hide output. Tab stays; newlines only with
    /// `keepNewlines`.
    static func escapedForTerminal(_ text: String, keepNewlines: Bool = false) -> String {
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

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static func colorEnabled(forStdout: Bool) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return forStdout ? stdoutIsTerminal : stderrIsTerminal
    }
}

/// ANSI styling that collapses to plain text when colour is off.
struct Style {
    var enabled: Bool

    func paint(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { paint(text, "1") }
    func red(_ text: String) -> String { paint(text, "1;31") }
    func yellow(_ text: String) -> String { paint(text, "1;33") }
    func green(_ text: String) -> String { paint(text, "1;32") }
    func cyan(_ text: String) -> String { paint(text, "1;36") }
    func dim(_ text: String) -> String { paint(text, "2") }
}
