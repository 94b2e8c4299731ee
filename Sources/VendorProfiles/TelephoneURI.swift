/// RFC 3966 `tel:` URIs, checked against the RFC's grammar:
///
/// - a global number: `+`, digits with the visual separators `-`, `.`, `(`, `)`; no `phone-context`;
/// - a local number: hex digits, `*` and `#` with the same separators, which must carry exactly one
///   `;phone-context=` naming a domain (`example.com`) or a global number prefix (`+1-212`);
/// - parameters after the number: `;ext=` (phone digits), `;isub=` (URI characters), and any other
///   `;name[=value]`. `ext`, `isub` and `phone-context` appear at most once; names compare without case.
public enum TelephoneURI {
    /// What is wrong with `value`, or nil when it is a valid `tel:` URI.
    public static func problem(_ value: String) -> String? {
        guard value.count > 4, value.prefix(4).lowercased() == "tel:" else {
            return "is not an RFC 3966 tel: URI (expected tel:+<country code>… or a local number with ;phone-context=)"
        }
        let parts = value.dropFirst(4).split(separator: ";", omittingEmptySubsequences: false)
        let number = parts[0]
        let isGlobal = number.hasPrefix("+")
        if isGlobal {
            if let problem = globalDigitsProblem(number) { return problem }
        } else {
            guard !number.isEmpty else { return "has no number after tel:" }
            if let bad = number.first(where: { !isPhoneDigitHex($0) }) {
                return "contains '\(bad)', which RFC 3966 does not allow in a number"
            }
            guard number.contains(where: { $0.isHexDigit || $0 == "*" || $0 == "#" }) else {
                return "has no digits in its number"
            }
        }
        var seen: Set<String> = []
        for parameter in parts.dropFirst() {
            guard !parameter.isEmpty else { return "has an empty parameter (';;' or a trailing ';')" }
            let pieces = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].lowercased()
            let parameterValue = pieces.count == 2 ? pieces[1] : nil
            guard !name.isEmpty, name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }) else {
                return "has a parameter name '\(pieces[0])' that is not letters, digits and '-'"
            }
            if ["ext", "isub", "phone-context"].contains(name) {
                guard seen.insert(name).inserted else { return "has ';\(name)=' more than once" }
                guard let parameterValue, !parameterValue.isEmpty else { return "has ';\(name)' without a value" }
            }
            switch name {
            case "ext":
                if let bad = parameterValue?.first(where: { !isPhoneDigit($0) }) {
                    return "has an extension with '\(bad)'; ;ext= takes digits and - . ( ) only"
                }
                guard parameterValue?.contains(where: { $0.isASCII && $0.isNumber }) == true else {
                    return "has an extension without digits"
                }
            case "isub":
                if let problem = uricProblem(parameterValue ?? "") { return "has an ;isub= value that \(problem)" }
            case "phone-context":
                guard !isGlobal else { return "is a global number (+…) and must not carry ;phone-context=" }
                let descriptor = parameterValue ?? ""
                if descriptor.hasPrefix("+") {
                    if let problem = globalDigitsProblem(descriptor) { return "has a phone-context that \(problem)" }
                } else if !isDomainName(descriptor) {
                    return "has a phone-context '\(descriptor)' that is neither a domain name nor a +global number prefix"
                }
            default:
                if let parameterValue {
                    guard !parameterValue.isEmpty else { return "has ';\(name)=' without a value" }
                    if let problem = paramcharProblem(parameterValue) { return "has a ;\(name)= value that \(problem)" }
                }
            }
        }
        if !isGlobal, !seen.contains("phone-context") {
            return "is a local number without ;phone-context= (write tel:+<country code>… or add ;phone-context=)"
        }
        return nil
    }

    static func isVisualSeparator(_ character: Character) -> Bool { "-.()".contains(character) }

    static func isPhoneDigit(_ character: Character) -> Bool {
        (character.isASCII && character.isNumber) || isVisualSeparator(character)
    }

    static func isPhoneDigitHex(_ character: Character) -> Bool {
        character.isHexDigit || character == "*" || character == "#" || isVisualSeparator(character)
    }

    /// `"+" *phonedigit DIGIT *phonedigit`.
    static func globalDigitsProblem(_ text: Substring) -> String? {
        let digits = text.dropFirst()
        if let bad = digits.first(where: { !isPhoneDigit($0) }) {
            return "contains '\(bad)', which RFC 3966 does not allow in a number"
        }
        guard digits.contains(where: { $0.isASCII && $0.isNumber }) else { return "has no digits after +" }
        return nil
    }

    /// `*( domainlabel "." ) toplabel [ "." ]`, where the top label starts with a letter.
    static func isDomainName(_ text: Substring) -> Bool {
        var labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        guard let top = labels.last, top.first?.isASCII == true, top.first?.isLetter == true else { return false }
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            func alphanumeric(_ character: Character) -> Bool { character.isASCII && (character.isLetter || character.isNumber) }
            return alphanumeric(first) && alphanumeric(last) && label.allSatisfy { alphanumeric($0) || $0 == "-" }
        }
    }

    /// `unreserved / param-unreserved / pct-encoded`.
    static func paramcharProblem(_ text: Substring) -> String? {
        characterProblem(text, allowed: "-_.!~*'()[]/:&+$")
    }

    /// `reserved / unreserved / pct-encoded` (without `;`, which ends the parameter).
    static func uricProblem(_ text: Substring) -> String? {
        characterProblem(text, allowed: "/?:@&=+$,-_.!~*'()")
    }

    private static func characterProblem(_ text: Substring, allowed: String) -> String? {
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "%" {
                let hex = text[text.index(after: index)...].prefix(2)
                guard hex.count == 2, hex.allSatisfy(\.isHexDigit) else { return "has a '%' not followed by two hex digits" }
                index = text.index(index, offsetBy: 3)
                continue
            }
            guard (character.isASCII && (character.isLetter || character.isNumber)) || allowed.contains(character) else {
                return "contains '\(character)', which must be percent-encoded"
            }
            index = text.index(after: index)
        }
        return nil
    }
}
