import Diagnostics
import Expressions
import Foundation

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
                checkDisplayName(application, profile: profile, values: values, into: &findings)
                checkResolvedSettings(application, original: profile.applications, into: &findings)
            }
            checkDisplayNamesUnique(resolved, values: values, into: &findings)
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
            if let value = parameter.defaultValue {
                findings.add(parameter.check(value: value, at: parameter.defaultLocation))
            } else if let pattern = parameter.pattern {
                do {
                    _ = try BoundedRegex(pattern)
                } catch {
                    findings.add(Parameter.patternError(name: parameter.name, error, at: parameter.patternLocation ?? parameter.location))
                }
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
                        .notificationEmail, "'\(email)' is not an e-mail address",
                        at: application.notificationEmailLocation ?? application.location,
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
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.unicodeScalars.contains { $0.properties.isWhitespace || TextChecks.isInvisible($0) }
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
            let quoteFindings = typographicQuotes(
                in: attribute.target, at: targetLocation, map: attribute.targetMap, severity: .error)
            findings.add(quoteFindings)
            if quoteFindings.isEmpty {
                if let error = TargetPath.syntaxError(in: attribute.target) {
                    findings.add(
                        .error(
                            .targetSyntax, "invalid target attribute '\(attribute.target)': \(error.message)",
                            at: attribute.targetMap.map { $0.location(atOffset: error.offset) }
                                ?? targetLocation?.advanced(byColumns: error.offset),
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
                                attribute.targetMap?.fixIt(
                                    replacing: 0..<attribute.target.unicodeScalars.count, with: fix)
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
                findings.add(
                    typographicQuotes(in: name, at: attribute.sourceLocation, map: attribute.sourceMap, severity: .error))
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
                                attribute.sourceMap?.fixIt(replacing: 0..<name.unicodeScalars.count, with: fix)
                            }))
                }
            case .constant(let value):
                findings.add(
                    typographicQuotes(in: value, at: attribute.sourceLocation, map: attribute.sourceMap, severity: .warning))
            case .expression(let text):
                let checked = ExpressionChecker.check(text, object: sourceObject) {
                    ValueLocator(map: attribute.sourceMap, text: text, start: attribute.sourceLocation)
                }
                findings.add(checked.diagnostics)
            }
            if let value = attribute.defaultValue {
                findings.add(
                    typographicQuotes(
                        in: value, at: attribute.defaultMap?.start ?? attribute.location, map: attribute.defaultMap,
                        severity: .warning))
            }
        }

        let effective = effectiveMappings(mapping)
        let enabled = mapping.enabled ?? SCIMTemplate.defaultEnabled(for: kind)
        if enabled, let actions = mapping.actions, actions.isEmpty {
            findings.add(
                .error(
                    .noActions, "the enabled \(kind.rawValue) mapping allows no actions, so it would provision nothing",
                    at: mapping.actionsLocation ?? mapping.location,
                    hint: "list the actions (create, update, delete) or set enabled: false"))
        }
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
                            at: attribute.matchingPrecedenceLocation ?? attribute.location ?? mapping.location,
                            hint: "each matching attribute needs its own precedence"))
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
            // As in the schema merge: once the profile states a matching precedence, it owns matching, and the
            // template's mappings it does not list stop being used for matching.
            if mapping.mappings.contains(where: { $0.matchingPrecedence != nil }) {
                for index in result.indices { result[index].matchingPrecedence = nil }
            }
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
        var map: ScalarSourceMap?
        let declared = profile.applications.first { $0.name == application.name }
        switch declared?.tenantURL {
        case .template(let template, let at):
            location = at
            // Offsets in the resolved URL match the written one only when no placeholder was substituted.
            if template == application.tenantURL { map = declared?.tenantURLMap }
        case .lookup(let parameter, let table, let at):
            let entry = table.first { $0.key == values[parameter] }
            location = entry?.location ?? at
            if entry?.url == application.tenantURL { map = entry?.map }
        case nil: location = application.location
        }
        let url = application.tenantURL
        // Never echo a password, here or in any other message about this URL.
        let shown = TextChecks.redactingCredentials(in: url)
        let variant = values.isEmpty ? "" : " (with " + values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ", ") + ")"
        let exact = map.flatMap { $0.isExact ? $0 : nil }
        func at(_ offset: Int) -> SourceLocation? { exact?.location(atOffset: offset) ?? location }
        if url.isEmpty { return }
        let scalars = Array(url.unicodeScalars)
        if let offset = scalars.firstIndex(where: TextChecks.isInvisible) {
            let invisible = scalars[offset]
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(shown)' contains an invisible character (\(TextChecks.describe(invisible)))\(variant)",
                    at: at(offset), hint: "retype the URL; copy-paste from documents brings in invisible characters",
                    fixIt: exact?.fixIt(replacing: offset..<offset + 1, with: "")))
            return
        }
        if url.unicodeScalars.contains(where: { "“”‘’".unicodeScalars.contains($0) }) || url.contains(" ") {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(shown)' contains spaces or typographic quotes\(variant)", at: location,
                    hint: "a tenant URL is a plain https address"))
            return
        }
        guard let schemeEnd = url.range(of: "://") else {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(shown)' is not an absolute URL\(variant)", at: location,
                    hint: "write it as https://host/path"))
            return
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if scheme != "https" {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(shown)' must use https, not \(scheme)\(variant)", at: location,
                    hint: "Entra only provisions to https endpoints",
                    fixIt: exact?.fixIt(replacing: 0..<scheme.unicodeScalars.count, with: "https")))
        }
        let rest = url[schemeEnd.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let authorityOffset = url.unicodeScalars.distance(from: url.startIndex, to: rest.startIndex)
        if let atSign = authority.lastIndex(of: "@") {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(shown)' carries credentials before '@'\(variant)", at: at(authorityOffset),
                    hint: "the vendor's secret token goes in secretToken; a URL must not hold a user name or password"))
            authority = authority[authority.index(after: atSign)...]
        }
        var host = authority
        if let colon = authority.lastIndex(of: ":"), !authority.hasPrefix("[") {
            host = authority[..<colon]
            let port = authority[authority.index(after: colon)...]
            if port.isEmpty || !port.allSatisfy({ $0.isASCII && $0.isNumber }) || (Int(port).map { !(1...65535).contains($0) } ?? true) {
                findings.add(
                    .error(
                        .tenantURL, "tenant URL '\(shown)' has port '\(port)', not a number from 1 to 65535\(variant)",
                        at: at(url.unicodeScalars.distance(from: url.startIndex, to: colon) + 1)))
            }
        }
        if host.isEmpty || host.hasPrefix(".") || host.hasSuffix(".") || host.contains("..") {
            findings.add(
                .error(.tenantURL, "tenant URL '\(shown)' has no valid host name\(variant)", at: location))
        } else if let foreign = host.unicodeScalars.first(where: { !$0.isASCII }) {
            let hostOffset = url.unicodeScalars.distance(from: url.startIndex, to: host.startIndex)
            let inHost = host.unicodeScalars.firstIndex(of: foreign).map { host.unicodeScalars.distance(from: host.unicodeScalars.startIndex, to: $0) } ?? 0
            let mixed = host.unicodeScalars.contains { $0.isASCII && $0.properties.isAlphabetic }
            findings.add(
                .error(
                    .tenantURL,
                    "tenant URL host '\(host)' contains \(TextChecks.describe(foreign))"
                        + (mixed ? ", mixed with Latin letters (a look-alike character?)" : "") + variant,
                    at: at(hostOffset + inHost),
                    hint: "write the host in ASCII; an internationalised domain goes in its xn-- form"))
        } else if !url.contains(where: { "{}<>".contains($0) }), !host.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "{" || $0 == "}" || $0 == "[" || $0 == "]" || $0 == ":" }) {
            findings.add(
                .error(.tenantURL, "tenant URL '\(shown)' has characters that cannot be in a host name\(variant)", at: location))
        }
        if url.contains("{") || url.contains("}") || url.contains("<") || url.contains(">") {
            findings.add(
                .error(
                    .tenantURL, "tenant URL '\(shown)' still holds a placeholder\(variant)", at: location,
                    hint: "use {parameter} placeholders that name declared parameters"))
        }
    }

    /// Entra's limit on an application's display name.
    public static let maximumDisplayNameLength = 256

    static func checkDisplayName(
        _ application: ResolvedApplication, profile: Profile, values: [String: String], into findings: inout Findings
    ) {
        let written = profile.applications.first { $0.name == application.name }
        let location = written?.displayNameMap?.start ?? application.location
        let variant = values.isEmpty ? "" : " (with " + values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ", ") + ")"
        let name = application.displayName
        if let invisible = name.unicodeScalars.first(where: { TextChecks.isInvisible($0) && $0 != " " }) {
            let fromParameter = written.map { !$0.displayName.unicodeScalars.contains(invisible) } ?? false
            findings.add(
                .error(
                    .displayName,
                    "display name of '\(application.name)' contains \(TextChecks.describe(invisible))"
                        + (fromParameter ? ", from a parameter value" : "") + variant,
                    at: location, hint: "a display name is one line of visible text"))
        }
        let length = name.count
        if length > maximumDisplayNameLength {
            findings.add(
                .error(
                    .displayName,
                    "display name of '\(application.name)' is \(length) characters; Entra accepts at most \(maximumDisplayNameLength)\(variant)",
                    at: location))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            findings.add(.error(.displayName, "display name of '\(application.name)' is empty\(variant)", at: location))
        }
    }

    /// Graph finds an application by display name; two with one name make plan and apply ambiguous.
    static func checkDisplayNamesUnique(_ resolved: ResolvedProfile, values: [String: String], into findings: inout Findings) {
        var seen: [String: ResolvedApplication] = [:]
        for application in resolved.applications {
            let key = application.displayName.lowercased()
            if let first = seen[key] {
                let written = resolved.profile.applications.first { $0.name == application.name }
                findings.add(
                    Diagnostic(
                        .error, .displayName,
                        "applications '\(first.name)' and '\(application.name)' share the display name '\(application.displayName)'",
                        at: written?.displayNameMap?.start ?? application.location,
                        hint: "give each application its own display name; Entra looks applications up by it",
                        notes: ["'\(first.name)' is at \(first.location?.description ?? "?")"]))
            } else {
                seen[key] = application
            }
        }
    }

    // MARK: Typographic quotes

    static let typographicReplacements: [Unicode.Scalar: String] = [
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{2018}": "'", "\u{2019}": "'",
    ]

    /// One finding per typographic quote, each with a fix-it to the ASCII quote (when `map` can place it exactly).
    static func typographicQuotes(
        in text: String, at location: SourceLocation?, map: ScalarSourceMap? = nil, severity: Severity
    ) -> [Diagnostic] {
        var result: [Diagnostic] = []
        let locator = location.map { ValueLocator(map: map, text: text, start: $0) }
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            guard let replacement = typographicReplacements[scalar] else { continue }
            let at = locator?.location(atOffset: offset)
            result.append(
                Diagnostic(
                    severity, .typographicQuote,
                    "typographic quote '\(scalar)' (U+\(String(scalar.value, radix: 16, uppercase: true))) where Entra expects \(replacement)",
                    at: at, hint: "replace it with a straight \(replacement)",
                    fixIt: locator?.fixIt(replacing: offset..<offset + 1, with: replacement)))
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
