import FuzzSupport
import Expressions

/// The input is a pattern, a NUL, and a subject. Compiling must refuse or succeed, and matching must finish (the
/// step budget bounds it) without trapping; every reported range must lie within the subject.
runFuzzer { data, size in
    let bytes = input(data, size)
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let pattern = String(decoding: bytes[..<split], as: UTF8.self)
    let subject = split < bytes.count ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : ""
    guard let regex = try? BoundedRegex(pattern) else { return 0 }
    let length = subject.unicodeScalars.count
    _ = try? regex.wholeMatch(subject)
    if let matches = try? regex.matches(in: subject) {
        for match in matches {
            precondition(match.range.lowerBound >= 0 && match.range.upperBound <= length, "match outside the subject")
            for group in match.groups.compactMap({ $0 }) {
                precondition(group.lowerBound >= 0 && group.upperBound <= length, "group outside the subject")
            }
        }
    }
    return 0
}
