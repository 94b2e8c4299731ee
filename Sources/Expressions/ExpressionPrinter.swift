/// Canonical text: `Name(a, , b)` with ", " between slots, `[attr]`, `"text"` with `\"`/`\\` escapes,
/// and single spaces around comparison operators. This is also the spelling Graph echoes back.
public enum ExpressionPrinter {
    public static func print(_ expression: Expression) -> String {
        var output = ""
        write(expression, to: &output)
        return output
    }

    /// A string constant as expression text.
    public static func quote(_ value: String) -> String {
        var output = "\""
        output.reserveCapacity(value.utf8.count + 2)
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" { output.unicodeScalars.append("\\") }
            output.unicodeScalars.append(character)
        }
        output.append("\"")
        return output
    }

    private static func write(_ expression: Expression, to output: inout String) {
        switch expression {
        case .attribute(let name):
            output += "["
            output += name
            output += "]"
        case .constant(let value):
            output += quote(value)
        case .number(let digits):
            output += digits
        case .call(let name, let arguments):
            output += name
            output += "("
            for (index, argument) in arguments.enumerated() {
                if index > 0 { output += ", " }
                if let argument { write(argument, to: &output) }
            }
            output += ")"
        case .comparison(let lhs, let op, let rhs):
            write(lhs, to: &output)
            output += " "
            output += op.rawValue
            output += " "
            write(rhs, to: &output)
        }
    }
}

extension Expression: CustomStringConvertible {
    public var description: String { ExpressionPrinter.print(self) }
}
