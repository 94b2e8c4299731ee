/// A target attribute the `customappsso` directory of the non-gallery `scim` template defines.
public struct TemplateTargetAttribute: Sendable, Hashable {
    public var name: String
    public var type: CustomAttribute.AttributeType
    public var multiValued: Bool
    /// The object's primary key (`id`); never a mapping target.
    public var anchor: Bool
    /// For `Reference` attributes: the object names a value may point to.
    public var referencedObjects: [String]

    public init(
        name: String, type: CustomAttribute.AttributeType = .string, multiValued: Bool = false, anchor: Bool = false,
        referencedObjects: [String] = []
    ) {
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.anchor = anchor
        self.referencedObjects = referencedObjects
    }
}

/// What a freshly created non-gallery provisioning job (`templateId` `scim`) starts with: the default attribute
/// mappings and the target attribute list. Plain data, so the profile validator can check targets and amend-mode
/// profiles without talking to Graph. A live tenant's schema GET stays the final truth.
public enum SCIMTemplate {
    /// Both object mappings are switched on in a new job.
    public static func defaultEnabled(for kind: ObjectKind) -> Bool {
        switch kind {
        case .user, .group: true
        }
    }

    /// A new job creates, updates and deletes (disables) objects.
    public static let defaultActions: [TargetObjectAction] = [.create, .update, .delete]

    /// The default mappings in the order the portal lists them.
    public static func defaultMappings(for kind: ObjectKind) -> [AttributeMapping] {
        switch kind {
        case .user: userMappings
        case .group: groupMappings
        }
    }

    /// Every attribute the template's target object defines (mapped by default or not).
    public static func targetAttributes(for kind: ObjectKind) -> [TemplateTargetAttribute] {
        switch kind {
        case .user: userTargets
        case .group: groupTargets
        }
    }

    /// The target attribute called `name`, if the template defines it.
    public static func targetAttribute(named name: String, for kind: ObjectKind) -> TemplateTargetAttribute? {
        targetAttributes(for: kind).first { $0.name == name }
    }

    static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"

    private static let userMappings: [AttributeMapping] = [
        AttributeMapping(target: "userName", source: .attribute("userPrincipalName"), matchingPrecedence: 1),
        AttributeMapping(
            target: "active", source: .expression("Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")")),
        AttributeMapping(target: "displayName", source: .attribute("displayName")),
        AttributeMapping(target: "title", source: .attribute("jobTitle")),
        AttributeMapping(target: "emails[type eq \"work\"].value", source: .attribute("mail")),
        AttributeMapping(target: "preferredLanguage", source: .attribute("preferredLanguage")),
        AttributeMapping(target: "name.givenName", source: .attribute("givenName")),
        AttributeMapping(target: "name.familyName", source: .attribute("surname")),
        AttributeMapping(target: "name.formatted", source: .expression("Join(\" \", [givenName], [surname])")),
        AttributeMapping(target: "addresses[type eq \"work\"].formatted", source: .attribute("physicalDeliveryOfficeName")),
        AttributeMapping(target: "addresses[type eq \"work\"].streetAddress", source: .attribute("streetAddress")),
        AttributeMapping(target: "addresses[type eq \"work\"].locality", source: .attribute("city")),
        AttributeMapping(target: "addresses[type eq \"work\"].region", source: .attribute("state")),
        AttributeMapping(target: "addresses[type eq \"work\"].postalCode", source: .attribute("postalCode")),
        AttributeMapping(target: "addresses[type eq \"work\"].country", source: .attribute("country")),
        AttributeMapping(target: "phoneNumbers[type eq \"work\"].value", source: .attribute("telephoneNumber")),
        AttributeMapping(target: "phoneNumbers[type eq \"mobile\"].value", source: .attribute("mobile")),
        AttributeMapping(target: "phoneNumbers[type eq \"fax\"].value", source: .attribute("facsimileTelephoneNumber")),
        AttributeMapping(target: "externalId", source: .attribute("mailNickname")),
        AttributeMapping(target: enterpriseUser + "employeeNumber", source: .attribute("employeeId")),
        AttributeMapping(target: enterpriseUser + "department", source: .attribute("department")),
        AttributeMapping(target: enterpriseUser + "manager", source: .attribute("manager")),
    ]

    private static let groupMappings: [AttributeMapping] = [
        AttributeMapping(target: "displayName", source: .attribute("displayName"), matchingPrecedence: 1),
        AttributeMapping(target: "externalId", source: .attribute("objectId")),
        AttributeMapping(target: "members", source: .attribute("members")),
    ]

    // Complex multi-valued SCIM attributes appear flattened, one single-valued target per type filter.
    private static let userTargets: [TemplateTargetAttribute] = [
        TemplateTargetAttribute(name: "id", anchor: true),
        TemplateTargetAttribute(name: "userName"),
        TemplateTargetAttribute(name: "active", type: .boolean),
        TemplateTargetAttribute(name: "displayName"),
        TemplateTargetAttribute(name: "nickName"),
        TemplateTargetAttribute(name: "title"),
        TemplateTargetAttribute(name: "emails[type eq \"work\"].value"),
        TemplateTargetAttribute(name: "emails[type eq \"other\"].value"),
        TemplateTargetAttribute(name: "preferredLanguage"),
        TemplateTargetAttribute(name: "name.givenName"),
        TemplateTargetAttribute(name: "name.familyName"),
        TemplateTargetAttribute(name: "name.formatted"),
        TemplateTargetAttribute(name: "addresses[type eq \"work\"].formatted"),
        TemplateTargetAttribute(name: "addresses[type eq \"work\"].streetAddress"),
        TemplateTargetAttribute(name: "addresses[type eq \"work\"].locality"),
        TemplateTargetAttribute(name: "addresses[type eq \"work\"].region"),
        TemplateTargetAttribute(name: "addresses[type eq \"work\"].postalCode"),
        TemplateTargetAttribute(name: "addresses[type eq \"work\"].country"),
        TemplateTargetAttribute(name: "addresses[type eq \"other\"].formatted"),
        TemplateTargetAttribute(name: "phoneNumbers[type eq \"work\"].value"),
        TemplateTargetAttribute(name: "phoneNumbers[type eq \"mobile\"].value"),
        TemplateTargetAttribute(name: "phoneNumbers[type eq \"fax\"].value"),
        TemplateTargetAttribute(name: "externalId"),
        TemplateTargetAttribute(name: "roles[primary eq \"True\"].value"),
        TemplateTargetAttribute(name: "roles[primary eq \"True\"].display"),
        TemplateTargetAttribute(name: "roles[primary eq \"True\"].type"),
        TemplateTargetAttribute(name: enterpriseUser + "employeeNumber"),
        TemplateTargetAttribute(name: enterpriseUser + "costCenter"),
        TemplateTargetAttribute(name: enterpriseUser + "organization"),
        TemplateTargetAttribute(name: enterpriseUser + "division"),
        TemplateTargetAttribute(name: enterpriseUser + "department"),
        TemplateTargetAttribute(name: enterpriseUser + "manager", type: .reference, referencedObjects: ["User"]),
    ]

    private static let groupTargets: [TemplateTargetAttribute] = [
        TemplateTargetAttribute(name: "id", anchor: true),
        TemplateTargetAttribute(name: "displayName"),
        TemplateTargetAttribute(name: "externalId"),
        TemplateTargetAttribute(name: "members", type: .reference, multiValued: true, referencedObjects: ["User", "Group"]),
    ]
}
