import Diagnostics

/// The outcome of checking one expression.
public struct CheckedExpression: Sendable {
    /// The tree, only when there are no errors.
    public var expression: Expression?
    /// Syntax and meaning findings, in source order.
    public var diagnostics: [Diagnostic]
    /// The located tree as far as it could be recovered (for tools that want positions).
    public var syntax: ExpressionSyntax?

    public var isValid: Bool { !diagnostics.hasErrors }
}

/// The kind of provisioning job an expression runs in; some functions only exist for some jobs.
public enum ProvisioningJobKind: String, Sendable, Hashable {
    /// Entra ID → a SCIM app (the non-gallery `scim` / `customappsso` templates).
    case scim
    /// HR (Workday, SuccessFactors, API-driven) → on-premises Active Directory.
    case hrToActiveDirectory
}

/// Syntax plus meaning: functions against `FunctionCatalog`, attributes against `SourceAttributeCatalog`.
public enum ExpressionChecker {
    public static func check(_ text: String, object: SourceObjectType?, at base: SourceLocation?) -> CheckedExpression {
        check(text, object: object, at: base, job: .scim)
    }

    public static func check(
        _ text: String, object: SourceObjectType?, at base: SourceLocation?, job: ProvisioningJobKind
    ) -> CheckedExpression {
        check(text, object: object, job: job) { LocationMapper(text: text, base: base) }
    }

    /// Checks `text`, locating findings and fix-its through `map` (built only when there is something to locate).
    public static func check<Map: ValueSourceMap>(
        _ text: String, object: SourceObjectType?, job: ProvisioningJobKind = .scim, map: () -> Map
    ) -> CheckedExpression {
        var (syntax, sink) = ExpressionParser.parseLocated(text)
        if let syntax {
            var walker = SemanticWalker(object: object, job: job, sink: sink)
            walker.visit(syntax, context: .topLevel)
            sink = walker.sink
        }
        var diagnostics: [Diagnostic] = []
        if !sink.items.isEmpty {  // mapping offsets to lines costs a pass over the text; skip it when clean
            let mapper = map()
            diagnostics = sink.finished(end: text.unicodeScalars.count).map { $0.diagnostic(in: mapper) }
        }
        let valid = !sink.hasErrors
        return CheckedExpression(expression: valid ? syntax?.expression : nil, diagnostics: diagnostics, syntax: syntax)
    }
}

/// Where a node sits, for rules that depend on the parent.
private struct NodeContext {
    var isTopLevel: Bool
    var parent: String?
    var slot: Int

    static let topLevel = NodeContext(isTopLevel: true, parent: nil, slot: 0)

    /// Comparisons are only meaningful as the condition of IIF or the argument of CBool.
    var allowsComparison: Bool { slot == 0 && (parent == "IIF" || parent == "CBool") }
}

private struct SemanticWalker {
    let object: SourceObjectType?
    let job: ProvisioningJobKind
    var sink: DiagnosticSink

    static let roleFunctions: Set<String> = [
        "AppRoleAssignmentsComplex", "AssertiveAppRoleAssignmentsComplex", "SingleAppRoleAssignment", "AppRoleAssignments",
    ]
    static let predicates: Set<String> = ["IsPresent", "IsNull", "IsNullOrEmpty", "IsNothing"]
    static let dateIntervals: Set<String> = ["yyyy", "m", "d", "ww", "h", "n", "s"]

