import Diagnostics

/// Stable ids of every profile rule. Once published, an id never changes meaning.
extension DiagnosticID {
    public static let unknownParameter: DiagnosticID = "param.unknown"
    public static let missingParameter: DiagnosticID = "param.missing"
    public static let parameterValue: DiagnosticID = "param.value"
    public static let parameterPattern: DiagnosticID = "param.pattern"
    public static let unresolvedPlaceholder: DiagnosticID = "profile.placeholder"
    public static let tenantURLLookup: DiagnosticID = "profile.tenant-url-lookup"
}

extension DiagnosticID {
    public static let fileTooLarge: DiagnosticID = "file.too-large"
    public static let binaryFile: DiagnosticID = "file.binary"
    public static let unreadableFile: DiagnosticID = "file.unreadable"
    public static let noProfiles: DiagnosticID = "file.no-profiles"
    public static let emptyProfile: DiagnosticID = "profile.empty"
    public static let yamlSyntax: DiagnosticID = "yaml.syntax"
    public static let duplicateKey: DiagnosticID = "yaml.duplicate-key"
    public static let nestingTooDeep: DiagnosticID = "yaml.too-deep"
    public static let tooComplex: DiagnosticID = "yaml.too-complex"
    public static let yaml11Boolean: DiagnosticID = "yaml.yaml11-boolean"
    public static let unknownKey: DiagnosticID = "profile.unknown-key"
    public static let missingKey: DiagnosticID = "profile.missing-key"
    public static let wrongType: DiagnosticID = "profile.type"
    public static let invalidValue: DiagnosticID = "profile.value"
    public static let exactlyOne: DiagnosticID = "profile.exactly-one"
    public static let duplicateValue: DiagnosticID = "profile.duplicate-value"
    public static let displayName: DiagnosticID = "profile.display-name"
    public static let noActions: DiagnosticID = "mapping.no-actions"
}
