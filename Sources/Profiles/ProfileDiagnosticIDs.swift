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
