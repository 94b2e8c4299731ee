// Findings from evaluating a profile on sample objects: `preview` and `simulate`.

extension DiagnosticRegistry {
    static let previewRules: [DiagnosticRule] = [
        DiagnosticRule(
            "preview.evaluation", .error,
            summary: "A mapping could not be evaluated for the sample object",
            explanation: """
                `scimctl preview` runs every mapping on a sample user or group, as the provisioning service \
                would. An evaluation error (a date that does not parse, a number function given text) would make \
                the service skip or fail that object. Fix the expression or the sample.
                """,
            example: #"expression: DateAdd("d", 7, CDate([department]))"#,
            fixed: #"expression: DateAdd("d", 7, CDate([employeeHireDate]))"#),
        DiagnosticRule(
            "preview.format-rfc3966", .warning,
            summary: "A phone number that does not fit the RFC 3966 tel: format",
            explanation: """
                The vendor's `rules.valueFormats` asks for RFC 3966 phone numbers (`tel:+49-89-1234567`), and the \
                sample's value comes out differently. The vendor will reject or mangle it; normalise the number \
                in the expression.
                """,
            example: "phone number +49 (89) 123 4567 mapped as it is",
            fixed: #"expression: Append("tel:", Replace([telephoneNumber], , "[ ()]", , "", , ))"#),
        DiagnosticRule(
            "preview.format-international-digits", .warning,
            summary: "A phone number with too few or too many digits for international format",
            explanation: """
                The vendor's `rules.valueFormats` wants the number in full international form as digits only: \
                the country code first, no '+', spaces or dashes, 7 to 15 digits (TeleMessage's mobile numbers). \
                The value that comes out breaks one of these, so the vendor rejects it or cannot text the user. \
                Strip the formatting in the expression, or fix the number in Entra ID.
                """,
            example: "mobile +44 1234 567890, mapped as it is",
            fixed: #"expression: Replace([mobile], , "[^0-9]", , "", , )"#),
        DiagnosticRule(
            "preview.empty-matching-attribute", .warning,
            summary: "The matching attribute comes out empty for the sample object",
            explanation: """
                Entra matches an object in the vendor's system by the mapping with the lowest matching \
                precedence (usually userName). When that value is empty, the service cannot look the object up: \
                it skips the user or reports an error, and nothing is created or updated. Fill the source \
                attribute in Entra ID, or map the matching target from an attribute every user has.
                """,
            example: "userName mapped from [mail], and the sample user has no mail",
            fixed: "userName mapped from [userPrincipalName]"),
        DiagnosticRule(
            "preview.out-of-scope", .warning,
            summary: "The sample object is outside the profile's scoping filters",
            explanation: """
                The sample fails at least one clause in every scoping filter, so Entra would skip it and none of \
                the previewed values would be sent. The message names the failing clause of each filter. Pick a \
                sample that is in scope, or check the filter.
                """,
            example: "a sample user in department Support with a filter department EQUALS Sales",
            fixed: "a sample user in department Sales"),
        DiagnosticRule(
            "simulate.evaluation-error", .error,
            summary: "A mapping could not be evaluated for a user of the directory",
            explanation: """
                `scimctl simulate` runs the profile on every user of a directory export. For this user a mapping \
                fails to evaluate, so the provisioning service would put the user in error and retry it on every \
                cycle. The report names the user and the mapping.
                """,
            example: #"expression: FormatDateTime([employeeHireDate], , "yyyyMMdd", "yyyy-MM-dd") with a hire date of 2023-01-05"#,
            fixed: #"expression: FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd")"#),
        DiagnosticRule(
            "simulate.matching-attribute-empty", .error,
            summary: "A user's matching attribute comes out empty, so Entra cannot match or create it",
            explanation: """
                The attribute with matching precedence 1 (usually userName) is empty for this user, for example \
                because `mail` is not set. Entra cannot look the user up in the vendor's directory and skips it. \
                Map a source that every user has, or fall back with Coalesce.
                """,
            example: """
                - target: userName
                  source: mail
                """,
            fixed: """
                - target: userName
                  expression: Coalesce([mail], [userPrincipalName])
                """),
        DiagnosticRule(
            "simulate.required-target-empty", .error,
            summary: "A target the vendor requires comes out empty for a user",
            explanation: """
                userName, or an attribute in the vendor's `requiredUserTargets`, has no value for this user. The \
                vendor will refuse to create the account. Fill the attribute in Entra ID, or map a fallback.
                """,
            example: "name.familyName from surname, for a user without a surname",
            fixed: #"expression: Coalesce([surname], [displayName])"#),
        DiagnosticRule(
            "simulate.duplicate-matching-value", .error,
            summary: "Two users would send the same matching value",
            explanation: """
                Two users produce the same value for the matching attribute, so Entra would match both to one \
                vendor account: the second overwrites the first. Use a unique source (objectId, \
                userPrincipalName) or fix the duplicate in the directory.
                """,
            example: "userName from displayName, with two users called Alex Smith",
            fixed: """
                - target: userName
                  source: userPrincipalName
                """),
        DiagnosticRule(
            "simulate.value-too-long", .error,
            summary: "A value longer than the vendor or SCIM accepts",
            explanation: """
                The value is longer than the target can take: an e-mail address over 254 characters can never \
                be delivered (RFC 5321), and text over 1,024 characters is more than SCIM services commonly \
                store. The vendor rejects or truncates it. Shorten it in the expression (Left) or use another \
                source.
                """,
            example: "displayName from a 300-character department description",
            fixed: #"expression: Left([displayName], 64)"#),
        DiagnosticRule(
            "simulate.value-type", .error,
            summary: "A value that does not fit the target's type (Boolean, Integer)",
            explanation: """
                The target is declared Boolean or Integer, and this user's value is not "True"/"False" or a whole \
                number. The provisioning service fails to send it. Convert the value in the expression.
                """,
            example: "a Boolean target mapped from extensionAttribute1 holding 'yes'",
            fixed: #"expression: Switch([extensionAttribute1], "False", "yes", "True")"#),
    ]
}
