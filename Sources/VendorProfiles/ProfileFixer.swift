import Diagnostics

/// `scimctl validate mapping --fix`: applies the fix-its of a profile's findings, one at a time, and keeps an edit
/// only when the edited text still loads and has no error the original did not have. An edit that cannot be proved
/// that way is refused and reported, never written on a guess.
public enum ProfileFixer {
    public struct Refusal: Sendable, Hashable {
        public var fixIt: FixIt
        public var reason: String
    }

    public struct Result: Sendable {
        /// The text with every accepted fix applied (the input when none was).
        public var text: String
        public var applied: Int
        public var refused: [Refusal]
    }

    /// Fixes `text` (the profile file `file`). `parameters` are the values `validate` would be run with.
    public static func fix(text original: String, file: String, name: String? = nil, parameters: [String: String] = [:])
        -> Result
    {
        // The loader reads the text without a byte order mark, so positions are relative to that; keep the mark.
        let bom = original.unicodeScalars.first == "\u{FEFF}"
        var text = bom ? String(original.unicodeScalars.dropFirst()) : original
        guard var baseline = Outcome(text: text, file: file, name: name, parameters: parameters) else {
            return Result(text: original, applied: 0, refused: [])
        }
        var fixes = Array(Set(baseline.diagnostics.compactMap(\.fixIt).filter { $0.location.file == file }))
        // Last first, so the positions of the ones still to come stay valid.
        fixes.sort { ($0.location.line, $0.location.column, $0.length) > ($1.location.line, $1.location.column, $1.length) }
        var applied = 0
        var refused: [Refusal] = []
        var lastStart: (line: Int, column: Int)?
        for fixIt in fixes {
            if let lastStart, lastStart.line == fixIt.location.line, fixIt.location.column + fixIt.length > lastStart.column {
                refused.append(Refusal(fixIt: fixIt, reason: "it overlaps another fix on the same line"))
                continue
            }
            guard let candidate = apply(fixIt, to: text) else {
                refused.append(Refusal(fixIt: fixIt, reason: "its position is outside the line it names"))
                continue
            }
            guard let outcome = Outcome(text: candidate, file: file, name: name, parameters: parameters) else {
                refused.append(Refusal(fixIt: fixIt, reason: "the edited file would no longer load"))
                continue
            }
            if let added = outcome.newError(comparedWith: baseline) {
                refused.append(Refusal(fixIt: fixIt, reason: "the edit would add an error (\(added))"))
                continue
            }
            text = candidate
            baseline = outcome
            applied += 1
            lastStart = (fixIt.location.line, fixIt.location.column)
        }
        return Result(text: applied == 0 ? original : (bom ? "\u{FEFF}" + text : text), applied: applied, refused: refused)
    }

    /// The findings for a text that loads into a profile; nil when it does not load (a YAML error, a shape error
    /// that leaves no profile).
    struct Outcome {
        var diagnostics: [Diagnostic]
        var errors: [DiagnosticID: Int]

        init?(text: String, file: String, name: String?, parameters: [String: String]) {
            let loaded = ProfileLoader.load(text: text, file: file, name: name)
            guard let profile = loaded.profile else { return nil }
            // As `validate mapping` does: the validator runs on whatever profile loaded, shape errors or not, so a
            // fix that clears a shape error is not blamed for the findings the validator then reports.
            diagnostics = loaded.diagnostics + ProfileValidator.validate(profile, parameters: parameters)
            errors = diagnostics.filter { $0.severity == .error }.reduce(into: [:]) { $0[$1.id, default: 0] += 1 }
        }

        /// The id of an error this outcome has more of than `baseline`, if any.
        func newError(comparedWith baseline: Outcome) -> DiagnosticID? {
            errors.first { $0.value > baseline.errors[$0.key, default: 0] }?.key
        }
    }

    /// `text` with one fix-it applied, or nil when the fix-it does not fit within its line.
    /// Lines end at `\n`, `\r\n` or `\r`; a fix never touches a line break.
    public static func apply(_ fixIt: FixIt, to text: String) -> String? {
        let source = SourceText(file: "", text: text)
        guard let start = source.index(line: fixIt.location.line, column: fixIt.location.column), fixIt.length >= 0
        else { return nil }
        var lineEnd = start
        while lineEnd < source.scalars.count, !source.isBreak(lineEnd) { lineEnd += 1 }
        let lineStart = source.lineStarts[fixIt.location.line - 1]
        guard start >= lineStart, start + fixIt.length <= lineEnd else { return nil }
        var scalars = source.scalars
        scalars.replaceSubrange(start..<start + fixIt.length, with: Array(fixIt.replacement.unicodeScalars))
        return String(String.UnicodeScalarView(scalars))
    }
}
