// The input files, their YAML, and the shape of a profile.

extension DiagnosticRegistry {
    static let inputRules: [DiagnosticRule] = [
        DiagnosticRule(
            "file.too-large", .error,
            summary: "The input is larger than a profile can be (1 MiB)",
            explanation: """
                A profile describes a few applications in a few kilobytes. scimctl refuses anything over 1 MiB \
                before parsing it, so a wrong path (a log, a database dump) cannot tie up the validator. Check that \
                the argument names the profile you meant.
                """,
            example: "scimctl validate mapping ./export.log   # 40 MB",
            fixed: "scimctl validate mapping ./profiles/acme.yaml",
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "file.binary", .error,
            summary: "The input is binary or not UTF-8 text",
            explanation: """
                Profiles are UTF-8 YAML. A NUL byte or an invalid UTF-8 sequence means the file is binary, or was \
                saved in a legacy code page (Windows-1252 turns curly quotes into invalid bytes). Save the file as \
                UTF-8; a byte order mark is accepted.
                """,
            example: "a profile saved as UTF-16 or Windows-1252",
            fixed: "the same profile saved as UTF-8",
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "file.unreadable", .error,
            summary: "The input file cannot be read",
            explanation: """
                The file exists but could not be opened, usually because of its permissions. Nothing about the \
                profile was checked. Fix the permissions or run scimctl as a user who can read the file.
                """,
            example: "chmod 000 acme.yaml && scimctl validate mapping acme.yaml",
            fixed: "chmod 644 acme.yaml && scimctl validate mapping acme.yaml",
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "file.no-profiles", .error,
            summary: "A directory holds no profiles (*.yaml or *.yml)",
            explanation: """
                A directory argument is validated file by file, and only files ending in .yaml or .yml are \
                profiles. An empty directory usually means a wrong path in a CI job, which would otherwise pass \
                without checking anything.
                """,
            example: "scimctl validate mapping profile/   # the folder is called profiles/",
            fixed: "scimctl validate mapping profiles/",
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "yaml.syntax", .error,
            summary: "The YAML does not parse",
            explanation: """
                The file is not well-formed YAML: a wrong indentation, a missing ':' or an unclosed quote. The \
                location points where the parser gave up, which can be a line after the real mistake. Expressions \
                that contain ':' or start with '[' or '"' need quoting as a whole YAML scalar.
                """,
            example: """
                - target: active
                  expression: "Switch([IsSoftDeleted], , "False", "True")"
                """,
            fixed: """
                - target: active
                  expression: Switch([IsSoftDeleted], , "False", "True")
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "yaml.duplicate-key", .error,
            summary: "A YAML mapping repeats a key",
            explanation: """
                Some YAML tools keep the first value of a repeated key, others the last; scimctl refuses to guess. \
                A repeated key is usually a copy-paste slip that hides the setting you meant. Keep one.
                """,
            example: """
                - target: userName
                  source: mail
                  source: userPrincipalName
                """,
            fixed: """
                - target: userName
                  source: userPrincipalName
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "yaml.too-deep", .error,
            summary: "The YAML nests deeper than a profile ever needs",
            explanation: """
                Real profiles nest fewer than ten levels. Very deep nesting is how hostile input exhausts a \
                recursive parser, so scimctl stops before parsing it. Flatten the document.
                """,
            example: "parameters: [[[[[[[[[[[[[[[[[[[[ … 100 levels … ]]]]]]]]]]]]]]]]]]]]",
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "yaml.too-complex", .error,
            summary: "The YAML expands to too many nodes (an alias bomb)",
            explanation: """
                YAML aliases let a small file expand into billions of nodes. scimctl counts nodes as it reads, \
                aliases included, and stops at a limit far above any real profile. Write the values out instead \
                of nesting aliases.
                """,
            example: """
                a: &a [x, x, x, x, x, x, x, x, x]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]   # … and so on
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "yaml.yaml11-boolean", .warning,
            summary: "A YAML 1.1 boolean word (yes, no, on, off) where a string or true/false is meant",
            explanation: """
                YAML 1.2 (which scimctl reads) treats yes, no, on and off as strings, but YAML 1.1 tools \
                (many linters and older libraries) read them as booleans. Where a string is meant, scimctl warns \
                and suggests quoting; where a key takes true or false, the word is an error, because the profile \
                would not say what it seems to say. Write true/false, or quote the string.
                """,
            example: """
                groups:
                  enabled: no
                """,
            fixed: """
                groups:
                  enabled: false
                """,
            locked: RuleLock.unreadable, locksErrorsOnly: true),
        DiagnosticRule(
            "profile.empty", .error,
            summary: "The profile is empty",
            explanation: """
                The file holds no YAML document (only whitespace or comments). Start from a bundled profile with \
                `scimctl init VENDOR` or `scimctl profiles`.
                """,
            example: "# TODO: write the Acme profile",
            fixed: "scimctl init acme > acme.yaml",
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "profile.unknown-key", .error,
            summary: "A key the profile format does not define",
            explanation: """
                Unknown keys are errors rather than ignored, because a misspelt key (`startProvisoning`) would \
                silently leave a setting at its default and apply something other than the file says. The hint \
                names the closest known key, and `validate mapping --fix` can rename it.
                """,
            example: """
                applications:
                  - name: acme
                    startProvisoning: true
                    notificationMail: ops@example.com
                """,
            fixed: """
                applications:
                  - name: acme
                    startProvisioning: true
                    notificationEmail: ops@example.com
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "profile.missing-key", .error,
            summary: "A required key is missing",
            explanation: """
                Every profile names its vendor and applications, and every application its name, display name, \
                tenant URL and secret token source. Without them scimctl cannot tell Graph what to create or where \
                the vendor's SCIM endpoint is.
                """,
            example: """
                applications:
                  - name: acme
                    displayName: Acme
                """,
            fixed: """
                applications:
                  - name: acme
                    displayName: Acme
                    tenantURL: https://scim.acme.example/v2
                    secretToken:
                      env: ACME_SCIM_TOKEN
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "profile.type", .error,
            summary: "A value has the wrong type",
            explanation: """
                A key got a list where a single value belongs, a mapping where text belongs, or text where a \
                number belongs. The message names the expected type.
                """,
            example: """
                users:
                  actions: create, update
                """,
            fixed: """
                users:
                  actions: [create, update]
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "profile.value", .error,
            summary: "A value outside its allowed set",
            explanation: """
                Keys such as `scope`, `mode`, `actions`, `apply` and `matchingPrecedence` take a fixed set or range \
                of values, the ones Graph's synchronization schema accepts (a precedence must fit Graph's 32-bit \
                integer). The hint suggests the closest allowed value.
                """,
            example: """
                scope: asigned
                """,
            fixed: """
                scope: assigned
                """,
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "profile.exactly-one", .error,
            summary: "A mapping needs exactly one of source, constant or expression",
            explanation: """
                An attribute mapping in Entra is Direct (a source attribute), Constant or Expression, never two at \
                once. Keep the one you mean; an expression can refer to attributes itself.
                """,
            example: """
                - target: displayName
                  source: displayName
                  expression: Join(" ", [givenName], [surname])
                """,
            fixed: """
                - target: displayName
                  expression: Join(" ", [givenName], [surname])
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "profile.tenant-url", .error,
            summary: "The tenant URL is not an absolute https URL with a valid host",
            explanation: """
                The tenant URL becomes the job's BaseAddress secret: the endpoint that receives every user Entra \
                provisions. It must be absolute https (Entra refuses plain http), with a real host name: no \
                leftover placeholder, no invisible or look-alike characters (write internationalised hosts as \
                xn--), a valid port, and no user:password@ part (a secret in the URL would be stored in clear).
                """,
            example: "tenantURL: http://scim.acme.example/v2",
            fixed: "tenantURL: https://scim.acme.example/v2",
            locked: RuleLock.tenantDamage),
        DiagnosticRule(
            "profile.tenant-url-lookup", .error,
            summary: "The tenant URL lookup table lacks a value for a parameter",
            explanation: """
                A `tenantURL` given as `lookup: PARAM` with a `table` needs an entry for every value the parameter \
                allows, and the lookup must name a declared parameter; otherwise some variants of the profile have \
                no endpoint at all.
                """,
            example: """
                parameters:
                  region: { allowed: [us, de] }
                ...
                tenantURL:
                  lookup: region
                  table:
                    us: https://us.acme.example/scim
                """,
            fixed: """
                tenantURL:
                  lookup: region
                  table:
                    us: https://us.acme.example/scim
                    de: https://de.acme.example/scim
                """,
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "profile.placeholder", .error,
            summary: "A {placeholder} names no parameter",
            explanation: """
                `{name}` in a tenant URL, display name or e-mail address is replaced by the parameter `name`. A \
                placeholder that names no declared parameter would reach Graph literally, braces and all. Declare \
                the parameter or fix the spelling.
                """,
            example: """
                parameters:
                  customer: {}
                ...
                tenantURL: https://{costumer}.acme.example/scim
                """,
            fixed: "tenantURL: https://{customer}.acme.example/scim",
            locked: RuleLock.unreadable),
        DiagnosticRule(
            "profile.duplicate-application", .error,
            summary: "Two applications share one name",
            explanation: """
                `name` identifies an application for `--app`, in plans and in scimctl's marker on the service \
                principal. Two applications with one name would be planned against the same enterprise app.
                """,
            example: """
                applications:
                  - name: acme
                  - name: acme
                """,
            fixed: """
                applications:
                  - name: acme-staff
                  - name: acme-contractors
                """,
            locked: RuleLock.tenantDamage),
        DiagnosticRule(
            "profile.notification-email", .error,
            summary: "The notification e-mail address is malformed",
            explanation: """
                `notificationEmail` is where Entra sends mail when provisioning goes into quarantine. A malformed \
                address means nobody hears about a failing job. The address is checked after parameters are \
                substituted.
                """,
            example: "notificationEmail: ops@@example.com",
            fixed: "notificationEmail: ops@example.com"),
        DiagnosticRule(
            "profile.duplicate-value", .error,
            summary: "A list (allowed values, actions) repeats a value",
            explanation: """
                A parameter's `allowed` list or an object mapping's `actions` lists a value twice. That is always \
                a slip (often a value meant to be another one), and Graph's object mapping takes each action once.
                """,
            example: "actions: [create, update, update]",
            fixed: "actions: [create, update, delete]",
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "profile.display-name", .error,
            summary: "A display name that is empty, longer than 256 characters or spans lines",
            explanation: """
                The display name is the enterprise app's name in Entra and how plan and apply find an existing \
                app. Entra limits it to 256 characters; an empty name, a line break or another invisible \
                character (often from a --param value) would create an app nobody can find, and two applications \
                with one display name would find the same app.
                """,
            example: "displayName: \"Acme\\nProduction\"",
            fixed: "displayName: Acme Production",
            locked: RuleLock.graphRejects),
        DiagnosticRule(
            "profile.paused-start", .warning,
            summary: "A profile that is paused and asks to start provisioning",
            explanation: """
                `paused: true` says provisioning must be off, `startProvisioning: true` says start it. apply keeps \
                the job paused, so the start request is ignored. Drop one of the two.
                """,
            example: """
                paused: true
                startProvisioning: true
                """,
            fixed: """
                paused: true
                startProvisioning: false
                """),
        DiagnosticRule(
            "profile.no-assignments", .warning,
            summary: "Scope 'assigned' with no assignments: nobody will be provisioned",
            explanation: """
                With `scope: assigned` Entra provisions only users and groups assigned to the enterprise app. A \
                profile that lists none relies on someone assigning them in the portal; until then the job runs \
                and provisions nobody. List the groups under `assignments`, or disable this rule where assignment \
                is done elsewhere (the bundled profiles carry this warning, since only you know your groups).
                """,
            example: """
                scope: assigned
                """,
            fixed: """
                scope: assigned
                assignments:
                  - group: Acme Users
                """),
        DiagnosticRule(
            "profile.assignment", .error,
            summary: "An assignment entry that is empty, repeated or malformed",
            explanation: """
                Each assignment names exactly one `user` or `group` (display name, user principal name or object \
                id) and optionally a `role`. An entry with both, neither, or repeated would assign the wrong \
                principals to the app, and so provision the wrong people.
                """,
            example: """
                assignments:
                  - group: Acme Users
                    user: alice@contoso.com
                """,
            fixed: """
                assignments:
                  - group: Acme Users
                  - user: alice@contoso.com
                """,
            locked: RuleLock.tenantDamage),
        DiagnosticRule(
            "param.unknown", .error,
            summary: "A --param the profile does not declare",
            explanation: """
                `--param KEY=VALUE` names a parameter the profile does not have, usually a typo. It is a usage \
                error (exit 64). The hint names the closest declared parameter.
                """,
            example: "scimctl plan profile flosum --param regoin=de",
            fixed: "scimctl plan profile flosum --param region=de",
            locked: RuleLock.usage),
        DiagnosticRule(
            "param.missing", .error,
            summary: "A required parameter has no value",
            explanation: """
                A parameter without `default` must be given with `--param` to plan, apply or render; otherwise the \
                tenant URL or display name would contain an unfilled placeholder. validate checks every allowed \
                value instead.
                """,
            example: "scimctl apply profile totalmobile",
            fixed: "scimctl apply profile totalmobile --param customer=contoso",
            locked: RuleLock.usage),
        DiagnosticRule(
            "param.value", .error,
            summary: "A parameter value outside its allowed values or pattern",
            explanation: """
                The value given for a parameter is not in its `allowed` list or does not match its `pattern`. The \
                value ends up in a URL or display name, so it is checked before anything is built. A value given \
                with --param is a usage error (exit 64).
                """,
            example: "scimctl plan profile flosum --param region=eu",
            fixed: "scimctl plan profile flosum --param region=de",
            locked: RuleLock.usage),
        DiagnosticRule(
            "param.pattern", .error,
            summary: "A parameter's pattern is not a valid regular expression",
            explanation: """
                A parameter's `pattern` must compile in scimctl's linear-time matcher (no backreferences or \
                look-around), so a hostile value cannot make validation hang. Simplify the pattern.
                """,
            example: #"pattern: "([a-z]+)\1""#,
            fixed: #"pattern: "[a-z][a-z0-9-]*""#,
            locked: RuleLock.unreadable),
    ]
}
