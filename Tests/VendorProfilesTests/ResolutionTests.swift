import Diagnostics
import Testing

@testable import VendorProfiles

@Suite("Parameter resolution")
struct ResolutionTests {
    func application(tenantURL: TenantURL, displayName: String = "Example") -> Application {
        Application(
            name: "example", displayName: displayName, tenantURL: tenantURL, secretToken: .none,
            users: ObjectMapping(kind: .user), groups: ObjectMapping(kind: .group))
    }

    @Test func defaultIsUsedWhenNoValueIsGiven() throws {
        let profile = Profile(
            name: "example", vendor: "Example",
            parameters: [Parameter(name: "stage", defaultValue: "prod", allowedValues: ["prod", "test"])],
            applications: [application(tenantURL: .template("https://{stage}.example.com/scim", location: nil))])
        let (resolved, diagnostics) = profile.resolve(parameters: [:])
        #expect(diagnostics.isEmpty)
        #expect(resolved?.parameterValues == ["stage": "prod"])
        #expect(resolved?.applications.first?.tenantURL == "https://prod.example.com/scim")
        let (given, _) = profile.resolve(parameters: ["stage": "test"])
        #expect(given?.applications.first?.tenantURL == "https://test.example.com/scim")
    }

    @Test func applicationsAreChosenByName() throws {
        var second = application(tenantURL: .template("https://two.example.com/scim", location: nil), displayName: "Second")
        second.name = "second"
        let profile = Profile(
            name: "example", vendor: "Example",
            applications: [application(tenantURL: .template("https://one.example.com/scim", location: nil)), second])
        let resolved = try #require(profile.resolve(parameters: [:]).0)
        #expect(resolved.applications(named: nil).map(\.name) == ["example", "second"])
        #expect(resolved.applications(named: "second").map(\.displayName) == ["Second"])
        #expect(resolved.applications(named: "third").isEmpty)
    }

    @Test func lowercaseTransformRunsBeforeChecksAndSubstitution() {
        let profile = Profile(
            name: "example", vendor: "Example",
            parameters: [Parameter(name: "customer", allowedValues: ["acme"], transform: .lowercase)],
            applications: [
                application(
                    tenantURL: .template("https://{customer}.example.com/scim", location: nil),
                    displayName: "Example ({customer})")
            ])
        let (resolved, diagnostics) = profile.resolve(parameters: ["customer": "ACME"])
        #expect(diagnostics.isEmpty, "the allowed list sees the lower-cased value")
        #expect(resolved?.applications.first?.tenantURL == "https://acme.example.com/scim")
        #expect(resolved?.applications.first?.displayName == "Example (acme)")
    }

    @Test func unknownParameterWithAndWithoutSuggestion() {
        let profile = Profile(
            name: "example", vendor: "Example", parameters: [Parameter(name: "region", defaultValue: "us")],
            applications: [application(tenantURL: .template("https://example.com/{region}", location: nil))])
        let (resolved, diagnostics) = profile.resolve(parameters: ["regoin": "de", "zzzzzzzz": "1"])
        #expect(resolved == nil)
        #expect(diagnostics.map(\.id) == [.unknownParameter, .unknownParameter])
        #expect(diagnostics.map(\.hint) == ["did you mean 'region'?", "parameters of 'example': region"])
        let none = Profile(
            name: "fixed", vendor: "Example",
            applications: [application(tenantURL: .template("https://example.com/scim", location: nil))])
        #expect(none.resolve(parameters: ["x": "1"]).1.first?.hint == "profile 'fixed' takes no parameters")
    }

    @Test func missingParameterStopsResolution() {
        let location = SourceLocation(file: "p.yaml", line: 4, column: 3)
        let profile = Profile(
            name: "example", vendor: "Example", parameters: [Parameter(name: "domain", location: location)],
            applications: [application(tenantURL: .template("https://{domain}/scim", location: nil))])
        let (resolved, diagnostics) = profile.resolve(parameters: [:])
        #expect(resolved == nil)
        #expect(diagnostics.map(\.id) == [.missingParameter])
        #expect(diagnostics.first?.location == location)
        #expect(diagnostics.first?.hint == "pass --param domain=VALUE")
    }

