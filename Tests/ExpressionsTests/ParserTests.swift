import Diagnostics
import Testing

@testable import Expressions

/// Expressions quoted in the reference grammar, function and pitfall notes that Entra documents as valid.
let documentedExpressions: [String] = [
    #"CBool([attribute1] = [attribute2])"#,
    #"DateFromNum(129699324000000000)"#,
    #"FormatDateTime([x], , "in", "out")"#,
    #"Guid()"#,
    #"IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")"#,
    #"IIF([country]="USA", [country], [department])"#,
    #"Item([proxyAddresses], 1)"#,
    #"Join(" ", [givenName], [surname])"#,
    #"Join("", 1000, [givenName])"#,
    #"Mid([givenName], 1, 3)"#,
    #"Mid([userPrincipalName], 1, 8)"#,
    #"Not([IsSoftDeleted])"#,
    #"Now()"#,
    #"RandomString(6,3,0,0,3)"#,
    #"Replace([mail], "@contoso.com", , ,"", ,)"#,
    #"Replace([mobile], , "[()\\s-]+", , "", , )"#,
    #"Replace([preferredLanguage], "-", , , "_", ,  )"#,
    #"Switch([IsSoftDeleted], "", "True", "False", "False", "True")"#,
    #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
    #"Switch([IsSoftDeleted], , "True", "True", "False", "False")"#,
    #"Replace([mobile], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${isdCode}${phoneNumber}", , )"#,
    #"Replace([displayName], , "([\\/\\\\\\[\\]\\:\\;\\|\\=\\,\\+\\*\\?\\<\\>])", , "", , )"#,
    #"Append([displayName], "Company name: \"Contoso\"")"#,
    "SelectUniqueValue( \n  Join(\"@\", NormalizeDiacritics(StripSpaces([givenName])), \"contoso.com\"),\n  Join(\"@\", NormalizeDiacritics(StripSpaces([surname])), \"contoso.com\")\n)",
    "IIF(DateDiff(\"d\", Now(),\n    CDate([StatusHireDate])) > 5,\n  \"False\", \"True\")",
    #"Switch([country], "Company A", "USA", "Company B", "Canada", "Company C")"#,
    #"IgnoreFlowIfNullOrEmpty([department])"#,
    #"SingleAppRoleAssignment([appRoleAssignments])"#,
    #"AppRoleAssignmentsComplex([appRoleAssignments])"#,
    #"Coalesce([mail], [userPrincipalName], "")"#,
    #"ToLower([userPrincipalName], "en-US")"#,
    #"PCase([displayName], " -")"#,
    #"Word("The quick brown fox", 3, " ")"#,
    #"NumFromDate("2012-01-01T23:00:00Z")"#,
    #"DateAdd("d", 7, CDate([StatusHireDate]))"#,
    #"InStr([mail], "@", 1)"#,
    "[mail]",
    "\"constant\"",
]

@Suite struct ParserTests {
    @Test(arguments: documentedExpressions)
    func documentedExpressionParses(_ text: String) {
        let result = ExpressionParser.parse(text)
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(result.expression != nil)
    }

    @Test(arguments: documentedExpressions)
    func printedTextParsesToSameTree(_ text: String) throws {
        let tree = try #require(ExpressionParser.parse(text).expression)
        let printed = ExpressionPrinter.print(tree)
        #expect(ExpressionParser.parse(printed).expression == tree)
        // Printing is idempotent: canonical text prints as itself.
        #expect(try #require(ExpressionParser.parse(printed).expression).description == printed)
    }

