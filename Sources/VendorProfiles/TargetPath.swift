import Diagnostics

/// The syntax of a SCIM target attribute as Entra writes it (RFC 7644 §3.10 attribute notation plus one value
/// filter): `userName`, `name.givenName`, `emails[type eq "work"].value`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
public enum TargetPath {
    public struct SyntaxError: Error, Hashable, Sendable {
        /// 0-based offset in Unicode scalars where the problem is.
        public var offset: Int
        public var message: String
    }

    /// Nil when `path` is well formed.
    public static func syntaxError(in path: String) -> SyntaxError? {
        let scalars = Array(path.unicodeScalars)
        var index = 0
        func isNameStart(_ s: Unicode.Scalar) -> Bool { s.isASCII && s.properties.isAlphabetic }
        func isNameChar(_ s: Unicode.Scalar) -> Bool {
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-" || s == "$")
        }
        if scalars.isEmpty { return SyntaxError(offset: 0, message: "target attribute is empty") }
        // An optional schema URN prefix ends at the last ':'.
        if path.hasPrefix("urn:") {
            guard let lastColon = scalars.lastIndex(of: ":"), lastColon > 3 else {
                return SyntaxError(offset: 0, message: "schema URN has no attribute after it")
            }
            for (offset, scalar) in scalars[..<lastColon].enumerated() where !(isNameChar(scalar) || scalar == ":" || scalar == ".") {
                return SyntaxError(offset: offset, message: "unexpected '\(scalar)' in the schema URN")
            }
            index = lastColon + 1
        }
        func name() -> SyntaxError? {
            guard index < scalars.count, isNameStart(scalars[index]) else {
                let found = index < scalars.count ? "'\(scalars[index])'" : "the end"
                return SyntaxError(offset: index, message: "expected an attribute name, found \(found)")
            }
            while index < scalars.count, isNameChar(scalars[index]) { index += 1 }
            return nil
        }
        if let error = name() { return error }
        if index < scalars.count, scalars[index] == "[" {
            // A value filter: [attr eq "value"]; Entra uses only `eq`.
            index += 1
            if let error = name() { return error }
            guard index + 4 <= scalars.count, String(String.UnicodeScalarView(scalars[index..<index + 4])) == " eq " else {
                return SyntaxError(offset: index, message: "expected ' eq ' in the value filter")
            }
            index += 4
            guard index < scalars.count, scalars[index] == "\"" else {
                let found = index < scalars.count ? scalars[index] : " "
                if "“”‘’'".unicodeScalars.contains(found) {
                    return SyntaxError(offset: index, message: "filter value must be in straight double quotes, not \(found)")
                }
                return SyntaxError(offset: index, message: "expected a double-quoted value in the filter")
            }
            index += 1
            while index < scalars.count, scalars[index] != "\"" { index += 1 }
            guard index < scalars.count else { return SyntaxError(offset: index, message: "unterminated filter value") }
            index += 1
            guard index < scalars.count, scalars[index] == "]" else {
                return SyntaxError(offset: index, message: "expected ']' to close the value filter")
            }
            index += 1
        }
        if index < scalars.count, scalars[index] == "." {
            index += 1
            if let error = name() { return error }
        }
        if index < scalars.count {
            return SyntaxError(offset: index, message: "unexpected '\(scalars[index])' after the attribute")
        }
        return nil
    }
}
