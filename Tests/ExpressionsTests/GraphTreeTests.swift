import Testing

@testable import Expressions

@Suite struct GraphTreeTests {
    private func attribute(_ name: String) -> GraphMappingSource {
        GraphMappingSource(type: "Attribute", name: name, expression: "[\(name)]", parameters: [])
    }

    private func constant(_ value: String) -> GraphMappingSource {
        GraphMappingSource(type: "Constant", name: value, expression: "\"\(value)\"", parameters: [])
    }

    /// The parseExpression example in the Graph documentation.
    @Test func replaceMatchesGraphParseExpression() throws {
        let tree = try #require(ExpressionParser.parse(#"Replace([preferredLanguage], "-", , , "_", ,  )"#).expression)
        let expected = GraphMappingSource(
            type: "Function", name: "Replace", expression: #"Replace([preferredLanguage], "-", , , "_", , )"#,
            parameters: [
                GraphMappingParameter(key: "source", value: attribute("preferredLanguage")),
                GraphMappingParameter(key: "Find", value: constant("-")),
                GraphMappingParameter(key: "Replacement", value: constant("_")),
            ])
        #expect(tree.graphSource() == expected)
        #expect(try Expression(graphSource: expected) == tree)
    }

    /// The attributeMappingSource resource example: numbers become string constants.
    @Test func midNumbersBecomeConstants() throws {
        let tree = try #require(ExpressionParser.parse("Mid([userPrincipalName], 1, 8)").expression)
        let expected = GraphMappingSource(
            type: "Function", name: "Mid", expression: "Mid([userPrincipalName], 1, 8)",
            parameters: [
                GraphMappingParameter(key: "source", value: attribute("userPrincipalName")),
                GraphMappingParameter(key: "start", value: constant("1")),
                GraphMappingParameter(key: "length", value: constant("8")),
            ])
        #expect(tree.graphSource() == expected)
        // The function's own text wins when it agrees, so the unquoted numbers survive.
        #expect(try Expression(graphSource: expected) == tree)
    }

    @Test func directAndConstantShapes() throws {
        #expect(Expression.attribute("mail").graphSource() == attribute("mail"))
        #expect(Expression.constant("a\"b").graphSource()
            == GraphMappingSource(type: "Constant", name: "a\"b", expression: #""a\"b""#, parameters: []))
        // The custom-attribute example carries only a name and type.
        #expect(try Expression(graphSource: GraphMappingSource(type: "Attribute", name: "extensionAttribute10", expression: nil))
            == .attribute("extensionAttribute10"))
    }

    @Test func switchKeysAndDefaultSlot() throws {
        let tree = try #require(ExpressionParser.parse(#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#).expression)
        let source = tree.graphSource()
        #expect(source.parameters.map(\.key) == ["source", "switchValue", "switchValue", "switchValue", "switchValue"])
        // Without the text, the rebuilt call still keeps the empty default slot.
        var withoutText = source
        withoutText.expression = nil
        #expect(try Expression(graphSource: withoutText) == tree)
    }

    @Test func joinAndCoalesceRepeatTheirKey() throws {
        let join = try #require(ExpressionParser.parse(#"Join(" ", [givenName], [surname])"#).expression)
        #expect(join.graphSource().parameters.map(\.key) == ["separator", "source", "source"])
        var stripped = join.graphSource()
        stripped.expression = nil
        #expect(try Expression(graphSource: stripped) == join)
    }

    @Test func rebuildsFromParametersWhenTextDisagrees() throws {
        var source = try #require(ExpressionParser.parse(#"Append([mail], "x")"#).expression).graphSource()
        source.expression = #"Append([mail], "y")"#
        #expect(try Expression(graphSource: source) == .call("Append", [.attribute("mail"), .constant("x")]))
    }

    @Test func invalidTreesThrow() {
        #expect(throws: GraphMappingSourceError.unknownType("Bogus")) {
            try Expression(graphSource: GraphMappingSource(type: "Bogus", name: "x", expression: nil))
        }
        #expect(throws: GraphMappingSourceError.invalidAttributeName("a]b")) {
            try Expression(graphSource: GraphMappingSource(type: "Attribute", name: "a]b", expression: nil))
        }
        #expect(throws: GraphMappingSourceError.unknownParameter(function: "Mid", key: "nope")) {
            try Expression(graphSource: GraphMappingSource(type: "Function", name: "Mid", expression: nil, parameters: [
                GraphMappingParameter(key: "nope", value: GraphMappingSource(type: "Constant", name: "1", expression: nil)),
            ]))
        }
        var deep = GraphMappingSource(type: "Attribute", name: "mail", expression: nil)
        for _ in 0..<500 {
            deep = GraphMappingSource(type: "Function", name: "ToLower", expression: nil,
                                      parameters: [GraphMappingParameter(key: "source", value: deep)])
        }
        #expect(throws: GraphMappingSourceError.tooDeep) { try Expression(graphSource: deep) }
    }

    @Test func comparisonsRoundTrip() throws {
        let tree = try #require(ExpressionParser.parse(#"IIF([country] = "USA", "a", "b")"#).expression)
        var source = tree.graphSource()
        source.expression = nil
        #expect(try Expression(graphSource: source) == tree)
    }
}
