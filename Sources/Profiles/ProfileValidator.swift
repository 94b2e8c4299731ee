import Diagnostics
import Expressions

/// The semantic checks of `scimctl validate mapping`, run after a profile loaded without shape errors.
public enum ProfileValidator {
    /// At most this many parameter combinations are checked when values are not given.
    public static let maximumVariants = 64

    /// Validates `profile`. Parameters not in `given` are tried with every allowed value (or their example),
    /// so every variant of the profile is checked. Duplicate findings across variants are reported once.
    public static func validate(_ profile: Profile, parameters given: [String: String] = [:]) -> [Diagnostic] {
        var findings = Findings()
        checkStatic(profile, into: &findings)
        for values in variants(of: profile, given: given) {
            let (resolved, resolutionDiagnostics) = profile.resolve(parameters: values)
            // A lookup table missing an allowed value was already reported once, at the table.
            let reportedLookup = findings.list.contains { $0.id == .tenantURLLookup }
            findings.add(resolutionDiagnostics.filter { !(reportedLookup && $0.id == .tenantURLLookup) })
            guard let resolved else { continue }
            for application in resolved.applications {
                checkTenantURL(application, profile: profile, values: values, into: &findings)
                checkResolvedSettings(application, original: profile.applications, into: &findings)
            }
        }
        for prerequisite in profile.rules.prerequisites {
            findings.add([Diagnostic.note(.vendorPrerequisite, "\(profile.vendor) prerequisite: \(prerequisite)")])
        }
        return findings.list
    }

    /// Parameter combinations to validate: given values win; otherwise every allowed value, the default, or the example.
    public static func variants(of profile: Profile, given: [String: String]) -> [[String: String]] {
        var combinations: [[String: String]] = [given]
        for parameter in profile.parameters where given[parameter.name] == nil && parameter.defaultValue == nil {
            let candidates = parameter.allowedValues ?? [parameter.example ?? "example"]
            var next: [[String: String]] = []
            for combination in combinations {
                for value in candidates where next.count < maximumVariants {
                    var extended = combination
                    extended[parameter.name] = value
                    next.append(extended)
                }
            }
            combinations = next
        }
        return combinations
    }

    // MARK: Checks that need no parameter values

