/// The shape of a profile file, declared once. The loader checks YAML nodes against it (unknown keys, missing keys,
/// wrong types) before reading values, and the JSON Schema for editors is generated from it, so both always agree.
/// Called a shape, not a schema: in scimctl's code "schema" alone means Graph's synchronization schema, and a
/// vendor's SCIM schema is always "SCIM schema".
public indirect enum ShapeNode: Sendable {
    case string(description: String, pattern: String? = nil)
    case boolean(description: String)
    case integer(description: String, minimum: Int? = nil, maximum: Int? = nil)
    case enumeration(description: String, values: [String])
    /// `unique`: repeated values are an error (Graph refuses them or they mean nothing).
    case array(description: String, items: ShapeNode, minItems: Int = 0, unique: Bool = false)
    case object(ObjectShape)
    /// A mapping whose keys are free-form names (parameters, lookup tables).
    case map(description: String, keyPattern: String?, values: ShapeNode)
    /// One of several shapes, told apart by YAML node kind (a string or an object).
    case either(description: String, ShapeNode, ShapeNode)

    public var description: String {
        switch self {
        case .string(let d, _), .boolean(let d), .integer(let d, _, _), .enumeration(let d, _), .array(let d, _, _, _),
            .map(let d, _, _), .either(let d, _, _):
            return d
        case .object(let o):
            return o.description
        }
    }
}

public struct ObjectShape: Sendable {
    public struct Field: Sendable {
        public var name: String
        public var node: ShapeNode
        public var required: Bool
        public init(_ name: String, _ node: ShapeNode, required: Bool = false) {
            self.name = name
            self.node = node
            self.required = required
        }
    }

    public var description: String
    public var fields: [Field]
    /// Groups of keys of which exactly one must be present (`source` / `constant` / `expression`).
    public var exactlyOneOf: [[String]]

    public init(description: String, fields: [Field], exactlyOneOf: [[String]] = []) {
        self.description = description
        self.fields = fields
        self.exactlyOneOf = exactlyOneOf
    }

    public func field(named name: String) -> Field? { fields.first { $0.name == name } }
}

public enum ProfileShape {
    static let actions = ShapeNode.array(
        description: "target object actions the provisioning service may take",
        items: .enumeration(description: "an action", values: TargetObjectAction.allCases.map(\.rawValue)), unique: true)

    static let attributeMapping = ShapeNode.object(
        ObjectShape(
            description: "one attribute mapping: a target and exactly one of source, constant or expression",
            fields: [
                .init(
                    "target",
                    .string(description: "SCIM target attribute, e.g. userName or emails[type eq \"work\"].value"),
                    required: true),
                .init("source", .string(description: "Entra ID source attribute (direct mapping), e.g. mail")),
                .init("constant", .string(description: "constant value; may use {parameter} placeholders")),
                .init("expression", .string(description: "mapping expression, e.g. Not([IsSoftDeleted])")),
                .init(
                    "matchingPrecedence",
                    .integer(
                        description: "match objects on this attribute; 1 is tried first", minimum: 1,
                        maximum: Int(Int32.max))),
                .init(
                    "apply",
                    .enumeration(
                        description: "when the mapping is applied", values: ApplyWhen.allCases.map(\.rawValue))),
                .init("default", .string(description: "default value used when the source is null")),
            ],
            exactlyOneOf: [["source", "constant", "expression"]]))

    static let customAttribute = ShapeNode.object(
        ObjectShape(
            description: "a target attribute the vendor defines beyond the default SCIM schema",
            fields: [
                .init("name", .string(description: "target attribute name"), required: true),
                .init(
                    "type",
                    .enumeration(
                        description: "attribute type", values: CustomAttribute.AttributeType.allCases.map(\.rawValue))),
                .init("multiValued", .boolean(description: "whether the attribute holds several values")),
            ]))

    static func objectMapping(_ kind: ObjectKind) -> ShapeNode {
        .object(
            ObjectShape(
                description: "the \(kind.rawValue) object mapping",
                fields: [
                    .init("enabled", .boolean(description: "whether \(kind.rawValue)s are provisioned")),
                    .init("actions", actions),
                    .init(
                        "mode",
                        .enumeration(
                            description:
                                "exclusive: the listed mappings are the only ones; amend: change or add to the template's defaults",
                            values: MappingMode.allCases.map(\.rawValue))),
                    .init(
                        "attributes",
                        .array(description: "attribute mappings", items: attributeMapping)),
                    .init(
                        "customAttributes",
                        .array(description: "custom target attributes", items: customAttribute)),
                    .init("scopingFilters", scopingFilters),
                ]))
    }

