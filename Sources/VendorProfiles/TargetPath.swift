import Diagnostics

/// The syntax of a SCIM target attribute as Entra writes it (RFC 7644 §3.10 attribute notation plus one value
/// filter): `userName`, `name.givenName`, `emails[type eq "work"].value`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
public struct TargetPath: Sendable, Hashable {
    /// `[filterAttribute eq "value"]`.
    public struct Filter: Sendable, Hashable {
        public var attribute: String
        public var value: String
    }

    public struct SyntaxError: Error, Hashable, Sendable {
        /// 0-based offset in Unicode scalars where the problem is.
        public var offset: Int
        public var message: String
    }

    /// The schema URN before the attribute (`urn:…:enterprise:2.0:User`), without the final `:`.
    public var schemaURN: String?
    public var attribute: String
    public var filter: Filter?
    public var subAttribute: String?

    /// The parts of a well-formed path; nil when it is malformed (`syntaxError(in:)` says why).
    public init?(_ path: String) {
        guard case .success(let parsed) = Self.parse(path) else { return nil }
        self = parsed
    }

    /// Nil when `path` is well formed.
    public static func syntaxError(in path: String) -> SyntaxError? {
        if case .failure(let error) = parse(path) { return error }
        return nil
    }

    /// The one parser of target paths: the validator reports its errors, the SCIM probe searches schemas by its parts.
    public static func parse(_ path: String) -> Result<TargetPath, SyntaxError> {
        let scalars = Array(path.unicodeScalars)
        var index = 0
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        func isNameStart(_ s: Unicode.Scalar) -> Bool { s.isASCII && s.properties.isAlphabetic }
        func isNameChar(_ s: Unicode.Scalar) -> Bool {
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-" || s == "$")
        }
        func failure(_ offset: Int, _ message: String) -> Result<TargetPath, SyntaxError> {
            .failure(SyntaxError(offset: offset, message: message))
        }
        if scalars.isEmpty { return failure(0, "target attribute is empty") }
        var schemaURN: String?
        // An optional schema URN prefix ends at the last ':'.
        if path.hasPrefix("urn:") {
            guard let lastColon = scalars.lastIndex(of: ":"), lastColon > 3 else {
                return failure(0, "schema URN has no attribute after it")
            }
            for (offset, scalar) in scalars[..<lastColon].enumerated() where !(isNameChar(scalar) || scalar == ":" || scalar == ".") {
                return failure(offset, "unexpected '\(scalar)' in the schema URN")
            }
            schemaURN = text(0..<lastColon)
            index = lastColon + 1
        }
        func name() -> Result<String, SyntaxError> {
            guard index < scalars.count, isNameStart(scalars[index]) else {
                let found = index < scalars.count ? "'\(scalars[index])'" : "the end"
                return .failure(SyntaxError(offset: index, message: "expected an attribute name, found \(found)"))
            }
            let start = index
            while index < scalars.count, isNameChar(scalars[index]) { index += 1 }
            return .success(text(start..<index))
        }
        let attribute: String
        switch name() {
        case .success(let found): attribute = found
        case .failure(let error): return .failure(error)
        }
        var filter: Filter?
        if index < scalars.count, scalars[index] == "[" {
            // A value filter: [attr eq "value"]; Entra uses only `eq`.
            index += 1
            let filterAttribute: String
            switch name() {
            case .success(let found): filterAttribute = found
            case .failure(let error): return .failure(error)
            }
            guard index + 4 <= scalars.count, text(index..<index + 4) == " eq " else {
                return failure(index, "expected ' eq ' in the value filter")
            }
            index += 4
            guard index < scalars.count, scalars[index] == "\"" else {
                let found = index < scalars.count ? scalars[index] : " "
                if "“”‘’'".unicodeScalars.contains(found) {
                    return failure(index, "filter value must be in straight double quotes, not \(found)")
                }
                return failure(index, "expected a double-quoted value in the filter")
            }
            index += 1
            let valueStart = index
            while index < scalars.count, scalars[index] != "\"" { index += 1 }
            guard index < scalars.count else { return failure(index, "unterminated filter value") }
            filter = Filter(attribute: filterAttribute, value: text(valueStart..<index))
            index += 1
            guard index < scalars.count, scalars[index] == "]" else {
                return failure(index, "expected ']' to close the value filter")
            }
            index += 1
        }
        var subAttribute: String?
        if index < scalars.count, scalars[index] == "." {
            index += 1
            switch name() {
            case .success(let found): subAttribute = found
            case .failure(let error): return .failure(error)
            }
        }
        if index < scalars.count {
            return failure(index, "unexpected '\(scalars[index])' after the attribute")
        }
        return .success(TargetPath(schemaURN: schemaURN, attribute: attribute, filter: filter, subAttribute: subAttribute))
    }

    private init(schemaURN: String?, attribute: String, filter: Filter?, subAttribute: String?) {
        self.schemaURN = schemaURN
        self.attribute = attribute
        self.filter = filter
        self.subAttribute = subAttribute
    }
}
