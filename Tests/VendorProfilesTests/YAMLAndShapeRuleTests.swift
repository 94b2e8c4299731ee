import Diagnostics
import Testing

@testable import VendorProfiles

/// Rules the loader reports while reading YAML and checking it against the profile schema.
@Suite("YAML and schema rules")
struct YAMLAndShapeRuleTests {
    @Test func yamlSyntaxPointsAtTheBrokenSpot() {
        expectDiagnostic(
            .yamlSyntax, .error, message: "invalid YAML",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: "Example
                1️⃣
                """)
    }

    @Test func yamlSyntaxForAMisplacedMappingValue() {
        let diagnostic = expectDiagnostic(
            .yamlSyntax, .error, message: "mapping values are not allowed",
            in: """
                vendor: Example
                description: this line1️⃣: has a second colon
                applications: []
                """)
        #expect(diagnostic?.hint != nil)
    }

    @Test func duplicateKey() {
        let diagnostic = expectDiagnostic(
            .duplicateKey, .error, message: "duplicate key 'vendor'",
            in: """
                1️⃣vendor: Example
                vendor: Other
                applications: []
                """)
        #expect(diagnostic?.hint?.contains("once") == true)
    }

    @Test func bracketsNestedTooDeep() {
        expectDiagnostic(
            .nestingTooDeep, .error, message: "brackets nested deeper than 64 levels",
            in: "vendor: " + String(repeating: "[", count: 64) + "1️⃣[" + String(repeating: "]", count: 65) + "\n")
    }

    @Test func chainedListItemsTooDeep() {
        // 32 chained items are allowed; the 33rd dash on the second line is one too many.
        expectDiagnostic(
            .nestingTooDeep, .error, message: "more than 32 nested list items on one line",
            in: "vendor: Example\n" + String(repeating: "- ", count: 32) + "1️⃣- x\n")
    }

    @Test func indentationTooDeep() {
        expectDiagnostic(
            .nestingTooDeep, .error, message: "indentation deeper than 256 columns",
            in: "vendor: Example\n" + String(repeating: " ", count: 256) + "1️⃣ x: 1\n")
    }

    @Test func bracketsInsideQuotesAndCommentsDoNotCount() {
        let deep = String(repeating: "[", count: 100)
        let marked = MarkedText(
            """
            vendor: "\(deep)"
            description: '\(deep)'
            # \(deep)
            applications: []
            """)
        let all = findings(for: marked)
        #expect(!all.contains { $0.id == .nestingTooDeep })
    }

    /// 167 aliases of one application, each holding 97 aliases of one attribute mapping: over 50,000 nodes to walk
    /// from a few kilobytes. The walk counts root 1, vendor 2, applications 3, then per application 10 (itself,
    /// name, displayName, tenantURL and secretToken twice each as either-nodes, scope, users, attributes) plus 3 per
    /// mapping (itself, target, source). So visit 50,001 is 3 + 166 × 301 + 10 + 3 × 7 + 1: the mapping at index 7
    /// of application index 166, an alias of the anchored `&m` node, which carries the anchor's position.
    @Test func aliasExpansionIsCapped() {
        let mappings = "[1️⃣&m {target: userName, source: mail}" + String(repeating: ", *m", count: 96) + "]"
        let yaml = """
            vendor: Example
            applications:
              - &app
                name: example
                displayName: Example
                tenantURL: https://scim.example.com/scim
                secretToken: none
                scope: assigned
                users:
                  attributes: \(mappings)

            """ + String(repeating: "  - *app\n", count: 166)
        let diagnostic = expectDiagnostic(
            .tooComplex, .error, message: "more than 50000 nodes", in: yaml)
        #expect(diagnostic?.hint != nil)
        let loaded = ProfileLoader.load(text: MarkedText(yaml).text, file: "profile.yaml")
        #expect(loaded.profile == nil, "an aborted walk returns no profile")
    }

    @Test func yaml11BooleanWordInAStringFieldIsAWarning() {
        let diagnostic = expectDiagnostic(
            .yaml11Boolean, .warning, message: "'yes' at applications[0].displayName is read as a string",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: 1️⃣yes
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                """)
        #expect(diagnostic?.fixIt?.replacement == "\"yes\"")
        #expect(diagnostic?.fixIt?.length == 3)
    }

