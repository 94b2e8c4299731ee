import Testing

@testable import GraphModel
@testable import ProfileTranslation
@testable import VendorProfiles

struct SchemaMergeTests {
    let template = DefaultTemplateSchema.schema()

    @Test func exclusiveReplacesTheUserMappings() throws {
        let users = ObjectMapping(
            kind: .user, mode: .exclusive,
            mappings: [
                AttributeMapping(target: "userName", source: .attribute("mail"), matchingPrecedence: 1),
                AttributeMapping(target: "active", source: .expression("Not([IsSoftDeleted])")),
                AttributeMapping(target: "externalId", source: .attribute("objectId")),
            ])
        let merged = try SchemaMerge.merge(Fixtures.application(users: users), into: template)
        let mappings = try #require(Fixtures.userMappings(merged)).attributeMappings
        #expect(mappings.map(\.targetAttributeName) == ["userName", "active", "externalId"])
        #expect(mappings.first?.source?.name == "mail")
        #expect(mappings.first?.matchingPriority == 1)
        #expect(mappings.last?.source?.expression == "[objectId]")
        // Groups were not mentioned and stay as the template has them.
        #expect(Fixtures.objectMapping(merged, "Group") == Fixtures.objectMapping(template, "Group"))
    }

    @Test func exclusiveKeepsLiveOrderAndAppendsNewTargets() throws {
        let users = ObjectMapping(
            kind: .user, mode: .exclusive,
            mappings: [
                AttributeMapping(target: "nickName", source: .attribute("givenName")),
                AttributeMapping(target: "externalId", source: .attribute("objectId")),
                AttributeMapping(target: "userName", source: .attribute("userPrincipalName"), matchingPrecedence: 1),
            ])
        let application = Fixtures.application(users: users)
        let merged = try SchemaMerge.merge(application, into: template)
        let order = Fixtures.userMappings(merged)?.attributeMappings.compactMap(\.targetAttributeName)
        #expect(order == ["userName", "externalId", "nickName"])

        // Graph handing the mappings back in another order is not a change.
        var reordered = merged
        var rule = try #require(reordered.synchronizationRules.first)
        rule.objectMappings = rule.objectMappings.map { mapping in
            var mapping = mapping
            if mapping.sourceObjectName == "User" { mapping.attributeMappings = mapping.attributeMappings.reversed() }
            return mapping
        }
        reordered.synchronizationRules = [rule]
        #expect(try SchemaMerge.merge(application, into: reordered) == reordered)
    }

    @Test func amendChangesAndAddsOnlyListedTargets() throws {
        let users = ObjectMapping(
            kind: .user, mode: .amend,
            mappings: [
                AttributeMapping(target: "externalId", source: .attribute("objectId")),
                AttributeMapping(target: "nickName", source: .constant("n/a"), applyWhen: .onCreate, defaultValue: "x"),
            ])
        let merged = try SchemaMerge.merge(Fixtures.application(users: users), into: template)
        let mappings = try #require(Fixtures.userMappings(merged)).attributeMappings
        #expect(mappings.count == 23)
        #expect(Fixtures.mapping(merged, "User", target: "externalId")?.source?.name == "objectId")
        let nickName = try #require(mappings.last)
        #expect(nickName.targetAttributeName == "nickName")
        #expect(nickName.source?.type == "Constant")
        #expect(nickName.source?.expression == "\"n/a\"")
        #expect(nickName.flowType == "ObjectAddOnly")
        #expect(nickName.defaultValue == "x")
        #expect(nickName.matchingPriority == 0)
        // Matching was not mentioned, so userName keeps precedence 1.
        #expect(Fixtures.mapping(merged, "User", target: "userName")?.matchingPriority == 1)
        let untouched = Fixtures.userMappings(template)?.attributeMappings.filter { $0.targetAttributeName != "externalId" }
        #expect(mappings.filter { $0.targetAttributeName != "externalId" }.dropLast().map(\.json) == untouched?.map(\.json))
    }

    @Test func matchingPrecedenceInAmendModeOwnsMatching() throws {
        let users = ObjectMapping(
            kind: .user,
            mappings: [AttributeMapping(target: "externalId", source: .attribute("objectId"), matchingPrecedence: 1)])
        let merged = try SchemaMerge.merge(Fixtures.application(users: users), into: template)
        #expect(Fixtures.mapping(merged, "User", target: "externalId")?.matchingPriority == 1)
        #expect(Fixtures.mapping(merged, "User", target: "userName")?.matchingPriority == 0)
    }

    @Test func enabledAndFlowTypes() throws {
        let groups = ObjectMapping(kind: .group, enabled: false)
        let users = ObjectMapping(kind: .user, actions: [.update, .create])
        let merged = try SchemaMerge.merge(Fixtures.application(users: users, groups: groups), into: template)
        #expect(Fixtures.objectMapping(merged, "Group")?.enabled == false)
        #expect(Fixtures.objectMapping(merged, "Group")?.attributeMappings.count == 3)
        #expect(Fixtures.objectMapping(merged, "User")?.flowTypesText == "Add, Update")
        #expect(Fixtures.objectMapping(merged, "User")?.enabled == true)
    }

