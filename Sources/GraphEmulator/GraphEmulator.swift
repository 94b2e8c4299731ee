import Foundation
import GraphModel
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Hummingbird context that keeps the channel so a request can be answered by closing the connection.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Errors starting the HTTP server.
public enum GraphEmulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    case alreadyRunning
    case couldNotBind(port: Int, reason: String)

    public var description: String {
        switch self {
        case .alreadyRunning: return "the emulator is already running"
        case .couldNotBind(let port, let reason): return "could not listen on 127.0.0.1:\(port): \(reason)"
        }
    }
}

/// A Microsoft Graph synchronization API and Entra token endpoint on 127.0.0.1, for tests and demos.
///
///     let emulator = GraphEmulator()
///     let port = try await emulator.start(port: 0)
///     // ... talk to http://127.0.0.1:\(port)/v1.0 ...
///     let state = await emulator.engine.tenant()
///     await emulator.stop()
public final class GraphEmulator: @unchecked Sendable {
    /// Tenant, configuration and request log; usable directly for assertions and without a server.
    public let engine: EmulatorEngine
    private let lock = NSLock()
    private var serverTask: Task<Void, any Error>?
    /// Stopping goes through the group's graceful shutdown: cancelling the serving task instead can trap in NIO when
    /// a connection was accepted but not yet served (apple/swift-nio#3481).
    private var serviceGroup: ServiceGroup?
    private var boundPort: Int?
    /// Largest request body accepted (a full schema is well under this).
    static let maximumBodyBytes = 16 * 1024 * 1024

    public init(
        configuration: EmulatorConfiguration = EmulatorConfiguration(), initialState: TenantState = .fresh(),
        prober: any ScimProbing = URLSessionScimProber()
    ) {
        engine = EmulatorEngine(configuration: configuration, initialState: initialState, prober: prober)
    }

    /// The port while running.
    public var port: Int? { lock.withLock { boundPort } }

    /// Starts listening on 127.0.0.1 only; port 0 picks a free port. Returns the bound port.
    public func start(port: Int = 0) async throws -> Int {
        let engine = self.engine
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<EmulatorRequestContext> { request, context in
            var request = request
            let buffer = try await request.collectBody(upTo: Self.maximumBodyBytes)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let emulatorRequest = EmulatorRequest(
                method: request.method.rawValue, target: request.uri.string, headers: headers,
                body: Array(buffer.readableBytesView))
            switch await engine.handle(emulatorRequest) {
            case .dropConnection:
                // Closing the channel mid-request means the client sees the connection end with no response.
                context.channel.close(mode: .all, promise: nil)
                return Response(status: .internalServerError)
            case .respond(let reply):
                var fields = HTTPFields()
                for (name, value) in reply.headers {
                    if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
                }
                let body = ByteBuffer(bytes: reply.body)
                return Response(
                    status: HTTPResponse.Status(code: reply.status), headers: fields,
                    body: ResponseBody(byteBuffer: body))
            }
        }
        var logger = Logger(label: "graph-emulator")
        logger.logLevel = .critical
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task: Task<Void, any Error>? = lock.withLock {
            if serverTask != nil { return nil }
            let task = Task {
                defer { continuation.finish() }
                try await group.run()
            }
            serverTask = task
            serviceGroup = group
            return task
        }
        guard let task else {
            continuation.finish()
            throw GraphEmulatorError.alreadyRunning
        }
        var iterator = ports.makeAsyncIterator()
        if let bound = await iterator.next() {
            lock.withLock { boundPort = bound }
            return bound
        }
        let failure = await task.result
        lock.withLock {
            if serverTask == task {
                serverTask = nil
                serviceGroup = nil
            }
        }
        switch failure {
        case .failure(let error as GraphEmulatorError): throw error
        case .failure(let error): throw GraphEmulatorError.couldNotBind(port: port, reason: String(describing: error))
        case .success: throw GraphEmulatorError.couldNotBind(port: port, reason: "the server stopped before listening")
        }
    }

    /// Stops the server and waits until the port is closed; the tenant stays available through `engine`.
    public func stop() async {
        let (task, group): (Task<Void, any Error>?, ServiceGroup?) = lock.withLock {
            let running = (serverTask, serviceGroup)
            serverTask = nil
            serviceGroup = nil
            boundPort = nil
            return running
        }
        guard let task else { return }
        await group?.triggerGracefulShutdown()
        _ = await task.result
    }
}
