import Diagnostics

/// Stable ids of every `scimctl probe` finding. Once published, an id never changes meaning.
extension DiagnosticID {
    // The endpoint as a whole.
    public static let probeMissingToken: DiagnosticID = "probe.missing-token"
    public static let probeTokenRefused: DiagnosticID = "probe.token-refused"
    public static let probeWrongPath: DiagnosticID = "probe.wrong-path"
    public static let probeTLS: DiagnosticID = "probe.tls"
    public static let probeTimeout: DiagnosticID = "probe.timeout"
    public static let probeConnectionFailed: DiagnosticID = "probe.connection-failed"
    public static let probeUnexpectedResponse: DiagnosticID = "probe.unexpected-response"
    public static let probeConnectionTest: DiagnosticID = "probe.connection-test"
    public static let probeFilterIgnored: DiagnosticID = "probe.filter-ignored"
    // What the service provider supports.
    public static let probeNoServiceProviderConfig: DiagnosticID = "probe.no-service-provider-config"
    public static let probePatchUnsupported: DiagnosticID = "probe.patch-unsupported"
    public static let probeFilterUnsupported: DiagnosticID = "probe.filter-unsupported"
    public static let probeAuthenticationScheme: DiagnosticID = "probe.authentication-scheme"
    public static let probeNoSchemas: DiagnosticID = "probe.no-schemas"
    public static let probeResourceTypeMissing: DiagnosticID = "probe.resource-type-missing"
    // The mapping against the vendor's schema.
    public static let probeUnknownTarget: DiagnosticID = "probe.unknown-target"
    public static let probeReadOnlyTarget: DiagnosticID = "probe.read-only-target"
    public static let probeImmutableTarget: DiagnosticID = "probe.immutable-target"
    public static let probeRequiredUnmapped: DiagnosticID = "probe.required-unmapped"
    public static let probeMatchingNotUnique: DiagnosticID = "probe.matching-not-unique"
    public static let probeFilterValue: DiagnosticID = "probe.filter-value"

    /// Every probe id, for documentation tests and `--disable`-style lists.
    public static let probeIDs: [DiagnosticID] = [
        .probeMissingToken, .probeTokenRefused, .probeWrongPath, .probeTLS, .probeTimeout, .probeConnectionFailed,
        .probeUnexpectedResponse, .probeConnectionTest, .probeFilterIgnored, .probeNoServiceProviderConfig,
        .probePatchUnsupported, .probeFilterUnsupported, .probeAuthenticationScheme, .probeNoSchemas, .probeResourceTypeMissing,
        .probeUnknownTarget, .probeReadOnlyTarget, .probeImmutableTarget, .probeRequiredUnmapped,
        .probeMatchingNotUnique, .probeFilterValue,
    ]
}
