import GraphModel
import ProfileTranslation
import Testing
import VendorProfiles

/// The one comparison of mapping sources, used by merge, plan and export.
@Suite struct SourceComparisonTests {
    static func source(_ json: JSONValue) -> AttributeMappingSource { AttributeMappingSource(json: json) }

    @Test func attributesAndConstantsCompareByName() {
        let mail = Self.source(["type": "Attribute", "name": "mail", "expression": "[mail]"])
        #expect(SchemaMerge.sameSource(Self.source(["type": "Attribute", "name": "mail"]), mail))
        #expect(!SchemaMerge.sameSource(Self.source(["type": "Attribute", "name": "Mail"]), mail))
        #expect(!SchemaMerge.sameSource(Self.source(["type": "Constant", "name": "mail"]), mail))
        #expect(!SchemaMerge.sameSource(nil, mail))
        #expect(!SchemaMerge.sameSource(Self.source(.null), mail))
    }

    @Test func functionsCompareAsExpressionsWhateverTheirSpelling() {
        let wanted = Self.source(MappingSourceJSON.make(.expression(#"Join(" ", [givenName], [surname])"#)))
        var graphSpelling = wanted
        graphSpelling.expression = #"Join( " " , [givenName],[surname] )"#
        #expect(SchemaMerge.sameSource(graphSpelling, wanted))
        let other = Self.source(MappingSourceJSON.make(.expression(#"Join(",", [givenName], [surname])"#)))
        #expect(!SchemaMerge.sameSource(other, wanted))
    }

    /// A tree that cannot be rebuilt (here: a parameter key the function does not have) is compared by its text.
    @Test func unrebuildableFunctionsFallBackToTextWithoutLayout() {
        func function(_ text: String) -> AttributeMappingSource {
            Self.source([
                "type": "Function", "name": "Join", "expression": .string(text),
                "parameters": [["key": "bogus", "value": ["type": "Attribute", "name": "a"]]],
            ])
        }
        #expect(SchemaMerge.sameSource(function(#"Join( "x y" , [a] )"#), function(#"Join("x y",[a])"#)))
        #expect(!SchemaMerge.sameSource(function(#"Join("xy",[a])"#), function(#"Join("x y",[a])"#)))
    }
}
