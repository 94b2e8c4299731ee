import Foundation
import Testing

@testable import Expressions

/// The test user from the Graph parseExpression example, plus a few HR-style attributes.
let sampleUser: [String: EvaluationValue] = [
    "objectId": .string("66E4A8CC-1B7B-435E-95F8-F06CEA133828"),
    "IsSoftDeleted": .boolean(false),
    "accountEnabled": .boolean(true),
    "country": .string("USA"),
    "department": .string("Sales"),
    "displayName": .string("John Smith"),
    "extensionAttribute1": .string("20150123105347.1Z"),
    "givenName": .string("John"),
    "surname": .string("Smith"),
    "mail": .string("johns@contoso.com"),
    "mobile": .string("425-555-0010"),
    "preferredLanguage": .string("EN-US"),
    "userPrincipalName": .string("johns@contoso.com"),
    "proxyAddresses": .multi(["SMTP:johns@contoso.com", "smtp:john.smith@contoso.com", "SMTP:johns@contoso.com"]),
    "appRoleAssignments": .multi(["Default Assignment"]),
    "StatusHireDate": .string("2012-03-16-07:00"),
]

let fixedNow = Date(timeIntervalSince1970: 1_700_000_000)  // 11/14/2023 10:13:20 PM UTC

func evaluator(seed: UInt64 = 42) -> ExpressionEvaluator {
    let generator = SeededGenerator(seed: seed)
    return ExpressionEvaluator(clock: { fixedNow }, random: { generator.next(below: $0) })
}

func evaluate(_ text: String, _ object: [String: EvaluationValue] = sampleUser) throws -> EvaluationValue {
    let expression = try #require(ExpressionParser.parse(text).expression, "does not parse: \(text)")
    return try evaluator().evaluate(expression, object: object)
}