    @Test func emptySlotsAreKeptInPlace() throws {
        let tree = try #require(ExpressionParser.parse(#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#).expression)
        #expect(tree == .call("Switch", [
            .attribute("IsSoftDeleted"), nil, .constant("False"), .constant("True"), .constant("True"), .constant("False"),
        ]))
        let replace = try #require(ExpressionParser.parse(#"Replace([preferredLanguage], "-", , , "_", ,  )"#).expression)
        #expect(replace == .call("Replace", [.attribute("preferredLanguage"), .constant("-"), nil, nil, .constant("_"), nil, nil]))
    }

    @Test func zeroArgumentsVersusEmptySlots() throws {
        #expect(ExpressionParser.parse("Guid()").expression == .call("Guid", []))
        #expect(ExpressionParser.parse("Guid( )").expression == .call("Guid", []))
        #expect(ExpressionParser.parse("Join(,)").expression == .call("Join", [nil, nil]))
    }

    @Test func stringEscapesAreDecoded() throws {
        let tree = ExpressionParser.parse(#"Append("a\"b\\c", "\d")"#)
        #expect(tree.expression == .call("Append", [.constant("a\"b\\c"), .constant("\\d")]))
        #expect(tree.diagnostics.map(\.id) == [.expressionUnknownEscape])
    }

    @Test func comparisonsAndNumbers() throws {
        let tree = try #require(ExpressionParser.parse(#"IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")"#).expression)
        guard case .call("IIF", let arguments) = tree, case .comparison(let lhs, .greater, .number("5"))?? = arguments.first else {
            Issue.record("unexpected tree \(tree)")
            return
        }
        #expect(lhs.functionName == "DateDiff")
        for op in ComparisonOperator.allCases {
            let text = "CBool([a] \(op.rawValue) -10)"
            #expect(ExpressionParser.parse(text).expression == .call("CBool", [.comparison(.attribute("a"), op, .number("-10"))]))
        }
    }

    @Test func attributeNamesMayContainDots() {
        #expect(ExpressionParser.parse("[passwordProfile.password]").expression == .attribute("passwordProfile.password"))
    }

    @Test func syntaxRangesPointAtTheSource() throws {
        let syntax = try #require(ExpressionParser.parse(#"Join(" ", [givenName])"#).syntax)
        guard case .call(let name, let nameRange, let arguments) = syntax.kind else {
            Issue.record("expected a call")
            return
        }
        #expect(name == "Join")
        #expect(nameRange == SourceRange(0, 4))
        #expect(arguments.map(\.range) == [SourceRange(5, 8), SourceRange(10, 21)])
        #expect(syntax.range == SourceRange(0, 22))
    }

    @Test func nonASCIIColumnsCountScalars() throws {
        // "é" is two UTF-8 bytes but one column.
        let result = ExpressionChecker.check(#"Join("é", [nope])"#, object: .user, at: nil)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == .expressionUnknownAttribute)
        #expect(diagnostic.location?.column == 11)
    }

    @Test func tenThousandCharacterExpressionParses() throws {
        var text = "Join(\"\""
        while text.unicodeScalars.count < 9_980 { text += ", [mail]" }
        text += ")"
        #expect(text.unicodeScalars.count <= ExpressionParser.maximumLength)
        let result = ExpressionChecker.check(text, object: .user, at: nil)
        #expect(result.isValid)
        guard case .call(_, let arguments)? = result.expression else {
            Issue.record("expected a call")
            return
        }
        #expect(arguments.count == (text.unicodeScalars.count - 8) / 8 + 1)

        let tooLong = text + String(repeating: " ", count: 100)
        #expect(ExpressionChecker.check(tooLong, object: .user, at: nil).diagnostics.map(\.id) == [.expressionTooLong])
    }

    @Test func deepNestingIsCappedNotCrashed() {
        let depth = 5_000
        let text = String(repeating: "ToLower(", count: depth) + "[mail]" + String(repeating: ")", count: depth)
        let result = ExpressionChecker.check(text, object: .user, at: nil)
        #expect(result.expression == nil)
        #expect(result.diagnostics.contains { $0.id == .expressionNestingTooDeep })

        let allowed = ExpressionParser.maximumDepth - 1
        let fine = String(repeating: "ToLower(", count: allowed) + "[mail]" + String(repeating: ")", count: allowed)
        #expect(ExpressionChecker.check(fine, object: .user, at: nil).isValid)
    }
}