    static func checkStatic(_ profile: Profile, into findings: inout Findings) {
        var names: Set<String> = []
        for application in profile.applications where !names.insert(application.name).inserted {
            findings.add(
                .error(
                    .duplicateApplication, "application name '\(application.name)' is used twice",
                    at: application.location, hint: "application names must be unique within a profile"))
        }
        for parameter in profile.parameters {
            if let value = parameter.defaultValue { findings.add(parameter.check(value: value)) }
            if let pattern = parameter.pattern, (try? Regex(pattern)) == nil {
                findings.add(
                    .error(
                        .parameterPattern, "pattern of parameter '\(parameter.name)' is not a valid regular expression",
                        at: parameter.location))
            }
        }
        for application in profile.applications {
            if case .lookup(let parameterName, let table, let location) = application.tenantURL {
                if let parameter = profile.parameters.first(where: { $0.name == parameterName }) {
                    for value in parameter.allowedValues ?? [] where !table.contains(where: { $0.key == value }) {
                        findings.add(
                            .error(
                                .tenantURLLookup, "tenant URL table has no entry for \(parameterName) '\(value)'",
                                at: location, hint: "add '\(value)' to the table or remove it from the allowed values"))
                    }
                } else {
                    findings.add(
                        .error(
                            .tenantURLLookup, "tenant URL lookup names parameter '\(parameterName)', which is not declared",
                            at: location, hint: "declare '\(parameterName)' under parameters"))
                }
            }
            if let email = application.notificationEmail, Placeholders.names(in: email).isEmpty, !isPlausibleEmail(email) {
                findings.add(
                    .error(
                        .notificationEmail, "'\(email)' is not an e-mail address", at: application.location,
                        hint: "notificationEmail takes one address such as ops@example.com"))
            }
            for kind in ObjectKind.allCases {
                checkObjectMapping(application.objectMapping(kind), profile: profile, into: &findings)
            }
            checkAssignments(application, into: &findings)
            checkLifecycle(application, into: &findings)
        }
        for rule in profile.rules.valueFormats {
            findings.add(typographicQuotes(in: rule.target, at: rule.location, severity: .error))
        }
    }

    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    static func checkObjectMapping(_ mapping: ObjectMapping, profile: Profile, into findings: inout Findings) {
        checkScopingFilters(mapping, into: &findings)
        let kind = mapping.kind
        let sourceObject: SourceObjectType = kind == .user ? .user : .group
        let customNames = Set(mapping.customAttributes.map(\.name))
        var targets: [String: AttributeMapping] = [:]
        for attribute in mapping.mappings {
            let targetLocation = attribute.targetLocation ?? attribute.location
            // Target attribute: syntax, then known to the template or declared custom.
            let quoteFindings = typographicQuotes(in: attribute.target, at: targetLocation, severity: .error)
            findings.add(quoteFindings)
            if quoteFindings.isEmpty {
                if let error = TargetPath.syntaxError(in: attribute.target) {
                    findings.add(
                        .error(
                            .targetSyntax, "invalid target attribute '\(attribute.target)': \(error.message)",
                            at: targetLocation?.advanced(byColumns: error.offset),
                            hint: "write targets like userName, name.givenName or emails[type eq \"work\"].value"))
                } else if SCIMTemplate.targetAttribute(named: attribute.target, for: kind) == nil,
                    !customNames.contains(attribute.target)
                {
                    let known = SCIMTemplate.targetAttributes(for: kind).map(\.name)
                    let suggestion = Suggestions.closest(to: attribute.target, in: known)
                    findings.add(
                        .error(
                            .unknownTarget,
                            "target attribute '\(attribute.target)' is not in the default SCIM \(kind.rawValue) schema",
                            at: targetLocation,
                            hint: suggestion.map { "did you mean '\($0)'?" }
                                ?? "declare it under \(kind.rawValue)s.customAttributes if the vendor defines it",
                            fixIt: suggestion.flatMap { fix in
                                targetLocation.map {
                                    FixIt(location: $0, length: attribute.target.unicodeScalars.count, replacement: fix)
                                }
                            }))
                }
            }
            if let previous = targets[attribute.target] {
                findings.add(
                    Diagnostic(
                        .error, .duplicateTarget, "target attribute '\(attribute.target)' is mapped twice",
                        at: attribute.location, hint: "keep one mapping per target",
                        notes: ["first mapped at \(previous.location?.description ?? "?")"]))
            } else {
                targets[attribute.target] = attribute
            }
            // Source.
            switch attribute.source {
            case .attribute(let name):
                findings.add(typographicQuotes(in: name, at: attribute.sourceLocation, severity: .error))
                if !SourceAttributeCatalog.contains(name, object: sourceObject), !isDirectoryExtension(name) {
                    let suggestion = SourceAttributeCatalog.suggestion(for: name, object: sourceObject)
                    findings.add(
                        .error(
                            .unknownSource,
                            "'\(name)' is not an Entra ID \(kind.rawValue) attribute"
                                + (suggestion.map { $0.lowercased() == name.lowercased() ? " (names are case-sensitive)" : "" } ?? ""),
                            at: attribute.sourceLocation,
                            hint: suggestion.map { "did you mean '\($0)'?" }
                                ?? "see the Entra ID \(kind.rawValue) attributes in the README",
                            fixIt: suggestion.flatMap { fix in
                                attribute.sourceLocation.map {
                                    FixIt(location: $0, length: name.unicodeScalars.count, replacement: fix)
                                }
                            }))
                }
            case .constant(let value):
                findings.add(typographicQuotes(in: value, at: attribute.sourceLocation, severity: .warning))
            case .expression(let text):
                let checked = ExpressionChecker.check(text, object: sourceObject, at: attribute.sourceLocation)
                findings.add(checked.diagnostics)
            }
            if let value = attribute.defaultValue {
                findings.add(typographicQuotes(in: value, at: attribute.location, severity: .warning))
            }
        }

        let effective = effectiveMappings(mapping)
        let enabled = mapping.enabled ?? SCIMTemplate.defaultEnabled(for: kind)
        if enabled {
            let matching = effective.filter { $0.matchingPrecedence != nil }
            if matching.isEmpty {
                findings.add(
                    .error(
                        .noMatchingAttribute, "the enabled \(kind.rawValue) mapping has no matching attribute",
                        at: mapping.location,
                        hint: "give one attribute matchingPrecedence: 1 (usually userName for users, displayName for groups)"))
            }
            var precedences: [Int: AttributeMapping] = [:]
            for attribute in matching {
                guard let precedence = attribute.matchingPrecedence else { continue }
                if let other = precedences[precedence] {
                    findings.add(
                        .error(
                            .duplicatePrecedence,
                            "matching precedence \(precedence) is used by both '\(other.target)' and '\(attribute.target)'",
                            at: attribute.location ?? mapping.location, hint: "each matching attribute needs its own precedence"))
                } else {
                    precedences[precedence] = attribute
                }
            }
        }

        guard kind == .user else { return }
        let effectiveTargets = Set(effective.map(\.target))
        if let allowed = profile.rules.allowedUserTargets {
            let allowedSet = Set(allowed)
            for attribute in effective where !allowedSet.contains(attribute.target) {
                let inherited = !mapping.mappings.contains { $0.target == attribute.target }
                findings.add(
                    .error(
                        .targetNotAllowed,
                        "\(profile.vendor) accepts only its listed user attributes; '\(attribute.target)' is not one of them"
                            + (inherited ? " (kept from the template's defaults)" : ""),
                        at: attribute.location ?? mapping.location,
                        hint: inherited
                            ? "set mode: exclusive so the template's other mappings are removed"
                            : "allowed: \(allowed.joined(separator: ", "))"))
            }
        }
        for required in profile.rules.requiredUserTargets where !effectiveTargets.contains(required) {
            findings.add(
                .error(
                    .requiredTargetMissing, "\(profile.vendor) requires a mapping for '\(required)'",
                    at: mapping.location, hint: "add a mapping with target: \(required)"))
        }
    }

