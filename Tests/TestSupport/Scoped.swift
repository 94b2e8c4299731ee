/// Runs `body` with `resource`, then awaits `stop(resource)`, also when `body` throws: the server or process a test
/// started never outlives the test (a `defer { Task { await stop() } }` would let it).
public func withStopping<Resource, Result>(
    _ resource: Resource, stop: (Resource) async -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        await stop(resource)
        throw error
    }
    await stop(resource)
    return result
}
