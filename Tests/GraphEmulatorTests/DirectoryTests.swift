import Foundation
import GraphModel
import TestSupport
import Testing

@testable import GraphEmulator

@Suite struct DirectoryTests {
    @Test func instantiateReturnsApplicationAndServicePrincipal() async throws {
        let client = await EngineClient()
        let response = await client.call(
            "POST", "/v1.0/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate", #"{"displayName":"Azure AD SAML Toolkit"}"#)
        #expect(response.status == 201)
        let body = try #require(response.jsonBody)
        #expect(body["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.applicationServicePrincipal")
        let application = try #require(body["application"])
        let servicePrincipal = try #require(body["servicePrincipal"])
        #expect(application["appId"] == servicePrincipal["appId"])
        #expect(application["id"] != servicePrincipal["id"])
        #expect(servicePrincipal["applicationTemplateId"] == "8adf8e6e-67b2-4cf2-a259-e3dc5476c621")
        #expect(servicePrincipal["servicePrincipalType"] == "Application")
        #expect(servicePrincipal["appRoleAssignmentRequired"] == true)
        #expect(servicePrincipal["tags"]?.arrayValue?.contains("WindowsAzureActiveDirectoryIntegratedApp") == true)
        #expect(servicePrincipal["displayName"] == "Azure AD SAML Toolkit")
    }

    @Test func instantiateRejectsUnknownTemplateAndMissingName() async throws {
        let client = await EngineClient()
        let unknown = await client.call("POST", "/v1.0/applicationTemplates/229946b9-a9fb-45b8-9531-efa47453ac9e/instantiate", #"{"displayName":"x"}"#)
        #expect(unknown.status == 404)
        let noName = await client.call("POST", "/v1.0/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate", "{}")
        #expect(noName.status == 400)
        let notJSON = await client.call("POST", "/v1.0/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate", "{displayName:")
        #expect(notJSON.status == 400)
        #expect(notJSON.jsonBody?["error"]?["code"] == "BadRequest")
    }

    @Test func servicePrincipalByIdAndByEncodedDisplayNameFilter() async throws {
        let client = await EngineClient()
        let id = try await client.instantiate("O'Brien & Co SCIM")
        _ = try await client.instantiate("Other")
        let byId = await client.call("GET", "/v1.0/servicePrincipals/\(id)")
        #expect(byId.status == 200)
        #expect(byId.jsonBody?["id"]?.stringValue == id)

        let encoded = await client.call("GET", "/v1.0/servicePrincipals?%24filter=displayName%20eq%20%27O%27%27Brien%20%26%20Co%20SCIM%27")
        #expect(encoded.status == 200)
        #expect(encoded.jsonBody?["value"]?.arrayValue?.count == 1)
        #expect(encoded.jsonBody?["value"]?.arrayValue?.first?["id"]?.stringValue == id)

        let plus = await client.call("GET", "/v1.0/servicePrincipals?$filter=displayName+eq+'Other'")
        #expect(plus.jsonBody?["value"]?.arrayValue?.count == 1)

        let none = await client.call("GET", "/v1.0/servicePrincipals?$filter=displayName eq 'Missing'")
        #expect(none.jsonBody?["value"]?.arrayValue?.isEmpty == true)

        let unsupported = await client.call("GET", "/v1.0/servicePrincipals?$filter=startswith(displayName,'O')")
        #expect(unsupported.status == 400)
        #expect(unsupported.jsonBody?["error"]?["code"] == "Request_UnsupportedQuery")
    }

    @Test func unknownServicePrincipalAnswersDirectoryNotFound() async throws {
        let client = await EngineClient()
        let response = await client.call("GET", "/v1.0/servicePrincipals/00000000-0000-0000-0000-000000000000")
        #expect(response.status == 404)
        #expect(response.jsonBody?["error"]?["code"] == "Request_ResourceNotFound")
    }

    @Test func replicationDelayHidesNewServicePrincipalUntilItPasses() async throws {
        var configuration = EmulatorConfiguration()
        configuration.replicationDelayMilliseconds = 30_000
        let client = await EngineClient(configuration)
        let id = try await client.instantiate()
        #expect(await client.call("GET", "/v1.0/servicePrincipals/\(id)").status == 404)
        #expect(await client.call("GET", "/v1.0/servicePrincipals/\(id)/synchronization/templates").status == 404)
        #expect(await client.call("GET", "/v1.0/servicePrincipals?$filter=displayName eq 'Acme SCIM'").jsonBody?["value"]?.arrayValue?.isEmpty == true)
        await client.engine.advanceClock(seconds: 31)
        #expect(await client.call("GET", "/v1.0/servicePrincipals/\(id)").status == 200)
    }

    @Test func templatesListTheScimTemplate() async throws {
        let client = await EngineClient()
        let id = try await client.instantiate()
        let response = await client.call("GET", "/v1.0/servicePrincipals/\(id)/synchronization/templates")
        #expect(response.status == 200)
        let template = try #require(response.jsonBody?["value"]?.arrayValue?.first)
        #expect(template["id"] == "scim")
        #expect(template["factoryTag"] == "CustomSCIM")
        #expect(template["schema"]?["synchronizationRules"]?.arrayValue?.isEmpty == false)
        let single = await client.call("GET", "/v1.0/servicePrincipals/\(id)/synchronization/templates/scim/schema")
        #expect(single.jsonBody?["directories"]?.arrayValue?.count == 2)
    }

    /// What the emulator serves as the template, and what a new job starts with, are Microsoft's documented
    /// defaults: compared with the hand-written fixture, not with the schema value the planner shares.
    @Test func theTemplateAndANewJobCarryTheDocumentedDefaults() async throws {
        let client = await EngineClient()
        let id = try await client.instantiate()
        let job = try await client.createJob(id)
        let documented = try DocumentedDefaultTemplate.load()
        for path in ["templates/scim/schema", "jobs/\(job)/schema"] {
            let response = await client.call("GET", "/v1.0/servicePrincipals/\(id)/synchronization/\(path)")
            #expect(response.status == 200)
            let served = try DocumentedDefaultTemplate.mappings(inSchema: Data(response.body))
            #expect(served == documented.comparableMappings, "\(path)")
            let rule = response.jsonBody?["synchronizationRules"]?.arrayValue?.first
            #expect(rule?["sourceDirectoryName"]?.stringValue == documented.sourceDirectoryName)
            #expect(rule?["targetDirectoryName"]?.stringValue == documented.targetDirectoryName)
        }
    }

    @Test func unknownSegmentsAndMethodsAreRejected() async throws {
        let client = await EngineClient()
        let id = try await client.instantiate()
        #expect(await client.call("GET", "/v1.0/widgets").status == 400)
        #expect(await client.call("PATCH", "/v1.0/servicePrincipals/\(id)/synchronization/secrets", "{}").status == 405)
        #expect(await client.call("GET", "/v2.0/servicePrincipals").status == 404)
    }

    @Test func deletingTheApplicationRemovesServicePrincipalAndJobs() async throws {
        let client = await EngineClient()
        let response = await client.call(
            "POST", "/v1.0/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate", #"{"displayName":"Gone"}"#)
        let applicationId = try #require(response.jsonBody?["application"]?["id"]?.stringValue)
        let servicePrincipalId = try #require(response.jsonBody?["servicePrincipal"]?["id"]?.stringValue)
        _ = try await client.createJob(servicePrincipalId)
        #expect(await client.call("DELETE", "/v1.0/applications/\(applicationId)").status == 204)
        #expect(await client.call("GET", "/v1.0/servicePrincipals/\(servicePrincipalId)").status == 404)
        #expect(await client.engine.tenant().jobs.isEmpty)
    }
}