    /// The mappings a job ends up with: an exclusive list as written, or the template's defaults amended by the list.
    public static func effectiveMappings(_ mapping: ObjectMapping) -> [AttributeMapping] {
        switch mapping.mode {
        case .exclusive:
            return mapping.mappings
        case .amend:
            var result = SCIMTemplate.defaultMappings(for: mapping.kind)
            for attribute in mapping.mappings {
                if let index = result.firstIndex(where: { $0.target == attribute.target }) {
                    result[index] = attribute
                } else {
                    result.append(attribute)
                }
            }
            return result
        }
    }

    /// Directory extension attributes (`extension_<appId>_<name>`) are defined per tenant, so they cannot be
    /// checked offline; accept their shape.
    static func isDirectoryExtension(_ name: String) -> Bool {
        guard name.hasPrefix("extension_") else { return false }
        let parts = name.split(separator: "_", maxSplits: 2)
        return parts.count == 3 && parts[1].count == 32 && parts[1].allSatisfy(\.isHexDigit) && !parts[2].isEmpty
    }

    // MARK: Checks on resolved values

    static func checkTenantURL(
        _ application: ResolvedApplication, profile: Profile, values: [String: String], into findings: inout Findings
    ) {
        let location: SourceLocation?
        switch profile.applications.first(where: { $0.name == application.name })?.tenantURL {
        case .template(_, let at): location = at
        case .lookup(let parameter, let table, let at):
            location = table.first { $0.key == values[parameter] }?.location ?? at
        case nil: location = application.location
        }
        let url = application.tenantURL
        let variant = values.isEmpty ? "" : " (with " + values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ", ") + ")"
        if url.isEmpty { return }
        if url.unicodeScalars.contains(where: { "“”‘’".unicodeScalars.contains($0) }) || url.contains(" ") {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(url)' contains spaces or typographic quotes\(variant)", at: location,
                    hint: "a tenant URL is a plain https address"))
            return
        }
        guard let schemeEnd = url.range(of: "://") else {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(url)' is not an absolute URL\(variant)", at: location,
                    hint: "write it as https://host/path"))
            return
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if scheme != "https" {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(url)' must use https, not \(scheme)\(variant)", at: location,
                    hint: "Entra only provisions to https endpoints",
                    fixIt: location.map { FixIt(location: $0, length: scheme.count, replacement: "https") }))
        }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty || host.hasPrefix(".") || host.hasSuffix(".") || host.contains("..") {
            findings.add(
                .error(.tenantURL, "tenant URL '\(url)' has no valid host name\(variant)", at: location))
        }
        if url.contains("{") || url.contains("}") || url.contains("<") || url.contains(">") {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(url)' still holds a placeholder\(variant)", at: location,
                    hint: "use {parameter} placeholders that name declared parameters"))
        }
    }

    // MARK: Typographic quotes

    static let typographicReplacements: [Unicode.Scalar: String] = [
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{2018}": "'", "\u{2019}": "'",
    ]

    /// One finding per typographic quote, each with a fix-it to the ASCII quote.
    static func typographicQuotes(in text: String, at location: SourceLocation?, severity: Severity) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var line = location?.line ?? 1
        var column = location?.column ?? 1
        for scalar in text.unicodeScalars {
            if let replacement = typographicReplacements[scalar] {
                let at = location.map { SourceLocation(file: $0.file, line: line, column: column) }
                result.append(
                    Diagnostic(
                        severity, .typographicQuote,
                        "typographic quote '\(scalar)' (U+\(String(scalar.value, radix: 16, uppercase: true))) where Entra expects \(replacement)",
                        at: at, hint: "replace it with a straight \(replacement)",
                        fixIt: at.map { FixIt(location: $0, length: 1, replacement: replacement) }))
            }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return result
    }
}

