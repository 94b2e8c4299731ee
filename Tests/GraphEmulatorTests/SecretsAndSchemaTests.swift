import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct SecretsAndSchemaTests {
    @Test func putSecretsReplacesTheWholeSetAndBetaReadsThemMasked() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let documented = #"""
            {"value":[{"key":"BaseAddress","value":"https://scim.example.com/v2"},{"key":"SecretToken","value":"password-value"},
            {"key":"SyncNotificationSettings","value":"{\"Enabled\":false,\"DeleteThresholdEnabled\":false}"},{"key":"SyncAll","value":"false"}]}
            """#
        let put = await client.call("PUT", "/v1.0/servicePrincipals/\(sp)/synchronization/secrets", documented)
        #expect(put.status == 204)
        #expect(put.body.isEmpty)
        let read = await client.call("GET", "/beta/servicePrincipals/\(sp)/synchronization/secrets")
        #expect(read.status == 200)
        let values = try #require(read.jsonBody?["value"]?.arrayValue)
        #expect(values.count == 4)
        #expect(values.first { $0["key"] == "SecretToken" }?["value"] == "*")
        #expect(values.first { $0["key"] == "BaseAddress" }?["value"] == "https://scim.example.com/v2")
        #expect(!read.text.contains("password-value"))

        // A second PUT replaces everything: nothing is merged.
        await client.call("PUT", "/v1.0/servicePrincipals/\(sp)/synchronization/secrets", #"{"value":[{"key":"SyncAll","value":"true"}]}"#)
        let after = await client.call("GET", "/beta/servicePrincipals/\(sp)/synchronization/secrets")
        #expect(after.jsonBody?["value"]?.arrayValue?.count == 1)
    }

    @Test func secretsRejectUnknownKeysAndNonStringValues() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let unknown = await client.call("PUT", "/v1.0/servicePrincipals/\(sp)/synchronization/secrets", #"{"value":[{"key":"NotificationEmail","value":"a@b.c"}]}"#)
        #expect(unknown.status == 400)
        let boolean = await client.call("PUT", "/v1.0/servicePrincipals/\(sp)/synchronization/secrets", #"{"value":[{"key":"SyncAll","value":false}]}"#)
        #expect(boolean.status == 400)
        let wrongKey = await client.call("PUT", "/v1.0/servicePrincipals/\(sp)/synchronization/secrets", #"{"credentials":[]}"#)
        #expect(wrongKey.status == 400)
    }

    @Test func secretsAreReadableOnlyOnBeta() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        #expect(await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/secrets").status == 400)
    }

    @Test func schemaPutKeepsUnknownMembersAndDeleteResets() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let path = "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/schema"
        let original = try #require(await client.call("GET", path).jsonBody)
        #expect(original["synchronizationRules"]?.arrayValue?.first?["sourceDirectoryName"] == "Azure Active Directory")
        #expect(original["synchronizationRules"]?.arrayValue?.first?["targetDirectoryName"] == "customappsso")

        var changed = original
        changed["futureMember"] = ["kept": true]
        #expect(await client.call("PUT", path, changed.serialized()).status == 204)
        #expect(await client.call("GET", path).jsonBody == changed)

        #expect(await client.call("DELETE", path).status == 204)
        #expect(await client.call("GET", path).jsonBody == original)
    }

    @Test func schemaPutRejectsUndeclaredTargetAttribute() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let path = "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/schema"
        var schema = try #require(await client.call("GET", path).jsonBody)
        var rules = try #require(schema["synchronizationRules"]?.arrayValue)
        var mappings = try #require(rules[0]["objectMappings"]?.arrayValue)
        var attributes = try #require(mappings[0]["attributeMappings"]?.arrayValue)
        attributes.append(["targetAttributeName": "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter", "source": ["type": "Attribute", "name": "department"], "matchingPriority": 0])
        mappings[0]["attributeMappings"] = .array(attributes)
        rules[0]["objectMappings"] = .array(mappings)
        schema["synchronizationRules"] = .array(rules)
        let response = await client.call("PUT", path, schema.serialized())
        #expect(response.status == 400)
        #expect(response.jsonBody?["error"]?["message"]?.stringValue?.contains("costCenter") == true)
        let notSchema = await client.call("PUT", path, #"{"directories":[]}"#)
        #expect(notSchema.status == 400)
    }

    @Test func filterOperatorsListDocumentedShape() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        let response = await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/schema/filterOperators")
        let equals = response.jsonBody?["value"]?.arrayValue?.first { $0["name"] == "EQUALS" }
        #expect(equals?["arity"] == "Binary")
        #expect(equals?["multivaluedComparisonType"] == "All")
    }
}

@Suite struct ExpressionEndpointTests {
    func base(_ client: EngineClient) async throws -> String {
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        return "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/schema"
    }

    @Test func parseExpressionReturnsTreeAndEvaluation() async throws {
        let client = await EngineClient()
        let path = try await base(client) + "/parseExpression"
        let body = #"""
            {"expression":"Replace([preferredLanguage], \"-\", , , \"_\", ,  )","targetAttributeDefinition":null,
             "testInputObject":{"definition":null,"properties":[{"key":"preferredLanguage","value":"EN-US"},{"key":"objectId","value":"66E4A8CC"}]}}
            """#
        let response = await client.call("POST", path, body)
        #expect(response.status == 200)
        let result = try #require(response.jsonBody)
        #expect(result["parsingSucceeded"] == true)
        #expect(result["evaluationSucceeded"] == true)
        #expect(result["evaluationResult"] == ["EN_US"])
        let parsed = try #require(result["parsedExpression"])
        #expect(parsed["type"] == "Function")
        #expect(parsed["name"] == "Replace")
        let keys = parsed["parameters"]?.arrayValue?.compactMap { $0["key"]?.stringValue }
        #expect(keys == ["source", "Find", "Replacement"])
    }

    /// A nested-quantifier Replace pattern once froze the emulator; it now evaluates in one pass, and the emulator
    /// keeps answering.
    @Test func catastrophicReplacePatternDoesNotFreezeTheEmulator() async throws {
        let client = await EngineClient()
        let path = try await base(client) + "/parseExpression"
        let value = String(repeating: "a", count: 3_000) + "!"
        let body = #"""
            {"expression":"Replace([displayName], , \"(a+)+$\", , \"x\", , )","targetAttributeDefinition":null,
             "testInputObject":{"definition":null,"properties":[{"key":"displayName","value":"\#(value)"}]}}
            """#
        let response = await client.call("POST", path, body)
        #expect(response.status == 200)
        #expect(response.jsonBody?["evaluationSucceeded"] == true)
        #expect(response.jsonBody?["evaluationResult"] == [.string(value)])
        #expect(await client.call("POST", path, "{}").status == 400)
    }

    @Test func parseExpressionReportsSyntaxErrors() async throws {
        let client = await EngineClient()
        let path = try await base(client) + "/parseExpression"
        let response = await client.call("POST", path, #"{"expression":"Join(\" \", [givenName]"}"#)
        #expect(response.status == 200)
        #expect(response.jsonBody?["parsingSucceeded"] == false)
        #expect(response.jsonBody?["error"]?["message"]?.stringValue?.isEmpty == false)
        #expect(await client.call("POST", path, "{}").status == 400)
    }

    @Test func functionsListsCatalogWithGraphParameterNames() async throws {
        let client = await EngineClient()
        let response = await client.call("GET", try await base(client) + "/functions")
        #expect(response.status == 200)
        let functions = try #require(response.jsonBody?["value"]?.arrayValue)
        let append = try #require(functions.first { $0["name"] == "Append" })
        #expect(append["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["source", "suffix"])
        #expect(append["parameters"]?.arrayValue?.first?["required"] == true)
        #expect(functions.contains { $0["name"] == "Switch" })
    }

    @Test func onDemandEvaluatesFunctionMappings() async throws {
        let client = await EngineClient()
        let sp = try await client.instantiate()
        let job = try await client.createJob(sp)
        await client.putSecrets(sp, baseAddress: "https://scim.example.com/v2", token: "t")
        let schema = await client.call("GET", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/schema").jsonBody
        let rule = try #require(schema?["synchronizationRules"]?.arrayValue?.first?["id"]?.stringValue)
        let response = await client.call(
            "POST", "/v1.0/servicePrincipals/\(sp)/synchronization/jobs/\(job)/provisionOnDemand",
            #"{"parameters":[{"ruleId":"\#(rule)","subjects":[{"objectId":"5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13","objectTypeName":"User"}]}]}"#)
        let key = try JSONValue(parsing: try #require(response.jsonBody?["key"]?.stringValue))
        #expect(key["result"] == "Success")
        let value = try JSONValue(parsing: try #require(response.jsonBody?["value"]?.stringValue))
        let modified = value["modifiedProperties"]?.arrayValue ?? []
        #expect(modified.contains { $0["displayName"] == "active" && $0["newValue"] == "True" })
        #expect(modified.contains { $0["displayName"] == "name.formatted" && $0["newValue"] == "Adele Vance" })
    }
}