@Suite struct EvaluatorTests {
    static let documentedResults: [(String, String?)] = [
        (#"Replace([preferredLanguage], "-", , , "_", ,  )"#, "EN_US"),
        (#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#, "True"),
        (#"Not([IsSoftDeleted])"#, "True"),
        (#"Join(" ", [givenName], [surname])"#, "John Smith"),
        (#"Mid([userPrincipalName], 1, 8)"#, "johns@co"),
        (#"Mid([givenName], 1, 3)"#, "Joh"),
        (#"Mid([givenName], 2, 9223372036854775807)"#, "ohn"),
        (#"DateFromNum(129699324000000000)"#, "2012-01-01T23:00:00Z"),
        (#"NumFromDate("2012-01-01T23:00:00Z")"#, "129699324000000000"),
        (#"Replace([mobile], , "[()\\s-]+", , "", , )"#, "4255550010"),
        (#"Replace([mail], "@contoso.com", , ,"", ,)"#, "johns"),
        (#"Replace([mobile], , "(?<area>\\d{3})-(?<rest>.*)", , "(${area}) $2", , )"#, "(425) 555-0010"),
        (#"Replace([mobile], , "^(?<area>\\d{3})-", "area", "000", , )"#, "000-555-0010"),
        (#"Replace([mobile], , "(?<area>\\d{3})-", "area", "000", , )"#, "000-000-0010"),
        (#"Replace([nickname], , "(?<user>[^@]+)@", "user", , [mail], )"#, "johns"),
        (#"Replace([missing], "<username>", , , , , "<username>@contoso.com")"#, nil),
        (#"Replace([givenName], "<username>", , , , , "<username>@contoso.com")"#, "John@contoso.com"),
        (#"Item([proxyAddresses], 1)"#, "SMTP:johns@contoso.com"),
        (#"Item([proxyAddresses], 9)"#, nil),
        (#"Count([proxyAddresses])"#, "3"),
        (#"Join(",", RemoveDuplicates([proxyAddresses]))"#, "SMTP:johns@contoso.com,smtp:john.smith@contoso.com"),
        (#"ConvertToBase64("Hello world!")"#, "SABlAGwAbABvACAAdwBvAHIAbABkACEA"),
        (#"ConvertFromBase64("SABlAGwAbABvACAAdwBvAHIAbABkACEA")"#, "Hello world!"),
        (#"ConvertToUTF8Hex("Hello world!")"#, "48656C6C6F20776F726C6421"),
        (#"FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#, "2015-01-23"),
        (#"DateAdd("d", 7, CDate([StatusHireDate]))"#, "3/23/2012 7:00:00 AM"),
        (#"CDate([StatusHireDate])"#, "3/16/2012 7:00:00 AM"),
        (#"DateDiff("d", CDate("2012-03-16"), CDate("2012-03-26"))"#, "10"),
        (#"IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")"#, "True"),
        (#"Now()"#, "11/14/2023 10:13:20 PM"),
        (#"IIF([country]="USA", [country], [department])"#, "USA"),
        (#"IIF([country]<>"USA", [country], [department])"#, "Sales"),
        (#"CBool([givenName] = [surname])"#, "False"),
        (#"NormalizeDiacritics("Zoë Łukasz Ærø")"#, "Zoe Lukasz AEro"),
        (#"Word("The quick brown fox", 3, " ")"#, "brown"),
        (#"Word("The quick brown fox", 9, " ")"#, ""),
        (#"PCase("hello WORLD-wide")"#, "Hello World-wide"),
        (#"PCase("hello WORLD-wide", "-")"#, "Hello World-Wide"),
        (#"ToUpper([givenName])"#, "JOHN"),
        (#"ToLower([userPrincipalName], "en-US")"#, "johns@contoso.com"),
        (#"StripSpaces("a b  c")"#, "abc"),
        (#"Append([givenName], "@contoso.com")"#, "John@contoso.com"),
        (#"Left([givenName], 2)"#, "Jo"),
        (#"Left([givenName], -1)"#, "John"),
        (#"InStr([mail], "@")"#, "6"),
        (#"InStr([mail], "S", 1, "vbTextCompare")"#, "5"),
        (#"InStr([mail], "S")"#, "0"),
        (#"Coalesce([missing], [mail], "")"#, "johns@contoso.com"),
        (#"Coalesce([missing], "")"#, ""),
        (#"IsNullOrEmpty([missing])"#, "True"),
        (#"IsPresent([mail])"#, "True"),
        (#"Switch([department], "Other", "Sales", "S", "Marketing", "M")"#, "S"),
        (#"Switch([country], "Other", "Canada", "CA")"#, "Other"),
        (#"Switch([country], , "Canada", "CA")"#, nil),
        (#"Switch([missing], "x", "", "empty")"#, "empty"),
        (#"IgnoreFlowIfNullOrEmpty([missing])"#, nil),
        (#"SingleAppRoleAssignment([appRoleAssignments])"#, "Default Assignment"),
        (#"BitAnd(6, 3)"#, "2"),
        (#"CStr(12)"#, "12"),
        (#"Join("", 1000, [givenName])"#, "1000John"),
        (#"Split("a,b", ",")"#, "a"),
        (#"Redact([mail])"#, "johns@contoso.com"),
        (#"DNComponent("CN=John\, Smith,OU=Sales,DC=contoso", 2)"#, "Sales"),
    ]

    @Test(arguments: documentedResults)
    func documentedResult(_ text: String, _ expected: String?) throws {
        #expect(try evaluate(text).text == expected)
    }

    @Test func multiValuedResults() throws {
        #expect(try evaluate(#"Split("a,b,,c", ",")"#) == .multi(["a", "b", "", "c"]))
        #expect(try evaluate("AppRoleAssignmentsComplex([appRoleAssignments])") == .multi(["Default Assignment"]))
        #expect(try evaluate("Join(\"|\", [proxyAddresses])").text
            == "SMTP:johns@contoso.com|smtp:john.smith@contoso.com|SMTP:johns@contoso.com")
    }

    @Test func softDeletedUserBecomesInactive() throws {
        var user = sampleUser
        user["IsSoftDeleted"] = .boolean(true)
        #expect(try evaluate(#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#, user).text == "False")
        #expect(try evaluate("Not([IsSoftDeleted])", user) == .boolean(false))
        // The swapped-values mistake keeps soft-deleted users active.
        #expect(try evaluate(#"Switch([IsSoftDeleted], , "True", "True", "False", "False")"#, user).text == "True")
    }

    @Test func injectedRandomnessIsRepeatable() throws {
        let expression = try #require(ExpressionParser.parse("RandomString(12, 3, 2, 2, 3, \"0Oo\")").expression)
        let first = try evaluator(seed: 7).evaluate(expression, object: [:])
        let second = try evaluator(seed: 7).evaluate(expression, object: [:])
        #expect(first == second)
        let text = try #require(first.text)
        #expect(text.count == 12)
        #expect(text.filter(\.isNumber).count >= 3)
        #expect(text.filter(\.isUppercase).count >= 2)
        #expect(text.filter(\.isLowercase).count >= 3)
        #expect(!text.contains { "0Oo".contains($0) })

        let guid = try #require(try evaluator(seed: 1).evaluate(.call("Guid", []), object: [:]).text)
        #expect(guid.count == 36)
        #expect(UUID(uuidString: guid) != nil)
        #expect(try evaluator(seed: 1).evaluate(.call("Guid", []), object: [:]).text == guid)
        #expect(try evaluator(seed: 2).evaluate(.call("Guid", []), object: [:]).text != guid)
    }

    @Test func failuresAreErrorsNotCrashes() throws {
        for text in [
            #"IIF([missing] = "x", "a", "b")"#, #"FormatDateTime("nope", , "yyyy", "yyyy")"#, #"Mid([mail], "x", 1)"#,
            #"Frobnicate()"#, #"Mid([mail])"#, #"RandomString(300, 1, 1, 1, 1)"#, #"Replace([mail], , "(", , "x", , )"#,
            #"Error("stop")"#, #"DateAdd("q", 1, Now())"#, #"CBool("maybe")"#,
            #"DateFromNum(-9223372036854775807)"#, #"RandomString(10, 9223372036854775807, 9223372036854775807, 0, 0)"#,
            #"DateAdd("ww", 9223372036854775807, Now())"#, #"DateAdd("d", -9223372036854775807, Now())"#,

        ] {
            let expression = try #require(ExpressionParser.parse(text).expression)
            #expect(throws: EvaluationError.self, "\(text)") { try evaluator().evaluate(expression, object: sampleUser) }
        }
    }
}
