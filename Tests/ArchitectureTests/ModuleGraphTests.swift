import Foundation
import Testing

/// The module graph written in docs/architecture.md is the one Package.swift declares, and the layering it
/// promises holds: the HTTP layer and the emulator never reach the profile model or Yams.
@Suite struct ModuleGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func documentedGraphMatchesThePackage() throws {
        let declared = ModuleGraph.parsePackage(try Self.read("Package.swift"))
        let documented = try #require(
            ModuleGraph.parseDocumentation(try Self.read("docs/architecture.md")),
            "docs/architecture.md has no \"## Module dependency graph\" section")
        #expect(!declared.isEmpty)
        for name in Set(declared.keys).union(documented.keys).sorted() {
            #expect(
                documented[name] == declared[name],
                "\(name): Package.swift says \(declared[name]?.sorted() ?? []), docs/architecture.md says \(documented[name]?.sorted() ?? [])")
        }
    }

    @Test func httpAndEmulatorStayOffTheProfileModel() throws {
        let graph = ModuleGraph.parsePackage(try Self.read("Package.swift"))
        #expect(graph["GraphModel"] == [])
        for module in ["GraphHTTP", "GraphEmulator", "Expressions"] {
            let reached = ModuleGraph.reachable(from: module, in: graph)
            #expect(!reached.isEmpty, "\(module) is not in Package.swift")
            #expect(reached.isDisjoint(with: ["VendorProfiles", "ProfileTranslation", "Yams"]), "\(module) reaches \(reached.sorted())")
        }
    }

    @Test func parsesTargetsDependenciesAndProducts() {
        let package = """
            .target(name: "A"),
            .target(
                name: "B",
                dependencies: ["A", .product(name: "Yams", package: "Yams")]
            ),
            .systemLibrary(name: "C", providers: [.apt(["libc-dev"])]),
            .executableTarget(name: "d", dependencies: ["B"], path: "Elsewhere/d"),
            .testTarget(name: "BTests", dependencies: ["B"]),
            """
        #expect(ModuleGraph.parsePackage(package) == ["A": [], "B": ["A", "Yams"], "C": [], "d": ["B"]])
        let docs = """
            # Title
            ## Module dependency graph
            - `A` → —
            - B → A, Yams
            - **Prose** mentioning profile → Graph is not an entry.
            ## Next
            - E → F
            """
        #expect(ModuleGraph.parseDocumentation(docs) == ["A": [], "B": ["A", "Yams"]])
        #expect(ModuleGraph.reachable(from: "d", in: ["A": [], "B": ["A", "Yams"], "d": ["B"]]) == ["A", "B", "Yams"])
    }
}

/// Module → direct dependencies (targets and third-party products), read from the two texts.
enum ModuleGraph {
    /// Non-test targets of a Package.swift text. Third-party products count under their product name.
    static func parsePackage(_ text: String) -> [String: Set<String>] {
        var graph: [String: Set<String>] = [:]
        let characters = Array(text)
        var index = 0
        let openers = [".target(", ".executableTarget(", ".systemLibrary("].map(Array.init)
        while index < characters.count {
            guard let opener = openers.first(where: { characters[index...].starts(with: $0) }) else {
                index += 1
                continue
            }
            let start = index + opener.count
            let end = closing(characters, from: start, open: "(", close: ")")
            let entry = String(characters[start..<end])
            if let name = firstQuoted(after: "name:", in: entry) {
                graph[name] = dependencies(in: entry)
            }
            index = end
        }
        return graph
    }

    /// The `- Module → A, B` lines of the "## Module dependency graph" section; nil when there is no such section.
    static func parseDocumentation(_ text: String) -> [String: Set<String>]? {
        var graph: [String: Set<String>]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                if graph != nil { break }
                if line.trimmingCharacters(in: .whitespaces) == "## Module dependency graph" { graph = [:] }
                continue
            }
            guard graph != nil, line.hasPrefix("- "), let arrow = line.range(of: "→") else { continue }
            let name = clean(line[line.index(line.startIndex, offsetBy: 2)..<arrow.lowerBound])
            guard !name.isEmpty, !name.contains(" ") else { continue }
            let targets = line[arrow.upperBound...].split(separator: ",").map(clean).filter { !$0.isEmpty && $0 != "—" }
            graph?[name] = Set(targets)
        }
        return graph
    }

    static func reachable(from module: String, in graph: [String: Set<String>]) -> Set<String> {
        var seen: Set<String> = []
        var pending = Array(graph[module] ?? [])
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            pending += graph[next] ?? []
        }
        return seen
    }

    private static func clean(_ text: Substring) -> String {
        text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`*"))
    }

    /// Names listed in the entry's `dependencies: [...]`; a product's `package:` is not a dependency name.
    private static func dependencies(in entry: String) -> Set<String> {
        guard let label = entry.range(of: "dependencies:"), let open = entry[label.upperBound...].firstIndex(of: "[")
        else { return [] }
        let characters = Array(entry[open...])
        let list = String(characters[1..<closing(characters, from: 1, open: "[", close: "]")])
        let names = list.replacing(#/package:\s*"[^"]*"/#, with: "")
        return Set(names.matches(of: #/"([^"]*)"/#).map { String($0.output.1) })
    }

    private static func firstQuoted(after label: String, in entry: String) -> String? {
        guard let range = entry.range(of: label) else { return nil }
        return entry[range.upperBound...].firstMatch(of: #/"([^"]*)"/#).map { String($0.output.1) }
    }

    /// Index of the bracket closing the one opened just before `from` (or the end of the text).
    private static func closing(_ characters: [Character], from: Int, open: Character, close: Character) -> Int {
        var depth = 1
        var inString = false
        var index = from
        while index < characters.count {
            let character = characters[index]
            if character == "\"" {
                inString.toggle()
            } else if !inString {
                if character == open { depth += 1 }
                if character == close {
                    depth -= 1
                    if depth == 0 { return index }
                }
            }
            index += 1
        }
        return characters.count
    }
}