    @Test func equalFlowTypesKeepTheirSpelling() throws {
        var live = template
        var rule = try #require(live.synchronizationRules.first)
        rule.objectMappings = rule.objectMappings.map { var mapping = $0; mapping.flowTypesText = "Add,Update,Delete"; return mapping }
        live.synchronizationRules = [rule]
        let users = ObjectMapping(kind: .user, actions: [.create, .update, .delete])
        let merged = try SchemaMerge.merge(Fixtures.application(users: users), into: live)
        #expect(merged == live)
    }

    @Test func nothingOwnedMeansNothingChanges() throws {
        #expect(try SchemaMerge.merge(Fixtures.application(), into: template) == template)
    }

    static let busyApplication = Fixtures.application(
        users: ObjectMapping(
            kind: .user, enabled: true, actions: [.create, .update], mode: .exclusive,
            mappings: [
                AttributeMapping(target: "userName", source: .attribute("userPrincipalName"), matchingPrecedence: 1),
                AttributeMapping(
                    target: "active", source: .expression("Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")")),
                AttributeMapping(target: "urn:ietf:params:scim:schemas:extension:Acme:2.0:User:badge", source: .attribute("employeeId")),
            ],
            customAttributes: [CustomAttribute(name: "urn:ietf:params:scim:schemas:extension:Acme:2.0:User:level", type: .integer)]),
        groups: ObjectMapping(
            kind: .group, enabled: false,
            mappings: [AttributeMapping(target: "externalId", source: .expression("Join(\"-\", \"g\", [objectId])"))]))

    @Test func mergeIsIdempotent() throws {
        let once = try SchemaMerge.merge(Self.busyApplication, into: template)
        let twice = try SchemaMerge.merge(Self.busyApplication, into: once)
        #expect(once != template)
        #expect(twice == once)
        #expect(twice.encoded() == once.encoded())
    }

    @Test func customTargetAttributesAreDefined() throws {
        let merged = try SchemaMerge.merge(Self.busyApplication, into: template)
        let attributes = Fixtures.targetAttributes(merged, "User")
        let level = attributes.first { $0.name == "urn:ietf:params:scim:schemas:extension:Acme:2.0:User:level" }
        #expect(level?.type == "Integer")
        #expect(level?.multivalued == false)
        #expect(level?.anchor == false)
        #expect(level?.mutability == "ReadWrite")
        let badge = attributes.first { $0.name == "urn:ietf:params:scim:schemas:extension:Acme:2.0:User:badge" }
        #expect(badge?.type == "String")
        #expect(attributes.count == Fixtures.targetAttributes(template, "User").count + 2)
        // Template attributes that were mapped are not defined twice.
        #expect(attributes.filter { $0.name == "userName" }.count == 1)
        #expect(Fixtures.targetAttributes(merged, "Group") == Fixtures.targetAttributes(template, "Group"))
    }

    /// A live schema whose rule id, display names and object order differ from the template.
    @Test func findsMappingsByObjectNameNotPositionOrName() throws {
        var live = template
        var rule = try #require(live.synchronizationRules.first)
        rule.id = "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2"
        rule.name = "SOMETHING_ELSE"
        var mappings = Array(rule.objectMappings.reversed())
        for index in mappings.indices { mappings[index].name = "Renamed \(index)" }
        rule.objectMappings = mappings
        let decoy = SynchronizationRule(json: ["id": "decoy", "objectMappings": [["sourceObjectName": "Contact", "targetObjectName": "User"]]])
        live.synchronizationRules = [decoy, rule]

        let merged = try SchemaMerge.merge(Self.busyApplication, into: live)
        #expect(merged.synchronizationRules.map(\.id) == ["decoy", "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2"])
        #expect(merged.synchronizationRules.first == decoy)
        let mergedRule = try #require(merged.synchronizationRules.last)
        #expect(mergedRule.objectMappings.map(\.sourceObjectName) == ["Group", "User"])
        #expect(mergedRule.objectMappings.map(\.name) == ["Renamed 0", "Renamed 1"])
        #expect(mergedRule.objectMappings.first?.enabled == false)
        #expect(mergedRule.objectMappings.last?.attributeMappings.count == 3)
    }

    @Test func unknownMembersAndScopingFiltersSurvive() throws {
        var json = template.json
        json["futureSchemaMember"] = ["keep": true]
        var live = SynchronizationSchema(json: json)
        var rule = try #require(live.synchronizationRules.first)
        rule.json["futureRuleMember"] = 7
        rule.metadata = [KeyValuePair(key: "RuleKey", value: "v")]
        rule.objectMappings = rule.objectMappings.map { mapping in
            var mapping = mapping
            mapping.scope = ScopingFilter(json: [
                "groups": [["name": "only-staff", "clauses": [["sourceOperandName": "department", "operatorName": "EQUALS", "targetOperand": ["values": ["Staff"]]]]]]
            ])
            mapping.attributeMappings = mapping.attributeMappings.map { var each = $0; each.json["futureMappingMember"] = "x"; return each }
            return mapping
        }
        live.synchronizationRules = [rule]

        let merged = try SchemaMerge.merge(Self.busyApplication, into: live)
        #expect(merged.json["futureSchemaMember"] == ["keep": true])
        #expect(merged.json["version"] == live.json["version"])
        #expect(merged.synchronizationRules.first?.json["futureRuleMember"] == 7)
        #expect(merged.synchronizationRules.first?.metadata.first?.key == "RuleKey")
        let users = try #require(Fixtures.userMappings(merged))
        #expect(users.scope?.groups.first?.clauses.first?.targetOperandValues == ["Staff"])
        // Exclusive mode keeps the live mapping object (and its unknown member) for a target it retains.
        #expect(Fixtures.mapping(merged, "User", target: "userName")?.json["futureMappingMember"] == "x")
        // A new target starts fresh.
        #expect(users.attributeMappings.last?.json["futureMappingMember"] == nil)
        #expect(merged.directories.first == live.directories.first)
    }

    @Test func graphsParsedSourceTreeIsKeptWhenTheExpressionIsTheSame() throws {
        var live = template
        var rule = try #require(live.synchronizationRules.first)
        let parsedByGraph: JSONValue = [
            "expression": "Switch([IsSoftDeleted],, \"False\", \"True\", \"True\", \"False\")", "name": "Switch", "type": "Function",
            "parameters": [["key": "source", "value": ["expression": "[IsSoftDeleted]", "name": "IsSoftDeleted", "parameters": [], "type": "Attribute"]]],
        ]
        rule.objectMappings = rule.objectMappings.map { mapping in
            var mapping = mapping
            mapping.attributeMappings = mapping.attributeMappings.map { each in
                var each = each
                if each.targetAttributeName == "active" { each.json["source"] = parsedByGraph }
                return each
            }
            return mapping
        }
        live.synchronizationRules = [rule]
        let merged = try SchemaMerge.merge(Self.busyApplication, into: live)
        #expect(Fixtures.mapping(merged, "User", target: "active")?.json["source"] == parsedByGraph)
    }

    @Test func documentationSchemasMergeWithoutLosingAnything() throws {
        for file in ["synchronizationSchema.fragment.add-custom-target-attribute.json",
                     "servicePrincipals-synchronization-jobs-jobId-schema.GET.response.docs-truncated.json"] {
            let live = try SynchronizationSchema.decode(GoldenFiles.read("graph-examples/\(file)"))
            let users = ObjectMapping(kind: .user, mappings: [AttributeMapping(target: "officeCode", source: .attribute("extensionAttribute11"))])
            let merged = try SchemaMerge.merge(Fixtures.application(users: users), into: live)
            #expect(try SchemaMerge.merge(Fixtures.application(users: users), into: merged) == merged)
            // Only the User mapping's attribute list changed; compare everything else.
            var stripped = merged.json
            var original = live.json
            stripped["synchronizationRules"] = nil
            original["synchronizationRules"] = nil
            // officeCode is already defined in the fragment, and the truncated example has no target User object,
            // so directories and everything outside the rules are untouched.
            #expect(stripped == original)
            let rules = merged.synchronizationRules
            #expect(rules.count == live.synchronizationRules.count)
            #expect(rules.first?.id == live.synchronizationRules.first?.id)
            let mapping = try #require(Fixtures.userMappings(merged)?.attributeMappings.first { $0.targetAttributeName == "officeCode" })
            #expect(mapping.source?.name == "extensionAttribute11")
            let otherMappings = merged.json["synchronizationRules"]?.arrayValue?.first?["objectMappings"]?.arrayValue
            let liveOther = live.json["synchronizationRules"]?.arrayValue?.first?["objectMappings"]?.arrayValue
            #expect(otherMappings?.count == liveOther?.count)
            #expect(otherMappings?.dropFirst() == liveOther?.dropFirst())
            #expect(merged.json["synchronizationRules"]?.arrayValue?.dropFirst() == live.json["synchronizationRules"]?.arrayValue?.dropFirst())
        }
    }

    @Test func missingObjectMappingIsAnError() throws {
        var live = template
        var rule = try #require(live.synchronizationRules.first)
        rule.objectMappings = rule.objectMappings.filter { $0.sourceObjectName == "User" }
        live.synchronizationRules = [rule]
        let application = Fixtures.application(groups: ObjectMapping(kind: .group, enabled: false))
        #expect(throws: SchemaMergeError.objectMappingNotFound(.group)) { try SchemaMerge.merge(application, into: live) }
        // A profile that says nothing about groups merges fine.
        #expect(throws: Never.self) { try SchemaMerge.merge(Fixtures.application(), into: live) }
    }

    @Test func declaredCustomAttributeNeedsATargetObject() throws {
        var live = template
        live.directories = live.directories.filter { $0.name != "customappsso" }
        #expect(throws: SchemaMergeError.targetObjectNotFound(directory: "customappsso", object: "User")) {
            try SchemaMerge.merge(Self.busyApplication, into: live)
        }
    }
}
