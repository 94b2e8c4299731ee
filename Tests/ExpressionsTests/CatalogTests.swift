import Testing

@testable import Expressions

@Suite struct CatalogTests {
    /// Parameter keys of the functions Graph's published `schema/functions` answer lists; for these, Graph's
    /// keys are facts, not guesses.
    static let publishedKeys: [String: [String]] = [
        "Append": ["source", "suffix"], "DefaultDomain": [], "AppRoleAssignments": ["source"],
        "FormatDateTime": ["source", "inputFormat", "outputFormat"], "IsNothing": ["source"],
        "Join": ["separator", "source"], "Prepend": ["prefix", "source"], "Mid": ["source", "start", "length"],
        "Not": ["source"],
        "Replace": [
            "source", "Find", "RegularExpression", "RegularExpressionGroupName", "Replacement", "ReplacementPropertyName",
            "Template",
        ],
        "SingleAppRoleAssignment": ["source"], "Split": ["source", "delimiter"], "StripSpaces": ["source"],
        "Switch": ["source", "defaultValue", "switchValue"],
    ]

    @Test func keysOfGraphsPublishedFunctionsAreGraphs() throws {
        for (name, keys) in Self.publishedKeys {
            let signature = try #require(FunctionCatalog.signature(named: name), "\(name)")
            var ours: [String] = []
            for key in signature.parameters.map(\.graphKey) where !ours.contains(key) { ours.append(key) }
            // Every key Graph lists is ours, in Graph's order; ours may add optional ones Graph's answer omits.
            #expect(ours.filter { keys.contains($0) } == keys, "\(name): \(ours) vs Graph's \(keys)")
        }
    }

    @Test func catalogMatchesTheReferenceList() throws {
        #expect(FunctionCatalog.all.count == 53)
        #expect(Set(FunctionCatalog.all.map(\.name)).count == 53)
        #expect(FunctionCatalog.all.filter { $0.availability == .provisioning }.count == 44)
        let mid = try #require(FunctionCatalog.signature(named: "Mid"))
        #expect(mid.minArguments == 3 && mid.maxArguments == 3)
        #expect(mid.parameters.map(\.name) == ["source", "start", "length"])
        #expect(mid.synopsis == "Mid(source, start, length)")
        let replace = try #require(FunctionCatalog.signature(named: "Replace"))
        #expect((0..<7).compactMap { replace.parameter(forSlot: $0)?.graphKey }
            == ["source", "Find", "RegularExpression", "RegularExpressionGroupName", "Replacement", "ReplacementPropertyName", "Template"])
        #expect(replace.parameter(forSlot: 7) == nil)
        #expect(FunctionCatalog.signature(named: "Switch")?.maxArguments == nil)
        #expect(FunctionCatalog.signature(named: "switch") == nil)
        #expect(FunctionCatalog.signature(caseInsensitive: "switch")?.name == "Switch")
    }

    @Test func didYouMean() {
        #expect(FunctionCatalog.suggestion(for: "Substring") == "Mid")
        #expect(FunctionCatalog.suggestion(for: "ToLowerCase") == "ToLower")
        #expect(FunctionCatalog.suggestion(for: "Jion") == "Join")
        #expect(FunctionCatalog.suggestion(for: "iif") == "IIF")
        #expect(FunctionCatalog.suggestion(for: "Xyzzyplugh") == nil)
    }

    @Test func sourceAttributes() {
        #expect(SourceAttributeCatalog.contains("mobile", object: .user))
        #expect(!SourceAttributeCatalog.contains("Mobile", object: .user))
        #expect(SourceAttributeCatalog.suggestion(for: "Mobile", object: .user) == "mobile")
        #expect(SourceAttributeCatalog.suggestion(for: "mobilePhone", object: .user) == "mobile")
        #expect(SourceAttributeCatalog.suggestion(for: "faxNumber", object: .user) == "facsimileTelephoneNumber")
        #expect(SourceAttributeCatalog.suggestion(for: "mail", object: .user) == nil)
        #expect(SourceAttributeCatalog.contains("members", object: .group))
        #expect(!SourceAttributeCatalog.contains("members", object: .user))
        #expect(SourceAttributeCatalog.names(object: .group).count == 6)
        #expect(SourceAttributeCatalog.contains("extension_53c9e2c0e4a946a4a6bc5e1a1f3b8c1d_costCenter", object: .user))
        #expect(!SourceAttributeCatalog.contains("extension_53c9_costCenter", object: .user))
        #expect(SourceAttributeCatalog.attribute(named: "proxyAddresses", object: .user)?.isMultiValued == true)
    }
}
