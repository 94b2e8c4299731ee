import Diagnostics
import Expressions
import Testing

@testable import VendorProfiles

/// Profiles a careless or hostile pull request could bring: findings must not hide behind a cap, patterns must not
/// stall, copy-paste damage in URLs and Graph's limits must be caught, and every finding must point at the value.
@Suite("Hostile profiles")
struct HostileProfileTests {
    // MARK: The findings cap never hides an error

    @Test func anErrorAfterMoreThanAHundredWarningsStillFailsTheProfile() {
        let warnings = Array(repeating: "IgnoreFlowIfNullOrEmpty([mail])", count: 120).joined(separator: ", ")
        let marked = MarkedText(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                users:
                  attributes:
                    - target: emails[type eq "work"].value
                      expression: 'Join(",", \(warnings), 1️⃣Nope([mail]))'
            """)
        let all = findings(for: marked)
        #expect(all.hasErrors)
        let error = all.first { $0.id == .expressionUnknownFunction }
        #expect(error?.location == marked.location("1️⃣"))
        // What is dropped from display is summarised, never silently lost.
        #expect(all.contains { $0.id == .expressionTooManyFindings && $0.severity == .warning })
    }

    // MARK: Patterns cannot stall a command

    @Test func catastrophicParameterPatternIsMatchedInLinearTime() {
        // `(a+)+$` backtracks exponentially on "aaaa…!" in a backtracking engine; here it is one pass.
        let value = String(repeating: "a", count: 5_000) + "!"
        expectDiagnostic(
            .parameterValue, .error, message: "does not match the pattern of parameter 'customer'",
            in: """
                vendor: Example
                parameters:
                  1️⃣customer:
                    description: the customer
                    pattern: "(a+)+$"
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://x.example.com/{customer}
                    secretToken: none
                    users: {}
                """, .validate(["customer": value]))
    }

    @Test func backreferenceInAPatternIsRefusedAtThePattern() {
        expectDiagnostic(
            .parameterPattern, .error, message: "backreferences are not supported",
            in: """
                vendor: Example
                parameters:
                  customer:
                    description: the customer
                    pattern: 1️⃣(a)\\1
                    example: aa
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://x.example.com/{customer}
                    secretToken: none
                    users: {}
                """)
    }

    @Test func replaceRegexThatDoesNotCompileFailsValidation() {
        let diagnostic = expectDiagnostic(
            .expressionRegex, .error, message: "regular expression of 'Replace' is not usable",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: externalId
                          expression: Replace([mail], , 1️⃣"(a+", , "", , )
                """)
        #expect(diagnostic?.hint?.contains("linear time") == true)
    }

    // MARK: Tenant URL copy-paste damage

    static func urlProfile(_ url: String) -> String {
        """
        vendor: Example
        applications:
          - name: example
            displayName: Example
            tenantURL: \(url)
            secretToken: none
            users: {}
        """
    }

    @Test func noBreakSpaceInTheTenantURL() {
        let diagnostic = expectDiagnostic(
            .tenantURL, .error, message: "invisible character (U+00A0 NO-BREAK SPACE)",
            in: Self.urlProfile("\"https://scim.example.com/1️⃣\u{00A0}scim\""))
        // The fix-it removes exactly the invisible character.
        #expect(diagnostic?.fixIt?.length == 1)
        #expect(diagnostic?.fixIt?.replacement == "")
    }

    @Test func zeroWidthSpaceInTheTenantURL() {
        expectDiagnostic(
            .tenantURL, .error, message: "U+200B ZERO WIDTH SPACE",
            in: Self.urlProfile("https://scim.exam1️⃣\u{200B}ple.com/scim"))
    }

    @Test func cyrillicHomoglyphInTheHost() {
        expectDiagnostic(
            .tenantURL, .error, message: "U+0430 CYRILLIC SMALL LETTER A, mixed with Latin letters",
            in: Self.urlProfile("https://scim.ex1️⃣\u{0430}mple.com/scim"))
    }

    @Test func portOutOfRange() {
        expectDiagnostic(
            .tenantURL, .error, message: "has port '70000', not a number from 1 to 65535",
            in: Self.urlProfile("https://scim.example.com:1️⃣70000/scim"))
    }

