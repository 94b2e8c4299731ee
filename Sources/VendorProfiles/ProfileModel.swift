import Diagnostics

/// A vendor profile: everything a vendor's setup guide says about provisioning its SCIM endpoint from Entra ID.
/// Values may contain `{parameter}` placeholders; `Profile.resolve(_:)` turns them into a `ResolvedProfile`.
public struct Profile: Sendable, Hashable {
    /// Short machine name, e.g. `flosum` (the file name without extension).
    public var name: String
    public var vendor: String
    public var guideURL: String?
    public var description: String
    public var parameters: [Parameter]
    public var applications: [Application]
    public var rules: VendorRules
    /// Where the profile came from (a path, or `<bundled>/flosum.yaml`).
    public var file: String
    public var location: SourceLocation?

    public init(
        name: String, vendor: String, guideURL: String? = nil, description: String = "",
        parameters: [Parameter] = [], applications: [Application] = [], rules: VendorRules = VendorRules(),
        file: String = "<memory>", location: SourceLocation? = nil
    ) {
        self.name = name
        self.vendor = vendor
        self.guideURL = guideURL
        self.description = description
        self.parameters = parameters
        self.applications = applications
        self.rules = rules
        self.file = file
        self.location = location
    }
}

/// A value the user supplies with `--param KEY=VALUE`.
public struct Parameter: Sendable, Hashable {
    public enum Transform: String, Sendable, Hashable, CaseIterable {
        case none
        case lowercase
    }

    public var name: String
    public var description: String
    public var defaultValue: String?
    /// When set, the value must be one of these.
    public var allowedValues: [String]?
    /// When set, the whole value must match this regular expression.
    public var pattern: String?
    /// Applied to the value before it is substituted (Totalmobile lower-cases its hostname label).
    public var transform: Transform
    /// A value used to validate the profile when none is given and no allowed list exists.
    public var example: String?
    public var location: SourceLocation?
    /// Where the `default` and `pattern` values are written, for findings about them.
    public var defaultLocation: SourceLocation?
    public var patternLocation: SourceLocation?

    public init(
        name: String, description: String = "", defaultValue: String? = nil, allowedValues: [String]? = nil,
        pattern: String? = nil, transform: Transform = .none, example: String? = nil, location: SourceLocation? = nil,
        defaultLocation: SourceLocation? = nil, patternLocation: SourceLocation? = nil
    ) {
        self.defaultLocation = defaultLocation
        self.patternLocation = patternLocation
        self.name = name
        self.description = description
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.pattern = pattern
        self.transform = transform
        self.example = example
        self.location = location
    }

    public var isRequired: Bool { defaultValue == nil }
}

/// One Entra enterprise application with its provisioning job.
public struct Application: Sendable, Hashable {
    public var name: String
    /// Display name of the enterprise app; may hold `{parameter}` placeholders.
    public var displayName: String
    public var tenantURL: TenantURL
    public var secretToken: SecretTokenSource
    public var scope: ProvisioningScope
    public var notificationEmail: String?
    public var startProvisioning: Bool
    public var users: ObjectMapping
    public var groups: ObjectMapping
    /// Users and groups to assign to the app (see `Assignment`); empty when the profile does not say.
    public var assignments: [Assignment] = []
    public var assignmentMode: AssignmentMode = .amend
    /// False when the enterprise app must already exist (made for single sign-on, or by the vendor's script).
    public var create: Bool = true
    /// Find the app by its application (client) id instead of its display name; may hold `{parameter}`.
    public var appID: String?
    /// Provisioning must be off: apply pauses a running job and never starts it.
    public var paused: Bool = false
    public var location: SourceLocation?
    public var displayNameMap: ScalarSourceMap?
    public var notificationEmailLocation: SourceLocation?
    /// Where each character of a `.template` tenant URL was written.
    public var tenantURLMap: ScalarSourceMap?

    public init(
        name: String, displayName: String, tenantURL: TenantURL, secretToken: SecretTokenSource,
        scope: ProvisioningScope = .assignedOnly, notificationEmail: String? = nil, startProvisioning: Bool = false,
        users: ObjectMapping, groups: ObjectMapping, location: SourceLocation? = nil,
        displayNameMap: ScalarSourceMap? = nil, notificationEmailLocation: SourceLocation? = nil,
        tenantURLMap: ScalarSourceMap? = nil
    ) {
        self.tenantURLMap = tenantURLMap
        self.displayNameMap = displayNameMap
        self.notificationEmailLocation = notificationEmailLocation
        self.name = name
        self.displayName = displayName
        self.tenantURL = tenantURL
        self.secretToken = secretToken
        self.scope = scope
        self.notificationEmail = notificationEmail
        self.startProvisioning = startProvisioning
        self.users = users
        self.groups = groups
        self.location = location
    }
}

