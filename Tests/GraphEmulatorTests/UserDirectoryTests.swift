import GraphModel
import Testing

@testable import GraphEmulator

@Suite struct UserDirectoryTests {
    @Test func usersArePagedWithSelectAndNextLinks() async throws {
        let client = await EngineClient()
        await client.engine.setDirectory(EmulatedDirectory(generatedUsers: 5, seed: 9))
        let first = await client.call("GET", "/v1.0/users?$top=4&$select=id,mobilePhone")
        #expect(first.status == 200)
        let body = try #require(first.jsonBody)
        let users = try #require(body["value"]?.arrayValue)
        #expect(users.count == 4)
        // The seeded sample user is first, shown in Graph's names.
        #expect(users[0]["id"] == "5f3a8c2e-1b7d-4e0a-9c61-2d4b8e7f0a13")
        #expect(Set(users[1].objectValue?.keys.map { $0 } ?? []) == ["id", "mobilePhone"])
        let link = try #require(body["@odata.nextLink"]?.stringValue)
        #expect(link.hasPrefix("https://graph.microsoft.com/v1.0/users?"))
        let next = await client.call("GET", String(link.dropFirst("https://graph.microsoft.com".count)))
        let rest = try #require(next.jsonBody?["value"]?.arrayValue)
        #expect(rest.count == 2)
        #expect(rest.last?["id"]?.stringValue == GeneratedUsers.id(4, seed: 9))
        #expect(Set(rest[0].objectValue?.keys.map { $0 } ?? []) == ["id", "mobilePhone"], "the link keeps $select")
        #expect(next.jsonBody?["@odata.nextLink"] == nil)
    }

    @Test func seededUsersAreShownInGraphNames() async throws {
        let client = await EngineClient()
        let response = await client.call("GET", "/v1.0/users?$expand=manager($select=id)")
        let adele = try #require(response.jsonBody?["value"]?.arrayValue?.first)
        #expect(adele["businessPhones"] == ["+1 425 555 0109"])
        #expect(adele["accountEnabled"] == true)
        #expect(adele["telephoneNumber"] == nil && adele["IsSoftDeleted"] == nil)
    }

    @Test func badQueriesAreRefusedLikeGraph() async {
        let client = await EngineClient()
        #expect(await client.call("GET", "/v1.0/users?$top=0").status == 400)
        #expect(await client.call("GET", "/v1.0/users?$top=1000").status == 400)
        #expect(await client.call("GET", "/v1.0/users?$skiptoken=abc").status == 400)
        #expect(await client.call("GET", "/v1.0/users?$expand=memberOf").status == 400)
        #expect(await client.call("POST", "/v1.0/users", "{}").status == 405)
        #expect(await client.call("GET", "/v1.0/groups/nope/transitiveMembers").status == 404)
        #expect(await client.call("GET", "/v1.0/users", authorized: false).status == 401)
    }

    @Test func directoryControlEndpointSetsGroupsAndAssignments() async throws {
        let client = await EngineClient()
        let servicePrincipal = try await client.instantiate()
        let put = await client.call(
            "PUT", "/_emulator/directory",
            #"""
            {"generatedUsers": 3, "groups": [{"id": "g1", "members": ["u1", "g2"]}, {"id": "g2", "members": ["u2", "g1"]}],
             "assignments": [{"servicePrincipalId": "\#(servicePrincipal)", "principalId": "g1", "principalType": "Group"}]}
            """#)
        #expect(put.status == 200)
        let members = await client.call("GET", "/v1.0/groups/g1/transitiveMembers/microsoft.graph.user")
        #expect(members.jsonBody?["value"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["u1", "u2"])
        let all = await client.call("GET", "/v1.0/groups/g1/transitiveMembers")
        #expect(all.jsonBody?["value"]?.arrayValue?.count == 3, "u1, g2 and u2; the cycle back to g1 is ignored")
        let assigned = await client.call("GET", "/v1.0/servicePrincipals/\(servicePrincipal)/appRoleAssignedTo")
        #expect(assigned.jsonBody?["value"]?.arrayValue?.first?["principalType"] == "Group")
        #expect(await client.call("PUT", "/_emulator/directory", #"{"generatedUsers": -1}"#).status == 400)
        #expect(await client.call("PUT", "/_emulator/directory", #"{"colour": 1}"#).status == 400)
    }

    @Test func generatedUsersCarryTheDocumentedGaps() {
        #expect(GeneratedUsers.user(13, seed: 0)["mobilePhone"] == .null)
        #expect(GeneratedUsers.user(7, seed: 0)["mobilePhone"]?.stringValue?.hasPrefix("+44 ") == true)
        #expect(GeneratedUsers.user(5, seed: 0)["mail"] == .null)
        #expect(GeneratedUsers.user(3, seed: 0)["accountEnabled"] == false)
        #expect(GeneratedUsers.user(1_508, seed: 0)["mobilePhone"] == GeneratedUsers.user(1_509, seed: 0)["mobilePhone"])
    }
}