    @Test func credentialsInTheURLAreRefusedAndThePasswordIsNeverEchoed() {
        let diagnostic = expectDiagnostic(
            .tenantURL, .error, message: "carries credentials before '@'",
            in: Self.urlProfile("https://1️⃣admin:hunter2secret@scim.example.com/scim"))
        #expect(diagnostic?.message.contains("hunter2secret") == false)
        #expect(diagnostic?.message.contains("admin:***@") == true)
    }

    @Test func credentialsAreMaskedWhenResolvedWithAParameter() {
        let marked = MarkedText(
            """
            vendor: Example
            parameters:
              host:
                description: host
                example: scim.example.com
            applications:
              - name: example
                displayName: Example
                tenantURL: https://ops:s3cr3t-pass@{host}/scim
                secretToken: none
                users: {}
            """)
        let all = findings(for: marked)
        #expect(all.contains { $0.id == .tenantURL && $0.message.contains("credentials") })
        #expect(!all.contains { $0.message.contains("s3cr3t-pass") })
    }

    // MARK: Graph's limits

    @Test func matchingPrecedenceBeyondInt32() {
        expectDiagnostic(
            .invalidValue, .error, message: "must be at most 2147483647, not 2147483648",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: userName
                          source: userPrincipalName
                          matchingPrecedence: 1️⃣2147483648
                """)
    }

    @Test func matchingPrecedenceBeyondInt64IsStillReadAsTooLarge() {
        expectDiagnostic(
            .invalidValue, .error, message: "must be at most 2147483647",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: userName
                          source: userPrincipalName
                          matchingPrecedence: 1️⃣99999999999999999999999
                """, alone: false)
    }

