import Foundation
import TestSupport
import Testing

@Suite("scimctl provision-on-demand by name and for group members", .serialized)
struct OnDemandCommandTests {
    @Test func usersByPrincipalNameAndAGroupsMembers() async throws {
        let directory = try TemporaryDirectory()
        let users = (0..<7).map { index in
            """
            {"id": "0000000a-0000-4000-8000-00000000000\(index)", "userPrincipalName": "u\(index)@contoso.example",
             "mail": "m\(index)@contoso.example", "displayName": "User \(index)", "givenName": "User", "surname": "N",
             "accountEnabled": "True", "IsSoftDeleted": "False"}
            """
        }
        let members = (0..<7).map { "\"0000000a-0000-4000-8000-00000000000\($0)\"" }.joined(separator: ", ")
        let state = """
            {"users": [\(users.joined(separator: ", "))],
             "groups": [{"id": "6a000000-0000-4000-8000-000000000001", "displayName": "Pilot", "members": [\(members)]}]}
            """
        let stateFile = directory.url.appendingPathComponent("state.json")
        try state.write(to: stateFile, atomically: true, encoding: .utf8)
        try await withRunningEmulator(directory: directory, extraArguments: ["--state", stateFile.path]) { emulator in
            let environment = ["SCIMCTL_ACCESS_TOKEN": emulator.token, "EPTURA_SCIM_TOKEN": "cli-on-demand-vendor-token"]
            let target = ["eptura", "--param", "domain=scim.example.eptura.com", "--graph-url", emulator.url]
            let apply = try await Scimctl.run(
                ["apply", "profile"] + target + ["--yes", "--backup-dir", directory.url.appendingPathComponent("b").path],
                in: directory.url, environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            let logs = try await Scimctl.run(["logs"] + target + ["--format", "json"], environment: environment)
            let servicePrincipalID = try #require(
                (try JSONSerialization.jsonObject(with: Data(logs.stdout.utf8)) as? [String: Any])?["servicePrincipalId"] as? String)
            let graph = ["--service-principal-id", servicePrincipalID, "--graph-url", emulator.url]

            let byMail = try await Scimctl.run(["provision-on-demand", "--user", "m3@contoso.example"] + graph, environment: environment)
            #expect(byMail.status == 0, "\(byMail.stdout)\(byMail.stderr)")
            #expect(byMail.stdout.contains("user u3@contoso.example (0000000a-0000-4000-8000-000000000003)"))
            #expect(byMail.stdout.contains("result: Success"))

            let unknown = try await Scimctl.run(["provision-on-demand", "--user", "nobody@contoso.example"] + graph, environment: environment)
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("a user whose userPrincipalName or mail is 'nobody@contoso.example' was not found"))

            let group = try await Scimctl.run(["provision-on-demand", "--members-of", "Pilot", "--format", "json"] + graph, environment: environment)
            #expect(group.status == 0, "\(group.stdout)\(group.stderr)")
            let requests = (try JSONSerialization.jsonObject(with: Data(group.stdout.utf8)) as? [String: Any])?["requests"] as? [[String: Any]]
            #expect(requests?.count == 2, "seven members: five, then two")
            #expect(requests?.allSatisfy { $0["result"] as? String == "Success" } == true)

            let tooBig = try await Scimctl.run(["provision-on-demand", "--members-of", "Pilot", "--max-members", "3"] + graph, environment: environment)
            #expect(tooBig.status == 1)
            #expect(tooBig.stderr.contains("more than 3 user members"))
        }
    }

    @Test(arguments: [
        ["provision-on-demand", "--service-principal-id", "x"],
        ["provision-on-demand", "--service-principal-id", "x", "--user", "a@b.c", "--members-of", "G"],
        ["provision-on-demand", "--service-principal-id", "x", "--members-of", "G", "--group"],
        ["provision-on-demand", "--service-principal-id", "x", "--members-of", "G", "--max-members", "0"],
    ])
    func badInvocationsAreUsageErrors(_ arguments: [String]) async throws {
        let result = try await Scimctl.run(arguments, environment: ["SCIMCTL_ACCESS_TOKEN": "unused"])
        #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
    }
}
