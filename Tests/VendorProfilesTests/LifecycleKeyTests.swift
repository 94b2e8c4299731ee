import Diagnostics
import Expressions
import Testing

@testable import VendorProfiles

/// The keys beyond attribute mappings: assignments and their mode.
@Suite("Lifecycle keys")
struct LifecycleKeyTests {
    func load(_ text: String) -> ProfileLoader.Result {
        ProfileLoader.load(text: text, file: "lifecycle.yaml")
    }

    static let assigned = """
        vendor: Example
        parameters:
          team: {description: the team group, example: Sales}
        applications:
          - name: example
            displayName: Example
            tenantURL: https://scim.example.com/scim
            secretToken: none
            assignmentMode: exclusive
            assignments:
              - group: "{team} Users"
              - user: alice@contoso.example
                role: Admin
              - group: 4f1d8c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f
            users: {}
        """

    @Test func assignmentsAreReadAndPlaceholdersResolve() throws {
        let result = load(Self.assigned)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let profile = try #require(result.profile)
        let application = try #require(profile.applications.first)
        #expect(application.assignmentMode == .exclusive)
        #expect(application.assignments.map(\.principal) == [
            .group("{team} Users"), .user("alice@contoso.example"), .group("4f1d8c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"),
        ])
        #expect(application.assignments.map(\.role) == [nil, "Admin", nil])
        let (resolved, diagnostics) = profile.resolve(parameters: ["team": "Finance"])
        #expect(diagnostics.isEmpty)
        #expect(resolved?.applications.first?.assignments.first?.principal == .group("Finance Users"))
        #expect(resolved?.applications.first?.assignmentMode == .exclusive)
        #expect(ProfileValidator.validate(profile).filter { $0.severity != .note }.isEmpty)
    }

    @Test func anAssignmentNeedsExactlyOneOfGroupOrUser() {
        let result = load(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                assignments:
                  - group: Sales
                    user: bob@contoso.example
                  - role: User
                users: {}
            """)
        let exactlyOne = result.diagnostics.filter { $0.id == .exactlyOne }
        #expect(exactlyOne.count == 2, "\(result.diagnostics)")
        #expect(exactlyOne.allSatisfy { $0.message.contains("'group', 'user'") })
    }

    @Test func unknownAssignmentModeIsAnError() {
        let result = load(
            """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                assignmentMode: exclusiv
                users: {}
            """)
        let error = result.diagnostics.first { $0.id == .invalidValue }
        #expect(error?.hint?.contains("did you mean 'exclusive'") == true, "\(result.diagnostics)")
    }

    @Test func assignedScopeWithoutAssignmentsWarns() throws {
        let text = """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                scope: SCOPE
                users: {}
            """
        let assigned = try #require(load(text.replacingOccurrences(of: "SCOPE", with: "assigned")).profile)
        let warnings = ProfileValidator.validate(assigned).filter { $0.id == .noAssignments }
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.message.contains("assigns none") == true)
        let all = try #require(load(text.replacingOccurrences(of: "SCOPE", with: "all")).profile)
        #expect(ProfileValidator.validate(all).filter { $0.id == .noAssignments }.isEmpty)
    }

    @Test func duplicateAndEmptyAssignmentsAreReported() throws {
        let profile = try #require(
            load(
                """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    assignments:
                      - group: Sales
                      - group: Sales
                      - user: " "
                    users: {}
                """
            ).profile)
        let findings = ProfileValidator.validate(profile).filter { $0.id == .assignment }
        #expect(findings.contains { $0.severity == .warning && $0.message.contains("'Sales' is assigned twice") })
        #expect(findings.contains { $0.severity == .error && $0.message.contains("empty user") })
    }

    @Test func exclusiveWithNoAssignmentsWarns() throws {
        let profile = try #require(
            load(
                """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    scope: all
                    assignmentMode: exclusive
                    users: {}
                """
            ).profile)
        #expect(ProfileValidator.validate(profile).contains { $0.id == .assignment && $0.message.contains("removes every assignment") })
    }
}

@Suite("Notification e-mail and pause keys")
struct NotificationAndPauseTests {
    static let text = """
        vendor: Example
        parameters:
          notify: {description: who hears about failures, example: ops@example.com}
        applications:
          - name: example
            displayName: Example
            tenantURL: https://scim.example.com/scim
            secretToken: none
            scope: all
            notificationEmail: "{notify}"
            paused: PAUSED
            startProvisioning: true
            users: {}
        """

    @Test func notificationEmailFromAParameterIsCheckedAfterSubstitution() throws {
        let profile = try #require(
            ProfileLoader.load(text: Self.text.replacingOccurrences(of: "PAUSED", with: "false"), file: "n.yaml").profile)
        #expect(ProfileValidator.validate(profile).filter { $0.severity != .note }.isEmpty)
        let resolved = profile.resolve(parameters: ["notify": "alerts@contoso.example"]).0
        #expect(resolved?.applications.first?.notificationEmail == "alerts@contoso.example")
        let bad = ProfileValidator.validate(profile, parameters: ["notify": "not-an-address"])
        let error = try #require(bad.first { $0.id == .notificationEmail })
        #expect(error.severity == .error)
        #expect(error.message.contains("'not-an-address' (from {notify})"))
    }

    @Test func pausedIsReadAndWarnsWhenStartIsAlsoAsked() throws {
        let profile = try #require(
            ProfileLoader.load(text: Self.text.replacingOccurrences(of: "PAUSED", with: "true"), file: "p.yaml").profile)
        #expect(profile.applications.first?.paused == true)
        #expect(profile.resolve(parameters: ["notify": "ops@example.com"]).0?.applications.first?.paused == true)
        #expect(ProfileValidator.validate(profile).contains { $0.id == .pausedAndStarted && $0.severity == .warning })
    }
}

@Suite("Scoping filter keys")
struct ScopingFilterKeyTests {
    func findings(_ clauses: String) throws -> [Diagnostic] {
        let text = """
            vendor: Example
            applications:
              - name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                scope: all
                users:
                  scopingFilters:
                    - name: Sales only
                      clauses:
            \(clauses.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        let loaded = ProfileLoader.load(text: text, file: "scoping.yaml")
        guard let profile = loaded.profile, !loaded.diagnostics.hasErrors else { return loaded.diagnostics }
        return ProfileValidator.validate(profile).filter { $0.severity != .note }
    }

    @Test func validClausesAreReadAndClean() throws {
        let found = try findings(
            """
                    - attribute: department
                      operator: EQUALS
                      value: Sales
                    - attribute: accountEnabled
                      operator: IS TRUE
                    - attribute: employeeId
                      operator: Greater_Than
                      value: "1000"
            """)
        #expect(found.isEmpty, "\(found)")
    }

    @Test func badAttributesOperatorsAndValuesAreErrors() throws {
        let messages = try findings(
            """
                    - attribute: departmnt
                      operator: EQUALS
                      value: Sales
                    - attribute: accountEnabled
                      operator: IS TRUE
                      value: "yes"
                    - attribute: department
                      operator: NOT EQUALS
                    - attribute: employeeId
                      operator: Greater_Than
                      value: many
                    - attribute: mail
                      operator: REGEX MATCH
                      value: "(unclosed"
            """
        ).map(\.message)
        #expect(messages.contains { $0.contains("'departmnt' is not an Entra ID user attribute") })
        #expect(messages.contains("operator 'IS TRUE' takes no value"))
        #expect(messages.contains("operator 'NOT EQUALS' needs a value"))
        #expect(messages.contains { $0.contains("'many' is not a whole number") })
        #expect(messages.contains("'(unclosed' is not a valid regular expression"))
        let unknownOperator = try findings(
            """
                    - attribute: department
                      operator: EQUAL
                      value: Sales
            """)
        #expect(unknownOperator.contains { $0.id == .invalidValue && $0.hint?.contains("EQUALS") == true })
    }
}

@Suite("Scoping filters in preview")
struct ScopingPreviewTests {
    static let filters = [
        ScopingFilterRule(
            name: "Sales only",
            clauses: [
                ScopingClause(attribute: "department", operator: .equals, value: "Sales"),
                ScopingClause(attribute: "accountEnabled", operator: .isTrue),
            ]),
        ScopingFilterRule(name: "Contractors", clauses: [ScopingClause(attribute: "employeeId", operator: .regexMatch, value: "^C")]),
    ]

    @Test func filtersAreOredAndClausesAnded() {
        let sales: [String: EvaluationValue] = ["department": .string("Sales"), "accountEnabled": .boolean(true)]
        #expect(ScopingEvaluation.outOfScopeReason(Self.filters, object: sales) == nil)
        let contractor: [String: EvaluationValue] = ["department": .string("Finance"), "employeeId": .string("C-17")]
        #expect(ScopingEvaluation.outOfScopeReason(Self.filters, object: contractor) == nil)
        let disabled: [String: EvaluationValue] = [
            "department": .string("Sales"), "accountEnabled": .boolean(false), "employeeId": .string("100"),
        ]
        let reason = ScopingEvaluation.outOfScopeReason(Self.filters, object: disabled)
        #expect(reason == "filter 'Sales only' needs accountEnabled IS TRUE, and it is 'False'; "
            + "filter 'Contractors' needs employeeId REGEX MATCH '^C', and it is '100'", "\(reason ?? "nil")")
        #expect(ScopingEvaluation.outOfScopeReason(nil, object: disabled) == nil)
        #expect(ScopingEvaluation.outOfScopeReason([], object: disabled) == nil)
    }

    @Test func previewWarnsForAnOutOfScopeSample() throws {
        var application = try #require(
            BundledProfiles.load(named: "totalmobile")?.profile?.resolve(parameters: ["customer": "contoso"]).0?.applications.first)
        application.users.scopingFilters = Self.filters
        let (_, diagnostics) = MappingPreview.evaluate(
            application, kind: .user, rules: VendorRules(), object: ["department": .string("Finance")])
        let warning = try #require(diagnostics.first { $0.id == .previewOutOfScope })
        #expect(warning.severity == .warning)
        #expect(warning.message.hasPrefix("this sample user is out of scope: filter 'Sales only' needs department EQUALS 'Sales', and it is 'Finance'"))
    }
}