/// Collects diagnostics, dropping exact repeats (the same finding in several parameter variants).
struct Findings {
    private var seen: Set<Diagnostic> = []
    private(set) var list: [Diagnostic] = []

    mutating func add(_ diagnostic: Diagnostic) {
        if seen.insert(diagnostic).inserted { list.append(diagnostic) }
    }

    mutating func add(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { add(diagnostic) }
    }
}

extension DiagnosticID {
    public static let duplicateApplication: DiagnosticID = "profile.duplicate-application"
    public static let notificationEmail: DiagnosticID = "profile.notification-email"
    public static let tenantURL: DiagnosticID = "profile.tenant-url"
    public static let targetSyntax: DiagnosticID = "mapping.target-syntax"
    public static let unknownTarget: DiagnosticID = "mapping.unknown-target"
    public static let unknownSource: DiagnosticID = "mapping.unknown-source"
    public static let duplicateTarget: DiagnosticID = "mapping.duplicate-target"
    public static let noMatchingAttribute: DiagnosticID = "mapping.no-matching-attribute"
    public static let duplicatePrecedence: DiagnosticID = "mapping.duplicate-precedence"
    public static let typographicQuote: DiagnosticID = "text.typographic-quote"
    public static let targetNotAllowed: DiagnosticID = "vendor.target-not-allowed"
    public static let requiredTargetMissing: DiagnosticID = "vendor.required-target"
    public static let vendorPrerequisite: DiagnosticID = "vendor.prerequisite"
}
