import Testing
import TestSupport

/// `EmulatorHarness.with` ends its emulator before it returns, whether the body finished or threw.
struct HarnessLifetimeTests {
    struct PlannedFailure: Error {}

    @Test func theEmulatorIsClosedAfterTheBody() async throws {
        let port = try await EmulatorHarness.with { harness in
            #expect(loopbackPortAcceptsConnections(harness.port))
            return harness.port
        }
        #expect(!loopbackPortAcceptsConnections(port))
    }

    @Test func theEmulatorIsClosedWhenTheBodyThrows() async throws {
        let port = PortBox()
        await #expect(throws: PlannedFailure.self) {
            try await EmulatorHarness.with { harness in
                port.value = harness.port
                throw PlannedFailure()
            }
        }
        #expect(port.value > 0)
        #expect(!loopbackPortAcceptsConnections(port.value))
    }

    final class PortBox: @unchecked Sendable {
        var value = 0
    }
}
