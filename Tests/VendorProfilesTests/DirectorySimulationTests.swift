import Diagnostics
import Expressions
import Testing

@testable import VendorProfiles

@Suite("Directory simulation")
struct DirectorySimulationTests {
    /// An exclusive mapping with one of each way a user can fail.
    static func application(mappings: [AttributeMapping], custom: [CustomAttribute] = []) -> ResolvedApplication {
        let profile = Profile(
            name: "sim", vendor: "Sim",
            applications: [
                Application(
                    name: "sim", displayName: "Sim", tenantURL: .template("https://scim.example.com", location: nil),
                    secretToken: .none,
                    users: ObjectMapping(kind: .user, mode: .exclusive, mappings: mappings, customAttributes: custom),
                    groups: ObjectMapping(kind: .group, enabled: false))
            ])
        let (resolved, _) = profile.resolve(parameters: [:])
        return resolved!.applications[0]
    }

    static let mappings: [AttributeMapping] = [
        AttributeMapping(target: "userName", source: .attribute("mail"), matchingPrecedence: 1),
        AttributeMapping(target: "displayName", source: .attribute("displayName")),
        AttributeMapping(target: "emails[type eq \"work\"].value", source: .attribute("mail")),
        AttributeMapping(target: "active", source: .expression("Not([IsSoftDeleted])")),
        AttributeMapping(target: "title", source: .expression(#"IIF([department]="Sales", "Seller", [jobTitle])"#)),
        AttributeMapping(target: "phoneNumbers[type eq \"mobile\"].value", source: .attribute("mobile")),
        AttributeMapping(target: "urn:ietf:params:scim:schemas:extension:example:2.0:User:level", source: .attribute("employeeType")),
    ]
    static let rules = VendorRules(
        requiredUserTargets: ["displayName"],
        valueFormats: [ValueFormatRule(target: "phoneNumbers[type eq \"mobile\"].value", format: .internationalDigits)])

    static func user(_ id: String, _ attributes: [String: EvaluationValue]) -> SimulatedUser {
        var values = attributes
        if values["IsSoftDeleted"] == nil { values["IsSoftDeleted"] = .boolean(false) }
        return SimulatedUser(id: id, userPrincipalName: "\(id)@contoso.example", attributes: values)
    }

    static let good: [String: EvaluationValue] = [
        "mail": .string("ok@contoso.example"), "displayName": .string("Ok"), "department": .string("Sales"),
        "mobile": .string("441234567890"), "employeeType": .string("3"),
    ]

    func simulate(_ users: [SimulatedUser]) -> SimulationReport {
        var simulation = DirectorySimulation(
            Self.application(
                mappings: Self.mappings,
                custom: [CustomAttribute(name: "urn:ietf:params:scim:schemas:extension:example:2.0:User:level", type: .integer)]),
            rules: Self.rules)
        for user in users { simulation.add(user) }
        return simulation.report()
    }

    func ids(_ report: SimulationReport, _ user: String) -> [String] {
        report.failures.first { $0.id == user }?.findings.map(\.id.rawValue) ?? []
    }

    @Test func aGoodUserPasses() {
        let report = simulate([Self.user("good", Self.good)])
        #expect(report.users == 1)
        #expect(report.failing == 0)
        #expect(report.byReason.isEmpty)
    }

    @Test func eachFailureKindHasItsRule() {
        var noMail = Self.good
        noMail["mail"] = nil
        var noDisplayName = Self.good
        noDisplayName["mail"] = .string("b@contoso.example")
        noDisplayName["displayName"] = .string("")
        var noDepartment = Self.good  // IIF compares a null department: Entra fails the condition
        noDepartment["mail"] = .string("c@contoso.example")
        noDepartment["department"] = nil
        var badMobile = Self.good
        badMobile["mail"] = .string("d@contoso.example")
        badMobile["mobile"] = .string("+44 1234 567890")
        var longName = Self.good
        longName["mail"] = .string("e@contoso.example")
        longName["displayName"] = .string(String(repeating: "x", count: 1_500))
        var longMail = Self.good
        longMail["mail"] = .string(String(repeating: "m", count: 250) + "@contoso.example")
        var notInteger = Self.good
        notInteger["mail"] = .string("f@contoso.example")
        notInteger["employeeType"] = .string("senior")

        let report = simulate([
            Self.user("no-mail", noMail), Self.user("no-display", noDisplayName), Self.user("no-department", noDepartment),
            Self.user("bad-mobile", badMobile), Self.user("long-name", longName), Self.user("long-mail", longMail),
            Self.user("not-integer", notInteger),
        ])
        #expect(ids(report, "no-mail") == ["simulate.matching-attribute-empty"])
        #expect(ids(report, "no-display") == ["simulate.required-target-empty"])
        #expect(ids(report, "no-department") == ["simulate.evaluation-error"])
        #expect(ids(report, "bad-mobile") == ["preview.format-international-digits"])
        #expect(ids(report, "long-name") == ["simulate.value-too-long"])
        #expect(ids(report, "long-mail") == ["simulate.value-too-long"])
        #expect(ids(report, "not-integer") == ["simulate.value-type"])
        #expect(report.users == 7 && report.failing == 7)
        #expect(report.failures.map(\.id) == ["no-mail", "no-display", "no-department", "bad-mobile", "long-name", "long-mail", "not-integer"])
        let evaluation = report.failures.first { $0.id == "no-department" }?.findings.first
        #expect(evaluation?.target == "title")
        #expect(report.failures.first { $0.id == "long-mail" }?.findings.first?.target == "emails[type eq \"work\"].value")
    }

    @Test func collisionsOnTheMatchingAttributeFailBothUsersCaseInsensitively() {
        var first = Self.good
        first["mail"] = .string("Same@Contoso.example")
        var second = Self.good
        second["mail"] = .string("same@contoso.example")
        var third = Self.good
        third["mail"] = .string("SAME@contoso.example")
        let report = simulate([Self.user("first", first), Self.user("other", Self.good), Self.user("second", second), Self.user("third", third)])
        #expect(report.failures.map(\.id) == ["first", "second", "third"], "directory order, the first holder included")
        #expect(report.byReason[.simulateDuplicateMatchingValue] == 3)
        let firstFindings = report.failures[0].findings
        #expect(firstFindings.count == 1, "the first holder is reported once, however many share the value")
        #expect(firstFindings[0].message.contains("second@contoso.example"))
        #expect(report.failures[2].findings[0].message.contains("first@contoso.example"))
    }

    @Test func softDeletedUsersAreSkippedNotFailed() {
        var disabled = Self.good
        disabled["mail"] = nil
        disabled["IsSoftDeleted"] = .boolean(true)
        let report = simulate([Self.user("disabled", disabled), Self.user("good", Self.good)])
        #expect(report.users == 1)
        #expect(report.skipped == 1)
        #expect(report.failing == 0)
    }

    @Test func defaultValuesFillEmptySourcesAsEntraDoes() {
        var mappings = Self.mappings
        mappings[1].defaultValue = "Unknown"
        var simulation = DirectorySimulation(Self.application(mappings: mappings), rules: Self.rules)
        var user = Self.good
        user["displayName"] = nil
        simulation.add(Self.user("u", user))
        #expect(simulation.report().failing == 0)
    }

    @Test func amendModeEvaluatesTheTemplateDefaultsToo() {
        let profile = Profile(
            name: "amend", vendor: "Amend",
            applications: [
                Application(
                    name: "amend", displayName: "Amend", tenantURL: .template("https://scim.example.com", location: nil),
                    secretToken: .none, users: ObjectMapping(kind: .user), groups: ObjectMapping(kind: .group))
            ])
        let application = profile.resolve(parameters: [:]).0!.applications[0]
        let simulation = DirectorySimulation(application, rules: VendorRules())
        let attributes = simulation.mappings.sourceAttributes
        #expect(attributes.contains("userPrincipalName"))
        #expect(attributes.contains("IsSoftDeleted"))
        #expect(attributes.contains("manager"))
        #expect(simulation.mappings.entries.count == SCIMTemplate.defaultMappings(for: .user).count)
    }
}
