// The attribute-mapping expression language: text, copy-paste damage, grammar and meaning.

extension DiagnosticRegistry {
    static let expressionRules: [DiagnosticRule] = [
        DiagnosticRule(
            "expression.empty", .error,
            summary: "An empty expression",
            explanation: """
                An `expression:` key with nothing (or only spaces) in it. Entra rejects an expression mapping \
                without an expression. Write one, or use `source:` or `constant:` instead.
                """,
            example: #"expression: """#, fixed: "source: mail", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.too-long", .error,
            summary: "An expression longer than 10,000 characters",
            explanation: """
                No real mapping comes near 10,000 characters; a longer one is pasted by mistake or generated. \
                scimctl stops there to keep validation fast. Split the logic or simplify it (a Switch often \
                replaces a chain of IIFs).
                """,
            example: "IIF(…, IIF(…, IIF(… 12,000 characters …)))",
            fixed: #"Switch([department], "Other", "Sales", "S", "Support", "T")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.too-many-findings", .error,
            summary: "More findings than are shown; the most severe one hidden decides the exit code",
            explanation: """
                A hostile or pasted text can produce thousands of findings. scimctl keeps 100 (errors up to 200) \
                and reports how many it left out and how many of those are errors. Its severity is the worst hidden one, so the run still fails \
                when it should. Fix the first findings and run again; the text is probably not an expression.
                """,
            example: "expression: (a whole vendor guide paragraph pasted here)",
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unexpected-character", .error,
            summary: "A character that cannot start a token",
            explanation: """
                The expression language has function calls, [attributes], "strings", integers, commas, \
                parentheses and a few comparison operators. Anything else (`;`, `{`, `@` outside a string) is \
                not part of it, and Entra rejects the expression.
                """,
            example: #"Join("@", [mailNickname]; "contoso.com")"#,
            fixed: #"Join("@", [mailNickname], "contoso.com")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unterminated-string", .error,
            summary: "A string without its closing quote",
            explanation: """
                A string literal opens with `"` and never closes, so everything after it is swallowed. The fix-it \
                adds the closing quote where the string most likely ends.
                """,
            example: #"Append([mailNickname], "@contoso.com)"#,
            fixed: #"Append([mailNickname], "@contoso.com")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unknown-escape", .warning,
            summary: "A backslash before something other than a quote or backslash",
            explanation: """
                Inside a string only `\\"` and `\\\\` are escapes. Another backslash is kept as it is, which is \
                probably not what a regular expression in Replace means (`\\d` works, but `\\\\d` is clearer). \
                The fix-it doubles it.
                """,
            example: #"Replace([telephoneNumber], , "\D", , "", , )"#,
            fixed: #"Replace([telephoneNumber], , "\\D", , "", , )"#),
        DiagnosticRule(
            "expression.unterminated-attribute", .error,
            summary: "An attribute reference without its closing bracket",
            explanation: """
                An attribute reference is `[name]`; the `]` is missing, so the parser cannot tell where the name \
                ends and Entra rejects the expression. The fix-it adds the bracket.
                """,
            example: #"Join(" ", [givenName, [surname])"#,
            fixed: #"Join(" ", [givenName], [surname])"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.empty-attribute", .error,
            summary: "An empty attribute reference []",
            explanation: """
                `[]` names no attribute. Write the source attribute's name between the brackets.
                """,
            example: "ToLower([])", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.attribute-whitespace", .error,
            summary: "Spaces inside an attribute reference",
            explanation: """
                `[ mail ]` asks for an attribute whose name includes the spaces, and Entra has none. The fix-it \
                removes them.
                """,
            example: "ToLower([ mail ])", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unsupported-operator", .error,
            summary: "An operator the expression language lacks (&, +, ==, !=)",
            explanation: """
                Entra's expressions have no arithmetic or concatenation operators: join text with Join or \
                Append, compare with `=` and `<>` (only in IIF's condition or CBool). `==` and `!=` get a fix-it.
                """,
            example: #"[givenName] & " " & [surname]"#,
            fixed: #"Join(" ", [givenName], [surname])"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.decimal-number", .error,
            summary: "A decimal number; only integers are numbers",
            explanation: """
                Number literals are whole numbers. Write a decimal as a string if a function takes it as text.
                """,
            example: #"Left([mail], 2.5)"#, fixed: #"Left([mail], 2)"#, locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.typographic-quote", .error,
            summary: "Typographic quotes instead of straight quotes",
            explanation: """
                “False” copied from a vendor guide is not a string: Entra only knows straight double quotes, and \
                rejects the expression. The most common copy-paste mistake of all; the fix-it straightens them.
                """,
            example: "Switch([IsSoftDeleted], , “False”, “True”, “True”, “False”)",
            fixed: #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.single-quoted-string", .error,
            summary: "A single-quoted string",
            explanation: """
                Strings are delimited by double quotes only; `'x'` is not a string. The fix-it rewrites it with \
                double quotes (escaping any inside).
                """,
            example: "Append([mailNickname], '@contoso.com')",
            fixed: #"Append([mailNickname], "@contoso.com")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.full-width-punctuation", .error,
            summary: "Full-width punctuation copied from CJK text",
            explanation: """
                Guides written in Chinese, Japanese or Korean use full-width parentheses and commas (（ ） ，) \
                that look like ASCII but are different characters. The fix-it replaces them.
                """,
            example: "ToLower（[mail]）", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.markdown-escape", .error,
            summary: "A Markdown escape copied from rendered documentation",
            explanation: """
                Copying from a Markdown source brings backslashes before brackets and underscores (`\\[mail\\]`). \
                They are not part of the expression; the fix-it removes them.
                """,
            example: #"ToLower(\[mail\])"#, fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.trailing-period", .error,
            summary: "A sentence's trailing period after the expression",
            explanation: """
                A guide that ends its example with a full stop gets the period copied too. The fix-it drops it.
                """,
            example: "ToLower([mail]).", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.backtick", .error,
            summary: "Code-span backticks around the expression",
            explanation: """
                Backticks mark code in Markdown and are not part of the expression. The fix-it removes them.
                """,
            example: "`ToLower([mail])`", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.non-ascii-whitespace", .error,
            summary: "A no-break or full-width space",
            explanation: """
                Web pages and word processors put no-break spaces (U+00A0) and full-width spaces (U+3000) where a \
                space appears; Entra's parser does not treat them as spaces. The fix-it replaces them.
                """,
            example: "Join(\" \",\u{00A0}[givenName], [surname])",
            fixed: #"Join(" ", [givenName], [surname])"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.expected-value", .error,
            summary: "A missing operand or function name",
            explanation: """
                The parser expected a value (a call, an attribute, a string or a number) and found something \
                else, such as a closing parenthesis or the end of the text. Arguments may be left empty only \
                where a function allows it (Switch's and Replace's optional slots).
                """,
            example: #"CBool([department] = )"#, fixed: #"CBool([department] = "Sales")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.expected-comma", .error,
            summary: "Two arguments without a comma between them",
            explanation: """
                Function arguments are separated by commas; two values in a row mean one is missing. The fix-it \
                inserts the comma.
                """,
            example: #"Join(" " [givenName], [surname])"#,
            fixed: #"Join(" ", [givenName], [surname])"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.missing-closing-parenthesis", .error,
            summary: "A call without its closing parenthesis",
            explanation: """
                A function call opens `(` and never closes it. The fix-it appends the missing parenthesis.
                """,
            example: "ToLower(Coalesce([mail], [userPrincipalName])", fixed: "ToLower(Coalesce([mail], [userPrincipalName]))", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unexpected-closing-parenthesis", .error,
            summary: "A closing parenthesis too many",
            explanation: """
                A `)` closes nothing: the parentheses are unbalanced, usually after an edit that removed a call. \
                Remove it, or add the call it was meant to close.
                """,
            example: "ToLower([mail]))", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.trailing-input", .error,
            summary: "Input after a complete expression",
            explanation: """
                An expression is one value. Text after it (a second call, a comment) is not allowed; combine \
                values with a function such as Join or Coalesce.
                """,
            example: "ToLower([mail]) ToUpper([mail])", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.bare-identifier", .error,
            summary: "An unquoted word where a string is meant",
            explanation: """
                A word that is not followed by `(` is neither a call nor a value: strings need double quotes and \
                attributes need brackets. Typical cases are `True`/`False` and VBScript constants such as \
                `vbTextCompare` copied unquoted; the fix-it quotes them.
                """,
            example: "Switch([IsSoftDeleted], , False, True, True, False)",
            fixed: #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.space-before-parenthesis", .warning,
            summary: "A space between a function name and its parenthesis",
            explanation: """
                `Join (" ", …)`: Entra's documentation never puts whitespace there, so whether the service \
                accepts it is not documented. It is never needed; the fix-it removes it.
                """,
            example: #"Join (" ", [givenName], [surname])"#,
            fixed: #"Join(" ", [givenName], [surname])"#),
        DiagnosticRule(
            "expression.chained-comparison", .error,
            summary: "A chained comparison such as a = b = c",
            explanation: """
                Comparisons do not chain: `[a] = [b] = "x"` does not mean both equal "x". Compare one pair at a \
                time, nesting IIF for a second condition.
                """,
            example: #"IIF([country] = [department] = "DE", "EU", "Other")"#,
            fixed: #"IIF([country] = "DE", IIF([department] = "Sales", "EU-Sales", "EU"), "Other")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.nesting-too-deep", .error,
            summary: "Nesting deeper than 128 levels",
            explanation: """
                Calls nested more than 128 levels deep are refused, protecting the parser against hostile input; \
                a real mapping nests a handful. Flatten it, usually with Switch.
                """,
            example: "IIF(…, IIF(…, IIF(… 200 levels …)))",
            fixed: #"Switch([department], "Other", "Sales", "S", "Support", "T")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unknown-function", .error,
            summary: "A function the provisioning service does not have",
            explanation: """
                The name is not one of Entra's expression functions, so Graph rejects the mapping. The hint names \
                the closest function; habits from other languages map to Entra's names (`Substring` is Mid, \
                `ToLowerCase` is ToLower, `Concat` is Join).
                """,
            example: "Lower([mail])", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.function-case", .error,
            summary: "A function name in the wrong case",
            explanation: """
                Function names are case-sensitive in Entra: `tolower` is not `ToLower`. The fix-it corrects the \
                case.
                """,
            example: "tolower([mail])", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.function-not-for-provisioning", .warning,
            summary: "A function not documented for app provisioning",
            explanation: """
                Some functions are documented only for Entra Cloud Sync, or appear only in an old Graph sample, \
                and the app provisioning reference does not promise them. The service may reject them or behave \
                differently; prefer a documented function.
                """,
            example: "Trim([mail])", fixed: "StripSpaces([mail])"),
        DiagnosticRule(
            "expression.argument-count", .error,
            summary: "Too few or too many arguments",
            explanation: """
                Each function takes a fixed number of arguments (some a range or a repeated tail). The message \
                gives the signature. Graph rejects a call with the wrong count.
                """,
            example: #"Left([mail])"#, fixed: #"Left([mail], 8)"#, locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.missing-argument", .error,
            summary: "A required argument left empty",
            explanation: """
                A slot that must hold a value is empty (`Join(" ", , [surname])`). Only the optional slots of \
                Switch, Replace and FormatDateTime may be left empty.
                """,
            example: #"Join(" ", , [surname])"#, fixed: #"Join(" ", [givenName], [surname])"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.switch-pairs", .error,
            summary: "Switch with an odd argument count (the default slot is missing)",
            explanation: """
                Switch takes the source, a default, then key/value pairs. An odd count usually means the default \
                was left out, so every key and value shifts by one. Add the default (it may be empty: `, ,`).
                """,
            example: #"Switch([IsSoftDeleted], "False", "True", "True", "False")"#,
            fixed: #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.switch-source-predicate", .warning,
            summary: "A predicate used as the source of Switch",
            explanation: """
                Switch compares its source with each key as text. A predicate such as IsPresent or IsNull as the \
                source only ever gives "True" or "False", and an empty value does not reach the keys the way you \
                expect. Switch on the attribute itself (with a "" key for empty values), or use IIF for a \
                condition.
                """,
            example: #"Switch(IsPresent([mail]), , "True", "has mail")"#,
            fixed: #"IIF(IsPresent([mail]), "has mail", "")"#),
        DiagnosticRule(
            "expression.legacy-format-date-time", .error,
            summary: "The old three-argument FormatDateTime",
            explanation: """
                FormatDateTime takes four arguments: the source, dateTimeStyles (which may be left empty), the \
                input format and the output format. The three-argument form from old examples is rejected. The \
                fix-it inserts the empty second argument.
                """,
            example: #"FormatDateTime([employeeHireDate], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#,
            fixed: #"FormatDateTime([employeeHireDate], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.job-kind", .error,
            summary: "SelectUniqueValue in a SCIM provisioning job",
            explanation: """
                SelectUniqueValue works only in HR-driven inbound jobs (Workday, SuccessFactors) that write to \
                Entra or Active Directory. In a SCIM job the service fails the mapping. Generate one value with \
                the other functions instead.
                """,
            example: #"SelectUniqueValue(Join("@", [mailNickname], "contoso.com"), [userPrincipalName])"#,
            fixed: "[userPrincipalName]",
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.not-top-level", .error,
            summary: "A function that must be the whole expression is nested",
            explanation: """
                A few functions act on the whole mapping rather than on a value, so they only make sense as the \
                outermost call: SelectUniqueValue (an error when nested) and IgnoreFlowIfNullOrEmpty (a warning, \
                since the service then ignores it).
                """,
            example: "ToLower(IgnoreFlowIfNullOrEmpty([mail]))",
            fixed: "IgnoreFlowIfNullOrEmpty(ToLower([mail]))",
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.role-argument", .error,
            summary: "A role function whose argument is not [appRoleAssignments]",
            explanation: """
                SingleAppRoleAssignment and AppRoleAssignmentsComplex read the user's app role assignments and \
                take exactly `[appRoleAssignments]` as their argument.
                """,
            example: "SingleAppRoleAssignment([jobTitle])",
            fixed: "SingleAppRoleAssignment([appRoleAssignments])",
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.misplaced-comparison", .error,
            summary: "A comparison outside IIF's condition or CBool's argument",
            explanation: """
                `=`, `<>`, `<`, `>` and friends may appear only as IIF's first argument or CBool's argument. \
                Elsewhere the service rejects them; wrap the comparison in IIF or CBool.
                """,
            example: #"ToUpper([country] = "DE")"#, fixed: #"CBool([country] = "DE")"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.regex", .error,
            summary: "A Replace regular expression that does not compile or needs backtracking",
            explanation: """
                Replace's regexPattern runs inside the provisioning service for every user. A pattern that does \
                not compile fails every evaluation. scimctl checks constant patterns with a linear-time matcher \
                and also refuses backreferences and lookaround: they are what makes a pattern backtrack \
                catastrophically, and preview and simulate could not evaluate them safely. Simplify the pattern.
                """,
            example: #"Replace([mail], , "(?=x)y", , "", , )"#,
            fixed: #"Replace([mail], , "@.*$", , "", , )"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.date-interval", .error,
            summary: "A DateAdd/DateDiff interval other than yyyy m d ww h n s",
            explanation: """
                DateAdd and DateDiff take the interval as one of the strings "yyyy", "m", "d", "ww", "h", "n", \
                "s" (as in VBScript: "n" is minutes). Anything else is rejected.
                """,
            example: #"DateAdd("days", 7, CDate([employeeHireDate]))"#,
            fixed: #"DateAdd("d", 7, CDate([employeeHireDate]))"#,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unknown-attribute", .error,
            summary: "An attribute not in the source schema",
            explanation: """
                The attribute in brackets is not an attribute of Entra ID users (or groups). The hint names the \
                closest one. As with mapping.unknown-source, scimctl's list is a snapshot: if your tenant has the \
                attribute (a directory extension), disable this rule in the policy file.
                """,
            example: "ToLower([email])", fixed: "ToLower([mail])"),
        DiagnosticRule(
            "expression.attribute-case", .error,
            summary: "An attribute name in the wrong case",
            explanation: """
                Source attribute names are case-sensitive in provisioning: `[Mail]` reads nothing. The fix-it \
                corrects the case.
                """,
            example: "ToLower([Mail])", fixed: "ToLower([mail])", locked: RuleLock.graphRejects),
        DiagnosticRule(
            "expression.unavailable-attribute", .error,
            summary: "An attribute the provisioning service cannot read",
            explanation: """
                Some Entra ID properties exist in Graph but are not offered to provisioning mappings (for \
                example sAMAccountName and userType, which other synchronization engines know). A mapping that \
                reads one is rejected. Use an attribute the service exposes.
                """,
            example: "ToLower([sAMAccountName])", fixed: "ToLower([mailNickname])", locked: RuleLock.graphRejects),
    ]
}