/// How the SCIM base address is found.
public enum TenantURL: Sendable, Hashable {
    /// A URL with `{parameter}` placeholders.
    case template(String, location: SourceLocation?)
    /// The value of `parameter` picks a URL from `table` (Flosum regions, &Money environments).
    case lookup(parameter: String, table: [LookupEntry], location: SourceLocation?)
}

public struct LookupEntry: Sendable, Hashable {
    public var key: String
    public var url: String
    public var location: SourceLocation?
    public var map: ScalarSourceMap?
    public init(key: String, url: String, location: SourceLocation? = nil, map: ScalarSourceMap? = nil) {
        self.map = map
        self.key = key
        self.url = url
        self.location = location
    }
}

/// Where the vendor's secret token comes from. It is never written inline in a profile.
public enum SecretTokenSource: Sendable, Hashable {
    case environment(variable: String)
    case file(path: String)
    /// The vendor's guide says to leave the token blank (TeleMessage).
    case none
}

public enum ProvisioningScope: String, Sendable, Hashable, CaseIterable {
    /// Sync only assigned users and groups (`SyncAll` = "false").
    case assignedOnly = "assigned"
    /// Sync all users and groups (`SyncAll` = "true").
    case all
}

public enum ObjectKind: String, Sendable, Hashable, CaseIterable {
    case user
    case group

    /// The object name on both sides of the schema (`User`, `Group`).
    public var schemaObjectName: String {
        switch self {
        case .user: "User"
        case .group: "Group"
        }
    }
}

public enum TargetObjectAction: String, Sendable, Hashable, CaseIterable, Comparable {
    case create
    case update
    case delete

    /// Graph's `objectFlowTypes` name.
    public var graphName: String {
        switch self {
        case .create: "Add"
        case .update: "Update"
        case .delete: "Delete"
        }
    }

    private var order: Int {
        switch self {
        case .create: 0
        case .update: 1
        case .delete: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }
}

/// Whether a mapping list is the whole truth or a change to the template's defaults.
public enum MappingMode: String, Sendable, Hashable, CaseIterable {
    /// Every mapping not listed is removed.
    case exclusive
    /// Listed targets are changed or added; the template's other mappings stay.
    case amend
}

/// The user or group object mapping of one application.
public struct ObjectMapping: Sendable, Hashable {
    public var kind: ObjectKind
    /// Nil when the profile does not say (the template's state is kept).
    public var enabled: Bool?
    /// Nil when the profile does not say (the template's flow types are kept).
    public var actions: [TargetObjectAction]?
    public var mode: MappingMode
    public var mappings: [AttributeMapping]
    /// Target attributes the vendor defines beyond the default SCIM schema.
    public var customAttributes: [CustomAttribute]
    /// Scoping filters (OR'ed; the clauses of one are AND'ed); nil when the profile does not say (the live ones stay).
    public var scopingFilters: [ScopingFilterRule]? = nil
    public var location: SourceLocation?
    public var actionsLocation: SourceLocation?

    public init(
        kind: ObjectKind, enabled: Bool? = nil, actions: [TargetObjectAction]? = nil, mode: MappingMode = .amend,
        mappings: [AttributeMapping] = [], customAttributes: [CustomAttribute] = [], location: SourceLocation? = nil,
        actionsLocation: SourceLocation? = nil
    ) {
        self.actionsLocation = actionsLocation
        self.kind = kind
        self.enabled = enabled
        self.actions = actions
        self.mode = mode
        self.mappings = mappings
        self.customAttributes = customAttributes
        self.location = location
    }
}

public enum MappingSource: Sendable, Hashable {
    /// Direct mapping from an Entra ID attribute (`mail`).
    case attribute(String)
    /// A constant value; may hold `{parameter}` placeholders.
    case constant(String)
    /// A mapping expression (`Switch([IsSoftDeleted], , "False", "True", "True", "False")`).
    case expression(String)
}

public enum ApplyWhen: String, Sendable, Hashable, CaseIterable {
    case always
    /// Graph's `ObjectAddOnly`: only when the object is created.
    case onCreate = "on-create"

