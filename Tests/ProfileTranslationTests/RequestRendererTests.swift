import Testing

@testable import GraphModel
@testable import ProfileTranslation
@testable import VendorProfiles

struct RequestRendererTests {
    static let profile = Fixtures.profile([
        Fixtures.application(
            name: "prod",
            users: ObjectMapping(
                kind: .user, mode: .amend,
                mappings: [AttributeMapping(target: "externalId", source: .attribute("objectId"))]),
            groups: ObjectMapping(kind: .group, enabled: false), notificationEmail: "ops@acme.example", start: true),
        Fixtures.application(name: "sandbox", token: .file(path: "/secrets/acme-sandbox"), scope: .all),
    ])

    @Test func requestsInApplyOrder() throws {
        let rendered = try RequestRenderer.render(Self.profile)
        #expect(rendered.applications.map(\.name) == ["prod", "sandbox"])
        let prod = try #require(rendered.applications.first)
        #expect(prod.requests.map(\.method) == ["POST", "PATCH", "POST", "PUT", "POST", "PUT", "POST"])
        #expect(prod.requests.map(\.path) == [
            "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
            "/servicePrincipals/{servicePrincipalId}",
            "/servicePrincipals/{servicePrincipalId}/synchronization/jobs",
            "/servicePrincipals/{servicePrincipalId}/synchronization/secrets",
            "/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/validateCredentials",
            "/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema",
            "/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/start",
        ])
        #expect(prod.requests.map(\.fileName) == [
            "01-instantiate-application.json", "02-mark-application.json", "03-create-job.json", "04-put-secrets.json",
            "05-test-connection.json", "06-put-schema.json", "07-start-job.json",
        ])
        #expect(prod.requests.first?.body == ["displayName": "Acme SCIM (prod)"])
        #expect(prod.requests.dropFirst().first?.body?["notes"]?.stringValue?.hasPrefix(ScimctlMarker.prefix) == true)
        #expect(prod.requests.dropFirst(2).first?.body == ["templateId": "scim"])
        #expect(prod.requests.last?.body == nil)
        #expect(prod.requests.dropFirst(4).first?.body == ["useSavedCredentials": true])
        let schema = SynchronizationSchema(json: prod.requests.dropFirst(5).first?.body ?? nil)
        #expect(Fixtures.objectMapping(schema, "Group")?.enabled == false)
        #expect(Fixtures.mapping(schema, "User", target: "externalId")?.source?.name == "objectId")

        let sandbox = try #require(rendered.applications.last)
        #expect(sandbox.requests.count == 6)
        #expect(sandbox.requests.last?.fileName == "06-put-schema.json")
        // With nothing owned, the schema PUT is the default template.
        #expect(sandbox.requests.last?.body == DefaultTemplateSchema.json)
    }

    @Test func tokensAreShownAsTheirSource() throws {
        let text = try RequestRenderer.render(Self.profile).text
        #expect(text.contains("<from env ACME_TOKEN>"))
        #expect(text.contains("<from file /secrets/acme-sandbox>"))
    }

    @Test func selectsOneApplication() throws {
        #expect(try RequestRenderer.render(Self.profile, application: "sandbox").applications.map(\.name) == ["sandbox"])
        #expect(try RequestRenderer.render(Self.profile, application: "missing").applications.isEmpty)
    }

    @Test func filesPerRequest() throws {
        let files = try RequestRenderer.render(Self.profile).files
        #expect(files.count == 13)
        #expect(files.first?.path == "prod/01-instantiate-application.json")
        let single = try RequestRenderer.render(Self.profile, application: "prod").files
        #expect(single.map(\.path).last == "07-start-job.json")
        #expect(single.first?.contents.hasSuffix("}\n") == true)
    }

    @Test func outputIsStableAndMatchesTheGoldenFile() throws {
        let first = try RequestRenderer.render(Self.profile).text
        let second = try RequestRenderer.render(Self.profile).text
        #expect(first == second)
        #expect(try JSONValue(parsing: first)["applications"]?.arrayValue?.count == 2)
        try GoldenFiles.assertMatches(first, golden: "render/hand-built.json")
    }

}
