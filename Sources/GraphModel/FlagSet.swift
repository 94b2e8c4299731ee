/// A Graph flags enum value such as `objectFlowTypes` ("Add, Update, Delete") or a restart `resetScope`.
/// Graph writes member names joined by ", "; some documents omit the space, so both spellings parse.
/// Members keep a canonical order (the order of `knownMembers`); names scimctl does not know are kept after them.
public struct FlagSet: Sendable, Hashable, CustomStringConvertible {
    public private(set) var members: [String]

    public init(members: [String], knownMembers: [String]) {
        var seen = Set<String>()
        let unique = members.filter { seen.insert($0).inserted }
        let known = knownMembers.filter { seen.contains($0) }
        let unknown = unique.filter { !knownMembers.contains($0) }
        self.members = known + unknown
    }

    public init(parsing text: String, knownMembers: [String]) {
        let names = text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        // "None" is the empty set; it only survives when it is the sole member.
        let meaningful = names.count > 1 ? names.filter { $0 != "None" } : names
        self.init(members: meaningful, knownMembers: knownMembers)
    }

    public func contains(_ member: String) -> Bool { members.contains(member) }

    /// Graph's canonical spelling: names joined by ", ".
    public var description: String { members.isEmpty ? "None" : members.joined(separator: ", ") }
}

/// `objectMapping.flowTypes`: which object operations flow (Add = create, Update, Delete).
public enum ObjectFlowTypes {
    public static let members = ["Add", "Update", "Delete"]

    public static func parse(_ text: String) -> FlagSet { FlagSet(parsing: text, knownMembers: members) }

    public static func make(_ names: [String]) -> FlagSet { FlagSet(members: names, knownMembers: members) }
}

/// `restart` criteria `resetScope` members.
public enum RestartScope {
    public static let members = ["None", "ConnectorDataStore", "Escrows", "Watermark", "QuarantineState", "Full", "ForceDeletes"]

    public static func parse(_ text: String) -> FlagSet { FlagSet(parsing: text, knownMembers: members) }

    public static func make(_ names: [String]) -> FlagSet { FlagSet(members: names, knownMembers: members) }
}

extension Substring {
    /// Shared with the translation module (package access): Graph flag lists and expression text are trimmed alike.
    package func trimmingWhitespace() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
