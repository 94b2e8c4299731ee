import Diagnostics
import Expressions

/// A profile with every `{parameter}` placeholder replaced: what render, plan and apply work from.
public struct ResolvedProfile: Sendable, Hashable {
    public var profile: Profile
    /// The parameter values used, after defaults and transforms.
    public var parameterValues: [String: String]
    public var applications: [ResolvedApplication]

    /// The application called `name`, or every application when no name is given; empty when none is called that.
    public func applications(named name: String?) -> [ResolvedApplication] {
        guard let name else { return applications }
        return applications.filter { $0.name == name }
    }
}

public struct ResolvedApplication: Sendable, Hashable {
    public var name: String
    public var displayName: String
    /// The concrete SCIM base address (`BaseAddress` secret).
    public var tenantURL: String
    public var secretToken: SecretTokenSource
    public var scope: ProvisioningScope
    public var notificationEmail: String?
    public var startProvisioning: Bool
    public var users: ObjectMapping
    public var groups: ObjectMapping
    public var assignments: [Assignment] = []
    public var assignmentMode: AssignmentMode = .amend
    /// False: never create the app; plan fails when it cannot be found.
    public var create: Bool = true
    /// Find the app by this application (client) id instead of the display name.
    public var appID: String?
    /// Provisioning must be off: apply pauses a running job and never starts it.
    public var paused: Bool = false
    public var location: SourceLocation?

    public func objectMapping(_ kind: ObjectKind) -> ObjectMapping {
        switch kind {
        case .user: users
        case .group: groups
        }
    }
}

extension Profile {
    /// Applies defaults and transforms to `given` and substitutes every placeholder.
    /// Problems (unknown or missing parameters, values outside the allowed set) come back as diagnostics;
    /// the result is nil when any of them is an error.
    public func resolve(parameters given: [String: String]) -> (ResolvedProfile?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var values: [String: String] = [:]
        let known = Set(parameters.map(\.name))
        for key in given.keys.sorted() where !known.contains(key) {
            let suggestion = Suggestions.closest(to: key, in: parameters.map(\.name))
            let hint: String
            if let suggestion {
                hint = "did you mean '\(suggestion)'?"
            } else if parameters.isEmpty {
                hint = "profile '\(name)' takes no parameters"
            } else {
                hint = "parameters of '\(name)': \(parameters.map(\.name).joined(separator: ", "))"
            }
            diagnostics.append(
                .error(.unknownParameter, "unknown parameter '\(key)' for profile '\(name)'", hint: hint))
        }
        for parameter in parameters {
            guard var value = given[parameter.name] ?? parameter.defaultValue else {
                diagnostics.append(
                    .error(
                        .missingParameter, "missing value for parameter '\(parameter.name)'", at: parameter.location,
                        hint: "pass --param \(parameter.name)="
                            + (parameter.allowedValues.map { "VALUE, one of \($0.joined(separator: ", "))" } ?? "VALUE")))
                continue
            }
            if parameter.transform == .lowercase { value = value.lowercased() }
            // A value from the profile's own default is located there; a given one at the declaration.
            diagnostics += parameter.check(value: value, at: given[parameter.name] == nil ? parameter.defaultLocation : nil)
            values[parameter.name] = value
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }

        var resolved: [ResolvedApplication] = []
        for application in applications {
            var substitution = PlaceholderSubstitution(values: values)
            let url: String
            switch application.tenantURL {
            case .template(let template, let location):
                url = substitution.apply(template, at: location, map: application.tenantURLMap)
            case .lookup(let parameter, let table, let location):
                let key = values[parameter] ?? ""
                if let entry = table.first(where: { $0.key == key }) {
                    url = substitution.apply(entry.url, at: entry.location, map: entry.map)
                } else {
                    url = ""
                    substitution.diagnostics.append(
                        .error(
                            .tenantURLLookup, "no tenant URL for \(parameter) '\(key)'", at: location,
                            hint: "known values: \(table.map(\.key).joined(separator: ", "))"))
                }
            }
            let displayName = substitution.apply(
                application.displayName, at: application.location, map: application.displayNameMap)
            let users = substitution.apply(application.users)
            let groups = substitution.apply(application.groups)
            diagnostics += substitution.diagnostics
            resolved.append(
                ResolvedApplication(
                    name: application.name, displayName: displayName, tenantURL: url,
                    secretToken: application.secretToken, scope: application.scope,
                    notificationEmail: application.notificationEmail.map {
                        substitution.apply($0, at: application.notificationEmailLocation)
                    },
                    startProvisioning: application.startProvisioning, users: users, groups: groups,
                    assignments: application.assignments.map { substitution.apply($0) },
                    assignmentMode: application.assignmentMode, create: application.create,
                    appID: application.appID.map { substitution.apply($0, at: application.location) },
                    paused: application.paused,
                    location: application.location))
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (ResolvedProfile(profile: self, parameterValues: values, applications: resolved), diagnostics)
    }
}

extension Parameter {
    /// Diagnostics for a value that breaks this parameter's allowed list or pattern. `valueLocation` is where the
    /// value is written (its `default`), when it comes from the file.
    public func check(value: String, at valueLocation: SourceLocation? = nil) -> [Diagnostic] {
        if let allowedValues, !allowedValues.contains(value) {
            return [
                .error(
                    .parameterValue, "'\(value)' is not an allowed value of parameter '\(name)'", at: valueLocation ?? location,
                    hint: "allowed: \(allowedValues.joined(separator: ", "))")
            ]
        }
        if let pattern {
            let regex: BoundedRegex
            do {
                regex = try BoundedRegex(pattern)
            } catch {
                return [Self.patternError(name: name, error, at: patternLocation ?? location)]
            }
            let matches: Bool
            do {
                matches = try regex.wholeMatch(value)
            } catch {
                return [.error(.parameterValue, "'\(value)' is too long to check against the pattern of parameter '\(name)'",
                               at: valueLocation ?? location)]
            }
            if !matches {
                return [
                    .error(
                        .parameterValue, "'\(value)' does not match the pattern of parameter '\(name)'", at: valueLocation ?? location,
                        hint: "expected: \(pattern)")
                ]
            }
        }
        return []
    }
}

extension Parameter {
    /// The finding for a pattern the bounded matcher refuses.
    static func patternError(name: String, _ error: BoundedRegex.SyntaxError, at location: SourceLocation?) -> Diagnostic {
        .error(
            .parameterPattern, "pattern of parameter '\(name)' is not usable: \(error.message)", at: location,
            hint: "patterns are matched in linear time; backreferences and lookaround are not supported")
    }
}

/// Replaces `{name}` with parameter values, reporting placeholders that name no parameter.
struct PlaceholderSubstitution {
    var values: [String: String]
    var diagnostics: [Diagnostic] = []