    @Test func lookupPicksTheEntryAndSubstitutesInsideIt() {
        let table = [
            LookupEntry(key: "us", url: "https://us.example.com/{tenant}"),
            LookupEntry(key: "de", url: "https://de.example.com/{tenant}"),
        ]
        let profile = Profile(
            name: "example", vendor: "Example",
            parameters: [Parameter(name: "region", allowedValues: ["us", "de"]), Parameter(name: "tenant")],
            applications: [application(tenantURL: .lookup(parameter: "region", table: table, location: nil))])
        let (resolved, diagnostics) = profile.resolve(parameters: ["region": "de", "tenant": "t1"])
        #expect(diagnostics.isEmpty)
        #expect(resolved?.applications.first?.tenantURL == "https://de.example.com/t1")
    }

    @Test func lookupWithoutAnEntry() {
        let location = SourceLocation(file: "p.yaml", line: 9, column: 7)
        let profile = Profile(
            name: "example", vendor: "Example", parameters: [Parameter(name: "region")],
            applications: [
                application(
                    tenantURL: .lookup(
                        parameter: "region", table: [LookupEntry(key: "us", url: "https://us.example.com")],
                        location: location))
            ])
        let (resolved, diagnostics) = profile.resolve(parameters: ["region": "jp"])
        #expect(resolved == nil)
        #expect(diagnostics.map(\.id) == [.tenantURLLookup])
        #expect(diagnostics.first?.location == location)
        #expect(diagnostics.first?.message == "no tenant URL for region 'jp'")
        #expect(diagnostics.first?.hint == "known values: us")
    }

    @Test func constantsAreSubstitutedButExpressionsAreNot() {
        var users = ObjectMapping(kind: .user)
        users.mappings = [
            AttributeMapping(target: "displayName", source: .constant("{manager}")),
            AttributeMapping(target: "title", source: .expression("Join(\"{manager}\", [mail])")),
        ]
        let profile = Profile(
            name: "example", vendor: "Example", parameters: [Parameter(name: "manager")],
            applications: [
                Application(
                    name: "example", displayName: "Example",
                    tenantURL: .template("https://example.com/scim", location: nil), secretToken: .none,
                    users: users, groups: ObjectMapping(kind: .group))
            ])
        let (resolved, _) = profile.resolve(parameters: ["manager": "Jane"])
        let mappings = resolved?.applications.first?.users.mappings.map(\.source)
        #expect(mappings == [.constant("Jane"), .expression("Join(\"{manager}\", [mail])")])
    }

    @Test func bracesThatAreNotPlaceholdersStay() {
        let profile = Profile(
            name: "example", vendor: "Example", parameters: [Parameter(name: "a", defaultValue: "A")],
            applications: [application(tenantURL: .template("https://x/{a}/{1}/{}/{a", location: nil))])
        let (resolved, diagnostics) = profile.resolve(parameters: [:])
        #expect(diagnostics.isEmpty)
        #expect(resolved?.applications.first?.tenantURL == "https://x/A/{1}/{}/{a")
    }

    @Test func placeholderNames() {
        #expect(Placeholders.names(in: "https://{customer}.x/{region}/{1}/{}") == ["customer", "region"])
        #expect(Placeholders.isName("a-b_c9"))
        #expect(!Placeholders.isName("9a"))
        #expect(!Placeholders.isName(""))
        #expect(!Placeholders.isName("ä"))
    }

    @Test func parameterChecks() {
        let allowed = Parameter(name: "region", allowedValues: ["us"])
        #expect(allowed.check(value: "us").isEmpty)
        #expect(allowed.check(value: "US").map(\.id) == [.parameterValue])
        let patterned = Parameter(name: "customer", pattern: "[a-z]+")
        #expect(patterned.check(value: "acme").isEmpty)
        // The whole value must match, not a part of it.
        #expect(patterned.check(value: "acme-1").map(\.id) == [.parameterValue])
        #expect(Parameter(name: "p", pattern: "(").check(value: "x").map(\.id) == [.parameterPattern])
    }

