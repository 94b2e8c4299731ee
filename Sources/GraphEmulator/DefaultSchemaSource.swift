import GraphSync

/// The schema a new `scim` job starts with and `DELETE .../schema` resets to: scimctl's shared default template
/// schema, so the emulator and the planner agree on what an untouched job looks like.
enum DefaultSchemaSource {
    static func scimSchema() -> JSONValue { DefaultTemplateSchema.json }
}
