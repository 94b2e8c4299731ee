import Expressions
import Testing

@testable import GraphModel
@testable import ProfileTranslation
@testable import VendorProfiles

struct SecretsBodyTests {
    func entries(_ body: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        for entry in SynchronizationSecrets(json: body).entries {
            if let key = entry.key, let value = entry.value { result[key] = value }
        }
        return result
    }

    @Test func baseAddressTokenAndScope() {
        let body = SecretsBody.make(for: Fixtures.application(), token: SecretValue("s3cr3t"))
        #expect(SynchronizationSecrets(json: body).entries.compactMap(\.key) == ["BaseAddress", "SecretToken", "SyncAll"])
        #expect(entries(body) == ["BaseAddress": "https://scim.acme.example/v2/tenant-42", "SecretToken": "s3cr3t", "SyncAll": "false"])
        let all = SecretsBody.make(for: Fixtures.application(scope: .all), token: SecretValue("t"))
        #expect(entries(all)["SyncAll"] == "true")
    }

    @Test func noTokenWhenTheProfileSaysNone() {
        let body = SecretsBody.make(for: Fixtures.application(token: .none), token: SecretValue("ignored"))
        #expect(entries(body)["SecretToken"] == nil)
        #expect(!body.serialized().contains("ignored"))
    }

    @Test func notificationSettingsAreAJSONString() throws {
        let body = SecretsBody.make(for: Fixtures.application(notificationEmail: "ops@acme.example"), token: nil)
        let text = try #require(entries(body)["SyncNotificationSettings"])
        let settings = try JSONValue(parsing: text)
        #expect(settings["Enabled"] == true)
        #expect(settings["Recipients"] == "ops@acme.example")
        #expect(settings["DeleteThresholdEnabled"] == true)
        #expect(settings["DeleteThresholdValue"] == 500)
        // Every value Graph receives is a string.
        #expect(body["value"]?.arrayValue?.allSatisfy { $0["value"]?.stringValue != nil } == true)
    }

    @Test func placeholdersAndRedaction() {
        #expect(SecretValue.placeholder(for: .environment(variable: "FLOSUM_TOKEN"))?.exposedValue == "<from env FLOSUM_TOKEN>")
        #expect(SecretValue.placeholder(for: .file(path: "/run/token"))?.exposedValue == "<from file /run/token>")
        #expect(SecretValue.placeholder(for: .none) == nil)
        let secret = SecretValue("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
    }
}

struct MappingSourceJSONTests {
    @Test func attributeSource() {
        #expect(MappingSourceJSON.make(.attribute("mail")) == ["expression": "[mail]", "name": "mail", "parameters": [], "type": "Attribute"])
    }

    @Test func constantSourceEscapesQuotesAndBackslashes() {
        let source = MappingSourceJSON.make(.constant(#"say "hi" \ bye"#))
        #expect(source["type"] == "Constant")
        #expect(source["name"] == #"say "hi" \ bye"#)
        #expect(source["expression"] == #""say \"hi\" \\ bye""#)
    }

    @Test func expressionSources() {
        let join = MappingSourceJSON.make(.expression(#"  Join(" ", [givenName], [surname]) "#))
        #expect(join["type"] == "Function")
        #expect(join["name"] == "Join")
        #expect(join["expression"] == #"Join(" ", [givenName], [surname])"#)
        let parameters = join["parameters"]?.arrayValue ?? []
        #expect(parameters.count == 3)
        #expect(parameters.first?["value"]?["type"] == "Constant")
        #expect(parameters.last?["value"] == MappingSourceJSON.make(.attribute("surname")))
        #expect(MappingSourceJSON.make(.expression("[mail]")) == MappingSourceJSON.make(.attribute("mail")))
        #expect(MappingSourceJSON.make(.expression(#""a\"b""#)) == MappingSourceJSON.make(.constant(#"a"b"#)))
        // Text that does not parse is carried as written; validation reports it before anything is sent.
        let broken = MappingSourceJSON.make(.expression(#"Join(" ", [givenName]"#))
        #expect(broken == ["expression": #"Join(" ", [givenName]"#, "name": "Join", "parameters": [], "type": "Function"])
    }

    @Test func graphTreesConvertBothWays() throws {
        let text = try GoldenFiles.read(
            "graph-examples/servicePrincipals-synchronization-jobs-jobId-schema-parseExpression.POST.response.json")
        let parsed = try #require(try JSONValue(parsing: text)["parsedExpression"])
        let tree = try #require(GraphMappingSource(json: parsed))
        #expect(tree.name == "Replace")
        #expect(tree.parameters.map(\.key) == ["source", "Find", "Replacement"])
        #expect(tree.json == parsed)
        #expect(GraphMappingSource(json: ["name": "x"]) == nil)
    }

    @Test func expressionComparisonIgnoresLayoutOutsideStrings() {
        #expect(SchemaMerge.compactExpression(#"Join( " ", [a] ,[b])"#) == #"Join(" ",[a],[b])"#)
        #expect(SchemaMerge.compactExpression(#"Join("a b")"#) != SchemaMerge.compactExpression(#"Join("ab")"#))
    }
}