    @Test func variantsCoverEveryAllowedValueUpToTheCap() {
        let profile = Profile(
            name: "example", vendor: "Example",
            parameters: [
                Parameter(name: "region", allowedValues: ["us", "de"]),
                Parameter(name: "stage", allowedValues: ["a", "b", "c"]),
                Parameter(name: "customer", example: "acme"),
                Parameter(name: "fixed", defaultValue: "x"),
            ])
        let variants = ProfileValidator.variants(of: profile, given: [:])
        #expect(variants.count == 6)
        #expect(Set(variants.map { "\($0["region"] ?? "")-\($0["stage"] ?? "")" }).count == 6)
        #expect(variants.allSatisfy { $0["customer"] == "acme" && $0["fixed"] == nil })
        let given = ProfileValidator.variants(of: profile, given: ["region": "de"])
        #expect(given.count == 3)
        #expect(given.allSatisfy { $0["region"] == "de" })
        let wide = Profile(
            name: "wide", vendor: "Example",
            parameters: (0..<4).map { Parameter(name: "p\($0)", allowedValues: (0..<5).map(String.init)) })
        #expect(ProfileValidator.variants(of: wide, given: [:]).count == ProfileValidator.maximumVariants)
    }
}

@Suite("Suggestions")
struct SuggestionsTests {
    @Test func editDistance() {
        #expect(Suggestions.editDistance("", "") == 0)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("Mobile", "mobile") == 1)
        #expect(Suggestions.editDistance("“", "\"") == 1)
    }

    @Test func caseInsensitiveMatchWins() {
        #expect(Suggestions.closest(to: "Mobile", in: ["mail", "mobile"]) == "mobile")
        #expect(Suggestions.closest(to: "SURNAME", in: ["givenName", "surname"]) == "surname")
    }

    @Test func closestWithinTheLimit() {
        #expect(Suggestions.closest(to: "usrName", in: ["userName", "displayName"]) == "userName")
        #expect(Suggestions.closest(to: "descripton", in: ["vendor", "description"]) == "description")
        #expect(Suggestions.closest(to: "flosm", in: ["andmoney", "flosum"]) == "flosum")
    }

    @Test func nothingCloseEnough() {
        #expect(Suggestions.closest(to: "completely", in: ["mail", "mobile"]) == nil)
        #expect(Suggestions.closest(to: "x", in: [String]()) == nil)
        #expect(Suggestions.closest(to: "abc", in: ["xyz"]) == nil)
    }
}

@Suite("Findings")
struct FindingsTests {
    @Test func exactRepeatsAreDroppedInOrder() {
        var findings = Findings()
        let first = Diagnostic.error("a.b", "first", at: SourceLocation(file: "f", line: 1, column: 1))
        let second = Diagnostic.warning("a.c", "second")
        findings.add([first, second, first])
        findings.add(second)
        #expect(findings.list == [first, second])
    }

    @Test func findingsThatDifferInLocationOrMessageAreKept() {
        var findings = Findings()
        let here = Diagnostic.error("a.b", "same", at: SourceLocation(file: "f", line: 1, column: 1))
        let there = Diagnostic.error("a.b", "same", at: SourceLocation(file: "f", line: 2, column: 1))
        findings.add([here, there, Diagnostic.error("a.b", "other", at: here.location)])
        #expect(findings.list.count == 3)
    }

    /// A lookup table missing one of four allowed values, and a bad URL in every entry: the static finding is
    /// reported once, and each variant's URL finding once for its own entry.
    @Test func variantsAreDeduplicated() {
        let marked = MarkedText(
            """
            vendor: Example
            parameters:
              region:
                description: the region
                allowed: [us, de, jp, au]
            applications:
              - name: example
                displayName: Example {region}
                tenantURL:
                  lookup: region
                  table:
                    us: http://us.example.com/scim
                    de: http://de.example.com/scim
                    jp: http://jp.example.com/scim
                secretToken: none
                users:
                  attributes:
                    - target: externalId
                      source: Mobile
            """)
        let all = findings(for: marked)
        #expect(all.filter { $0.id == .tenantURLLookup }.count == 1)
        #expect(all.filter { $0.id == .tenantURL }.count == 3)
        #expect(all.filter { $0.id == .unknownSource }.count == 1)
        #expect(Set(all).count == all.count)
    }
}