    public var graphFlowType: String {
        switch self {
        case .always: "Always"
        case .onCreate: "ObjectAddOnly"
        }
    }
}

public struct AttributeMapping: Sendable, Hashable {
    /// SCIM target path: `userName`, `emails[type eq "work"].value`, `urn:…:User:employeeNumber`.
    public var target: String
    public var source: MappingSource
    /// 1 = first matching attribute; nil = not used for matching.
    public var matchingPrecedence: Int?
    public var applyWhen: ApplyWhen
    public var defaultValue: String?
    public var location: SourceLocation?
    /// Where the target's text starts.
    public var targetLocation: SourceLocation?
    /// Where the source / constant / expression value starts, for diagnostics inside it.
    public var sourceLocation: SourceLocation?
    /// Where each character of the target, source and default values was written (escapes and folding included).
    public var targetMap: ScalarSourceMap?
    public var sourceMap: ScalarSourceMap?
    public var defaultMap: ScalarSourceMap?
    public var matchingPrecedenceLocation: SourceLocation?

    public init(
        target: String, source: MappingSource, matchingPrecedence: Int? = nil, applyWhen: ApplyWhen = .always,
        defaultValue: String? = nil, location: SourceLocation? = nil, targetLocation: SourceLocation? = nil,
        sourceLocation: SourceLocation? = nil, targetMap: ScalarSourceMap? = nil, sourceMap: ScalarSourceMap? = nil,
        defaultMap: ScalarSourceMap? = nil, matchingPrecedenceLocation: SourceLocation? = nil
    ) {
        self.targetMap = targetMap
        self.sourceMap = sourceMap
        self.defaultMap = defaultMap
        self.matchingPrecedenceLocation = matchingPrecedenceLocation
        self.targetLocation = targetLocation
        self.target = target
        self.source = source
        self.matchingPrecedence = matchingPrecedence
        self.applyWhen = applyWhen
        self.defaultValue = defaultValue
        self.location = location
        self.sourceLocation = sourceLocation
    }
}

public struct CustomAttribute: Sendable, Hashable {
    public enum AttributeType: String, Sendable, Hashable, CaseIterable {
        case string = "String"
        case boolean = "Boolean"
        case integer = "Integer"
        case dateTime = "DateTime"
        case reference = "Reference"
        case binary = "Binary"
    }

    public var name: String
    public var type: AttributeType
    public var multiValued: Bool
    public var location: SourceLocation?

    public init(name: String, type: AttributeType = .string, multiValued: Bool = false, location: SourceLocation? = nil)
    {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.location = location
    }
}

/// Checks a vendor's guide imposes beyond the general ones.
public struct VendorRules: Sendable, Hashable {
    /// When set, user mappings may only target these attributes (Eptura).
    public var allowedUserTargets: [String]?
    /// User mappings must include these targets.
    public var requiredUserTargets: [String]
    /// Formats the values of some targets must follow; checked by `preview` on real values.
    public var valueFormats: [ValueFormatRule]
    /// Steps outside Entra that the vendor requires, printed by validate and apply.
    public var prerequisites: [String]

    public init(
        allowedUserTargets: [String]? = nil, requiredUserTargets: [String] = [], valueFormats: [ValueFormatRule] = [],
        prerequisites: [String] = []
    ) {
        self.allowedUserTargets = allowedUserTargets
        self.requiredUserTargets = requiredUserTargets
        self.valueFormats = valueFormats
        self.prerequisites = prerequisites
    }
}

public struct ValueFormatRule: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// RFC 3966 `tel:` URI: `tel:+1-201-555-0123`, or a local number with `;phone-context=`.
        case rfc3966
        /// International number as digits only, no `+`, spaces or dashes: `441234567890`.
        case internationalDigits = "international-digits"
    }

    public var target: String
    public var format: Format
    public var location: SourceLocation?

    public init(target: String, format: Format, location: SourceLocation? = nil) {
        self.target = target
        self.format = format
        self.location = location
    }
}

extension Application {
    public func objectMapping(_ kind: ObjectKind) -> ObjectMapping {
        switch kind {
        case .user: users
        case .group: groups
        }
    }
}
