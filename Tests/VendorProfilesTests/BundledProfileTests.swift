import Diagnostics
import Foundation
import Testing

@testable import VendorProfiles

/// The five bundled profiles: each loads and validates cleanly in every variant, and encodes what its vendor's
/// setup guide says.
@Suite("Bundled profiles")
struct BundledProfileTests {
    static let expectedNames = ["andmoney", "eptura", "flosum", "telemessage", "totalmobile"]

    func load(_ name: String) throws -> Profile {
        let result = try #require(BundledProfiles.load(named: name))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return try #require(result.profile)
    }

    func mapping(_ target: String, in object: ObjectMapping) -> AttributeMapping? {
        object.mappings.first { $0.target == target }
    }

    /// Every single value each parameter can take: its allowed values, else its example.
    func sampleValues(of profile: Profile) -> [(String, String)] {
        profile.parameters.flatMap { parameter in
            (parameter.allowedValues ?? parameter.example.map { [$0] } ?? []).map { (parameter.name, $0) }
        }
    }

    @Test func namesAreTheFiveVendors() {
        #expect(BundledProfiles.names == Self.expectedNames)
        #expect(BundledProfiles.text(named: "nonexistent") == nil)
        #expect(BundledProfiles.load(named: "nonexistent") == nil)
        #expect(BundledProfiles.displayPath(for: "flosum") == "Profiles/flosum.yaml")
    }

    @Test func parameterWordsOfferEveryAllowedValueOnce() {
        let words = BundledProfiles.parameterWords
        #expect(words == words.sorted())
        #expect(Set(words).count == words.count)
        for region in ["us", "de", "jp", "au"] { #expect(words.contains("region=\(region)")) }
        #expect(!words.contains("region="), "a parameter with allowed values offers its values, not a bare key")
    }

    @Test(arguments: expectedNames)
    func validatesCleanlyInEveryVariant(name: String) throws {
        let profile = try load(name)
        #expect(!profile.parameters.isEmpty, "every bundled profile takes a parameter")
        // A vendor profile cannot know the customer's groups: with scope 'assigned' it warns that nobody is assigned.
        let all = ProfileValidator.validate(profile)
        let unassigned = profile.applications.filter { $0.scope == .assignedOnly && $0.assignments.isEmpty }
        #expect(all.filter { $0.id == .noAssignments }.count == unassigned.count, "\(all)")
        #expect(all.filter { $0.severity != .note && $0.id != .noAssignments }.isEmpty, "\(all)")
        for (parameter, value) in sampleValues(of: profile) {
            let findings = ProfileValidator.validate(profile, parameters: [parameter: value])
                .filter { $0.id != .noAssignments }
            #expect(findings.errorCount == 0 && findings.warningCount == 0, "\(parameter)=\(value): \(findings)")
            let (resolved, diagnostics) = profile.resolve(parameters: [parameter: value])
            #expect(resolved != nil, "\(parameter)=\(value): \(diagnostics)")
            for application in resolved?.applications ?? [] {
                #expect(application.tenantURL.hasPrefix("https://"))
                #expect(!application.tenantURL.contains("{"))
                #expect(!application.displayName.contains("{"))
            }
        }
    }

    @Test(arguments: expectedNames)
    func bundledDiagnosticsNameTheProfilesPath(name: String) throws {
        let profile = try load(name)
        #expect(profile.file == "Profiles/\(name).yaml")
        #expect(profile.location?.file == "Profiles/\(name).yaml")
        #expect(profile.name == name)
    }

    @Test func flosum() throws {
        let profile = try load("flosum")
        #expect(profile.vendor == "Flosum")
        #expect(profile.parameters.map(\.name) == ["region"])
        #expect(profile.parameters.first?.allowedValues == ["us", "de", "jp", "au"])
        let application = try #require(profile.applications.first)
        #expect(profile.applications.count == 1)
        guard case .lookup(let parameter, let table, _) = application.tenantURL else {
            Issue.record("flosum picks its URL by region")
            return
        }
        #expect(parameter == "region")
        #expect(table.map(\.key) == ["us", "de", "jp", "au"])
        #expect(
            table.map(\.url) == [
                "https://global-us.flosum.app/api/v1/scim", "https://global-de.flosum.app/api/v1/scim",
                "https://global-jp.flosum.app/api/v1/scim", "https://global-au.flosum.app/api/v1/scim",
            ])
        #expect(application.secretToken == .environment(variable: "FLOSUM_SCIM_TOKEN"))
        #expect(application.groups.enabled == false)
        #expect(application.users.mode == .exclusive)
        #expect(application.users.actions == [.create, .update, .delete])
        #expect(mapping("userName", in: application.users)?.matchingPrecedence == 1)
        #expect(mapping("externalId", in: application.users)?.source == .attribute("objectId"))
        #expect(mapping("name.givenName", in: application.users)?.source == .attribute("givenName"))
        #expect(mapping("name.familyName", in: application.users)?.source == .attribute("surname"))
        #expect(profile.rules.prerequisites.count == 2)
        #expect(profile.rules.prerequisites.first?.contains("SAML") == true)
        let (resolved, _) = profile.resolve(parameters: ["region": "jp"])
        #expect(resolved?.applications.first?.tenantURL == "https://global-jp.flosum.app/api/v1/scim")
    }

