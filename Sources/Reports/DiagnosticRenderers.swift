import Diagnostics
import Foundation
import GraphModel
import ProfileTranslation
import VendorProfiles

public enum DiagnosticFormat: String, CaseIterable, Sendable {
    case text, json, github, sarif, junit, markdown
    case azureDevOps = "azure-devops"

    /// The renderer for this format; `toolVersion` is what SARIF names as the tool's version.
    public func renderer(color: Bool, toolVersion: String) -> any DiagnosticRenderer {
        switch self {
        case .text: TextRenderer(style: Style(enabled: color))
        case .json: JSONRenderer()
        case .github: GitHubRenderer()
        case .sarif: SARIFRenderer(toolVersion: toolVersion)
        case .junit: JUnitRenderer()
        case .markdown: MarkdownDiagnosticRenderer()
        case .azureDevOps: AzureDevOpsRenderer()
        }
    }
}

/// Paths as reports show them: relative to the working directory when a file lies under it, so names stay short,
/// unique and meaningful on another machine (a CI checkout has a different absolute path every run).
public enum ReportPath {
    public static func relative(_ path: String, to directory: String = FileManager.default.currentDirectoryPath) -> String {
        guard path.hasPrefix("/") else { return path.hasPrefix("./") ? String(path.dropFirst(2)) : path }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// An RFC 3986 URI reference for a path: relative paths stay relative, absolute ones become `file://` URIs,
    /// and every byte outside the unreserved set (and `/`) is percent-encoded.
    public static func uri(_ path: String) -> String {
        let relativePath = relative(path)
        let encoded = percentEncoded(relativePath)
        return relativePath.hasPrefix("/") ? "file://" + encoded : encoded
    }

    public static func percentEncoded(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// One output format for diagnostics.
public protocol DiagnosticRenderer {
    func render(_ report: ValidationReport) -> String
}

/// Compiler-style lines with a caret under the spot, as editors and terminals expect.
public struct TextRenderer: DiagnosticRenderer {
    public var style: Style

    public init(style: Style) { self.style = style }

    public func render(_ report: ValidationReport) -> String {
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

    /// Every diagnostic's lines, in output order, without the summary.
    public func lines(_ diagnostics: [Diagnostic], texts: [String: String]) -> String {
        diagnostics.sortedForOutput().map { line(for: $0, texts: texts) }.joined()
    }

    public func line(for diagnostic: Diagnostic, texts: [String: String]) -> String {
        let label: String
        switch diagnostic.severity {
        case .error: label = style.red("error:")
        case .warning: label = style.yellow("warning:")
        case .note: label = style.cyan("note:")
        }
        var output = ""
        if let location = diagnostic.location {
            output += style.bold("\(TerminalText.escaped(location.file)):\(location.line):\(location.column):") + " "
        }
        let message = TerminalText.escaped(diagnostic.message)
        output += "\(label) \(style.bold(message)) \(style.dim("[\(TerminalText.escaped(diagnostic.id.rawValue))]"))\n"
        if let location = diagnostic.location, let text = texts[location.file],
            let snippet = Self.snippet(text: text, line: location.line, column: location.column)
        {
            output += snippet.line + "\n" + snippet.caretPad + style.green("^") + "\n"
        }
        for note in diagnostic.notes { output += "  note: \(TerminalText.escaped(note))\n" }
        if let hint = diagnostic.hint { output += "  " + style.cyan("hint:") + " \(TerminalText.escaped(hint))\n" }
        return output
    }

    /// The source line and the padding that puts a caret under `column` (tabs kept so the caret lines up).
    /// Control characters in the line are not echoed (the line is dropped), and a password in a URL is masked.
    public static func snippet(text: String, line: Int, column: Int) -> (line: String, caretPad: String)? {
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
        if TerminalText.escaped(source) != source { return nil }
        let masked = maskingURLPasswords(source)
        let pad = source.unicodeScalars.prefix(max(column - 1, 0)).map { $0 == "\t" ? "\t" : " " }.joined()
        return (masked, pad)
    }

    /// `https://user:secret@host` → `https://user:***@host` anywhere in a line (same length is not kept; the caret
    /// still lines up for everything before the password, which is where URL findings point).
    public static func maskingURLPasswords(_ line: String) -> String {
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
public struct JSONRenderer: DiagnosticRenderer {
    public init() {}

    public func render(_ report: ValidationReport) -> String {
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
public struct GitHubRenderer: DiagnosticRenderer {
    public init() {}

    public func render(_ report: ValidationReport) -> String {
        var output = ""
        for (diagnostic, location) in report.locatedDiagnostics {
            let command: String
            switch diagnostic.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            var properties: [String] = []
            if let location {
                properties.append("file=\(Self.escapeProperty(ReportPath.relative(location.file)))")
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

    public static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    public static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// SARIF 2.1.0, for code-scanning uploads. GitHub rejects a whole file when one result lacks a location, so every
/// result has one (file-level findings point at the profile's first line), URIs are percent-encoded, and each rule
/// carries its full metadata.
public struct SARIFRenderer: DiagnosticRenderer {
    public var toolVersion: String

    public init(toolVersion: String) { self.toolVersion = toolVersion }

    public func render(_ report: ValidationReport) -> String {
        let located = report.locatedDiagnostics
        let ruleIDs = Array(Set(located.map(\.diagnostic.id))).sorted()
        let rules: [JSONValue] = ruleIDs.map { id in
            let severities = located.filter { $0.diagnostic.id == id }.map(\.diagnostic.severity)
            return Self.rule(id, observed: severities.max() ?? .warning)
        }
        let results: [JSONValue] = located.map { diagnostic, location in
            var result: [String: JSONValue] = [
                "ruleId": .string(diagnostic.id.rawValue),
                "ruleIndex": .integer(Int64(ruleIDs.firstIndex(of: diagnostic.id) ?? 0)),
                "level": .string(Self.level(diagnostic.severity)),
                "message": ["text": .string(diagnostic.message + (diagnostic.hint.map { " (\($0))" } ?? ""))],
            ]
            if let location {
                result["locations"] = [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": .string(ReportPath.uri(location.file))],
                            "region": [
                                "startLine": .integer(Int64(max(location.line, 1))),
                                "startColumn": .integer(Int64(max(location.column, 1))),
                            ],
                        ]
                    ]
                ]
            }
            if let fixIt = diagnostic.fixIt {
                result["fixes"] = [
                    [
                        "description": ["text": .string("replace with '\(fixIt.replacement)'")],
                        "artifactChanges": [
                            [
                                "artifactLocation": ["uri": .string(ReportPath.uri(fixIt.location.file))],
                                "replacements": [
                                    [
                                        "deletedRegion": [
                                            "startLine": .integer(Int64(max(fixIt.location.line, 1))),
                                            "startColumn": .integer(Int64(max(fixIt.location.column, 1))),
                                            "endColumn": .integer(Int64(max(fixIt.location.column, 1) + fixIt.length)),
                                        ],
                                        "insertedContent": ["text": .string(fixIt.replacement)],
                                    ]
                                ],
                            ]
                        ],
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
                            "version": .string(toolVersion),
                            "semanticVersion": .string(toolVersion),
                            "informationUri": .string(RuleText.projectURI),
                            "rules": .array(rules),
                        ]
                    ],
                    "columnKind": "unicodeCodePoints",
                    "results": .array(results),
                ]
            ],
        ]
        return document.serialized(pretty: true) + "\n"
    }

    public static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// A reportingDescriptor from the registry: id, readable name, descriptions, help, default level and tags.
    /// `observed` is the level for an id the registry lacks (a test keeps that from happening).
    public static func rule(_ id: DiagnosticID, observed: Severity) -> JSONValue {
        let entry = DiagnosticRegistry.rule(id)
        let summary = entry?.summary ?? "A finding (\(id.rawValue))"
        let category = DiagnosticRegistry.title(ofCategory: entry?.category ?? id.rawValue)
        let help = entry.map(RuleText.help) ?? summary
        return [
            "id": .string(id.rawValue),
            "name": .string(entry?.name ?? id.rawValue),
            "shortDescription": ["text": .string(summary)],
            "fullDescription": ["text": .string(entry?.explanation ?? summary)],
            "help": ["text": .string(help), "markdown": .string(entry.map(RuleText.markdownHelp) ?? summary)],
            "helpUri": .string(RuleText.documentationURI(for: id)),
            "defaultConfiguration": ["level": .string(level(entry?.severity ?? observed))],
            "properties": ["tags": .array([.string(category), "scim-provisioning"])],
        ]
    }
}

/// JUnit XML: one test case per profile, named by its relative path (unique, and meaningful in a CI's test view).
/// A case fails when the profile has an error, or a warning under `--strict`, so failures agree with the exit code.
public struct JUnitRenderer: DiagnosticRenderer {
    public init() {}

    public func render(_ report: ValidationReport) -> String {
        let names = Self.uniqueNames(report.entries.map { $0.path.isEmpty ? $0.name : ReportPath.relative($0.path) })
        let failures = report.entries.filter { $0.diagnostics.contains(where: report.fails) }.count
        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        output += "<testsuites name=\"scimctl validate\" tests=\"\(report.entries.count)\" failures=\"\(failures)\">\n"
        output += "  <testsuite name=\"scimctl validate mapping\" tests=\"\(report.entries.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        for (entry, name) in zip(report.entries, names) {
            let file = entry.path.isEmpty ? "" : " file=\"\(Self.escape(ReportPath.relative(entry.path)))\""
            output += "    <testcase classname=\"scimctl.validate\" name=\"\(Self.escape(name))\"\(file)>\n"
            let failing = entry.diagnostics.filter(report.fails)
            if !failing.isEmpty {
                let body = failing.map { diagnostic in
                    let at = diagnostic.location.map { "\(ReportPath.relative($0.file)):\($0.line):\($0.column): " } ?? ""
                    return "\(at)\(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.id)]"
                }.joined(separator: "\n")
                let errors = failing.errorCount
                let warnings = failing.warningCount
                var counts: [String] = []
                if errors > 0 { counts.append("\(errors) error\(errors == 1 ? "" : "s")") }
                if warnings > 0 { counts.append("\(warnings) warning\(warnings == 1 ? "" : "s") (--strict)") }
                output += "      <failure message=\"\(counts.joined(separator: ", "))\" type=\"scimctl\">\(Self.escape(body))</failure>\n"
            }
            let others = entry.diagnostics.filter { !report.fails($0) }
            if !others.isEmpty {
                let body = others.map { "\($0.severity.rawValue): \($0.message) [\($0.id)]" }.joined(separator: "\n")
                output += "      <system-out>\(Self.escape(body))</system-out>\n"
            }
            output += "    </testcase>\n"
        }
        output += "  </testsuite>\n</testsuites>\n"
        return output
    }

    /// Names made unique by numbering repeats (`a.yaml`, `a.yaml #2`), since CI systems merge cases with one name.
    public static func uniqueNames(_ names: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return names.map { name in
            let count = (seen[name] ?? 0) + 1
            seen[name] = count
            return count == 1 ? name : "\(name) #\(count)"
        }
    }

    public static func escape(_ text: String) -> String {
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

/// Azure Pipelines logging commands: one `task.logissue` per error or warning (annotations on the run), then
/// `task.complete` with the outcome so the step's result matches the exit code.
public struct AzureDevOpsRenderer: DiagnosticRenderer {
    public init() {}

    public func render(_ report: ValidationReport) -> String {
        var output = ""
        for (diagnostic, location) in report.locatedDiagnostics {
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += " (\(hint))" }
            guard diagnostic.severity != .note else {
                output += "note: \(Self.escapeData(message)) [\(diagnostic.id)]\n"
                continue
            }
            let type = report.fails(diagnostic) ? "error" : "warning"
            var properties = ["type=\(type)"]
            if let location {
                properties.append("sourcepath=\(Self.escapeProperty(ReportPath.relative(location.file)))")
                properties.append("linenumber=\(location.line)")
                properties.append("columnnumber=\(location.column)")
            }
            properties.append("code=\(Self.escapeProperty(diagnostic.id.rawValue))")
            output += "##vso[task.logissue \(properties.joined(separator: ";"))]\(Self.escapeData(message))\n"
        }
        let summary = "\(report.entries.count) profile\(report.entries.count == 1 ? "" : "s") checked: \(report.errorCount) errors, \(report.warningCount) warnings"
        if report.failed {
            output += "##vso[task.complete result=Failed;]\(Self.escapeData(summary))\n"
        } else if report.warningCount > 0 {
            output += "##vso[task.complete result=SucceededWithIssues;]\(Self.escapeData(summary))\n"
        } else {
            output += Self.escapeData(summary) + "\n"
        }
        return output
    }

    /// The agent's escaping: `%` first (as `%AZP25`), then line breaks; properties also escape `;` and `]`.
    public static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%AZP25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    public static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ";", with: "%3B").replacingOccurrences(of: "]", with: "%5D")
    }
}

/// A Markdown findings table, for a GitHub job summary or a pull-request comment.
public struct MarkdownDiagnosticRenderer: DiagnosticRenderer {
    public init() {}

    public func render(_ report: ValidationReport) -> String {
        let profiles = report.entries.count
        let verdict = report.failed ? "❌" : (report.warningCount > 0 ? "⚠️" : "✅")
        var output = "### \(verdict) scimctl validate: \(profiles) profile\(profiles == 1 ? "" : "s"), "
        output += "\(report.errorCount) error\(report.errorCount == 1 ? "" : "s"), "
        output += "\(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")\n\n"
        let findings = report.locatedDiagnostics
        if findings.isEmpty {
            output += "No findings.\n"
            return output
        }
        output += "| severity | location | rule | finding |\n|---|---|---|---|\n"
        for (diagnostic, location) in findings {
            let place = location.map { "`\(Markdown.code(ReportPath.relative($0.file))):\($0.line):\($0.column)`" } ?? ""
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += " — \(hint)" }
            output += "| \(diagnostic.severity.rawValue) | \(place) | `\(diagnostic.id.rawValue)` | \(Markdown.cell(message)) |\n"
        }
        return output
    }
}

/// Escaping for text placed in Markdown tables and code spans.
public enum Markdown {
    /// Table cell text: pipes, line breaks and HTML-significant characters made inert.
    public static func cell(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "|": result += "\\|"
            case "\n", "\r", "\r\n": result += " "
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "`", "*", "_", "[", "]", "\\": result += "\\" + String(character)
            default: result.append(character)
            }
        }
        return result
    }

    /// A code fence longer than any run of backticks in `body`, so the body cannot close it early.
    public static func fence(for body: String) -> String {
        var longest = 0
        var run = 0
        for character in body {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// Text inside a code span: backticks and pipes would end the span or the cell.
    public static func code(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