    mutating func visit(_ node: ExpressionSyntax, context: NodeContext) {
        switch node.kind {
        case .attribute(let name):
            checkAttribute(name, range: node.range)
        case .constant, .number:
            break
        case .comparison(let lhs, let op, let operatorRange, let rhs):
            if !context.allowsComparison {
                sink.add(.error, .expressionMisplacedComparison,
                         "comparison '\(op.rawValue)' is only allowed in the condition of IIF or the argument of CBool",
                         operatorRange, hint: "wrap it as IIF(a \(op.rawValue) b, \"True\", \"False\") or CBool(a \(op.rawValue) b)")
            }
            let inner = NodeContext(isTopLevel: false, parent: nil, slot: 0)
            visit(lhs, context: inner)
            visit(rhs, context: inner)
        case .call(let name, let nameRange, let arguments):
            checkCall(name: name, nameRange: nameRange, arguments: arguments, range: node.range, context: context)
            for (slot, argument) in arguments.enumerated() {
                if let value = argument.value {
                    visit(value, context: NodeContext(isTopLevel: false, parent: name, slot: slot))
                }
            }
        }
    }

    private mutating func checkCall(
        name: String, nameRange: SourceRange, arguments: [ArgumentSyntax], range: SourceRange, context: NodeContext
    ) {
        guard !name.isEmpty else { return }  // a nameless group already reported by the parser
        var resolved = FunctionCatalog.signature(named: name)
        if resolved == nil {
            if let other = FunctionCatalog.signature(caseInsensitive: name) {
                sink.add(.error, .expressionFunctionCase, "function '\(name)' is spelled '\(other.name)'", nameRange,
                         hint: "function names are case-sensitive", fix: (nameRange, other.name))
                resolved = other
            } else {
                let suggestion = FunctionCatalog.suggestion(for: name)
                sink.add(.error, .expressionUnknownFunction, "unknown function '\(name)'", nameRange,
                         hint: suggestion.map { "did you mean '\($0)'?" } ?? "see 'scimctl validate expression --list-functions'",
                         fix: suggestion.map { (nameRange, $0) })
                return
            }
        }
        guard let signature = resolved else { return }
        let canonical = signature.name
        let count = arguments.count

        if signature.availability != .provisioning {
            let source = signature.availability == .cloudSyncOnly
                ? "only documented for Entra Cloud Sync" : "only seen in a 2019 Graph sample"
            sink.add(.warning, .expressionFunctionNotForProvisioning, "'\(canonical)' is \(source)", nameRange,
                     hint: "app provisioning may reject it; prefer a documented function")
        }

        if canonical == "FormatDateTime", count == 3 {
            let insertAt = arguments[0].range.upperBound
            sink.add(.error, .expressionLegacyFormatDateTime,
                     "'FormatDateTime' takes 4 arguments; the second (dateTimeStyles) may be left empty", nameRange,
                     hint: "write FormatDateTime(source, , inputFormat, outputFormat)",
                     fix: (SourceRange(insertAt, insertAt), ", "))
            return
        }

        if count < signature.minArguments || (signature.maxArguments.map { count > $0 } ?? false) {
            let expected: String
            if let max = signature.maxArguments, max == signature.minArguments {
                expected = max == 1 ? "1 argument" : "\(max) arguments"
            } else if let max = signature.maxArguments {
                expected = "\(signature.minArguments) to \(max) arguments"
            } else {
                expected = "at least \(signature.minArguments) arguments"
            }
            var at = nameRange
            if let max = signature.maxArguments, count > max { at = arguments[max].range }
            sink.add(.error, .expressionArgumentCount, "'\(canonical)' takes \(expected) but \(count) given", at,
                     hint: "expected \(signature.synopsis)")
        } else if canonical == "Switch", count % 2 != 0 {
            sink.add(.error, .expressionSwitchPairs,
                     "'Switch' needs a source, a default slot and key/value pairs; \(count) arguments leave a key without a value",
                     nameRange, hint: "leave the default empty with ', ,' as in Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")")
        }

        for (slot, argument) in arguments.enumerated() where argument.value == nil {
            guard let parameter = signature.parameter(forSlot: slot), parameter.isRequired else { continue }
            sink.add(.error, .expressionMissingArgument,
                     "required argument '\(parameter.name)' of '\(canonical)' is empty", argument.range,
                     hint: "only optional arguments may be left empty")
        }

        switch canonical {
        case "SelectUniqueValue":
            if job == .scim {
                sink.add(.error, .expressionJobKind,
                         "'SelectUniqueValue' only works in HR to on-premises Active Directory jobs", nameRange,
                         hint: "SCIM provisioning cannot check uniqueness in the target")
            } else if !context.isTopLevel {
                sink.add(.error, .expressionNotTopLevel, "'SelectUniqueValue' must be the outermost function", nameRange)
            }
        case "IgnoreFlowIfNullOrEmpty":
            if !context.isTopLevel {
                sink.add(.warning, .expressionNotTopLevel, "'IgnoreFlowIfNullOrEmpty' is normally the outermost function",
                         nameRange, hint: "nested, it cannot drop the attribute from the flow")
            }
        case "Switch":
            if let first = arguments.first?.value, case .call(let inner, let innerRange, _) = first.kind,
                Self.predicates.contains(inner)
            {
                sink.add(.warning, .expressionSwitchSourcePredicate,
                         "do not use '\(inner)' as the source of Switch", innerRange,
                         hint: "switch on the attribute itself and add a \"\" key for empty values")
            }
        case "Replace":
            // Slot 2 is the regex pattern; a constant one is compiled now, so a bad or unsupported pattern fails
            // validation instead of the provisioning run.
            if arguments.count > 2, let value = arguments[2].value, case .constant(let pattern) = value.kind {
                do {
                    _ = try BoundedRegex(pattern)
                } catch {
                    sink.add(.error, .expressionRegex, "regular expression of 'Replace' is not usable: \(error.message)",
                             value.range, hint: "scimctl matches in linear time and refuses backreferences and lookaround")
                }
            }
        case "DateAdd", "DateDiff":
            if let first = arguments.first?.value, case .constant(let interval) = first.kind,
                !Self.dateIntervals.contains(interval)
            {
                sink.add(.error, .expressionDateInterval, "unknown date interval \"\(interval)\"", first.range,
                         hint: "use one of yyyy, m, d, ww, h, n, s")
            }
        default:
            break
        }

        if Self.roleFunctions.contains(canonical), let first = arguments.first?.value {
            var ok = false
            if case .attribute(let attribute) = first.kind, attribute == "appRoleAssignments" { ok = true }
            if !ok {
                sink.add(.error, .expressionRoleArgument, "'\(canonical)' takes the [appRoleAssignments] attribute",
                         first.range, fix: (first.range, "[appRoleAssignments]"))
            }
        }
    }

