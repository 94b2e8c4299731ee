import Diagnostics

/// Where Microsoft documents a function, which decides whether a SCIM provisioning job accepts it.
public enum FunctionAvailability: String, Sendable, Hashable {
    /// In the app-provisioning function reference.
    case provisioning
    /// Only in the Entra Cloud Sync reference; acceptance by app provisioning is unverified.
    case cloudSyncOnly
    /// Only in the 2019 Graph `schema/functions` sample; not in current documentation.
    case legacyGraphSchema
}

/// One positional parameter of a function.
public struct FunctionParameter: Sendable, Hashable {
    public let name: String
    /// The key Graph uses for this parameter in `attributeMappingSource.parameters`.
    public let graphKey: String
    public let type: String
    public let isRequired: Bool
    /// Part of a group that may repeat (`Join` sources, `Switch` key/value pairs).
    public let isRepeating: Bool

    public init(name: String, graphKey: String, type: String, isRequired: Bool, isRepeating: Bool) {
        self.name = name
        self.graphKey = graphKey
        self.type = type
        self.isRequired = isRequired
        self.isRepeating = isRepeating
    }
}

/// A function's name, arity and parameters.
public struct FunctionSignature: Sendable, Hashable {
    public let name: String
    public let minArguments: Int
    /// nil when the function takes any number of arguments.
    public let maxArguments: Int?
    public let returns: String
    public let availability: FunctionAvailability
    public let parameters: [FunctionParameter]

    public init(
        name: String, minArguments: Int, maxArguments: Int?, returns: String, availability: FunctionAvailability,
        parameters: [FunctionParameter]
    ) {
        self.name = name
        self.minArguments = minArguments
        self.maxArguments = maxArguments
        self.returns = returns
        self.availability = availability
        self.parameters = parameters
    }

    /// Parameters before the first repeating one.
    private var leadingCount: Int { parameters.firstIndex(where: \.isRepeating) ?? parameters.count }

    /// The repeating group (consecutive repeating parameters).
    private var repeatingGroup: ArraySlice<FunctionParameter> {
        let start = leadingCount
        var end = start
        while end < parameters.count, parameters[end].isRepeating { end += 1 }
        return parameters[start..<end]
    }

    /// The parameter that argument slot `slot` (0-based) binds to, or nil past the end.
    public func parameter(forSlot slot: Int) -> FunctionParameter? {
        guard slot >= 0 else { return nil }
        if slot < leadingCount { return parameters[slot] }
        let group = repeatingGroup
        if group.isEmpty { return nil }
        let offset = (slot - leadingCount) % group.count
        return group[group.startIndex + offset]
    }

    /// A human-readable signature such as `Mid(source, start, length)`.
    public var synopsis: String {
        let names = parameters.map { parameter -> String in
            var text = parameter.name
            if parameter.isRepeating { text += "…" }
            return parameter.isRequired ? text : "[\(text)]"
        }
        return "\(name)(\(names.joined(separator: ", ")))"
    }

    /// Slot index for a Graph parameter key, given the next free slot (used to rebuild calls from Graph trees).
    func slot(forGraphKey key: String, nextFree: Int) -> Int? {
        let leading = leadingCount
        if let index = parameters[..<leading].firstIndex(where: { $0.graphKey == key }), index >= nextFree {
            return index
        }
        let group = repeatingGroup
        guard group.contains(where: { $0.graphKey == key }) else { return nil }
        return max(nextFree, leading)
    }
}

/// The functions of the expression language (generated table in FunctionCatalogTable.swift).
public enum FunctionCatalog {
    private static let byName: [String: FunctionSignature] = {
        var table: [String: FunctionSignature] = [:]
        for signature in all { table[signature.name] = signature }
        return table
    }()

    private static let byLowercasedName: [String: FunctionSignature] = {
        var table: [String: FunctionSignature] = [:]
        for signature in all { table[signature.name.lowercased()] = signature }
        return table
    }()

    /// Exact, case-sensitive lookup.
    public static func signature(named name: String) -> FunctionSignature? { byName[name] }

    /// Lookup ignoring case, to offer the canonical spelling.
    public static func signature(caseInsensitive name: String) -> FunctionSignature? { byLowercasedName[name.lowercased()] }

    /// Names people reach for from other languages, mapped to this language's function.
    public static let commonMistakes: [String: String] = [
        "Substring": "Mid", "SubString": "Mid", "Substr": "Mid",
        "ToLowerCase": "ToLower", "LCase": "ToLower", "Lower": "ToLower", "LowerCase": "ToLower",
        "ToUpperCase": "ToUpper", "UCase": "ToUpper", "Upper": "ToUpper", "UpperCase": "ToUpper",
        "Concat": "Join", "Concatenate": "Join",
        "If": "IIF", "Iif": "IIF",
        "IsEmpty": "IsNullOrEmpty", "IsBlank": "IsNullOrEmpty",
        "Len": "Count", "Length": "Count",
        "Right": "Mid", "Contains": "InStr", "IndexOf": "InStr",
        "NewGuid": "Guid", "UUID": "Guid", "Uuid": "Guid",
        "Base64": "ConvertToBase64", "ToBase64": "ConvertToBase64",
        "RemoveDiacritics": "NormalizeDiacritics", "ProperCase": "PCase", "TitleCase": "PCase",
        "Format": "FormatDateTime", "FormatDate": "FormatDateTime", "Date": "CDate",
        "Case": "Switch", "Choose": "Switch",
    ]

    /// The best replacement for an unknown function name.
    public static func suggestion(for name: String) -> String? {
        if let exact = signature(caseInsensitive: name) { return exact.name }
        if let mapped = commonMistakes[name] ?? commonMistakes.first(where: { $0.key.lowercased() == name.lowercased() })?.value {
            return mapped
        }
        return Suggestions.closest(to: name, in: all.lazy.map(\.name))
    }
}
