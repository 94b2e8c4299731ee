import Diagnostics
import GraphSync

/// Everything one `validate` run found, grouped by profile.
struct ValidationReport {
    struct Entry {
        var name: String
        var path: String
        var diagnostics: [Diagnostic]
    }

    var entries: [Entry]
    /// File texts by path, for caret snippets.
    var texts: [String: String]

    var allDiagnostics: [Diagnostic] { entries.flatMap(\.diagnostics) }
    var errorCount: Int { allDiagnostics.errorCount }
    var warningCount: Int { allDiagnostics.warningCount }
}

enum DiagnosticFormat: String, CaseIterable {
    case text, json, github, sarif, junit

    func renderer(color: Bool) -> any DiagnosticRenderer {
        switch self {
        case .text: TextRenderer(style: Style(enabled: color))
        case .json: JSONRenderer()
        case .github: GitHubRenderer()
        case .sarif: SARIFRenderer()
        case .junit: JUnitRenderer()
        }
    }
}

/// One output format for diagnostics.
protocol DiagnosticRenderer {
    func render(_ report: ValidationReport) -> String
}

/// Compiler-style lines with a caret under the spot, as editors and terminals expect.
struct TextRenderer: DiagnosticRenderer {
    var style: Style

    func render(_ report: ValidationReport) -> String {
        var output = ""
        for diagnostic in report.allDiagnostics {
            output += line(for: diagnostic, texts: report.texts)
        }
        let profiles = report.entries.count
        let summary =
            "\(profiles) profile\(profiles == 1 ? "" : "s") checked: \(report.errorCount) error\(report.errorCount == 1 ? "" : "s"), "
            + "\(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")"
        output += (report.errorCount > 0 ? style.red(summary) : style.green(summary)) + "\n"
        return output
    }

    func line(for diagnostic: Diagnostic, texts: [String: String]) -> String {
        let label: String
        switch diagnostic.severity {
        case .error: label = style.red("error:")
        case .warning: label = style.yellow("warning:")
        case .note: label = style.cyan("note:")
        }
        var output = ""
        if let location = diagnostic.location {
            output += style.bold("\(Output.escapedForTerminal(location.file)):\(location.line):\(location.column):") + " "
        }
        let message = Output.escapedForTerminal(diagnostic.message)
        output += "\(label) \(style.bold(message)) \(style.dim("[\(Output.escapedForTerminal(diagnostic.id.rawValue))]"))\n"
        if let location = diagnostic.location, let text = texts[location.file],
            let snippet = Self.snippet(text: text, line: location.line, column: location.column)
        {
            output += snippet.line + "\n" + snippet.caretPad + style.green("^") + "\n"
        }
        for note in diagnostic.notes { output += "  note: \(Output.escapedForTerminal(note))\n" }
        if let hint = diagnostic.hint { output += "  " + style.cyan("hint:") + " \(Output.escapedForTerminal(hint))\n" }
        return output
    }

    /// The source line and the padding that puts a caret under `column` (tabs kept so the caret lines up).
    /// Control characters in the line are not echoed (the line is dropped), and a password in a URL is masked.
    static func snippet(text: String, line: Int, column: Int) -> (line: String, caretPad: String)? {
        var current = 1
        var lineText: Substring.UnicodeScalarView?
        // Split on scalars: a CRLF pair is one Character, so splitting Characters on "\n" would never split.
        for candidate in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == line {
                lineText = candidate
                break
            }
            current += 1
        }
        guard var source = lineText.map(String.init) else { return nil }
        if source.unicodeScalars.last == "\r" { source.unicodeScalars.removeLast() }
        // Keep snippets readable for pathological one-line files.
        if source.unicodeScalars.count > 300 { return nil }
        if Output.escapedForTerminal(source) != source { return nil }
        let masked = maskingURLPasswords(source)
        let pad = source.unicodeScalars.prefix(max(column - 1, 0)).map { $0 == "\t" ? "\t" : " " }.joined()
        return (masked, pad)
    }

    /// `https://user:secret@host` → `https://user:***@host` anywhere in a line (same length is not kept; the caret
    /// still lines up for everything before the password, which is where URL findings point).
    static func maskingURLPasswords(_ line: String) -> String {
        var scalars = Array(line.unicodeScalars)
        var index = 0
        while index + 2 < scalars.count {
            guard scalars[index] == ":", scalars[index + 1] == "/", scalars[index + 2] == "/" else {
                index += 1
                continue
            }
            let start = index + 3
            var end = start
            while end < scalars.count, !"/ \"'?#".unicodeScalars.contains(scalars[end]) { end += 1 }
            if let at = scalars[start..<end].lastIndex(of: "@"), let colon = scalars[start..<at].firstIndex(of: ":") {
                scalars.replaceSubrange((colon + 1)..<at, with: Array("***".unicodeScalars))
            }
            index = start
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// `{"diagnostics":[...], "summary":{...}}`, stable and sorted.
struct JSONRenderer: DiagnosticRenderer {
    func render(_ report: ValidationReport) -> String {
        let diagnostics: [JSONValue] = report.allDiagnostics.map { diagnostic in
            var object: [String: JSONValue] = [
                "severity": .string(diagnostic.severity.rawValue),
                "id": .string(diagnostic.id.rawValue),
                "message": .string(diagnostic.message),
                "file": diagnostic.location.map { .string($0.file) } ?? .null,
                "line": diagnostic.location.map { .integer(Int64($0.line)) } ?? .null,
                "column": diagnostic.location.map { .integer(Int64($0.column)) } ?? .null,
                "hint": diagnostic.hint.map { .string($0) } ?? .null,
            ]
            if let fixIt = diagnostic.fixIt {
                object["fixIt"] = [
                    "line": .integer(Int64(fixIt.location.line)), "column": .integer(Int64(fixIt.location.column)),
                    "length": .integer(Int64(fixIt.length)), "replacement": .string(fixIt.replacement),
                ]
            }
            if !diagnostic.notes.isEmpty { object["notes"] = .array(diagnostic.notes.map { .string($0) }) }
            return .object(object)
        }
        let document: JSONValue = [
            "diagnostics": .array(diagnostics),
            "summary": [
                "profiles": .integer(Int64(report.entries.count)),
                "errors": .integer(Int64(report.errorCount)),
                "warnings": .integer(Int64(report.warningCount)),
            ],
        ]
        return document.serialized(pretty: true) + "\n"
    }
}

/// GitHub Actions workflow commands, so findings show up as annotations on the pull request.
struct GitHubRenderer: DiagnosticRenderer {
    func render(_ report: ValidationReport) -> String {
        var output = ""
        for diagnostic in report.allDiagnostics {
            let command: String
            switch diagnostic.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            var properties: [String] = []
            if let location = diagnostic.location {
                properties.append("file=\(Self.escapeProperty(location.file))")
                properties.append("line=\(location.line)")
                properties.append("col=\(location.column)")
            }
            properties.append("title=\(Self.escapeProperty(diagnostic.id.rawValue))")
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += "\n" + hint }
            output += "::\(command) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
        }
        return output
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// SARIF 2.1.0, for code-scanning uploads.
struct SARIFRenderer: DiagnosticRenderer {
    func render(_ report: ValidationReport) -> String {
        let diagnostics = report.allDiagnostics
        let ruleIDs = Array(Set(diagnostics.map(\.id))).sorted()
        let rules: [JSONValue] = ruleIDs.map { id in
            let example = diagnostics.first { $0.id == id }
            return [
                "id": .string(id.rawValue),
                "shortDescription": ["text": .string(id.rawValue)],
                "help": ["text": .string(example?.hint ?? id.rawValue)],
            ]
        }
        let results: [JSONValue] = diagnostics.map { diagnostic in
            var result: [String: JSONValue] = [
                "ruleId": .string(diagnostic.id.rawValue),
                "ruleIndex": .integer(Int64(ruleIDs.firstIndex(of: diagnostic.id) ?? 0)),
                "level": .string(diagnostic.severity == .note ? "note" : diagnostic.severity.rawValue),
                "message": ["text": .string(diagnostic.message + (diagnostic.hint.map { " (\($0))" } ?? ""))],
            ]
            if let location = diagnostic.location {
                result["locations"] = [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": .string(location.file)],
                            "region": [
                                "startLine": .integer(Int64(location.line)),
                                "startColumn": .integer(Int64(location.column)),
                            ],
                        ]
                    ]
                ]
            }
            return .object(result)
        }
        let document: JSONValue = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "scimctl",
                            "version": .string(Scimctl.version),
                            "informationUri": "https://github.com/scimctl/scimctl",
                            "rules": .array(rules),
                        ]
                    ],
                    "results": .array(results),
                ]
            ],
        ]
        return document.serialized(pretty: true) + "\n"
    }
}