    @Test func andMoney() throws {
        let profile = try load("andmoney")
        #expect(profile.vendor == "&Money")
        #expect(profile.parameters.first?.allowedValues == ["test", "production"])
        #expect(profile.applications.map(\.name) == ["advisors", "rooms"])
        var tokens: Set<SecretTokenSource> = []
        for application in profile.applications {
            guard case .lookup(let parameter, let table, _) = application.tenantURL else {
                Issue.record("\(application.name) picks its URL by environment")
                continue
            }
            #expect(parameter == "environment")
            #expect(
                Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.url) }) == [
                    "test": "https://api.test-env.booking.andmoney.dk/\(application.name)/scim",
                    "production": "https://api.booking.andmoney.dk/\(application.name)/scim",
                ])
            tokens.insert(application.secretToken)
            #expect(application.users.mode == .exclusive)
            #expect(application.scope == .assignedOnly)
            #expect(mapping("userName", in: application.users)?.source == .attribute("userPrincipalName"))
            #expect(mapping("externalId", in: application.users)?.source == .attribute("objectId"))
            #expect(
                mapping("addresses[type eq \"work\"].formatted", in: application.users)?.source
                    == .attribute("physicalDeliveryOfficeName"))
            if case .expression(let text) = mapping("active", in: application.users)?.source {
                #expect(text == "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")")
            } else {
                Issue.record("\(application.name): active is an expression")
            }
        }
        #expect(tokens.count == 2, "each application has its own token")
        let advisors = try #require(profile.applications.first)
        let rooms = try #require(profile.applications.last)
        #expect(advisors.users.mappings.map(\.target).count == 7)
        #expect(rooms.users.mappings.map(\.target).count == 5)
        #expect(mapping("name.givenName", in: rooms.users) == nil)
        let (resolved, _) = profile.resolve(parameters: ["environment": "production"])
        #expect(
            resolved?.applications.map(\.tenantURL) == [
                "https://api.booking.andmoney.dk/advisors/scim", "https://api.booking.andmoney.dk/rooms/scim",
            ])
        #expect(resolved?.applications.first?.displayName == "&Money Advisors (production)")
    }

    @Test func teleMessage() throws {
        let profile = try load("telemessage")
        #expect(profile.parameters.map(\.name) == ["manager"])
        let application = try #require(profile.applications.first)
        guard case .template(let url, _) = application.tenantURL else {
            Issue.record("telemessage has one fixed URL")
            return
        }
        #expect(url == "https://provisioning-gateway-service-charlie.kapi.telemessage.com/scim/v2")
        #expect(application.secretToken == .none)
        #expect(application.scope == .assignedOnly)
        #expect(application.groups.enabled == false)
        #expect(application.users.mode == .exclusive)
        let userName = try #require(mapping("userName", in: application.users))
        #expect(userName.source == .attribute("mobile"))
        #expect(userName.matchingPrecedence == 1)
        #expect(mapping("externalId", in: application.users)?.source == .attribute("mobile"))
        #expect(mapping("name.familyName", in: application.users)?.source == .attribute("surname"))
        #expect(mapping("active", in: application.users)?.source == .expression("Not([IsSoftDeleted])"))
        #expect(mapping("displayName", in: application.users)?.source == .constant("{manager}"))
        #expect(profile.rules.valueFormats.map(\.format) == [.internationalDigits, .internationalDigits])
        let (resolved, diagnostics) = profile.resolve(parameters: ["manager": "Jane Example"])
        #expect(diagnostics.isEmpty)
        let resolvedUsers = try #require(resolved?.applications.first?.users)
        #expect(mapping("displayName", in: resolvedUsers)?.source == .constant("Jane Example"))
        #expect(resolved?.applications.first?.displayName == "TeleMessage (Jane Example)")
    }

    @Test func eptura() throws {
        let profile = try load("eptura")
        let application = try #require(profile.applications.first)
        guard case .template(let url, _) = application.tenantURL else {
            Issue.record("eptura builds its URL from the domain")
            return
        }
        #expect(url == "https://{domain}/scim/v1/")
        #expect(application.displayName == "EpturaScimApplication")
        #expect(application.scope == .all)
        #expect(application.users.mode == .exclusive)
        let mandatory = [
            "userName", "active", "emails[type eq \"work\"].value", "name.givenName", "name.familyName", "externalId",
        ]
        let optional = ["phoneNumbers[type eq \"work\"].value", "phoneNumbers[type eq \"mobile\"].value"]
        #expect(profile.rules.allowedUserTargets == mandatory + optional)
        #expect(profile.rules.requiredUserTargets == mandatory)
        #expect(Set(application.users.mappings.map(\.target)).isSubset(of: Set(mandatory + optional)))
        #expect(Set(mandatory).isSubset(of: Set(application.users.mappings.map(\.target))))
        #expect(mapping("externalId", in: application.users)?.source == .attribute("objectId"))
        #expect(mapping("externalId", in: application.users)?.matchingPrecedence == nil)
        #expect(profile.rules.valueFormats.map(\.target) == optional)
        #expect(profile.rules.valueFormats.allSatisfy { $0.format == .rfc3966 })
        #expect(application.groups.enabled == true)
        #expect(mapping("externalId", in: application.groups)?.source == .attribute("objectId"))
        #expect(mapping("externalId", in: application.groups)?.matchingPrecedence == 1)
        #expect(mapping("displayName", in: application.groups)?.matchingPrecedence == 2)
        let (resolved, _) = profile.resolve(parameters: ["domain": "scim.acme.eptura.com"])
        #expect(resolved?.applications.first?.tenantURL == "https://scim.acme.eptura.com/scim/v1/")
    }

    @Test func totalmobile() throws {
        let profile = try load("totalmobile")
        let customer = try #require(profile.parameters.first { $0.name == "customer" })
        #expect(customer.transform == .lowercase)
        let application = try #require(profile.applications.first)
        #expect(application.users.mode == .amend)
        #expect(application.users.mappings.count == 1)
        #expect(mapping("externalId", in: application.users)?.source == .attribute("objectId"))
        let (resolved, diagnostics) = profile.resolve(parameters: ["customer": "TestCustomer"])
        #expect(diagnostics.isEmpty)
        #expect(resolved?.applications.first?.tenantURL == "https://testcustomer.totalmobile-cloud.com/platform/api/scim/v1")
        #expect(resolved?.parameterValues == ["customer": "testcustomer"])
        // Amend keeps the template's other defaults, with only externalId's source changed.
        let effective = ProfileValidator.effectiveMappings(application.users)
        #expect(effective.count == SCIMTemplate.defaultMappings(for: .user).count)
        #expect(effective.first { $0.target == "externalId" }?.source == .attribute("objectId"))
        #expect(effective.first { $0.target == "userName" }?.matchingPrecedence == 1)
    }

    /// The binary embeds Profiles/*.yaml through a generated Swift file; it must match the files byte for byte.
    @Test func embeddedProfilesMatchTheFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = root.appendingPathComponent("Profiles")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == BundledProfiles.names)
        for file in files {
            let name = String(file.dropLast(5))
            let onDisk = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            // The generator embeds each file's text followed by a newline before the closing delimiter; a raw
            // multi-line literal drops that last newline again.
            let embedded = try #require(BundledProfiles.text(named: name))
            #expect(embedded + "\n" == onDisk, "Profiles/\(file) changed; run 'make profiles'")
        }
    }
}

