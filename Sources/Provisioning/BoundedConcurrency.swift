/// Runs one operation per element with at most `limit` in flight, results in the elements' order. The one
/// concurrency loop behind planning, applying and probing several applications.
public enum BoundedConcurrency {
    /// The first error (in time) stops the rest: the task group cancels what is still running.
    public static func map<Element: Sendable, Output: Sendable>(
        _ elements: [Element], limit: Int, _ operation: @escaping @Sendable (Element) async throws -> Output
    ) async throws -> [Output] {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var results: [(Int, Output)] = []
            var next = 0
            func add() {
                let index = next
                let element = elements[index]
                group.addTask { (index, try await operation(element)) }
                next += 1
            }
            while next < elements.count && next < max(1, limit) { add() }
            while let result = try await group.next() {
                results.append(result)
                if next < elements.count { add() }
            }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Every operation runs to its end; each result or error is kept.
    public static func results<Element: Sendable, Output: Sendable>(
        _ elements: [Element], limit: Int, _ operation: @escaping @Sendable (Element) async throws -> Output
    ) async -> [Result<Output, any Error>] {
        let wrapped: @Sendable (Element) async -> Result<Output, any Error> = { element in
            do { return .success(try await operation(element)) } catch { return .failure(error) }
        }
        // The wrapped operation never throws, so neither does the loop.
        return (try? await map(elements, limit: limit, wrapped)) ?? []
    }
}
