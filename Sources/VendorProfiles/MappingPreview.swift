import Diagnostics
import Expressions

/// One mapping evaluated against a sample user or group.
public struct PreviewedMapping: Sendable {
    public var mapping: AttributeMapping
    /// Nil when evaluation failed; `.null` when the source is empty (the target is then not sent).
    public var value: EvaluationValue?
    public var error: String?
}

/// An application's effective mappings for one object kind, parsed once so they can be evaluated against one
/// sample (`preview`) or a whole directory (`simulate`) without re-reading any expression.
public struct CompiledMappings: Sendable {
    public struct Entry: Sendable {
        public var mapping: AttributeMapping
        enum Source: Sendable {
            case attribute(String)
            case constant(String)
            case expression(Expression)
            /// The expression does not parse; the message says why.
            case invalid(String)
        }
        var source: Source
        /// The vendor's value formats for this target (users only).
        public var formats: [ValueFormatRule]
    }

    public let kind: ObjectKind
    public let entries: [Entry]
    /// Whether the object mapping is switched on (the template's default when the profile does not say).
    public let enabled: Bool

    public init(_ application: ResolvedApplication, kind: ObjectKind, rules: VendorRules) {
        let mapping = application.objectMapping(kind)
        let sourceObject: SourceObjectType = kind == .user ? .user : .group
        self.kind = kind
        enabled = mapping.enabled ?? SCIMTemplate.defaultEnabled(for: kind)
        entries = ProfileValidator.effectiveMappings(mapping).map { attribute in
            let source: Entry.Source
            switch attribute.source {
            case .attribute(let name): source = .attribute(name)
            case .constant(let text): source = .constant(text)
            case .expression(let text):
                let checked = ExpressionChecker.check(text, object: sourceObject, at: attribute.sourceLocation)
                if let expression = checked.expression {
                    source = .expression(expression)
                } else {
                    source = .invalid(checked.diagnostics.first { $0.severity == .error }?.message ?? "invalid expression")
                }
            }
            let formats = kind == .user ? rules.valueFormats.filter { $0.target == attribute.target } : []
            return Entry(mapping: attribute, source: source, formats: formats)
        }
    }

    /// Every source attribute the mappings read, each once, in first-use order.
    public var sourceAttributes: [String] {
        var seen: Set<String> = []
        var names: [String] = []
        func add(_ name: String) { if seen.insert(name).inserted { names.append(name) } }
        for entry in entries {
            switch entry.source {
            case .attribute(let name): add(name)
            case .expression(let expression): expression.attributeNames.forEach(add)
            case .constant, .invalid: break
            }
        }
        return names
    }

    /// Evaluates every mapping as Entra would: an empty source gives `.null` (the target is not sent) unless the
    /// mapping has a default value.
    public func evaluate(_ object: [String: EvaluationValue], evaluator: ExpressionEvaluator = ExpressionEvaluator())
        -> [PreviewedMapping]
    {
        zip(entries, values(object, evaluator: evaluator)).map {
            PreviewedMapping(mapping: $0.mapping, value: $1.value, error: $1.error)
        }
    }

    /// The results alone, in entry order (no copy of each mapping, for directory-sized runs).
    public func values(_ object: [String: EvaluationValue], evaluator: ExpressionEvaluator = ExpressionEvaluator())
        -> [(value: EvaluationValue?, error: String?)]
    {
        entries.map { entry in
            var value: EvaluationValue?
            var failure: String?
            switch entry.source {
            case .attribute(let name): value = object[name] ?? .null
            case .constant(let text): value = .string(text)
            case .expression(let expression):
                do {
                    value = try evaluator.evaluate(expression, object: object)
                } catch {
                    failure = String(describing: error)
                }
            case .invalid(let message): failure = message
            }
            if let current = value, current.texts.isEmpty, let fallback = entry.mapping.defaultValue {
                value = .string(fallback)
            }
            return (value, failure)
        }
    }
}

