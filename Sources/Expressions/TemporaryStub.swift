// Placeholder API so the package builds until the expression module lands; removed when it does.
import Diagnostics
public enum SourceObjectType: Sendable { case user, group }
public struct CheckedExpression: Sendable { public var diagnostics: [Diagnostic] }
public enum ExpressionChecker {
    public static func check(_ text: String, object: SourceObjectType?, at base: SourceLocation?) -> CheckedExpression { CheckedExpression(diagnostics: []) }
}
public enum SourceAttributeCatalog {
    static let user = ["objectId","IsSoftDeleted","accountEnabled","city","country","department","displayName","employeeId","facsimileTelephoneNumber","givenName","jobTitle","mail","mailNickname","manager","mobile","physicalDeliveryOfficeName","postalCode","preferredLanguage","state","streetAddress","surname","telephoneNumber","userPrincipalName"]
    public static func contains(_ name: String, object: SourceObjectType) -> Bool { user.contains(name) || ["members"].contains(name) }
    public static func suggestion(for name: String, object: SourceObjectType) -> String? { Suggestions.closest(to: name, in: user) }
}
