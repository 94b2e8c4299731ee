// Generated from the reference function catalogue (functions.json); keep in step with it.
// Regenerate by hand when the catalogue changes: one entry per function, parameters in slot order.

extension FunctionCatalog {
    /// Every function scimctl knows, in catalogue order.
    public static let all: [FunctionSignature] = [
        FunctionSignature(
            name: "Append", minArguments: 2, maxArguments: 2, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "suffix", graphKey: "suffix", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "AppRoleAssignmentsComplex", minArguments: 1, maxArguments: 1, returns: "Complex multi-valued (SCIM roles objects)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "appRoleAssignments", graphKey: "appRoleAssignments", type: "String (the [appRoleAssignments] attribute)", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "AssertiveAppRoleAssignmentsComplex", minArguments: 1, maxArguments: 1, returns: "Complex multi-valued (SCIM roles objects)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "appRoleAssignments", graphKey: "appRoleAssignments", type: "String (the [appRoleAssignments] attribute)", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "BitAnd", minArguments: 2, maxArguments: 2, returns: "Number", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "value1", graphKey: "value1", type: "Num", isRequired: true, isRepeating: false),
                FunctionParameter(name: "value2", graphKey: "value2", type: "Num", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "CBool", minArguments: 1, maxArguments: 1, returns: "Boolean", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "Expression", graphKey: "Expression", type: "Expression", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "CDate", minArguments: 1, maxArguments: 1, returns: "DateTime (string 'M/d/yyyy h:mm:ss tt', UTC)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "expression", graphKey: "expression", type: "String/Expression", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Coalesce", minArguments: 1, maxArguments: nil, returns: "String (first non-null source)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: true),
                FunctionParameter(name: "defaultValue", graphKey: "defaultValue", type: "String", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "ConvertToBase64", minArguments: 1, maxArguments: 1, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "ConvertToUTF8Hex", minArguments: 1, maxArguments: 1, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Count", minArguments: 1, maxArguments: 1, returns: "Integer", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "attribute", graphKey: "attribute", type: "multi-valued attribute", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "CStr", minArguments: 1, maxArguments: 1, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "value", graphKey: "value", type: "numeric, reference or boolean", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "DateAdd", minArguments: 3, maxArguments: 3, returns: "String (DateTime 'M/d/yyyy h:mm:ss tt')", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "interval", graphKey: "interval", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "value", graphKey: "value", type: "Number", isRequired: true, isRepeating: false),
                FunctionParameter(name: "dateTime", graphKey: "dateTime", type: "DateTime", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "DateDiff", minArguments: 3, maxArguments: 3, returns: "Number", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "interval", graphKey: "interval", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "date1", graphKey: "date1", type: "DateTime", isRequired: true, isRepeating: false),
                FunctionParameter(name: "date2", graphKey: "date2", type: "DateTime", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "DateFromNum", minArguments: 1, maxArguments: 1, returns: "DateTime", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "value", graphKey: "value", type: "Date/Number (AD FILETIME)", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "FormatDateTime", minArguments: 4, maxArguments: 4, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "dateTimeStyles", graphKey: "dateTimeStyles", type: "String", isRequired: false, isRepeating: false),
                FunctionParameter(name: "inputFormat", graphKey: "inputFormat", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "outputFormat", graphKey: "outputFormat", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Guid", minArguments: 0, maxArguments: 0, returns: "String (GUID)", availability: .provisioning,
            parameters: []),
        FunctionSignature(
            name: "IgnoreFlowIfNullOrEmpty", minArguments: 1, maxArguments: 1, returns: "same as argument (attribute dropped from the flow when null/empty)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "Expression", graphKey: "Expression", type: "Expression", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "IIF", minArguments: 3, maxArguments: 3, returns: "Variant (type of chosen branch)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "condition", graphKey: "condition", type: "Variable or Expression", isRequired: true, isRepeating: false),
                FunctionParameter(name: "valueIfTrue", graphKey: "valueIfTrue", type: "Variable or String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "valueIfFalse", graphKey: "valueIfFalse", type: "Variable or String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "InStr", minArguments: 2, maxArguments: 4, returns: "Integer (1-based position, 0 if not found)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "value1", graphKey: "value1", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "value2", graphKey: "value2", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "start", graphKey: "start", type: "Integer", isRequired: false, isRepeating: false),
                FunctionParameter(name: "compareType", graphKey: "compareType", type: "Enum", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "IsNull", minArguments: 1, maxArguments: 1, returns: "Boolean", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "Expression", graphKey: "Expression", type: "Expression", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "IsNullOrEmpty", minArguments: 1, maxArguments: 1, returns: "Boolean", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "Expression", graphKey: "Expression", type: "Expression", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "IsPresent", minArguments: 1, maxArguments: 1, returns: "Boolean", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "Expression", graphKey: "Expression", type: "Expression", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "IsString", minArguments: 1, maxArguments: 1, returns: "Boolean", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "Expression", graphKey: "Expression", type: "Expression", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Item", minArguments: 2, maxArguments: 2, returns: "String (one value)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "attribute", graphKey: "attribute", type: "multi-valued attribute", isRequired: true, isRepeating: false),
                FunctionParameter(name: "index", graphKey: "index", type: "Integer", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Join", minArguments: 2, maxArguments: nil, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "separator", graphKey: "separator", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: true)
            ]),
        FunctionSignature(
            name: "Left", minArguments: 2, maxArguments: 2, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "String", graphKey: "String", type: "Attribute/String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "NumChars", graphKey: "NumChars", type: "Integer", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Mid", minArguments: 3, maxArguments: 3, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "start", graphKey: "start", type: "Integer", isRequired: true, isRepeating: false),
                FunctionParameter(name: "length", graphKey: "length", type: "Integer", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "NormalizeDiacritics", minArguments: 1, maxArguments: 1, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Not", minArguments: 1, maxArguments: 1, returns: "Boolean (\"True\"/\"False\")", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "Boolean String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Now", minArguments: 0, maxArguments: 0, returns: "String (UTC DateTime 'M/d/yyyy h:mm:ss tt')", availability: .provisioning,
            parameters: []),
        FunctionSignature(
            name: "NumFromDate", minArguments: 1, maxArguments: 1, returns: "Number (AD Int64 date, e.g. for accountExpires)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "value", graphKey: "value", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "PCase", minArguments: 1, maxArguments: 2, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "wordSeparators", graphKey: "wordSeparators", type: "String", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "RandomString", minArguments: 5, maxArguments: 6, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "Length", graphKey: "Length", type: "Number", isRequired: true, isRepeating: false),
                FunctionParameter(name: "MinimumNumbers", graphKey: "MinimumNumbers", type: "Number", isRequired: true, isRepeating: false),
                FunctionParameter(name: "MinimumSpecialCharacters", graphKey: "MinimumSpecialCharacters", type: "Number", isRequired: true, isRepeating: false),
                FunctionParameter(name: "MinimumCapital", graphKey: "MinimumCapital", type: "Number", isRequired: true, isRepeating: false),
                FunctionParameter(name: "MinimumLowerCase", graphKey: "MinimumLowerCase", type: "Number", isRequired: true, isRepeating: false),
                FunctionParameter(name: "CharactersToAvoid", graphKey: "CharactersToAvoid", type: "String", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Redact", minArguments: 1, maxArguments: 1, returns: "same as argument (value masked as \"[Redact]\" in provisioning logs)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "attribute/value", graphKey: "attribute/value", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "RemoveDuplicates", minArguments: 1, maxArguments: 1, returns: "multi-valued String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "attribute", graphKey: "attribute", type: "multi-valued attribute", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Replace", minArguments: 1, maxArguments: 7, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "oldValue", graphKey: "Find", type: "String", isRequired: false, isRepeating: false),
                FunctionParameter(name: "regexPattern", graphKey: "RegularExpression", type: "String", isRequired: false, isRepeating: false),
                FunctionParameter(name: "regexGroupName", graphKey: "RegularExpressionGroupName", type: "String", isRequired: false, isRepeating: false),
                FunctionParameter(name: "replacementValue", graphKey: "Replacement", type: "String", isRequired: false, isRepeating: false),
                FunctionParameter(name: "replacementAttributeName", graphKey: "ReplacementPropertyName", type: "String/attribute", isRequired: false, isRepeating: false),
                FunctionParameter(name: "template", graphKey: "Template", type: "String", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "SelectUniqueValue", minArguments: 2, maxArguments: nil, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "uniqueValueRule", graphKey: "uniqueValueRule", type: "String/Expression", isRequired: true, isRepeating: true)
            ]),
        FunctionSignature(
            name: "SingleAppRoleAssignment", minArguments: 1, maxArguments: 1, returns: "String (one role name)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String (the [appRoleAssignments] attribute)", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Split", minArguments: 2, maxArguments: 2, returns: "multi-valued String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "delimiter", graphKey: "delimiter", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "StripSpaces", minArguments: 1, maxArguments: 1, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Switch", minArguments: 4, maxArguments: nil, returns: "String (Variant)", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "defaultValue", graphKey: "defaultValue", type: "String", isRequired: false, isRepeating: false),
                FunctionParameter(name: "key", graphKey: "switchValue", type: "String", isRequired: true, isRepeating: true),
                FunctionParameter(name: "value", graphKey: "switchValue", type: "String", isRequired: true, isRepeating: true)
            ]),
        FunctionSignature(
            name: "ToLower", minArguments: 1, maxArguments: 2, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "culture", graphKey: "culture", type: "String", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "ToUpper", minArguments: 1, maxArguments: 2, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "culture", graphKey: "culture", type: "String", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Word", minArguments: 3, maxArguments: 3, returns: "String", availability: .provisioning,
            parameters: [
                FunctionParameter(name: "String", graphKey: "String", type: "String (docs say multi-valued attribute)", isRequired: true, isRepeating: false),
                FunctionParameter(name: "WordNumber", graphKey: "WordNumber", type: "Integer", isRequired: true, isRepeating: false),
                FunctionParameter(name: "delimiters", graphKey: "delimiters", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "ConvertFromBase64", minArguments: 1, maxArguments: 2, returns: "String", availability: .cloudSyncOnly,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "Encoding", graphKey: "Encoding", type: "Enum", isRequired: false, isRepeating: false)
            ]),
        FunctionSignature(
            name: "DNComponent", minArguments: 2, maxArguments: 2, returns: "String", availability: .cloudSyncOnly,
            parameters: [
                FunctionParameter(name: "dn", graphKey: "dn", type: "Reference", isRequired: true, isRepeating: false),
                FunctionParameter(name: "ComponentNumber", graphKey: "ComponentNumber", type: "Num", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Error", minArguments: 1, maxArguments: 1, returns: "void (raises an error on the object)", availability: .cloudSyncOnly,
            parameters: [
                FunctionParameter(name: "ErrorMessage", graphKey: "ErrorMessage", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "StringFromSid", minArguments: 1, maxArguments: 1, returns: "String", availability: .cloudSyncOnly,
            parameters: [
                FunctionParameter(name: "ObjectSID", graphKey: "ObjectSID", type: "Binary", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Trim", minArguments: 1, maxArguments: 1, returns: "String (multi-valued input trimmed per value)", availability: .cloudSyncOnly,
            parameters: [
                FunctionParameter(name: "value", graphKey: "value", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "DefaultDomain", minArguments: 0, maxArguments: 0, returns: "String", availability: .legacyGraphSchema,
            parameters: []),
        FunctionSignature(
            name: "AppRoleAssignments", minArguments: 1, maxArguments: 1, returns: "String", availability: .legacyGraphSchema,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "IsNothing", minArguments: 1, maxArguments: 1, returns: "Boolean", availability: .legacyGraphSchema,
            parameters: [
                FunctionParameter(name: "source", graphKey: "source", type: "Boolean", isRequired: true, isRepeating: false)
            ]),
        FunctionSignature(
            name: "Prepend", minArguments: 2, maxArguments: 2, returns: "String", availability: .legacyGraphSchema,
            parameters: [
                FunctionParameter(name: "prefix", graphKey: "prefix", type: "String", isRequired: true, isRepeating: false),
                FunctionParameter(name: "source", graphKey: "source", type: "String", isRequired: true, isRepeating: false)
            ]),
    ]
}
