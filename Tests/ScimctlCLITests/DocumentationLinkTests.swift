import Foundation
import Testing

/// Keeps the documentation honest: every relative link in README.md, CONTRIBUTING.md and docs/*.md must name a file
/// or folder of the repository, and a `#fragment` on a Markdown file must name one of its headings.
@Suite struct DocumentationLinkTests {
    /// The repository root (this file is Tests/ScimctlCLITests/DocumentationLinkTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func documents() throws -> [URL] {
        let docs = root.appendingPathComponent("docs")
        let pages = try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        let top = ["README.md", "CONTRIBUTING.md"].map { root.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        return (top + pages).sorted { $0.path < $1.path }
    }

    @Test func everyRelativeLinkResolves() throws {
        let documents = try Self.documents()
        #expect(documents.contains { $0.lastPathComponent == "README.md" && $0.deletingLastPathComponent() == Self.root })
        var checked = 0
        for document in documents {
            let text = try String(contentsOf: document, encoding: .utf8)
            let name = document.path.replacingOccurrences(of: Self.root.path + "/", with: "")
            for link in MarkdownLinks.relativeLinks(in: text) {
                checked += 1
                let (path, fragment) = MarkdownLinks.split(link.target)
                let target = path.isEmpty ? document : document.deletingLastPathComponent().appendingPathComponent(path)
                    .standardizedFileURL
                #expect(
                    FileManager.default.fileExists(atPath: target.path),
                    "\(name):\(link.line): the link to '\(link.target)' names no file")
                guard let fragment, target.pathExtension == "md", FileManager.default.fileExists(atPath: target.path)
                else { continue }
                let anchors = MarkdownLinks.anchors(in: try String(contentsOf: target, encoding: .utf8))
                #expect(anchors.contains(fragment), "\(name):\(link.line): '\(link.target)' names no heading of that page")
            }
        }
        #expect(checked > 20, "the link scanner found only \(checked) relative links; is it still reading the pages?")
    }

    @Test func anchorsFollowGitHubsRules() {
        let page = """
            # Title
            ## `scimctl plan profile` and `scimctl apply profile`
            ## Control endpoints (no authentication)
            ## Limits
            ```
            ## not a heading inside a code block
            ```
            ## Limits
            """
        #expect(
            MarkdownLinks.anchors(in: page) == [
                "title", "scimctl-plan-profile-and-scimctl-apply-profile", "control-endpoints-no-authentication", "limits",
                "limits-1",
            ])
    }

    @Test func linksInCodeAreNotLinks() {
        let page = """
            See [the format](docs/profile-format.md#parameters) and [a site](https://example.com).
            `Switch([IsSoftDeleted], , "False")` and `[x](not-a-link.md)` are code.
            ```
            [inside](a-fence.md)
            ```
            An image: ![logo](img/logo.png).
            """
        #expect(MarkdownLinks.relativeLinks(in: page).map(\.target) == ["docs/profile-format.md#parameters", "img/logo.png"])
        #expect(MarkdownLinks.relativeLinks(in: page).map(\.line) == [1, 6])
    }
}

/// Just enough Markdown for links and headings: fenced code blocks and inline code spans are skipped.
enum MarkdownLinks {
    struct Link {
        var target: String
        var line: Int
    }

    /// Links and images whose target is not an absolute URL (`http:`, `https:`, `mailto:`).
    static func relativeLinks(in text: String) -> [Link] {
        var links: [Link] = []
        for (index, line) in proseLines(text) {
            let prose = withoutCodeSpans(line)
            var rest = prose[...]
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                let target = String(after[..<close]).trimmingCharacters(in: .whitespaces)
                rest = after[after.index(after: close)...]
                if target.isEmpty || target.contains(" ") { continue }
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") { continue }
                links.append(Link(target: target, line: index + 1))
            }
        }
        return links
    }

    /// `path#fragment` → (`path`, `fragment`), with percent-escapes in the path decoded.
    static func split(_ target: String) -> (path: String, fragment: String?) {
        guard let hash = target.firstIndex(of: "#") else { return (target.removingPercentEncoding ?? target, nil) }
        let path = String(target[..<hash])
        return (path.removingPercentEncoding ?? path, String(target[target.index(after: hash)...]))
    }

    /// The anchors GitHub gives a page's headings: lower-cased, punctuation dropped, spaces as hyphens, and `-1`,
    /// `-2` … for repeats.
    static func anchors(in text: String) -> [String] {
        var seen: [String: Int] = [:]
        var anchors: [String] = []
        for (_, line) in proseLines(text) {
            guard line.hasPrefix("#") else { continue }
            let level = line.prefix { $0 == "#" }.count
            guard level <= 6, line.dropFirst(level).first == " " else { continue }
            let title = line.dropFirst(level).trimmingCharacters(in: .whitespaces)
            var slug = ""
            for character in title.lowercased() {
                if character.isLetter || character.isNumber || character == "-" || character == "_" {
                    slug.append(character)
                } else if character == " " {
                    slug.append("-")
                }
            }
            let count = seen[slug, default: 0]
            seen[slug] = count + 1
            anchors.append(count == 0 ? slug : "\(slug)-\(count)")
        }
        return anchors
    }

    /// Lines outside fenced code blocks, with their 0-based index.
    private static func proseLines(_ text: String) -> [(Int, String)] {
        var inFence = false
        var result: [(Int, String)] = []
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if !inFence { result.append((index, line)) }
        }
        return result
    }

    /// The line with every `code span` removed (a span closes with as many backticks as opened it).
    private static func withoutCodeSpans(_ line: String) -> String {
        var output = ""
        var index = line.startIndex
        while index < line.endIndex {
            guard line[index] == "`" else {
                output.append(line[index])
                index = line.index(after: index)
                continue
            }
            let run = line[index...].prefix { $0 == "`" }
            let fence = String(run)
            let afterOpen = line.index(index, offsetBy: run.count)
            if let close = line[afterOpen...].range(of: fence) {
                index = close.upperBound
            } else {
                output += fence
                index = afterOpen
            }
        }
        return output
    }
}
