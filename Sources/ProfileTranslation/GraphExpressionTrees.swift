import Expressions
import GraphModel
import VendorProfiles

/// Graph's own trees for a profile's expressions. Online, every expression is compiled by Graph's
/// `parseExpression` and the schema PUT carries the tree Graph returned, so parameter keys scimctl's catalogue can
/// only guess (functions outside Graph's published list) are Graph's. Offline work keeps the local compiler.
public enum GraphExpressionTrees {
    /// The profile's distinct expression texts (trimmed), in mapping order.
    public static func expressions(of application: ResolvedApplication) -> [String] {
        var texts: [String] = []
        for mapping in application.users.mappings + application.groups.mappings {
            guard case .expression(let text) = mapping.source else { continue }
            let trimmed = String(Substring(text).trimmingWhitespace())
            if !texts.contains(trimmed) { texts.append(trimmed) }
        }
        return texts
    }

    /// The body of `POST …/schema/parseExpression` that only parses (no test object to evaluate).
    public static func parseRequest(_ expression: String) -> JSONValue {
        var request = ParseExpressionRequest(expression: expression)
        request.json["targetAttributeDefinition"] = .null
        request.json["testInputObject"] = .null
        return request.json
    }

    /// Graph's answer read: the tree, or the reason it did not parse.
    public static func tree(fromAnswer answer: JSONValue?) -> Result<JSONValue, ParseFailure> {
        let response = answer.map(ParseExpressionResponse.init(json:))
        if response?.parsingSucceeded == false {
            return .failure(ParseFailure(message: response?.error?.message ?? "Graph could not parse it"))
        }
        guard let tree = response?.parsedExpression else {
            return .failure(ParseFailure(message: "Graph's answer has no parsedExpression"))
        }
        return .success(tree.json)
    }

    public struct ParseFailure: Error, Sendable, Hashable {
        public var message: String
    }

    /// `schema` with Graph's tree in place of each locally compiled tree of one of `trees`' expressions.
    /// Sources merge left as they were (the tenant already says the same) are not touched.
    public static func substituting(_ trees: [String: JSONValue], in schema: SynchronizationSchema) -> SynchronizationSchema {
        guard !trees.isEmpty else { return schema }
        var local: [JSONValue: JSONValue] = [:]
        for (text, tree) in trees { local[MappingSourceJSON.make(.expression(text))] = tree }
        var json = schema.json
        guard var rules = json["synchronizationRules"]?.arrayValue else { return schema }
        for ruleIndex in rules.indices {
            guard var objectMappings = rules[ruleIndex]["objectMappings"]?.arrayValue else { continue }
            for objectIndex in objectMappings.indices {
                guard var mappings = objectMappings[objectIndex]["attributeMappings"]?.arrayValue else { continue }
                for index in mappings.indices {
                    if let source = mappings[index]["source"], let tree = local[source] { mappings[index]["source"] = tree }
                }
                objectMappings[objectIndex]["attributeMappings"] = .array(mappings)
            }
            rules[ruleIndex]["objectMappings"] = .array(objectMappings)
        }
        json["synchronizationRules"] = .array(rules)
        return SynchronizationSchema(json: json)
    }

    /// Where Graph's tree differs from the local compiler's, in words (for `--verbose`).
    public static func differences(_ trees: [String: JSONValue]) -> [String] {
        trees.keys.sorted().compactMap { text in
            guard let tree = trees[text] else { return nil }
            let local = MappingSourceJSON.make(.expression(text))
            guard local != tree else { return nil }
            let ours = keys(of: local)
            let graphs = keys(of: tree)
            let detail = ours == graphs ? "tree shape" : "parameter keys \(graphs.joined(separator: ", ")) (local: \(ours.joined(separator: ", ")))"
            return "Graph's tree for \(text) differs from the local one: \(detail)"
        }
    }

    /// Every parameter key in a tree, depth first.
    static func keys(of tree: JSONValue) -> [String] {
        (tree["parameters"]?.arrayValue ?? []).flatMap { parameter -> [String] in
            [parameter["key"]?.stringValue ?? "?"] + (parameter["value"].map { keys(of: $0) } ?? [])
        }
    }
}