/// The portal's expression builder, offline: evaluates an application's effective mappings for one object and
/// checks the vendor's value formats on the results.
public enum MappingPreview {
    public static func evaluate(
        _ application: ResolvedApplication, kind: ObjectKind, rules: VendorRules, object: [String: EvaluationValue],
        evaluator: ExpressionEvaluator = ExpressionEvaluator()
    ) -> (mappings: [PreviewedMapping], diagnostics: [Diagnostic]) {
        let compiled = CompiledMappings(application, kind: kind, rules: rules)
        let results = compiled.evaluate(object, evaluator: evaluator)
        var diagnostics: [Diagnostic] = []
        let mapping = application.objectMapping(kind)
        if let reason = ScopingEvaluation.outOfScopeReason(mapping.scopingFilters, object: object) {
            diagnostics.append(
                .warning(
                    .previewOutOfScope, "this sample \(kind.rawValue) is out of scope: \(reason)",
                    at: mapping.location, hint: "Entra would not provision it; the values below show what an in-scope one gets"))
        }
        for (entry, result) in zip(compiled.entries, results) {
            let attribute = entry.mapping
            if let failure = result.error {
                diagnostics.append(
                    .error(
                        .previewEvaluation, "\(attribute.target): \(failure)", at: attribute.sourceLocation,
                        hint: "fix the expression or the sample object"))
            }
            for rule in entry.formats {
                for text in result.value?.texts ?? [] {
                    if let problem = rule.format.problem(with: text) {
                        diagnostics.append(
                            .error(
                                rule.format.diagnosticID, "\(attribute.target) value '\(text)' \(problem)",
                                at: attribute.sourceLocation ?? rule.location, hint: rule.format.hint))
                    }
                }
            }
        }
        if let warning = emptyMatchingAttribute(compiled, results: results, kind: kind) { diagnostics.append(warning) }
        return (results, diagnostics)
    }

    /// The matching attribute (lowest matchingPrecedence) came out empty: the service cannot look the object up in
    /// the app by it. Evaluation failures are reported on their own and not repeated here.
    static func emptyMatchingAttribute(_ compiled: CompiledMappings, results: [PreviewedMapping], kind: ObjectKind) -> Diagnostic? {
        guard compiled.enabled else { return nil }
        let matching = zip(compiled.entries, results).filter { $0.0.mapping.matchingPrecedence != nil }
            .min { ($0.0.mapping.matchingPrecedence ?? 0) < ($1.0.mapping.matchingPrecedence ?? 0) }
        guard let (entry, result) = matching, result.error == nil else { return nil }
        let texts = result.value?.texts ?? []
        guard texts.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let attribute = entry.mapping
        return .warning(
            .previewEmptyMatchingAttribute,
            "\(attribute.target) is the matching attribute and comes out empty for this sample \(kind.rawValue)",
            at: attribute.sourceLocation ?? attribute.matchingPrecedenceLocation,
            hint: "Entra finds the \(kind.rawValue) in the app by this value; without one it cannot be matched and is not "
                + "provisioned. Fill the source attribute in Entra ID, or match on an attribute every \(kind.rawValue) has")
    }
}

extension ValueFormatRule.Format {
    /// What is wrong with `value`, or nil when it follows the format.
    public func problem(with value: String) -> String? {
        switch self {
        case .rfc3966:
            // Global numbers, local numbers with phone-context, extensions and other parameters (TelephoneURI.swift).
            return TelephoneURI.problem(value)
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

    public var diagnosticID: DiagnosticID {
        switch self {
        case .rfc3966: .previewRFC3966
        case .internationalDigits: .previewInternationalDigits
        }
    }

    public var hint: String {
        switch self {
        case .rfc3966: "write phone numbers as tel:+1-201-555-0123 (a local number needs ;phone-context=, e.g. tel:7042;phone-context=example.com)"
        case .internationalDigits: "write the mobile number in full international form, digits only: 441234567890"
        }
    }
}

extension DiagnosticID {
    public static let previewEvaluation: DiagnosticID = "preview.evaluation"
    public static let previewRFC3966: DiagnosticID = "preview.format-rfc3966"
    public static let previewInternationalDigits: DiagnosticID = "preview.format-international-digits"
    public static let previewEmptyMatchingAttribute: DiagnosticID = "preview.empty-matching-attribute"
}
