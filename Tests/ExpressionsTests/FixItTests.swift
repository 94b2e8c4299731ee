import Diagnostics
import Testing

@testable import Expressions

/// Applies fix-its the way `scimctl validate --fix` will: right to left, by line and column.
func applyFixIts(_ text: String, _ diagnostics: [Diagnostic]) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    let fixes = diagnostics.compactMap(\.fixIt).sorted {
        ($0.location.line, $0.location.column) > ($1.location.line, $1.location.column)
    }
    for fix in fixes {
        let lineIndex = fix.location.line - 1
        guard lineIndex < lines.count else { continue }
        var line = lines[lineIndex]
        let start = min(fix.location.column - 1, line.count)
        let end = min(start + fix.length, line.count)
        line.replaceSubrange(start..<end, with: Array(fix.replacement.unicodeScalars))
        lines[lineIndex] = line
    }
    return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
}

@Suite struct FixItTests {
    static let repairs: [(String, String)] = [
        (#"Switch([IsSoftDeleted], , “False”, “True”, “True”, “False”)"#,
         #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#),
        (#"Append([mail], 'a"b')"#, #"Append([mail], "a\"b")"#),
        (#"Append（[mail]， "x"）"#, #"Append([mail], "x")"#),
        (#"Switch(\[IsSoftDeleted\], , "False", "True", "True", "False")"#,
         #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#),
        (#"`Join(" ", [givenName], [surname])`."#, #"Join(" ", [givenName], [surname])"#),
        ("Join(\"\u{A0}\",\u{A0}[givenName],\u{3000}[surname])", "Join(\"\u{A0}\", [givenName], [surname])"),
        (#"ToLower([Mobile])"#, #"ToLower([mobile])"#),
        (#"ToLower([mobilePhone])"#, #"ToLower([mobile])"#),
        (#"Join(" ", [givenName], [surName])"#, #"Join(" ", [givenName], [surname])"#),
        (#"Substring([mail], 1, 3)"#, #"Mid([mail], 1, 3)"#),
        (#"ToLowerCase([mail])"#, #"ToLower([mail])"#),
        (#"switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
         #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#),
        (#"FormatDateTime([mail], "yyyyMMdd", "yyyy-MM-dd")"#, #"FormatDateTime([mail], , "yyyyMMdd", "yyyy-MM-dd")"#),
        (#"Join(" " [givenName])"#, #"Join(" ", [givenName])"#),
        (#"Join(" ", [givenName]"#, #"Join(" ", [givenName])"#),
        (#"InStr([mail], "@", 1, vbTextCompare)"#, #"InStr([mail], "@", 1, "vbTextCompare")"#),
        (#"Append([ mail ], "x")"#, #"Append([mail], "x")"#),
        (#"Append([mail], "x"))"#, #"Append([mail], "x")"#),
        (#"SingleAppRoleAssignment([roles])"#, #"SingleAppRoleAssignment([appRoleAssignments])"#),
        (#"IIF([country] == "USA", "a", "b")"#, #"IIF([country] = "USA", "a", "b")"#),
        ("Switch ([mail], , \"a\", \"b\")", "Switch([mail], , \"a\", \"b\")"),
    ]

    @Test(arguments: repairs)
    func fixItsRepairTheExpression(_ broken: String, _ repaired: String) {
        let before = ExpressionChecker.check(broken, object: .user, at: nil)
        #expect(!before.diagnostics.isEmpty)
        let fixed = applyFixIts(broken, before.diagnostics)
        #expect(fixed == repaired)
        #expect(ExpressionChecker.check(fixed, object: .user, at: nil).diagnostics.isEmpty)
    }

    @Test func fixItsWorkOnLaterLines() {
        let broken = "Join(\" \",\n    [givenName],\n    [Surname])"
        let result = ExpressionChecker.check(broken, object: .user, at: nil)
        #expect(applyFixIts(broken, result.diagnostics) == "Join(\" \",\n    [givenName],\n    [surname])")
    }
}
