import Diagnostics
import Yams

/// Reads profile YAML into a `Profile`, reporting every problem with a file location.
/// Loading never traps: hostile input (binary data, huge files, deep nesting, alias bombs) becomes a diagnostic.
public enum ProfileLoader {
    /// Profiles larger than this are refused before parsing.
    public static let maximumSize = 1 << 20
    /// Nodes visited while checking one document, counting aliases each time they are used.
    static let maximumNodes = 50_000

    public struct Result: Sendable {
        public var profile: Profile?
        public var diagnostics: [Diagnostic]
    }

    /// Loads a profile from bytes. `name` defaults to the file name without its extension.
    public static func load(bytes: [UInt8], file: String, name: String? = nil) -> Result {
        let profileName = name ?? ProfileLoader.profileName(forPath: file)
        let start = SourceLocation(file: file, line: 1, column: 1)
        if bytes.count > maximumSize {
            return Result(
                profile: nil,
                diagnostics: [
                    .error(
                        .fileTooLarge, "file is \(bytes.count) bytes; profiles are limited to \(maximumSize) bytes",
                        at: start, hint: "a profile is a few kilobytes of YAML; check that this is the right file")
                ])
        }
        if let nul = bytes.firstIndex(of: 0) {
            return Result(
                profile: nil,
                diagnostics: [
                    .error(
                        .binaryFile, "file holds binary data (a NUL byte at offset \(nul)), not YAML text", at: start,
                        hint: "profiles are UTF-8 YAML text")
                ])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Result(
                profile: nil,
                diagnostics: [
                    .error(.binaryFile, "file is not valid UTF-8 text", at: start, hint: "save the profile as UTF-8")
                ])
        }
        return load(text: text, file: file, name: profileName)
    }

    public static func load(text original: String, file: String, name: String? = nil) -> Result {
        // Editors on Windows save UTF-8 with a byte order mark; the YAML parser rejects it, editors never show it.
        let text = original.unicodeScalars.first == "\u{FEFF}" ? String(original.unicodeScalars.dropFirst()) : original
        let profileName = name ?? ProfileLoader.profileName(forPath: file)
        let start = SourceLocation(file: file, line: 1, column: 1)
        if text.utf8.count > maximumSize {
            return Result(
                profile: nil,
                diagnostics: [.error(.fileTooLarge, "profile is larger than \(maximumSize) bytes", at: start)])
        }
        if text.allSatisfy({ $0.isWhitespace }) {
            return Result(
                profile: nil,
                diagnostics: [
                    .error(
                        .emptyProfile, "profile is empty", at: start,
                        hint: "start from a bundled profile: scimctl init VENDOR")
                ])
        }
        if let deep = NestingScan.firstExcess(in: text, file: file) {
            return Result(profile: nil, diagnostics: [deep])
        }
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return Result(profile: nil, diagnostics: [.error(.emptyProfile, "profile is empty", at: start)])
            }
            root = composed
        } catch let error as YamlError {
            return Result(profile: nil, diagnostics: [diagnostic(for: error, file: file)])
        } catch {
            return Result(
                profile: nil, diagnostics: [.error(.yamlSyntax, "could not read YAML: \(error)", at: start)])
        }
        var reader = ProfileReader(file: file, text: text)
        let profile = reader.read(root: root, name: profileName)
        return Result(profile: reader.aborted ? nil : profile, diagnostics: reader.diagnostics)
    }

    /// `Profiles/flosum.yaml` → `flosum`.
    public static func profileName(forPath path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) {
            return String(base.dropLast(suffix.count))
        }
        return base
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func location(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
        }
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error(
                .duplicateKey, "duplicate key \(keys) in a mapping", at: location(context.mark),
                hint: "each key may appear once; remove or merge the repeated entry")
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text): \(problem)" } ?? problem
            return .error(
                .yamlSyntax, "invalid YAML: \(detail)", at: location(mark),
                hint: "check indentation, quoting and ':' separators around this point")
        case .reader(let problem, _, _, _):
            return .error(.yamlSyntax, "invalid YAML text: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return .error(.yamlSyntax, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// Finds nesting deep enough to exhaust a recursive YAML composer, before the composer sees it.
/// Real profiles nest fewer than ten levels; the limits leave ample room.
enum NestingScan {
    static let maximumFlowDepth = 64
    static let maximumIndentation = 256
    static let maximumChainedItems = 32

    static func firstExcess(in text: String, file: String) -> Diagnostic? {
        var flowDepth = 0
        var line = 1
        var column = 0
        var atLineStart = true
        var indentation = 0
        var chained = 0
        var quote: Character?
        var inComment = false
        var previous: Character = "\n"
        for character in text {
            column += 1
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 0
                atLineStart = true
                indentation = 0
                chained = 0
                inComment = false
                if quote == "'" || quote == "\"" {
                    // Quoted scalars may span lines; keep the quote open.
                }
                previous = "\n"
                continue
            }
            if inComment { continue }
            if atLineStart {
                if character == " " {
                    indentation += 1
                    if indentation > maximumIndentation {
                        return excess(file, line, column, "indentation deeper than \(maximumIndentation) columns")
                    }
                    previous = character
                    continue
                }
                if character == "-" {
                    chained += 1
                    if chained > maximumChainedItems {
                        return excess(file, line, column, "more than \(maximumChainedItems) nested list items on one line")
                    }
                    previous = character
                    continue
                }
                atLineStart = false
            }
            if let open = quote {
                if character == open { quote = nil }
                previous = character
                continue
            }
            switch character {
            case "#" where previous == " " || previous == "\n" || previous == "\t":
                inComment = true
            case "\"", "'":
                if previous == " " || previous == "[" || previous == "{" || previous == "," || previous == ":"
                    || previous == "\n" || previous == "-"
                {
                    quote = character
                }
            case "[", "{":
                flowDepth += 1
                if flowDepth > maximumFlowDepth {
                    return excess(file, line, column, "brackets nested deeper than \(maximumFlowDepth) levels")
                }
            case "]", "}":
                flowDepth = max(0, flowDepth - 1)
            default:
                break
            }
            previous = character
        }
        return nil
    }

    private static func excess(_ file: String, _ line: Int, _ column: Int, _ what: String) -> Diagnostic {
        .error(
            .nestingTooDeep, "YAML nesting too deep: \(what)", at: SourceLocation(file: file, line: line, column: column),
            hint: "profiles nest only a few levels; this does not look like a profile")
    }
}
