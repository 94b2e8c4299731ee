import Diagnostics
import Expressions

/// One mapping evaluated against a sample user or group.
public struct PreviewedMapping: Sendable {
    public var mapping: AttributeMapping
    /// Nil when evaluation failed; `.null` when the source is empty (the target is then not sent).
    public var value: EvaluationValue?
    public var error: String?
}

/// The portal's expression builder, offline: evaluates an application's effective mappings for one object and
/// checks the vendor's value formats on the results.
public enum MappingPreview {
    public static func evaluate(
        _ application: ResolvedApplication, kind: ObjectKind, rules: VendorRules, object: [String: EvaluationValue],
        evaluator: ExpressionEvaluator = ExpressionEvaluator()
    ) -> (mappings: [PreviewedMapping], diagnostics: [Diagnostic]) {
        let mapping = application.objectMapping(kind)
        let sourceObject: SourceObjectType = kind == .user ? .user : .group
        var results: [PreviewedMapping] = []
        var diagnostics: [Diagnostic] = []
        if let reason = ScopingEvaluation.outOfScopeReason(mapping.scopingFilters, object: object) {
            diagnostics.append(
                .warning(
                    .previewOutOfScope, "this sample \(kind.rawValue) is out of scope: \(reason)",
                    at: mapping.location, hint: "Entra would not provision it; the values below show what an in-scope one gets"))
        }
        for attribute in ProfileValidator.effectiveMappings(mapping) {
            var value: EvaluationValue?
            var failure: String?
            switch attribute.source {
            case .attribute(let name):
                value = object[name] ?? .null
            case .constant(let text):
                value = .string(text)
            case .expression(let text):
                let checked = ExpressionChecker.check(text, object: sourceObject, at: attribute.sourceLocation)
                if let expression = checked.expression {
                    do {
                        value = try evaluator.evaluate(expression, object: object)
                    } catch {
                        failure = String(describing: error)
                    }
                } else {
                    failure = checked.diagnostics.first { $0.severity == .error }?.message ?? "invalid expression"
                }
            }
            if let current = value, current.texts.isEmpty, let fallback = attribute.defaultValue {
                value = .string(fallback)
            }
            if let failure {
                diagnostics.append(
                    .error(
                        .previewEvaluation, "\(attribute.target): \(failure)", at: attribute.sourceLocation,
                        hint: "fix the expression or the sample object"))
            }
            if kind == .user, let value {
                for rule in rules.valueFormats where rule.target == attribute.target {
                    for text in value.texts {
                        if let problem = rule.format.problem(with: text) {
                            diagnostics.append(
                                .error(
                                    rule.format.diagnosticID, "\(attribute.target) value '\(text)' \(problem)",
                                    at: attribute.sourceLocation ?? rule.location, hint: rule.format.hint))
                        }
                    }
                }
            }
            results.append(PreviewedMapping(mapping: attribute, value: value, error: failure))
        }
        return (results, diagnostics)
    }
}

extension ValueFormatRule.Format {
    /// What is wrong with `value`, or nil when it follows the format.
    public func problem(with value: String) -> String? {
        switch self {
        case .rfc3966:
            // A global RFC 3966 number: tel:+<digits with visual separators>[;parameters].
            guard value.hasPrefix("tel:+") else { return "is not an RFC 3966 tel: URI (expected tel:+<country code>…)" }
            let number = value.dropFirst(5).prefix { $0 != ";" }
            guard let first = number.first, first.isASCII, first.isNumber else {
                return "has no digits after tel:+"
            }
            if let bad = number.first(where: { !($0.isASCII && $0.isNumber) && !"-.()".contains($0) }) {
                return "contains '\(bad)', which RFC 3966 does not allow in a number"
            }
            return nil
        case .internationalDigits:
            if value.hasPrefix("+") { return "starts with '+'; send the international number as digits only" }
            if let bad = value.first(where: { !($0.isASCII && $0.isNumber) }) {
                return "contains '\(bad)'; send digits only, without spaces or dashes"
            }
            if value.hasPrefix("0") { return "starts with 0; international numbers start with the country code" }
            if value.count < 7 || value.count > 15 { return "has \(value.count) digits; international numbers have 7 to 15" }
            return nil
        }
    }

    var diagnosticID: DiagnosticID {
        switch self {
        case .rfc3966: .previewRFC3966
        case .internationalDigits: .previewInternationalDigits
        }
    }

    var hint: String {
        switch self {
        case .rfc3966: "write phone numbers as tel:+1-201-555-0123"
        case .internationalDigits: "write the mobile number in full international form, digits only: 441234567890"
        }
    }
}

extension DiagnosticID {
    public static let previewEvaluation: DiagnosticID = "preview.evaluation"
    public static let previewRFC3966: DiagnosticID = "preview.format-rfc3966"
    public static let previewInternationalDigits: DiagnosticID = "preview.format-international-digits"
}
