import GraphModel
import VendorProfiles

/// How scimctl marks an application it created, so that a run on another machine (without the apply journal) can
/// tell scimctl's app from one made in the portal. `notes` is free text on the service principal, empty on a new one.
public enum ScimctlMarker {
    public static let prefix = "Created by scimctl"

    public static func notes(for application: ResolvedApplication) -> String {
        "\(prefix) (profile application '\(application.name)'). Provisioning is managed as code; portal changes to "
            + "its mappings may be overwritten by the next apply."
    }

    /// The `PATCH /servicePrincipals/{id}` body that writes the marker.
    public static func body(for application: ResolvedApplication) -> JSONValue {
        ["notes": .string(notes(for: application))]
    }

    public static func isPresent(in servicePrincipal: JSONValue?) -> Bool {
        servicePrincipal?["notes"]?.stringValue?.hasPrefix(prefix) ?? false
    }
}