@Suite("profile YAML writing")
struct ProfileYAMLTests {
    @Test func namesAndTokenVariablesFromVendorNames() {
        #expect(ProfileYAML.applicationName(for: "Contoso & Co") == "contoso-and-co")
        #expect(ProfileYAML.tokenVariable(for: "Contoso & Co") == "CONTOSO_AND_CO_SCIM_TOKEN")
        #expect(ProfileYAML.applicationName(for: "  ") == "app")
        #expect(ProfileYAML.tokenVariable(for: "1Password") == "APP_1PASSWORD_SCIM_TOKEN")
    }

    @Test func quotedValuesCannotBreakTheDocument() throws {
        let hostile = "a\"b\\c\nd: e # f"
        let text = "vendor: \(ProfileYAML.quoted(hostile))\napplications: []\n"
        let result = ProfileLoader.load(text: text, file: "q.yaml")
        #expect(result.profile?.vendor == hostile)
    }

    @Test func mappingEntriesRoundTripThroughTheLoader() throws {
        let mappings = [
            AttributeMapping(target: "userName", source: .attribute("mail"), matchingPrecedence: 1),
            AttributeMapping(target: "displayName", source: .constant("{manager}")),
            AttributeMapping(target: "title", source: .constant("Staff"), applyWhen: .onCreate, defaultValue: "n/a"),
            AttributeMapping(target: "active", source: .expression("Not([IsSoftDeleted])")),
        ]
        let body = mappings.flatMap(ProfileYAML.lines(for:)).map { "        " + $0 }.joined(separator: "\n")
        let text = """
            vendor: X
            applications:
              - name: x
                displayName: X
                tenantURL: https://x.example.com/scim
                secretToken: none
                users:
                  mode: exclusive
                  attributes:
            \(body)
            """
        let loaded = try #require(ProfileLoader.load(text: text, file: "x.yaml").profile)
        let read = try #require(loaded.applications.first?.users.mappings)
        #expect(read.map(\.target) == mappings.map(\.target))
        #expect(read[0].matchingPrecedence == 1)
        // A constant with a placeholder-like text is written as an expression literal so it stays literal.
        #expect(read[1].source == .expression("\"{manager}\""))
        #expect(read[2].applyWhen == .onCreate && read[2].defaultValue == "n/a")
        #expect(read[3].source == .expression("Not([IsSoftDeleted])"))
    }
}
