import GraphModel
import VendorProfiles

/// A secret on its way into a request body. Printing it never shows the value.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The value to send. Only request bodies should read it.
    public let exposedValue: String

    public init(_ value: String) { exposedValue = value }

    /// What `render` shows instead of a token: where the token will come from.
    public static func placeholder(for source: SecretTokenSource) -> SecretValue? {
        switch source {
        case .environment(let variable): SecretValue("<from env \(variable)>")
        case .file(let path): SecretValue("<from file \(path)>")
        case .none: nil
        }
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// The body of `PUT …/synchronization/secrets`. Graph has no PATCH for secrets, so the body is the whole set
/// scimctl owns: `BaseAddress`, `SecretToken` (unless the profile has none), `SyncAll`, and
/// `SyncNotificationSettings` when a notification address is set. Every value is a string.
public enum SecretsBody {
    /// Accidental-deletion prevention stays at the portal's defaults when notification settings are written.
    public static let deleteThresholdValue = 500

    /// - Parameter saved: the tenant's saved settings by key; the notification settings the profile does not own
    ///   (the delete threshold, anything else there) are kept from them.
    public static func make(for application: ResolvedApplication, token: SecretValue?, saved: [String: String]? = nil)
        -> JSONValue
    {
        var entries = [KeyValuePair(key: "BaseAddress", value: application.tenantURL)]
        if application.secretToken != .none, let token {
            entries.append(KeyValuePair(key: "SecretToken", value: token.exposedValue))
        }
        entries.append(KeyValuePair(key: "SyncAll", value: application.scope == .all ? "true" : "false"))
        if let email = application.notificationEmail {
            entries.append(
                KeyValuePair(
                    key: "SyncNotificationSettings",
                    value: notificationSettings(recipients: email, saved: saved?["SyncNotificationSettings"])))
        }
        return SynchronizationSecrets(entries).json
    }

    /// `SyncNotificationSettings` is itself JSON, sent as a string. The profile owns the recipients and that
    /// notifications are on; a customer's delete threshold (and anything else saved) is kept.
    public static func notificationSettings(recipients: String, saved: String? = nil) -> String {
        if let saved, var settings = try? JSONValue(parsing: saved), case .object = settings {
            settings["Recipients"] = .string(recipients)
            settings["Enabled"] = true
            return settings.serialized()
        }
        let settings: JSONValue = [
            "DeleteThresholdEnabled": true,
            "DeleteThresholdValue": .integer(Int64(deleteThresholdValue)),
            "Enabled": true,
            "Recipients": .string(recipients),
        ]
        return settings.serialized()
    }
}
