import Diagnostics
import Expressions

/// Stable ids of the rules `simulate` applies to every user. The vendor value formats keep their `preview.format-*`
/// ids: one rule, one id, whether it fails on a sample or in the directory.
extension DiagnosticID {
    public static let simulateEvaluationError: DiagnosticID = "simulate.evaluation-error"
    public static let simulateMatchingAttributeEmpty: DiagnosticID = "simulate.matching-attribute-empty"
    public static let simulateRequiredTargetEmpty: DiagnosticID = "simulate.required-target-empty"
    public static let simulateDuplicateMatchingValue: DiagnosticID = "simulate.duplicate-matching-value"
    public static let simulateValueTooLong: DiagnosticID = "simulate.value-too-long"
    public static let simulateValueType: DiagnosticID = "simulate.value-type"
}

/// One source user as the simulation sees it: provisioning attribute names, not Graph's.
public struct SimulatedUser: Sendable {
    public var id: String
    public var userPrincipalName: String
    public var attributes: [String: EvaluationValue]

    public init(id: String, userPrincipalName: String, attributes: [String: EvaluationValue]) {
        self.id = id
        self.userPrincipalName = userPrincipalName
        self.attributes = attributes
    }
}

/// Why one user would fail, per target.
public struct SimulationFinding: Sendable, Hashable {
    public var id: DiagnosticID
    public var target: String
    public var message: String
}

/// A user with at least one finding.
public struct SimulatedUserFailure: Sendable, Hashable {
    public var user: String
    public var id: String
    /// Position in the directory as read (0-based), so the report keeps the directory's order.
    public var ordinal: Int
    public var findings: [SimulationFinding]
}

public struct SimulationReport: Sendable {
    /// Users evaluated: in scope and not soft-deleted.
    public var users: Int
    /// In-scope users Entra would skip because they are soft-deleted (disabled or, for scope "assigned", no
    /// longer assigned); a first cycle does not create them.
    public var skipped: Int
    /// Users with at least one finding, in directory order.
    public var failures: [SimulatedUserFailure]
    /// For each rule id, how many users it fails.
    public var byReason: [DiagnosticID: Int]

    public var failing: Int { failures.count }
}

/// Limits on single values that `simulate` checks. SCIM (RFC 7643) sets no lengths; an address longer than
/// RFC 5321 allows can never be delivered, and a value over 1,024 characters is beyond what SCIM services
/// commonly store in a string attribute.
public enum SimulationValueLimits {
    public static let emailAddress = 254
    public static let string = 1_024

    public static func maximumLength(for target: String) -> Int {
        target.hasPrefix("emails[") || target == "emails" ? emailAddress : string
    }
}

/// Evaluates an application's user mappings over a whole directory, one user at a time, the way Entra's first
/// provisioning cycle would, and keeps only what it needs to report: the failing users and, per matching
/// attribute, the values already taken (to find collisions). Users themselves are not kept.
public struct DirectorySimulation: Sendable {
    public let mappings: CompiledMappings
    let evaluator: ExpressionEvaluator
    /// Per entry, worked out once: the target, whether it is a matching attribute or required, its length limit
    /// and its type (for the Boolean and Integer checks).
    let targets: [String]
    let isMatching: [Bool]
    let isRequired: [Bool]
    let limits: [Int]
    let types: [CustomAttribute.AttributeType?]

    private struct Holder: Sendable {
        var id: String
        var user: String
        var ordinal: Int
        var reported: Bool
    }

    /// Per entry index of a matching attribute: lower-cased value → the first user who had it.
    private var taken: [Int: [String: Holder]] = [:]
    private var failures: [SimulatedUserFailure] = []
    /// Failing users by ordinal (ids in a file may repeat).
    private var failureIndex: [Int: Int] = [:]
    private var byReason: [DiagnosticID: Int] = [:]
    private var evaluated = 0
    private var skipped = 0
    private var ordinal = 0

    public init(
        _ application: ResolvedApplication, rules: VendorRules, evaluator: ExpressionEvaluator = ExpressionEvaluator()
    ) {
        mappings = CompiledMappings(application, kind: .user, rules: rules)
        self.evaluator = evaluator
        // userName is the one attribute RFC 7643 requires of a User; the vendor may require more.
        let required = Set(["userName"] + rules.requiredUserTargets)
        var typeByName: [String: CustomAttribute.AttributeType] = [:]
        for attribute in SCIMTemplate.targetAttributes(for: .user) { typeByName[attribute.name] = attribute.type }
        for attribute in application.users.customAttributes { typeByName[attribute.name] = attribute.type }
        targets = mappings.entries.map(\.mapping.target)
        isMatching = mappings.entries.map { $0.mapping.matchingPrecedence != nil }
        isRequired = targets.map(required.contains)
        limits = targets.map(SimulationValueLimits.maximumLength(for:))
        types = targets.map { typeByName[$0] }
        for (index, entry) in mappings.entries.enumerated() where entry.mapping.matchingPrecedence != nil {
            taken[index] = [:]
        }
    }