    @Test func displayNameOverEntrasLimit() {
        let long = String(repeating: "x", count: 257)
        expectDiagnostic(
            .displayName, .error, message: "is 257 characters; Entra accepts at most 256",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: 1️⃣\(long)
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func twoApplicationsWithOneDisplayName() {
        expectDiagnostic(
            .displayName, .error, message: "applications 'one' and 'two' share the display name 'Example'",
            in: """
                vendor: Example
                applications:
                  - name: one
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                  - name: two
                    displayName: 1️⃣Example
                    tenantURL: https://scim.example.com/scim2
                    secretToken: none
                    users: {}
                """)
    }

    @Test func duplicateAllowedValue() {
        expectDiagnostic(
            .duplicateValue, .error, message: "'us' is listed twice in parameters.region.allowed",
            in: """
                vendor: Example
                parameters:
                  region:
                    description: region
                    allowed: [us, de, 1️⃣us]
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://{region}.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func duplicateAction() {
        expectDiagnostic(
            .duplicateValue, .error, message: "'create' is listed twice",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      actions: [create, update, 1️⃣create]
                """)
    }

    @Test func emptyActionsOnAnEnabledMapping() {
        expectDiagnostic(
            .noActions, .error, message: "the enabled user mapping allows no actions",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      actions: 1️⃣[]
                """)
    }

    @Test func newlineFromAParameterLandsInTheDisplayName() {
        expectDiagnostic(
            .displayName, .error, message: "contains U+000A, from a parameter value",
            in: """
                vendor: Example
                parameters:
                  team:
                    description: team
                applications:
                  - name: example
                    displayName: 1️⃣Example {team}
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                """, .validate(["team": "ops\nrm -rf"]))
    }

    // MARK: Exact positions in every scalar style

    /// The unknown function `Nope` sits after escapes or on a later line; the caret must land on it, and the fix-it
    /// must turn the file into one without that error.
    static let styles: [(String, String)] = [
        ("double-quoted with escapes",
         "      expression: \"Join(\\\"\\\\\\\", \\\", [mail], 1️⃣Nope([mail]))\"\n"),
        ("single-quoted with ''",
         "      expression: 'Join(\"''\", [mail], 1️⃣Nope([mail]))'\n"),
        ("literal block",
         "      expression: |\n        Join(\" \",\n          [mail],\n          1️⃣Nope([mail]))\n"),
        ("folded block",
         "      expression: >\n        Join(\" \", [mail],\n        1️⃣Nope([mail]))\n"),
        ("plain over two lines",
         "      expression: Join(\" \", [mail],\n        1️⃣Nope([mail]))\n"),
    ]

    static func styledProfile(_ expression: String, lineEnd: String = "\n") -> String {
        ("""
        vendor: Example
        applications:
          - name: example
            displayName: Example
            tenantURL: https://scim.example.com/scim
            secretToken: none
            users:
              attributes:
                - target: emails[type eq "work"].value

        """ + indented(expression)).replacingOccurrences(of: "\n", with: lineEnd)
    }

    /// The style snippets are written at 6 columns; the mapping entry sits at 8.
    static func indented(_ snippet: String) -> String {
        snippet.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    @Test(arguments: styles, ["\n", "\r\n"])
    func unknownFunctionIsLocatedAndFixedInEveryStyle(style: (name: String, yaml: String), lineEnd: String) throws {
        let marked = MarkedText(Self.styledProfile(style.yaml, lineEnd: lineEnd))
        let all = findings(for: marked)
        let diagnostic = try #require(all.first { $0.id == .expressionUnknownFunction }, "\(style.name)")
        #expect(diagnostic.location == marked.location("1️⃣"), "\(style.name) \(lineEnd == "\n" ? "LF" : "CRLF")")
        // "Nope" has no close match, so there is no fix-it; the typographic quote and case fixes are checked below.
        let fixed = ProfileFixer.fix(text: marked.text, file: marked.file)
        #expect(fixed.refused.isEmpty)
    }

    /// A fix-it in each style lands exactly: the fixed file loads and the error is gone.
    static let fixable: [(String, String)] = [
        ("double-quoted with escapes", "      expression: \"Join(\\\"\\\\\\\", \\\", [mail], 1️⃣join(\\\" \\\", [mail]))\"\n"),
        ("single-quoted with ''", "      expression: 'Join(\"''\", [mail], 1️⃣join(\" \", [mail]))'\n"),
        ("literal block", "      expression: |\n        Join(\" \",\n          [mail],\n          1️⃣join(\" \", [mail]))\n"),
        ("folded block", "      expression: >\n        Join(\" \", [mail],\n        1️⃣join(\" \", [mail]))\n"),
        ("plain", "      expression: Join(\" \", [mail], 1️⃣join(\" \", [mail]))\n"),
    ]

    @Test(arguments: fixable, ["\n", "\r\n"])
    func functionCaseFixLandsInEveryStyle(style: (name: String, yaml: String), lineEnd: String) throws {
        let marked = MarkedText(Self.styledProfile(style.yaml, lineEnd: lineEnd))
        let before = findings(for: marked)
        let diagnostic = try #require(before.first { $0.id == .expressionFunctionCase }, "\(style.name)")
        #expect(diagnostic.location == marked.location("1️⃣"), "\(style.name)")
        #expect(diagnostic.fixIt != nil, "\(style.name)")
        let fixed = ProfileFixer.fix(text: marked.text, file: marked.file)
        #expect(fixed.applied == 1, "\(style.name): \(fixed.refused)")
        let after = findings(for: MarkedText(fixed.text))
        #expect(!after.contains { $0.id == .expressionFunctionCase }, "\(style.name)")
        #expect(!after.hasErrors, "\(style.name): \(after.map(\.message))")
        // Line ends are kept as they were.
        #expect(fixed.text.contains("\r\n") == (lineEnd == "\r\n"))
    }

    @Test func typographicQuoteInADoubleQuotedExpressionIsFixedWithAnEscape() throws {
        let marked = MarkedText(
            Self.styledProfile("      expression: \"Join(\\\"-\\\", [mail], 1️⃣\u{201C}x\u{201D})\"\n"))
        let diagnostic = try #require(findings(for: marked).first { $0.id == .expressionTypographicQuote })
        #expect(diagnostic.location == marked.location("1️⃣"))
        // The whole constant is rewritten, its quotes escaped for the double-quoted scalar.
        #expect(diagnostic.fixIt?.replacement == "\\\"x\\\"")
        let fixed = ProfileFixer.fix(text: marked.text, file: marked.file)
        #expect(fixed.applied == 1)
        #expect(!findings(for: MarkedText(fixed.text)).hasErrors)
    }

    @Test func placeholderErrorPointsAtThePlaceholderInsideAQuotedDisplayName() {
        expectDiagnostic(
            .unresolvedPlaceholder, .error, message: "placeholder '{team}' names no parameter",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: "Ex\\tample 1️⃣{team}"
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                """, alone: false)
    }

    @Test func parameterDefaultErrorPointsAtTheValue() {
        expectDiagnostic(
            .parameterValue, .error, message: "'EU' does not match the pattern",
            in: """
                vendor: Example
                parameters:
                  region:
                    description: region
                    pattern: "[a-z]+"
                    default: '1️⃣EU'
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://{region}.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func enumerationFixInAQuotedValueReplacesTheValueOnly() throws {
        let marked = MarkedText(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                scope: "asigned"
                users: {}
            """)
        let fixed = ProfileFixer.fix(text: marked.text, file: marked.file)
        #expect(fixed.applied == 1)
        #expect(fixed.text.contains("scope: \"assigned\"\n"))
    }

    // MARK: --fix proves every edit

    @Test func aFixThatWouldBreakTheFileIsRefused() {
        // A hand-made fix-it that would put a quote where it ends the scalar: the fixer must refuse it.
        let text = Self.styledProfile("      expression: \"Join(\\\" \\\", [mail])\"\n")
        let broken = FixIt(
            location: SourceLocation(file: "profile.yaml", line: 10, column: 24), length: 0, replacement: "\" x: [")
        #expect(ProfileFixer.apply(broken, to: text) != nil)
        let outcome = ProfileFixer.Outcome(text: ProfileFixer.apply(broken, to: text) ?? "", file: "profile.yaml",
                                           name: nil, parameters: [:])
        #expect(outcome == nil)
    }

    @Test func fixAtAPositionOutsideItsLineIsRefused() {
        let fixIt = FixIt(location: SourceLocation(file: "f", line: 1, column: 3), length: 5, replacement: "x")
        #expect(ProfileFixer.apply(fixIt, to: "ab\ncd") == nil)
        #expect(ProfileFixer.apply(fixIt, to: "ab\r\ncdefgh") == nil)
    }

    /// Property: whatever damage is done to a bundled profile, `--fix` output loads whenever the input did and never
    /// has an error the input did not have.
    @Test func fixOutputAlwaysReparsesAndNeverAddsAnError() throws {
        var generator = HostileInputTests.SplitMix64(state: 7)
        let damages: [(String) -> String] = [
            { $0.replacingOccurrences(of: "\"", with: "\u{201C}") },
            { $0.replacingOccurrences(of: "[mail]", with: "[Mail]") },
            { $0.replacingOccurrences(of: "Not(", with: "not(") },
            { $0.replacingOccurrences(of: "scope: assignedOnly", with: "scope: \"asignedOnly\"") },
            { $0.replacingOccurrences(of: "source: ", with: "source: '") .replacingOccurrences(of: "\n", with: "\n") },
            { $0.replacingOccurrences(of: "\n", with: "\r\n") },
            { $0.replacingOccurrences(of: "target: userName", with: "target: username") },
            { $0.replacingOccurrences(of: "expression: ", with: "expression: |\n          ") },
            { $0.replacingOccurrences(of: "https://", with: "http://") },
            { $0.replacingOccurrences(of: "enabled: false", with: "enabled: no") },
        ]
        var checked = 0
        for name in BundledProfiles.names {
            guard let original = BundledProfiles.text(named: name) else { continue }
            for _ in 0..<12 {
                var text = original
                for _ in 0..<(1 + Int(generator.next() % 3)) {
                    text = damages[Int(generator.next() % UInt64(damages.count))](text)
                }
                let before = ProfileFixer.Outcome(text: text, file: "p.yaml", name: name, parameters: [:])
                let result = ProfileFixer.fix(text: text, file: "p.yaml", name: name)
                let after = ProfileFixer.Outcome(text: result.text, file: "p.yaml", name: name, parameters: [:])
                if let before {
                    let after = try #require(after, "fixing \(name) made it unreadable")
                    #expect(after.newError(comparedWith: before) == nil, "fixing \(name) added an error")
                    checked += 1
                } else {
                    #expect(result.text == text, "a profile that does not load is left alone")
                }
            }
        }
        #expect(checked > 20)
    }
}

extension ProfileFixer.Outcome: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.diagnostics == rhs.diagnostics }
}