    @Test func yaml11BooleanWordInABooleanFieldIsAnError() {
        let diagnostic = expectDiagnostic(
            .yaml11Boolean, .error, message: "'no' is not a boolean in YAML 1.2",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    startProvisioning: 1️⃣no
                    users: {}
                """)
        #expect(diagnostic?.hint == "write false")
        #expect(diagnostic?.fixIt?.replacement == "false")
        #expect(diagnostic?.fixIt?.length == 2)
        #expect(diagnostic?.fixIt?.location == diagnostic?.location)
    }

    @Test func whitespaceOnlyProfileIsEmpty() {
        let diagnostic = expectDiagnostic(.emptyProfile, .error, message: "profile is empty", in: "1️⃣   \n\n  \n")
        #expect(diagnostic?.hint?.contains("scimctl init") == true)
    }

    @Test func commentOnlyProfileIsEmpty() {
        expectDiagnostic(
            .emptyProfile, .error, message: "profile is empty",
            in: """
                1️⃣# a profile that was never written
                # vendor: Example
                """)
    }

    @Test func oversizedFileIsRefusedBeforeParsing() {
        let yaml = "1️⃣vendor: Example\n#" + String(repeating: "x", count: ProfileLoader.maximumSize) + "\n"
        expectDiagnostic(.fileTooLarge, .error, message: "profiles are limited to 1048576 bytes", in: yaml)
    }

    @Test func nulByteMeansBinary() {
        expectDiagnostic(
            .binaryFile, .error, message: "a NUL byte at offset 15",
            in: "1️⃣vendor: Example\u{0}\napplications: []\n")
    }

    @Test func unknownKeySuggestsTheClosestKey() {
        let diagnostic = expectDiagnostic(
            .unknownKey, .error, message: "unknown key 'descripton'",
            in: """
                vendor: Example
                1️⃣descripton: provisions example users
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                """)
        #expect(diagnostic?.hint == "did you mean 'description'?")
        #expect(diagnostic?.fixIt?.replacement == "description")
        #expect(diagnostic?.fixIt?.length == "descripton".count)
    }

    @Test func unknownKeyInsideAMappingNamesItsPath() {
        let diagnostic = expectDiagnostic(
            .unknownKey, .error, message: "unknown key 'sorce' in applications[0].users.attributes[0]",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: externalId
                          1️⃣sorce: objectId
                """, alone: false)
        #expect(diagnostic?.hint == "did you mean 'source'?")
    }

    @Test func missingRequiredKeyPointsAtItsMapping() {
        let diagnostic = expectDiagnostic(
            .missingKey, .error, message: "missing required key 'secretToken' in applications[0]",
            in: """
                vendor: Example
                applications:
                  - 1️⃣name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    users: {}
                """)
        #expect(diagnostic?.hint?.hasPrefix("add 'secretToken'") == true)
    }

    @Test func missingVendorPointsAtTheDocument() {
        expectDiagnostic(
            .missingKey, .error, message: "missing required key 'vendor' in profile",
            in: """
                1️⃣applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func emptyApplicationListNeedsAnEntry() {
        expectDiagnostic(
            .missingKey, .error, message: "applications needs at least 1 entry",
            in: """
                vendor: Example
                applications: 1️⃣[]
                """)
    }

    @Test func wrongTypeSaysWhatWasFound() {
        expectDiagnostic(
            .wrongType, .error, message: "applications must be a list, not 'everything'",
            in: """
                vendor: Example
                applications: 1️⃣everything
                """)
    }

    @Test func quotedTrueIsNotABoolean() {
        expectDiagnostic(
            .wrongType, .error, message: "applications[0].startProvisioning must be true or false, not 'true'",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    startProvisioning: 1️⃣"true"
                    users: {}
                """)
    }

    @Test func enumerationValueWithSuggestion() {
        let diagnostic = expectDiagnostic(
            .invalidValue, .error, message: "'asigned' is not a valid value for applications[0].scope",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    scope: 1️⃣asigned
                    users: {}
                """)
        #expect(diagnostic?.hint?.hasPrefix("did you mean 'assigned'?") == true)
        #expect(diagnostic?.fixIt?.replacement == "assigned")
    }

    @Test func applicationNameMustMatchItsPattern() {
        expectDiagnostic(
            .invalidValue, .error, message: "'Example_App' is not a valid value for applications[0].name",
            in: """
                vendor: Example
                applications:
                  - name: 1️⃣Example_App
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users: {}
                """)
    }

    @Test func matchingPrecedenceStartsAtOne() {
        expectDiagnostic(
            .invalidValue, .error, message: "must be at least 1, not 0",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - target: externalId
                          source: objectId
                          matchingPrecedence: 1️⃣0
                """)
    }

    @Test func sourceAndConstantTogether() {
        let diagnostic = expectDiagnostic(
            .exactlyOne, .error, message: "'source' and 'constant' are given",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - 1️⃣target: displayName
                          source: displayName
                          constant: Someone
                """)
        #expect(diagnostic?.hint == "keep exactly one of 'source', 'constant', 'expression'")
    }

    @Test func mappingWithoutAnySource() {
        expectDiagnostic(
            .exactlyOne, .error, message: "none is given",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken: none
                    users:
                      attributes:
                        - 1️⃣target: displayName
                """)
    }

    @Test func secretTokenWithBothEnvAndFile() {
        expectDiagnostic(
            .exactlyOne, .error, message: "applications[0].secretToken needs exactly one of 'env', 'file'",
            in: """
                vendor: Example
                applications:
                  - name: example
                    displayName: Example
                    tenantURL: https://scim.example.com/scim
                    secretToken:
                      1️⃣env: EXAMPLE_TOKEN
                      file: token.txt
                    users: {}
                """)
    }
}
