import Diagnostics

/// Which Entra ID object a mapping reads from.
public enum SourceObjectType: String, Sendable, Hashable, CaseIterable {
    case user
    case group
}

/// One source attribute of the Entra ID provisioning schema.
public struct SourceAttribute: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// Seen in Microsoft's own schema examples.
        case confirmed
        /// Only reported by third parties; the job schema is the final word.
        case unverified
    }

    public let name: String
    /// String, Boolean, Reference, DateTime, …
    public let type: String
    public let isMultiValued: Bool
    public let status: Status

    public init(name: String, type: String, isMultiValued: Bool, status: Status) {
        self.name = name
        self.type = type
        self.isMultiValued = isMultiValued
        self.status = status
    }
}

/// The offline list of Entra ID source attributes, used when the tenant's job schema is not at hand.
/// Names are case-sensitive, as Entra validates them on save.
public enum SourceAttributeCatalog {
    private static let userIndex = Dictionary(userAttributes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    private static let groupIndex = Dictionary(groupAttributes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Names from other schemas (Microsoft Graph v1.0, LDAP) that people use by mistake, with the provisioning name.
    /// An empty replacement means the value is not available as a source at all.
    public static let wrongNames: [String: String] = [
        "mobilePhone": "mobile",
        "businessPhones": "telephoneNumber",
        "faxNumber": "facsimileTelephoneNumber",
        "officeLocation": "physicalDeliveryOfficeName",
        "id": "objectId",
        "sn": "surname",
        "lastName": "surname",
        "firstName": "givenName",
        "email": "mail",
        "title": "jobTitle",
        "upn": "userPrincipalName",
        "SamAccountName": "",
        "sAMAccountName": "",
        "userType": "",
    ]

    public static func attributes(object: SourceObjectType) -> [SourceAttribute] {
        object == .user ? userAttributes : groupAttributes
    }

    public static func names(object: SourceObjectType) -> [String] {
        attributes(object: object).map(\.name)
    }

    public static func attribute(named name: String, object: SourceObjectType) -> SourceAttribute? {
        if let known = (object == .user ? userIndex : groupIndex)[name] { return known }
        if object == .user, isDirectoryExtension(name) {
            return SourceAttribute(name: name, type: "String", isMultiValued: false, status: .unverified)
        }
        return nil
    }

    /// Exact, case-sensitive membership; directory extensions (`extension_<appId>_<name>`) count for users.
    public static func contains(_ name: String, object: SourceObjectType) -> Bool {
        attribute(named: name, object: object) != nil
    }

    /// The attribute the author probably meant: same name in another case, a known wrong-schema name,
    /// or the closest spelling. nil when nothing is close or the name is already valid.
    public static func suggestion(for name: String, object: SourceObjectType) -> String? {
        if contains(name, object: object) { return nil }
        if let mapped = wrongNames[name], !mapped.isEmpty, contains(mapped, object: object) { return mapped }
        let lowered = name.lowercased()
        if let match = attributes(object: object).first(where: { $0.name.lowercased() == lowered }) { return match.name }
        if let mapped = wrongNames.first(where: { $0.key.lowercased() == lowered })?.value, !mapped.isEmpty,
            contains(mapped, object: object)
        {
            return mapped
        }
        return Suggestions.closest(to: name, in: names(object: object))
    }

    /// True for names Entra documents as unavailable as sources (e.g. `SamAccountName`).
    public static func isKnownUnavailable(_ name: String) -> Bool {
        wrongNames.contains { $0.key.lowercased() == name.lowercased() && $0.value.isEmpty }
    }

    /// `extension_` + 32 hex digits (the app id without hyphens) + `_` + a name.
    static func isDirectoryExtension(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        let prefix = Array("extension_".utf8)
        guard utf8.count > prefix.count + 33, Array(utf8[0..<prefix.count]) == prefix else { return false }
        let hexEnd = prefix.count + 32
        for byte in utf8[prefix.count..<hexEnd] {
            let isHex = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
            if !isHex { return false }
        }
        guard utf8[hexEnd] == 0x5F else { return false }
        return utf8[(hexEnd + 1)...].allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }
    }
}