    /// Evaluates one user and records its findings.
    public mutating func add(_ user: SimulatedUser) {
        defer { ordinal += 1 }
        if case .boolean(true) = user.attributes["IsSoftDeleted"] {
            skipped += 1
            return
        }
        evaluated += 1
        var findings: [SimulationFinding] = []
        let results = mappings.values(user.attributes, evaluator: evaluator)
        for index in results.indices {
            let target = targets[index]
            if let error = results[index].error {
                findings.append(.init(id: .simulateEvaluationError, target: target, message: "\(target): \(error)"))
                continue
            }
            let value = results[index].value ?? .null
            let first = value.text ?? ""
            if isMatching[index] {
                if first.isEmpty {
                    findings.append(
                        .init(
                            id: .simulateMatchingAttributeEmpty, target: target,
                            message: "matching attribute \(target) is empty; Entra cannot match or create this user"))
                } else {
                    checkCollision(first, entryIndex: index, target: target, user: user, into: &findings)
                }
            } else if first.isEmpty, isRequired[index] {
                findings.append(
                    .init(
                        id: .simulateRequiredTargetEmpty, target: target,
                        message: "\(target) is required but its mapping gives no value"))
            }
            let limit = limits[index]
            let formats = mappings.entries[index].formats
            // One check per text; a single value is not wrapped in an array first.
            func check(_ text: String) {
                // Counting characters is slow; a text within the limit in UTF-8 bytes is within it in characters.
                if text.utf8.count > limit, case let length = text.count, length > limit {
                    findings.append(
                        .init(
                            id: .simulateValueTooLong, target: target,
                            message: "\(target) is \(length) characters long; the limit is \(limit)"))
                }
                for rule in formats {
                    if let problem = rule.format.problem(with: text) {
                        findings.append(
                            .init(id: rule.format.diagnosticID, target: target, message: "\(target) value '\(text)' \(problem)"))
                    }
                }
            }
            if case .multi(let texts) = value {
                texts.forEach(check)
            } else if let text = value.text {
                check(text)
            }
            if let type = types[index], !first.isEmpty, let problem = Self.typeProblem(first, type: type, target: target) {
                findings.append(.init(id: .simulateValueType, target: target, message: problem))
            }
        }
        if !findings.isEmpty { record(findings, id: user.id, user: user.userPrincipalName, ordinal: ordinal) }
    }

    /// Users seen so far, skipped ones included.
    public var usersRead: Int { ordinal }
    /// Users failing so far.
    public var failing: Int { failures.count }

    /// The report so far; failing users in directory order.
    public func report() -> SimulationReport {
        SimulationReport(
            users: evaluated, skipped: skipped, failures: failures.sorted { $0.ordinal < $1.ordinal }, byReason: byReason)
    }

    private static func typeProblem(_ text: String, type: CustomAttribute.AttributeType, target: String) -> String? {
        switch type {
        case .boolean:
            let lowered = text.lowercased()
            return lowered == "true" || lowered == "false" ? nil : "\(target) is a Boolean, but the value is '\(text)'"
        case .integer:
            return Int64(text) == nil ? "\(target) is an Integer, but the value is '\(text)'" : nil
        default:
            return nil
        }
    }

    private mutating func checkCollision(
        _ value: String, entryIndex: Int, target: String, user: SimulatedUser, into findings: inout [SimulationFinding]
    ) {
        let key = value.lowercased()
        guard var holder = taken[entryIndex]?[key] else {
            taken[entryIndex]?[key] = Holder(id: user.id, user: user.userPrincipalName, ordinal: ordinal, reported: false)
            return
        }
        findings.append(
            .init(
                id: .simulateDuplicateMatchingValue, target: target,
                message: "\(target) '\(value)' is also the value of \(holder.user) (\(holder.id)); Entra would match both to one account"))
        if !holder.reported {
            holder.reported = true
            taken[entryIndex]?[key] = holder
            record(
                [
                    .init(
                        id: .simulateDuplicateMatchingValue, target: target,
                        message: "\(target) '\(value)' is also the value of \(user.userPrincipalName) (\(user.id)); Entra would match both to one account")
                ], id: holder.id, user: holder.user, ordinal: holder.ordinal)
        }
    }

    private mutating func record(_ findings: [SimulationFinding], id: String, user: String, ordinal: Int) {
        let index: Int
        if let existing = failureIndex[ordinal] {
            index = existing
        } else {
            index = failures.count
            failureIndex[ordinal] = index
            failures.append(SimulatedUserFailure(user: user, id: id, ordinal: ordinal, findings: []))
        }
        let before = Set(failures[index].findings.map(\.id))
        var counted = before
        for finding in findings where counted.insert(finding.id).inserted {
            byReason[finding.id, default: 0] += 1
        }
        failures[index].findings += findings
    }
}

extension SimulationReport {
    /// The report without the findings of `disabled` rules; a user left with none no longer fails.
    public func disabling(_ disabled: Set<DiagnosticID>) -> SimulationReport {
        guard !disabled.isEmpty else { return self }
        var result = self
        result.failures = failures.compactMap { failure in
            var kept = failure
            kept.findings = failure.findings.filter { !disabled.contains($0.id) }
            return kept.findings.isEmpty ? nil : kept
        }
        result.byReason = byReason.filter { !disabled.contains($0.key) }
        return result
    }
}
