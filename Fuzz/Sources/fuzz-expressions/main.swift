import FuzzSupport
import Diagnostics
import Expressions
import Foundation

/// Any text through the expression checker; a valid expression is then printed, re-parsed (the printed form must
/// parse to the same tree) and evaluated against a fixed user with a fixed clock and random source.
runFuzzer { data, size in
    let text = String(decoding: input(data, size), as: UTF8.self)
    let checked = ExpressionChecker.check(text, object: .user, at: SourceLocation(file: "fuzz", line: 1, column: 1))
    precondition(checked.isValid == !checked.diagnostics.hasErrors, "the verdict disagrees with the findings")
    guard let expression = checked.expression else { return 0 }
    let printed = ExpressionPrinter.print(expression)
    let reparsed = ExpressionParser.parse(printed)
    precondition(reparsed.expression == expression, "printing changed the expression: \(printed)")
    let evaluator = ExpressionEvaluator(clock: { Date(timeIntervalSince1970: 1_700_000_000) }, random: { _ in 0 })
    _ = try? evaluator.evaluate(expression, object: FuzzUser.object)
    return 0
}

enum FuzzUser {
    static let object: [String: EvaluationValue] = [
        "mail": .string("jane.doe@contoso.com"), "givenName": .string("Jane"), "surname": .string("Doe"),
        "displayName": .string("Jane Doe"), "userPrincipalName": .string("jane@contoso.com"),
        "mobile": .string("+1 425 555 0100"), "IsSoftDeleted": .boolean(false), "accountEnabled": .boolean(true),
        "objectId": .string("66E4A8CC-1B7B-435E-95F8-F06CEA133828"),
        "proxyAddresses": .multi(["SMTP:jane@contoso.com", "smtp:jd@contoso.com"]),
        "appRoleAssignments": .multi(["User"]), "employeeHireDate": .string("2024-03-16T07:00:00Z"),
    ]
}
