import Diagnostics
import Expressions
import Testing

@testable import VendorProfiles

/// What the vendor guides ask for and the first renders got wrong: every RFC 3966 form for Eptura's phone numbers,
/// and a warning when the matching attribute comes out empty.
@Suite("Vendor fidelity: RFC 3966 phone numbers, empty matching attributes")
struct FidelityTests {
    @Test(arguments: [
        "tel:+1-201-555-0123",  // the RFC's global example
        "tel:+12015550123",
        "tel:+44(20)7946.0018",
        "tel:+(1)201-555-0123",  // visual separators anywhere among the digits
        "TEL:+1-201-555-0123",  // the scheme ignores case
        "tel:+1-201-555-0123;ext=1234",
        "tel:+1-201-555-0123;ext=12-34",
        "tel:+1-201-555-0123;isub=%42a.b",
        "tel:+1-201-555-0123;isub=1;ext=5",
        "tel:+1-201-555-0123;foo=bar;flag",  // other parameters, with and without a value
        "tel:+358-555-1234567;postd=pp22",
        "tel:7042;phone-context=example.com",  // a local number in a domain
        "tel:7042;phone-context=example.com.",  // a fully qualified domain name
        "tel:863-1234;phone-context=+1-914-555",  // a local number under a global prefix
        "tel:*21#;phone-context=+1",
        "tel:0A1b;phone-context=pbx.example.com",  // hex digits in a local number
        "tel:7042;ext=12;phone-context=example.com",
        "tel:7042;PHONE-CONTEXT=example.com",  // parameter names ignore case
    ])
    func acceptedForms(_ number: String) {
        #expect(TelephoneURI.problem(number) == nil, "\(number): \(TelephoneURI.problem(number) ?? "")")
        #expect(ValueFormatRule.Format.rfc3966.problem(with: number) == nil)
    }

    @Test(arguments: [
        ("+1-201-555-0123", "is not an RFC 3966 tel: URI"),
        ("tel:", "is not an RFC 3966 tel: URI"),
        ("tel:+", "has no digits after +"),
        ("tel:+--", "has no digits after +"),
        ("tel:+1 201 555 0123", "contains ' '"),
        ("tel:+1-201-555-0123x", "contains 'x'"),
        ("tel:7042", "local number without ;phone-context="),
        ("tel:;phone-context=example.com", "has no number after tel:"),
        ("tel:7042;phone-context=", "';phone-context' without a value"),
        ("tel:7042;phone-context=-bad-.com", "neither a domain name nor a +global number prefix"),
        ("tel:7042;phone-context=example.1com", "neither a domain name"),
        ("tel:7042;phone-context=+", "phone-context that has no digits after +"),
        ("tel:7042;phone-context=a.com;phone-context=b.com", "more than once"),
        ("tel:+1-201-555-0123;phone-context=example.com", "must not carry ;phone-context="),
        ("tel:+1-201-555-0123;ext=", "';ext' without a value"),
        ("tel:+1-201-555-0123;ext=12a", "extension with 'a'"),
        ("tel:+1-201-555-0123;ext=--", "extension without digits"),
        ("tel:+1-201-555-0123;ext=1;ext=2", "more than once"),
        ("tel:+1-201-555-0123;isub=a b", "contains ' '"),
        ("tel:+1-201-555-0123;isub=%4", "'%' not followed by two hex digits"),
        ("tel:+1-201-555-0123;", "empty parameter"),
        ("tel:+1-201-555-0123;;ext=1", "empty parameter"),
        ("tel:+1-201-555-0123;fo o=bar", "parameter name 'fo o'"),
        ("tel:+1-201-555-0123;foo=", "';foo=' without a value"),
        ("tel:+1-201-555-0123;foo=a\"b", "contains '\"'"),
        ("tel:ghij;phone-context=example.com", "contains 'g'"),
        ("tel:--;phone-context=example.com", "has no digits in its number"),
    ])
    func refusedForms(_ number: String, _ reason: String) {
        let problem = TelephoneURI.problem(number)
        #expect(problem?.contains(reason) == true, "\(number): \(problem ?? "accepted")")
    }

    @Test func epturaPreviewAcceptsALocalNumberAndRefusesABareOne() throws {
        let application = try #require(
            BundledProfiles.load(named: "eptura")?.profile?.resolve(parameters: ["domain": "scim.example.eptura.com"]).0?
                .applications.first)
        let rules = try #require(BundledProfiles.load(named: "eptura")?.profile?.rules)
        func phoneDiagnostics(_ number: String) -> [Diagnostic] {
            let user: [String: EvaluationValue] = [
                "userPrincipalName": .string("a@contoso.example"), "telephoneNumber": .string(number), "objectId": .string("x"),
            ]
            return MappingPreview.evaluate(application, kind: .user, rules: rules, object: user).diagnostics
                .filter { $0.id == .previewRFC3966 }
        }
        #expect(phoneDiagnostics("tel:7042;phone-context=example.com").isEmpty)
        #expect(phoneDiagnostics("tel:+1-201-555-0123;ext=7").isEmpty)
        let refused = try #require(phoneDiagnostics("tel:7042").first)
        #expect(refused.message.contains("without ;phone-context="))
        #expect(refused.hint?.contains("phone-context") == true)
    }

    @Test func previewWarnsWhenTheMatchingAttributeIsEmpty() throws {
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
                    - target: externalId
                      source: objectId
                      matchingPrecedence: 2
                    - target: userName
                      source: 1️⃣mail
                      matchingPrecedence: 1
            """, file: "example.yaml")
        let loaded = ProfileLoader.load(text: marked.text, file: "example.yaml")
        let application = try #require(loaded.profile?.resolve(parameters: [:]).0?.applications.first)
        let noMail: [String: EvaluationValue] = ["objectId": .string("1"), "userPrincipalName": .string("a@contoso.example")]
        let (_, diagnostics) = MappingPreview.evaluate(application, kind: .user, rules: VendorRules(), object: noMail)
        let warning = try #require(diagnostics.first { $0.id == .previewEmptyMatchingAttribute })
        #expect(warning.severity == .warning)
        #expect(warning.message == "userName is the matching attribute and comes out empty for this sample user")
        #expect(warning.location == marked.location("1️⃣"))
        #expect(warning.hint?.contains("cannot be matched") == true)

        // With a mail address, or an empty string only in the second matching attribute, nothing is said.
        var withMail = noMail
        withMail["mail"] = .string("a@contoso.example")
        #expect(!MappingPreview.evaluate(application, kind: .user, rules: VendorRules(), object: withMail).diagnostics
            .contains { $0.id == .previewEmptyMatchingAttribute })
        withMail["objectId"] = .string("")
        #expect(!MappingPreview.evaluate(application, kind: .user, rules: VendorRules(), object: withMail).diagnostics
            .contains { $0.id == .previewEmptyMatchingAttribute })
        // Whitespace only counts as empty.
        withMail["mail"] = .string("  ")
        #expect(MappingPreview.evaluate(application, kind: .user, rules: VendorRules(), object: withMail).diagnostics
            .contains { $0.id == .previewEmptyMatchingAttribute })
    }
}