    /// `map`, when given, places a finding on the placeholder itself rather than at the start of the value.
    mutating func apply(_ text: String, at location: SourceLocation?, map: ScalarSourceMap? = nil) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let offset = text.unicodeScalars.distance(from: text.startIndex, to: index)
            let placeholderLocation = map.map { $0.location(atOffset: offset) } ?? location
            if character == "{", let close = text[index...].firstIndex(of: "}") {
                let name = String(text[text.index(after: index)..<close])
                if Placeholders.isName(name) {
                    if let value = values[name] {
                        result += value
                    } else {
                        diagnostics.append(
                            .error(
                                .unresolvedPlaceholder, "placeholder '{\(name)}' names no parameter", at: placeholderLocation,
                                hint: "declare '\(name)' under parameters"))
                        result += "{\(name)}"
                    }
                    index = text.index(after: close)
                    continue
                }
            }
            result.append(character)
            index = text.index(after: index)
        }
        return result
    }

    mutating func apply(_ mapping: ObjectMapping) -> ObjectMapping {
        var copy = mapping
        copy.mappings = mapping.mappings.map { attribute in
            var attribute = attribute
            if case .constant(let value) = attribute.source {
                attribute.source = .constant(apply(value, at: attribute.sourceLocation, map: attribute.sourceMap))
            }
            return attribute
        }
        return copy
    }
}

public enum Placeholders {
    /// A placeholder name: a letter, then letters, digits, `_` or `-`.
    public static func isName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        }
    }

    /// Every `{name}` placeholder in `text`, in order.
    public static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            if isName(name) { names.append(String(name)) }
            rest = rest[rest.index(after: open)...]
        }
        return names
    }
}