    private mutating func checkAttribute(_ name: String, range: SourceRange) {
        guard let object else { return }
        if SourceAttributeCatalog.contains(name, object: object) { return }
        let nameScalars = name.unicodeScalars.count
        // Point the fix at the name inside the brackets when the reference is written plainly.
        let nameRange = range.length == nameScalars + 2 ? SourceRange(range.lowerBound + 1, range.upperBound - 1) : range
        func replacement(_ fixed: String) -> String { nameRange == range ? "[\(fixed)]" : fixed }
        let objectName = object.rawValue
        if let exact = SourceAttributeCatalog.attributes(object: object).first(where: { $0.name.lowercased() == name.lowercased() }) {
            sink.add(.error, .expressionAttributeCase, "attribute '\(name)' is spelled '\(exact.name)'", range,
                     hint: "attribute names are case-sensitive", fix: (nameRange, replacement(exact.name)))
            return
        }
        if SourceAttributeCatalog.isKnownUnavailable(name) {
            sink.add(.error, .expressionUnavailableAttribute, "'\(name)' is not available as a \(objectName) source attribute",
                     range, hint: "sync it into a directory extension attribute and map that instead")
            return
        }
        let suggestion = SourceAttributeCatalog.suggestion(for: name, object: object)
        sink.add(.error, .expressionUnknownAttribute, "unknown \(objectName) attribute '\(name)'", range,
                 hint: suggestion.map { "did you mean '\($0)'?" } ?? "check the attribute list of the job schema",
                 fix: suggestion.map { (nameRange, replacement($0)) })
    }
}