/// JUnit XML: one test case per profile, failing when the profile has errors.
struct JUnitRenderer: DiagnosticRenderer {
    func render(_ report: ValidationReport) -> String {
        let failures = report.entries.filter { $0.diagnostics.hasErrors }.count
        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        output += "<testsuites name=\"scimctl validate\" tests=\"\(report.entries.count)\" failures=\"\(failures)\">\n"
        output += "  <testsuite name=\"scimctl validate mapping\" tests=\"\(report.entries.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        for entry in report.entries {
            output += "    <testcase classname=\"scimctl.validate\" name=\"\(Self.escape(entry.name))\" file=\"\(Self.escape(entry.path))\">\n"
            let errors = entry.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                let body = errors.map { diagnostic in
                    let at = diagnostic.location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
                    return "\(at)\(diagnostic.message) [\(diagnostic.id)]"
                }.joined(separator: "\n")
                output += "      <failure message=\"\(errors.count) error\(errors.count == 1 ? "" : "s")\" type=\"scimctl\">\(Self.escape(body))</failure>\n"
            }
            let others = entry.diagnostics.filter { $0.severity != .error }
            if !others.isEmpty {
                let body = others.map { "\($0.severity.rawValue): \($0.message) [\($0.id)]" }.joined(separator: "\n")
                output += "      <system-out>\(Self.escape(body))</system-out>\n"
            }
            output += "    </testcase>\n"
        }
        output += "  </testsuite>\n</testsuites>\n"
        return output
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                // XML 1.0 forbids most control characters even escaped.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
