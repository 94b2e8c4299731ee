import Diagnostics
import Testing

@testable import Expressions

/// One malformed expression and the first finding it must produce.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    let text: String
    let id: DiagnosticID
    let line: Int
    let column: Int
    var object: SourceObjectType? = .user

    init(_ text: String, _ id: DiagnosticID, column: Int, line: Int = 1, object: SourceObjectType? = .user) {
        self.text = text
        self.id = id
        self.line = line
        self.column = column
        self.object = object
    }

    var testDescription: String { "\(id.rawValue): \(text)" }
}

let malformedCases: [MalformedCase] = [
    // Text-level problems.
    MalformedCase("", .expressionEmpty, column: 1),
    MalformedCase("   \n ", .expressionEmpty, column: 1),
    MalformedCase(#"Join(" ", [givenName]"#, .expressionMissingClosingParenthesis, column: 22),
    MalformedCase(#"Join(" , [givenName])"#, .expressionUnterminatedString, column: 6),
    MalformedCase(#"Append([mail, "x")"#, .expressionUnterminatedAttribute, column: 8),
    MalformedCase(#"Append([], "x")"#, .expressionEmptyAttribute, column: 8),
    MalformedCase(#"Append([ mail ], "x")"#, .expressionAttributeWhitespace, column: 8),
    MalformedCase(#"Join("", [givenName] & [surname])"#, .expressionUnsupportedOperator, column: 22),
    MalformedCase(#"Join("", [givenName] + [surname])"#, .expressionUnsupportedOperator, column: 22),
    MalformedCase(#"IIF([a] == "x", "1", "2")"#, .expressionUnsupportedOperator, column: 9),
    MalformedCase(#"IIF([a] != "x", "1", "2")"#, .expressionUnsupportedOperator, column: 9),
    MalformedCase(#"Left([mail], 1.5)"#, .expressionDecimalNumber, column: 14),
    MalformedCase(#"Append([mail], "x") $"#, .expressionUnexpectedCharacter, column: 21),
    MalformedCase("Append([mail], \u{7}\"x\")", .expressionUnexpectedCharacter, column: 16),
    MalformedCase(#"Append([mail], "\d")"#, .expressionUnknownEscape, column: 17),
    MalformedCase(#"Mid([mail], -, 2)"#, .expressionUnsupportedOperator, column: 13),

    // Copy-paste damage.
    MalformedCase(#"Switch([IsSoftDeleted], , “False”, "True", "True", "False")"#, .expressionTypographicQuote, column: 27),
    MalformedCase(#"Switch([IsSoftDeleted], , "False", ”True”, "True", "False")"#, .expressionTypographicQuote, column: 36),
    MalformedCase(#"Append([mail], ‘x’)"#, .expressionTypographicQuote, column: 16),
    MalformedCase(#"Append([mail], “x)"#, .expressionTypographicQuote, column: 16),
    MalformedCase(#"Append([mail], 'x')"#, .expressionSingleQuotedString, column: 16),
    MalformedCase(#"Join('', [givenName])"#, .expressionSingleQuotedString, column: 6),
    MalformedCase(#"Append（[mail], "x")"#, .expressionFullWidthPunctuation, column: 7),
    MalformedCase(#"Append([mail], "x"）"#, .expressionFullWidthPunctuation, column: 19),
    MalformedCase(#"Append([mail]， "x")"#, .expressionFullWidthPunctuation, column: 14),
    MalformedCase(#"Switch(\[Active\], , "1", "True")"#, .expressionMarkdownEscape, column: 8),
    MalformedCase(#"Append([mail], "x")."#, .expressionTrailingPeriod, column: 20),
    MalformedCase("Append([mail], \"x\").  \n", .expressionTrailingPeriod, column: 20),
    MalformedCase(#"`Append([mail], "x")`"#, .expressionBacktick, column: 1),
    MalformedCase(#"Append([mail], "x")`"#, .expressionBacktick, column: 20),
    MalformedCase("Append([mail],\u{A0}\"x\")", .expressionNonASCIIWhitespace, column: 15),
    MalformedCase("Append([mail],\u{3000}\"x\")", .expressionNonASCIIWhitespace, column: 15),

    // Grammar.
    MalformedCase(#"Join(" " [givenName])"#, .expressionExpectedComma, column: 10),
    MalformedCase(#"Append([mail], "x"))"#, .expressionUnexpectedClosingParenthesis, column: 20),
    MalformedCase(#"Append([mail], "x") [mail]"#, .expressionTrailingInput, column: 21),
    MalformedCase(#"InStr([mail], "@", 1, vbBinaryCompare)"#, .expressionBareIdentifier, column: 23),
    MalformedCase(#"IIF([a] = True, "1", "2")"#, .expressionBareIdentifier, column: 11),
    MalformedCase(#"Switch ([mail], , "a", "b")"#, .expressionSpaceBeforeParenthesis, column: 7),
    MalformedCase(#"IIF([a] = [b] = [c], "1", "2")"#, .expressionChainedComparison, column: 15),
    MalformedCase(#"Append([mail], ("x"))"#, .expressionExpectedValue, column: 16),
    MalformedCase(#"CBool([a] = )"#, .expressionExpectedValue, column: 13),
    MalformedCase(#"IIF(= "x", "1", "2")"#, .expressionExpectedValue, column: 5),
    MalformedCase(#"Append([mail], "x""#, .expressionMissingClosingParenthesis, column: 19),

    // Meaning: functions.
    MalformedCase(#"Substring([mail], 1, 3)"#, .expressionUnknownFunction, column: 1),
    MalformedCase(#"ToLowerCase([mail])"#, .expressionUnknownFunction, column: 1),
    MalformedCase(#"Join(" ", Frobnicate([mail]))"#, .expressionUnknownFunction, column: 11),
    MalformedCase(#"switch([companyName], , "a", "b")"#, .expressionFunctionCase, column: 1),
    MalformedCase(#"ToLower(iif([a] = "x", "1", "2"))"#, .expressionFunctionCase, column: 9),
    MalformedCase(#"Trim([mail])"#, .expressionFunctionNotForProvisioning, column: 1),
    MalformedCase(#"Mid([mail], 1)"#, .expressionArgumentCount, column: 1),
    MalformedCase(#"Append([mail], "a", "b")"#, .expressionArgumentCount, column: 21),
    MalformedCase(#"Guid(1)"#, .expressionArgumentCount, column: 6),
    MalformedCase(#"Join(" ")"#, .expressionArgumentCount, column: 1),
    MalformedCase(#"Switch([IsSoftDeleted], "False", "True", "True", "False")"#, .expressionSwitchPairs, column: 1),
    MalformedCase(#"Switch([a], , "x")"#, .expressionArgumentCount, column: 1),
    MalformedCase(#"Mid(, 1, 2)"#, .expressionMissingArgument, column: 5),
    MalformedCase(#"Replace(, "a", , , "b", , )"#, .expressionMissingArgument, column: 9),
    MalformedCase(#"Switch([mail], , , "b")"#, .expressionMissingArgument, column: 18),
    MalformedCase(#"FormatDateTime([mail], "yyyy", "yy")"#, .expressionLegacyFormatDateTime, column: 1),
    MalformedCase(#"SelectUniqueValue([mail], [userPrincipalName])"#, .expressionJobKind, column: 1),
    MalformedCase(#"ToLower(IgnoreFlowIfNullOrEmpty([mail]))"#, .expressionNotTopLevel, column: 9),
    MalformedCase(#"SingleAppRoleAssignment([mail])"#, .expressionRoleArgument, column: 25),
    MalformedCase(#"Join(" ", [a] = [b])"#, .expressionMisplacedComparison, column: 15, object: nil),
    MalformedCase(#"[a] = [b]"#, .expressionMisplacedComparison, column: 5, object: nil),
    MalformedCase(#"IIF("x", [a] = [b], "y")"#, .expressionMisplacedComparison, column: 14, object: nil),
    MalformedCase(#"DateAdd("days", 7, Now())"#, .expressionDateInterval, column: 9),
    MalformedCase(#"Switch(IsPresent([mail]), , "True", "a")"#, .expressionSwitchSourcePredicate, column: 8),

    // Meaning: attributes.
    MalformedCase(#"ToLower([Mobile])"#, .expressionAttributeCase, column: 9),
    MalformedCase(#"[Description]"#, .expressionUnknownAttribute, column: 1),
    MalformedCase(#"[Description]"#, .expressionAttributeCase, column: 1, object: .group),
    MalformedCase(#"Join(" ", [givenName], [surName])"#, .expressionAttributeCase, column: 24),
    MalformedCase(#"ToLower([mobilePhone])"#, .expressionUnknownAttribute, column: 9),
    MalformedCase(#"ToLower([SamAccountName])"#, .expressionUnavailableAttribute, column: 9),
    MalformedCase(#"[userType]"#, .expressionUnavailableAttribute, column: 1),
    MalformedCase(#"Join(",", [members], [displayNme])"#, .expressionUnknownAttribute, column: 22, object: .group),
    MalformedCase(#"[IsSoftDeleted]"#, .expressionUnknownAttribute, column: 1, object: .group),

    // Positions on later lines reset the column.
    MalformedCase("Join(\" \",\n  [givenName],\n  [surName])", .expressionAttributeCase, column: 3, line: 3),
    MalformedCase("Switch([IsSoftDeleted],\n , “False”, \"True\", \"True\", \"False\")", .expressionTypographicQuote, column: 4, line: 2),
]

@Suite struct DiagnosticTableTests {
    @Test func thereAreEnoughCases() {
        #expect(malformedCases.count >= 60)
        #expect(Set(malformedCases.map(\.id)).count >= 35)
    }

    @Test(arguments: malformedCases)
    func malformedExpressionIsReported(_ testCase: MalformedCase) throws {
        let result = ExpressionChecker.check(testCase.text, object: testCase.object, at: nil)
        let match = result.diagnostics.first { $0.id == testCase.id }
        let diagnostic = try #require(match, "got \(result.diagnostics.map { "\($0.id) \($0.location?.description ?? "")" })")
        #expect(diagnostic.location == SourceLocation(file: "<expression>", line: testCase.line, column: testCase.column))
        #expect(!diagnostic.message.isEmpty)
        #expect(diagnostic.message.first?.isUppercase == false)
        #expect(diagnostic.message.last != ".")
        if diagnostic.severity == .error { #expect(result.expression == nil) }
    }

    @Test func locationsAreRelativeToTheBase() throws {
        let base = SourceLocation(file: "Profiles/acme.yaml", line: 12, column: 15)
        let result = ExpressionChecker.check("Join(\" \", [Mobile],\n [surName])", object: .user, at: base)
        #expect(result.diagnostics.map(\.location) == [
            SourceLocation(file: "Profiles/acme.yaml", line: 12, column: 25),
            SourceLocation(file: "Profiles/acme.yaml", line: 13, column: 2),
        ])
        #expect(result.diagnostics.compactMap(\.fixIt).map(\.location) == [
            SourceLocation(file: "Profiles/acme.yaml", line: 12, column: 26),
            SourceLocation(file: "Profiles/acme.yaml", line: 13, column: 3),
        ])
    }

    @Test func recoveryReportsSeveralProblems() {
        let text = #"Switch([isSoftDeleted], , “False”, "True", ‘True’, "False")."#
        let ids = ExpressionChecker.check(text, object: .user, at: nil).diagnostics.map(\.id)
        #expect(ids == [.expressionAttributeCase, .expressionTypographicQuote, .expressionTypographicQuote, .expressionTrailingPeriod])
    }

    @Test func validExpressionsHaveNoFindings() {
        for text in [
            #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
            #"Join(" ", [givenName], [surname])"#,
            #"Replace([mobile], , "[()\\s-]+", , "", , )"#,
            #"IIF([country] = "USA", [country], "other")"#,
            "[extension_53c9e2c0e4a946a4a6bc5e1a1f3b8c1d_acmeCostCenter]",
        ] {
            let result = ExpressionChecker.check(text, object: .user, at: nil)
            #expect(result.diagnostics.isEmpty, "\(text): \(result.diagnostics)")
            #expect(result.expression != nil)
        }
    }

    @Test func attributesAreNotCheckedWithoutAnObject() {
        #expect(ExpressionChecker.check("ToLower([StatusHireDate])", object: nil, at: nil).diagnostics.isEmpty)
    }

    @Test func selectUniqueValueIsFineForHRJobsAtTopLevelOnly() {
        let text = #"SelectUniqueValue(Join("@", [givenName], "x"), Join("@", [surname], "x"))"#
        #expect(ExpressionChecker.check(text, object: nil, at: nil, job: .hrToActiveDirectory).isValid)
        let nested = "ToLower(\(text))"
        #expect(ExpressionChecker.check(nested, object: nil, at: nil, job: .hrToActiveDirectory).diagnostics.map(\.id)
            == [.expressionNotTopLevel])
    }
}
