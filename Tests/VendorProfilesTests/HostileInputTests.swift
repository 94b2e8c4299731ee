import Diagnostics
import Testing

@testable import VendorProfiles

/// Input nobody should feed a profile loader: every case must come back as diagnostics, without trapping.
/// Sizes are bounded so the suite stays fast.
@Suite("Hostile input")
struct HostileInputTests {
    func load(_ bytes: [UInt8]) -> ProfileLoader.Result {
        ProfileLoader.load(bytes: bytes, file: "hostile.yaml")
    }

    func load(_ text: String) -> ProfileLoader.Result { load(Array(text.utf8)) }

    /// A small deterministic generator so the "random" bytes are the same on every run.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func emptyFile() {
        let result = load([UInt8]())
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.emptyProfile])
    }

    @Test func binaryGarbage() {
        var generator = SplitMix64(state: 42)
        var bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        bytes[100] = 0
        let result = load(bytes)
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.binaryFile])
        #expect(result.diagnostics.first?.location == SourceLocation(file: "hostile.yaml", line: 1, column: 1))
    }

    @Test func randomPrintableGarbageNeverTraps() {
        // Printable ASCII and newlines only: it gets past the binary check and into the YAML parser.
        var generator = SplitMix64(state: 7)
        let alphabet = Array("abc:-[]{}&*!|>'\"#%@`,? \n\t".utf8)
        for _ in 0..<50 {
            let bytes = (0..<300).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let result = load(bytes)
            #expect(result.profile != nil || result.diagnostics.hasErrors)
        }
    }

    @Test func fileLargerThanOneMebibyte() {
        let bytes = Array("vendor: Example\n".utf8) + [UInt8](repeating: UInt8(ascii: "#"), count: ProfileLoader.maximumSize)
        let result = load(bytes)
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.fileTooLarge])
        let fromText = ProfileLoader.load(text: String(decoding: bytes, as: UTF8.self), file: "hostile.yaml")
        #expect(fromText.diagnostics.map(\.id) == [.fileTooLarge])
    }

    @Test func exactlyOneMebibyteIsStillRead() {
        let head = "vendor: Example\napplications: []\n#"
        let text = head + String(repeating: "x", count: ProfileLoader.maximumSize - head.utf8.count)
        #expect(text.utf8.count == ProfileLoader.maximumSize)
        let result = load(text)
        #expect(!result.diagnostics.contains { $0.id == .fileTooLarge })
        #expect(result.diagnostics.contains { $0.id == .missingKey })
    }

    @Test func hundredThousandOpeningBrackets() {
        let result = load(String(repeating: "[", count: 100_000))
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.nestingTooDeep])
        #expect(result.diagnostics.first?.location?.column == 65)
    }

    @Test func tenThousandChainedListItems() {
        let result = load(String(repeating: "- ", count: 10_000) + "x\n")
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.nestingTooDeep])
    }

    @Test func indentationBeyondTheLimit() {
        // Deep block nesting by indentation alone.
        var text = "vendor: Example\n"
        for depth in 0..<300 { text += String(repeating: " ", count: depth) + "k\(depth):\n" }
        let result = load(text)
        #expect(result.diagnostics.map(\.id) == [.nestingTooDeep])
    }

    /// The classic "billion laughs": 9 levels, each a list of 9 aliases of the level below.
    static func aliasBomb(under key: String) -> String {
        var text = "vendor: Example\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<9 {
            let aliases = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(aliases)]\n"
        }
        return text + "\(key): *l8\n"
    }

    @Test(arguments: ["applications", "parameters", "rules", "unknown"])
    func aliasBombFinishesWithDiagnostics(key: String) {
        let result = load(Self.aliasBomb(under: key))
        #expect(result.diagnostics.hasErrors)
        // The helper keys l0…l8 are not profile keys.
        #expect(result.diagnostics.filter { $0.id == .unknownKey }.count >= 9)
    }

    @Test func aliasBombOfMappingsInsideApplications() {
        var text = """
            vendor: Example
            m0: &m0 {target: userName, source: mail}

            """
        for level in 1..<9 {
            let aliases = (0..<9).map { "k\($0): *m\(level - 1)" }.joined(separator: ", ")
            text += "m\(level): &m\(level) {\(aliases)}\n"
        }
        text += "applications: [*m8, *m8, *m8, *m8, *m8, *m8, *m8, *m8, *m8]\n"
        let result = load(text)
        #expect(result.diagnostics.hasErrors)
    }

    @Test func invalidUTF8() {
        let result = load(Array("vendor: Ex".utf8) + [0xC3, 0x28, 0xFF] + Array("ample\n".utf8))
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.binaryFile])
        #expect(result.diagnostics.first?.message.contains("UTF-8") == true)
    }

    @Test func onlyComments() {
        let result = load("# vendor: Example\n# applications: []\n\n   # indented comment\n")
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.emptyProfile])
    }

    @Test func multipleDocuments() {
        let result = load(
            """
            vendor: First
            applications: []
            ---
            vendor: Second
            applications: []
            """)
        #expect(result.profile == nil)
        #expect(result.diagnostics.map(\.id) == [.yamlSyntax])
        #expect(result.diagnostics.first?.location?.line == 3)
    }

    @Test func topLevelScalarOrList() {
        for text in ["just a sentence\n", "- a\n- b\n", "42\n"] {
            let result = load(text)
            #expect(result.profile == nil, "\(text)")
            #expect(result.diagnostics.contains { $0.id == .wrongType }, "\(text): \(result.diagnostics)")
        }
    }

    @Test func nonStringKeysAndNullValues() {
        let result = load(
            """
            vendor: ~
            ? [a, b]
            : c
            applications:
              - ~
            """)
        #expect(result.diagnostics.contains { $0.id == .wrongType })
        #expect(result.diagnostics.contains { $0.id == .unknownKey })
    }

    @Test func windowsLineEndingsKeepLocations() {
        let lines = [
            "vendor: Example", "applications:", "  - name: example", "    displayName: Example",
            "    tenantURL: http://scim.example.com/scim", "    secretToken: none", "    users: {}",
        ]
        let unix = load(lines.joined(separator: "\n") + "\n")
        let windows = load(lines.joined(separator: "\r\n") + "\r\n")
        let unixFindings = unix.profile.map { ProfileValidator.validate($0) } ?? []
        let windowsFindings = windows.profile.map { ProfileValidator.validate($0) } ?? []
        #expect(unixFindings.first { $0.id == .tenantURL }?.location?.line == 5)
        #expect(
            windowsFindings.filter { $0.severity != .note }.map(\.location)
                == unixFindings.filter { $0.severity != .note }.map(\.location))
    }

    @Test func byteOrderMarkIsAccepted() {
        let text = "\u{FEFF}vendor: Example\napplications:\n  - name: example\n    displayName: Example\n"
            + "    tenantURL: https://scim.example.com/scim\n    secretToken: none\n    users: {}\n"
        let result = load(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.profile?.vendor == "Example")
        // Columns on the first line count from after the mark, as an editor shows them.
        let misspelled = load("\u{FEFF}vendor: Example\ndescripton: x\n")
        #expect(misspelled.diagnostics.first { $0.id == .unknownKey }?.location?.line == 2)
        let firstLine = load("\u{FEFF}vendr: Example\n")
        #expect(firstLine.diagnostics.first { $0.id == .unknownKey }?.location?.column == 1)
    }
}
