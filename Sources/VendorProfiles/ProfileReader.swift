import Diagnostics
import Yams

/// Checks a composed YAML tree against `ProfileShape` and reads it into the model.
/// Shape problems are reported once, by the schema walk; the typed reading then skips what is malformed.
struct ProfileReader {
    let file: String
    let source: SourceText
    var diagnostics: [Diagnostic] = []
    var visited = 0
    var aborted = false

    init(file: String, text: String) {
        self.file = file
        self.source = SourceText(file: file, text: text)
    }

    // MARK: Locations

    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file, line: 1, column: 1) }
        return SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
    }

    /// Where a scalar's text begins: after an opening quote, or on the first content line of a block scalar.
    func contentLocation(_ node: Node) -> SourceLocation {
        map(node)?.start ?? location(node)
    }

    /// Where each scalar of a scalar node's value was written; nil for mappings and sequences.
    func map(_ node: Node?) -> ScalarSourceMap? {
        guard let node, let scalar = node.scalar else { return nil }
        return ScalarSourceMap(node: node, value: scalar.string, style: scalar.style, source: source)
    }

    /// A fix-it replacing the whole value of `node`, written in the node's own style; nil when that is not exact.
    func fixIt(replacingValueOf node: Node, with replacement: String) -> FixIt? {
        guard let scalar = node.scalar, let map = map(node) else { return nil }
        return map.fixIt(replacing: 0..<scalar.string.unicodeScalars.count, with: replacement)
    }

    mutating func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    // MARK: Schema walk

    static let yaml11Booleans: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ]

    mutating func check(_ node: Node, against schema: ShapeNode, path: String) {
        visited += 1
        if visited > ProfileLoader.maximumNodes {
            if !aborted {
                aborted = true
                report(
                    .error(
                        .tooComplex, "document expands to more than \(ProfileLoader.maximumNodes) nodes",
                        at: location(node), hint: "aliases that repeat aliases multiply; a profile needs none of that"))
            }
            return
        }
        if aborted { return }
        switch schema {
        case .string(_, let pattern):
            guard let scalar = node.scalar, !isNull(node) else {
                return reportType(node, path: path, expected: "a string")
            }
            if scalar.style == .plain, Self.yaml11Booleans.contains(scalar.string) {
                report(
                    .warning(
                        .yaml11Boolean,
                        "'\(scalar.string)' at \(path) is read as a string here, but YAML 1.1 tools read it as a boolean",
                        at: location(node), hint: "quote it: \"\(scalar.string)\"",
                        fixIt: FixIt(location: location(node), length: scalar.string.count, replacement: "\"\(scalar.string)\"")))
            }
            if let pattern, let regex = try? Regex(pattern), (try? regex.wholeMatch(in: scalar.string)) == nil {
                report(
                    .error(
                        .invalidValue, "'\(scalar.string)' is not a valid value for \(path)", at: contentLocation(node),
                        hint: "expected text matching \(pattern)"))
            }
        case .boolean:
            guard let scalar = node.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string.lowercased())
            else {
                if let scalar = node.scalar, Self.yaml11Booleans.contains(scalar.string) {
                    let meant = ["yes", "on", "y"].contains(scalar.string.lowercased()) ? "true" : "false"
                    return report(
                        .error(
                            .yaml11Boolean, "'\(scalar.string)' is not a boolean in YAML 1.2; \(path) takes true or false",
                            at: location(node), hint: "write \(meant)",
                            fixIt: FixIt(location: location(node), length: scalar.string.count, replacement: meant)))
                }
                return reportType(node, path: path, expected: "true or false")
            }
        case .integer(_, let minimum, let maximum):
            guard let scalar = node.scalar, scalar.style == .plain else {
                return reportType(node, path: path, expected: "a whole number")
            }
            let digits = scalar.string.hasPrefix("-") || scalar.string.hasPrefix("+") ? scalar.string.dropFirst() : scalar.string[...]
            guard let value = Int(scalar.string) else {
                if let maximum, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), !scalar.string.hasPrefix("-") {
                    return report(
                        .error(.invalidValue, "\(path) must be at most \(maximum), not \(scalar.string)", at: location(node),
                               hint: "Microsoft Graph stores it as a 32-bit number"))
                }
                return reportType(node, path: path, expected: "a whole number")
            }
            if let minimum, value < minimum {
                report(
                    .error(
                        .invalidValue, "\(path) must be at least \(minimum), not \(value)", at: location(node)))
            }
            if let maximum, value > maximum {
                report(
                    .error(
                        .invalidValue, "\(path) must be at most \(maximum), not \(value)", at: location(node),
                        hint: "Microsoft Graph stores it as a 32-bit number"))
            }
        case .enumeration(_, let values):
            guard let scalar = node.scalar, !isNull(node) else {
                return reportType(node, path: path, expected: "one of \(values.joined(separator: ", "))")
            }
            if !values.contains(scalar.string) {
                let suggestion = Suggestions.closest(to: scalar.string, in: values)
                report(
                    .error(
                        .invalidValue, "'\(scalar.string)' is not a valid value for \(path)", at: location(node),
                        hint: suggestion.map { "did you mean '\($0)'? expected one of \(values.joined(separator: ", "))" }
                            ?? "expected one of \(values.joined(separator: ", "))",
                        fixIt: suggestion.flatMap { fixIt(replacingValueOf: node, with: $0) }))
            }
        case .array(_, let items, let minItems, let unique):
            guard let sequence = node.sequence else {
                return reportType(node, path: path, expected: "a list")
            }
            if unique {
                var seen: [String: Node] = [:]
                for item in sequence {
                    guard let value = item.scalar?.string, !isNull(item) else { continue }
                    if let first = seen[value] {
                        report(
                            Diagnostic(
                                .error, .duplicateValue, "'\(value)' is listed twice in \(path)", at: contentLocation(item),
                                hint: "list each value once", notes: ["first listed at \(contentLocation(first))"]))
                    } else {
                        seen[value] = item
                    }
                }
            }
            if sequence.count < minItems {
                report(
                    .error(
                        .missingKey, "\(path) needs at least \(minItems) entr\(minItems == 1 ? "y" : "ies")",
                        at: location(node)))
            }
            for (index, item) in sequence.enumerated() {
                check(item, against: items, path: "\(path)[\(index)]")
            }
        case .map(_, let keyPattern, let values):
            guard let mapping = node.mapping else {
                return reportType(node, path: path, expected: "a mapping")
            }
            let regex = keyPattern.flatMap { try? Regex($0) }
            for (key, value) in mapping {
                let name = key.string ?? ""
                if let regex, (try? regex.wholeMatch(in: name)) == nil {
                    report(.error(.invalidValue, "'\(name)' is not a valid name in \(path)", at: location(key)))
                }
                check(value, against: values, path: "\(path).\(name)")
            }
        case .object(let object):
            guard let mapping = node.mapping else {
                return reportType(node, path: path, expected: "a mapping with keys \(object.fields.map(\.name).joined(separator: ", "))")
            }
            var present: Set<String> = []
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard let field = object.field(named: name) else {
                    let suggestion = Suggestions.closest(to: name, in: object.fields.map(\.name))
                    report(
                        .error(
                            .unknownKey, "unknown key '\(name)' in \(path)", at: location(key),
                            hint: suggestion.map { "did you mean '\($0)'?" }
                                ?? "known keys: \(object.fields.map(\.name).joined(separator: ", "))",
                            fixIt: suggestion.flatMap { fixIt(replacingValueOf: key, with: $0) }))
                    continue
                }
                present.insert(name)
                check(value, against: field.node, path: path.isEmpty ? name : "\(path).\(name)")
            }
            for field in object.fields where field.required && !present.contains(field.name) {
                report(
                    .error(
                        .missingKey, "missing required key '\(field.name)' in \(path.isEmpty ? "profile" : path)",
                        at: location(node), hint: "add '\(field.name)': \(field.node.description)"))
            }
            for group in object.exactlyOneOf {
                let given = group.filter(present.contains)
                if given.count != 1 {
                    let list = group.map { "'\($0)'" }.joined(separator: ", ")
                    let message =
                        given.isEmpty
                        ? "\(path) needs exactly one of \(list); none is given"
                        : "\(path) needs exactly one of \(list); \(given.map { "'\($0)'" }.joined(separator: " and ")) are given"
                    report(.error(.exactlyOne, message, at: location(node), hint: "keep exactly one of \(list)"))
                }
            }
        case .either(_, let first, let second):
            if node.scalar != nil {
                check(node, against: first, path: path)
            } else {
                check(node, against: second, path: path)
            }
        }
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    mutating func reportType(_ node: Node, path: String, expected: String) {
        let actual: String
        if isNull(node) {
            actual = "nothing"
        } else if node.mapping != nil {
            actual = "a mapping"
        } else if node.sequence != nil {
            actual = "a list"
        } else {
            actual = "'\(node.scalar?.string ?? "")'"
        }
        report(.error(.wrongType, "\(path) must be \(expected), not \(actual)", at: location(node)))
    }

    // MARK: Typed reading

    mutating func read(root: Node, name: String) -> Profile? {
        check(root, against: ProfileShape.root, path: "")
        if aborted { return nil }
        guard root.mapping != nil else { return nil }
        var profile = Profile(
            name: name, vendor: string(root["vendor"]) ?? "", guideURL: string(root["guide"]),
            description: string(root["description"]) ?? "", file: file, location: location(root))
        if let parameters = root["parameters"]?.mapping {
            for (key, value) in parameters {
                guard let parameterName = key.string, value.mapping != nil else { continue }
                profile.parameters.append(
                    Parameter(
                        name: parameterName, description: string(value["description"]) ?? "",
                        defaultValue: string(value["default"]), allowedValues: strings(value["allowed"]),
                        pattern: string(value["pattern"]),
                        transform: string(value["transform"]).flatMap(Parameter.Transform.init(rawValue:)) ?? .none,
                        example: string(value["example"]), location: location(key),
                        defaultLocation: value["default"].map(contentLocation),
                        patternLocation: value["pattern"].map(contentLocation)))
            }
        }
        for node in root["applications"]?.sequence.map(Array.init) ?? [] {
            if let application = readApplication(node) { profile.applications.append(application) }
        }
        if let rules = root["rules"], rules.mapping != nil {
            profile.rules = VendorRules(
                allowedUserTargets: strings(rules["allowedUserTargets"]),
                requiredUserTargets: strings(rules["requiredUserTargets"]) ?? [],
                valueFormats: (rules["valueFormats"]?.sequence.map(Array.init) ?? []).compactMap { node in
                    guard let target = string(node["target"]),
                        let format = string(node["format"]).flatMap(ValueFormatRule.Format.init(rawValue:))
                    else { return nil }
                    return ValueFormatRule(target: target, format: format, location: location(node))
                },
                prerequisites: strings(rules["prerequisites"]) ?? [])
        }
        return profile
    }

    func readApplication(_ node: Node) -> Application? {
        guard node.mapping != nil, let name = string(node["name"]), let displayName = string(node["displayName"]),
            let urlNode = node["tenantURL"], let tokenNode = node["secretToken"]
        else { return nil }
        let tenantURL: TenantURL
        if let template = string(urlNode) {
            tenantURL = .template(template, location: contentLocation(urlNode))
        } else if let parameter = string(urlNode["lookup"]), let table = urlNode["table"]?.mapping {
            tenantURL = .lookup(
                parameter: parameter,
                table: table.compactMap { key, value in
                    guard let key = key.string, let url = string(value) else { return nil }
                    return LookupEntry(key: key, url: url, location: contentLocation(value), map: map(value))
                }, location: location(urlNode))
        } else {
            return nil
        }
        let token: SecretTokenSource
        if string(tokenNode) == "none" {
            token = .none
        } else if let variable = string(tokenNode["env"]) {
            token = .environment(variable: variable)
        } else if let path = string(tokenNode["file"]) {
            token = .file(path: path)
        } else {
            return nil
        }
        var application = Application(
            name: name, displayName: displayName, tenantURL: tenantURL, secretToken: token,
            scope: string(node["scope"]).flatMap(ProvisioningScope.init(rawValue:)) ?? .assignedOnly,
            notificationEmail: string(node["notificationEmail"]),
            startProvisioning: bool(node["startProvisioning"]) ?? false,
            users: readObjectMapping(node["users"], kind: .user, parent: node),
            groups: readObjectMapping(node["groups"], kind: .group, parent: node),
            location: location(node), displayNameMap: map(node["displayName"]),
            notificationEmailLocation: node["notificationEmail"].map(contentLocation),
            tenantURLMap: string(urlNode) != nil ? map(urlNode) : nil)
        application.assignments = readAssignments(node["assignments"])
        application.assignmentMode = readAssignmentMode(node["assignmentMode"])
        application.create = bool(node["create"]) ?? true
        application.appID = string(node["appId"])
        application.paused = bool(node["paused"]) ?? false
        return application
    }

    func readObjectMapping(_ node: Node?, kind: ObjectKind, parent: Node) -> ObjectMapping {
        guard let node, node.mapping != nil else {
            return ObjectMapping(kind: kind, location: location(parent))
        }
        let actions = strings(node["actions"]).map { $0.compactMap(TargetObjectAction.init(rawValue:)) }
        let attributes = (node["attributes"]?.sequence.map(Array.init) ?? []).compactMap { item -> AttributeMapping? in
            guard item.mapping != nil, let target = string(item["target"]) else { return nil }
            let source: MappingSource
            let sourceNode: Node
            if let value = item["source"], let text = string(value) {
                source = .attribute(text)
                sourceNode = value
            } else if let value = item["constant"], let text = string(value) {
                source = .constant(text)
                sourceNode = value
            } else if let value = item["expression"], let text = string(value) {
                source = .expression(text)
                sourceNode = value
            } else {
                return nil
            }
            return AttributeMapping(
                target: target, source: source, matchingPrecedence: integer(item["matchingPrecedence"]),
                applyWhen: string(item["apply"]).flatMap(ApplyWhen.init(rawValue:)) ?? .always,
                defaultValue: string(item["default"]), location: location(item),
                targetLocation: item["target"].map(contentLocation), sourceLocation: contentLocation(sourceNode),
                targetMap: map(item["target"]), sourceMap: map(sourceNode), defaultMap: map(item["default"]),
                matchingPrecedenceLocation: item["matchingPrecedence"].map(location))
        }
        let custom = (node["customAttributes"]?.sequence.map(Array.init) ?? []).compactMap { item -> CustomAttribute? in
            guard let name = string(item["name"]) else { return nil }
            return CustomAttribute(
                name: name,
                type: string(item["type"]).flatMap(CustomAttribute.AttributeType.init(rawValue:)) ?? .string,
                multiValued: bool(item["multiValued"]) ?? false, location: location(item))
        }
        var mapping = ObjectMapping(
            kind: kind, enabled: bool(node["enabled"]), actions: actions,
            mode: string(node["mode"]).flatMap(MappingMode.init(rawValue:)) ?? .amend, mappings: attributes,
            customAttributes: custom, location: location(node), actionsLocation: node["actions"].map(location))
        mapping.scopingFilters = readScopingFilters(node["scopingFilters"])
        return mapping
    }

    func string(_ node: Node?) -> String? {
        guard let node, let scalar = node.scalar, !isNull(node) else { return nil }
        return scalar.string
    }

    func strings(_ node: Node?) -> [String]? {
        guard let sequence = node?.sequence else { return nil }
        return sequence.compactMap { string($0) }
    }

    func bool(_ node: Node?) -> Bool? {
        guard let scalar = node?.scalar, scalar.style == .plain else { return nil }
        switch scalar.string.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    func integer(_ node: Node?) -> Int? {
        guard let scalar = node?.scalar, scalar.style == .plain else { return nil }
        return Int(scalar.string)
    }
}