    static let tenantURL = ShapeNode.either(
        description: "the SCIM endpoint: a URL with {parameter} placeholders, or a lookup table",
        .string(description: "https URL; may use {parameter} placeholders"),
        .object(
            ObjectShape(
                description: "pick the URL by a parameter's value",
                fields: [
                    .init("lookup", .string(description: "the parameter whose value picks the URL"), required: true),
                    .init(
                        "table",
                        .map(
                            description: "parameter value to URL", keyPattern: nil,
                            values: .string(description: "https URL")),
                        required: true),
                ])))

    static let secretToken = ShapeNode.either(
        description: "how the vendor's secret token is supplied: never inline; 'none' when the vendor uses no token",
        .enumeration(description: "the vendor uses no token", values: ["none"]),
        .object(
            ObjectShape(
                description: "where to read the token",
                fields: [
                    .init("env", .string(description: "environment variable holding the token", pattern: "^[A-Za-z_][A-Za-z0-9_]*$")),
                    .init("file", .string(description: "file holding the token (path relative to the working directory)")),
                ],
                exactlyOneOf: [["env", "file"]])))

    static let application = ShapeNode.object(
        ObjectShape(
            description: "one enterprise application with its provisioning job",
            fields: [
                .init("name", .string(description: "short name, used by --app", pattern: "^[a-z0-9][a-z0-9-]*$"), required: true),
                .init("displayName", .string(description: "enterprise application display name; may use {parameter}"), required: true),
                .init(
                    "create",
                    .boolean(
                        description:
                            "false: the app already exists (found by displayName, appId or --service-principal-id) and is never created")),
                .init(
                    "appId",
                    .string(
                        description: "find the existing app by its application (client) id; may use {parameter}",
                        pattern: "^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|.*\\{[A-Za-z][A-Za-z0-9_-]*\\}.*)$")),
                .init("tenantURL", tenantURL, required: true),
                .init("secretToken", secretToken, required: true),
                .init(
                    "scope",
                    .enumeration(
                        description: "assigned: only assigned users and groups; all: all users and groups",
                        values: ProvisioningScope.allCases.map(\.rawValue))),
                .init("notificationEmail", .string(description: "address that receives failure notifications")),
                .init("startProvisioning", .boolean(description: "start the provisioning job after configuring it")),
                .init(
                    "paused",
                    .boolean(
                        description:
                            "true: provisioning must be off; apply pauses a running job and never starts it (false resumes with startProvisioning)")),
                .init("users", objectMapping(.user), required: true),
                .init("groups", objectMapping(.group)),
                .init("assignments", assignments),
                .init("assignmentMode", assignmentMode),
            ]))

    static let parameter = ShapeNode.object(
        ObjectShape(
            description: "a value given with --param NAME=VALUE",
            fields: [
                .init("description", .string(description: "what the value is"), required: true),
                .init("default", .string(description: "value used when none is given")),
                .init("allowed", .array(description: "the only values accepted", items: .string(description: "a value"), minItems: 1, unique: true)),
                .init("pattern", .string(description: "regular expression the whole value must match")),
                .init(
                    "transform",
                    .enumeration(description: "applied before substitution", values: Parameter.Transform.allCases.map(\.rawValue))),
                .init("example", .string(description: "a sample value used to validate the profile when none is given")),
            ]))

    static let rules = ShapeNode.object(
        ObjectShape(
            description: "checks the vendor's guide imposes",
            fields: [
                .init(
                    "allowedUserTargets",
                    .array(description: "user mappings may only target these attributes", items: .string(description: "target"))),
                .init(
                    "requiredUserTargets",
                    .array(description: "user mappings must include these targets", items: .string(description: "target"))),
                .init(
                    "valueFormats",
                    .array(
                        description: "formats the values of some targets must follow",
                        items: .object(
                            ObjectShape(
                                description: "a format rule",
                                fields: [
                                    .init("target", .string(description: "target attribute"), required: true),
                                    .init(
                                        "format",
                                        .enumeration(
                                            description: "the format",
                                            values: ValueFormatRule.Format.allCases.map(\.rawValue)),
                                        required: true),
                                ])))),
                .init(
                    "prerequisites",
                    .array(description: "steps outside Entra the vendor requires", items: .string(description: "a step"))),
            ]))

    /// The whole profile document.
    public static let root = ShapeNode.object(
        ObjectShape(
            description: "a scimctl vendor profile",
            fields: [
                .init("vendor", .string(description: "vendor name"), required: true),
                .init("guide", .string(description: "URL of the vendor's setup guide")),
                .init("description", .string(description: "what this profile sets up")),
                .init(
                    "parameters",
                    .map(description: "parameters given with --param", keyPattern: "^[A-Za-z][A-Za-z0-9_-]*$", values: parameter)),
                .init(
                    "applications",
                    .array(description: "the enterprise applications this profile sets up", items: application, minItems: 1),
                    required: true),
                .init("rules", rules),
            ]))
}
