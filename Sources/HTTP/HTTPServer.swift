import Glibc
import Synchronization

/// An HTTP/1.1 server: N event loops, each accepting on its own listening
/// socket and serving its connections start to finish.
///
/// Each loop binds the same port with `SO_REUSEPORT`, so the kernel spreads
/// new connections across loops and no connection is handed between threads
/// (a single acceptor would add a cross-thread hop and a wake-up per
/// connection). The cost: balancing is by hash, not by load, and a listener's
/// not-yet-accepted connections are reset when it closes at shutdown.
///
/// Lifecycle: ``start()`` once, then ``shutdown()`` (or a signal after
/// ``shutdownOnSignals(_:)``) once; ``waitUntilShutdown()`` blocks until then.
public final class HTTPServer: Sendable {
    private struct Running {
        var loops: [EventLoop]
        var contexts: [HTTPLoopContext]
        var address: SocketAddress
    }

    private enum Lifecycle {
        case idle
        case starting
        case running(Running)
        case stopping(SocketAddress)
        case stopped
    }

    public let configuration: Configuration
    private let shared: HTTPServerShared
    // The lifecycle state; transitions happen under the lock, slow work outside it.
    private let lifecycle = Mutex<Lifecycle>(.idle)
    private let stopped = Latch()

    public init(configuration: Configuration = Configuration(), responder: some HTTPResponder) {
        self.configuration = configuration
        shared = HTTPServerShared(configuration: configuration, responder: responder)
    }

    /// The bound address once started (with the real port when configured with port 0).
    public var localAddress: SocketAddress? {
        lifecycle.withLock { state in
            switch state {
            case .running(let running): running.address
            case .stopping(let address): address
            case .idle, .starting, .stopped: nil
            }
        }
    }

    /// The bound port, or 0 before ``start()``.
    public var port: Int { localAddress?.port ?? 0 }

    public var statistics: Statistics {
        Statistics(acceptedConnections: shared.acceptedConnections.load(ordering: .relaxed),
                   rejectedConnections: shared.rejectedConnections.load(ordering: .relaxed),
                   openConnections: shared.openConnections.load(ordering: .relaxed),
                   requests: shared.requests.load(ordering: .relaxed))
    }

    /// Binds, listens and starts the loops. Returns once connections are being
    /// queued by the kernel; they are served as soon as each loop runs.
    public func start() throws(HTTPServerError) {
        let claimed = lifecycle.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard claimed else { throw .alreadyStarted }
        signal(SIGPIPE, SIG_IGN)
        do throws(HTTPServerError) {
            let running = try launch()
            lifecycle.withLock { $0 = .running(running) }
        } catch {
            lifecycle.withLock { $0 = .idle }
            throw error
        }
    }

    private func launch() throws(HTTPServerError) -> Running {
        let count = max(1, configuration.eventLoopCount)
        var listeners: [Int32] = []
        var address = SocketAddress(host: configuration.host, port: configuration.port)
        do throws(HTTPServerError) {
            for index in 0..<count {
                let fd = try Socket.listen(on: address, backlog: configuration.backlog, reusePort: count > 1)
                listeners.append(fd)
                if index == 0, let bound = Socket.localAddress(fd) { address.port = bound.port }
            }
        } catch {
            for fd in listeners { close(fd) }
            throw error
        }
        var loops: [EventLoop] = []
        var contexts: [HTTPLoopContext] = []
        do throws(EventLoopError) {
            for index in 0..<count {
                let loop = try EventLoop(name: "http-\(index)")
                try loop.start()
                loops.append(loop)
                let context = HTTPLoopContext(loop: loop, shared: shared, listenFD: listeners[index])
                contexts.append(context)
                loop.execute { context.start0() }
            }
        } catch {
            for loop in loops { loop.stopAndJoin() }
            for fd in listeners.dropFirst(contexts.count) { close(fd) }
            throw .eventLoop(error)
        }
        return Running(loops: loops, contexts: contexts, address: address)
    }

    /// Graceful shutdown: stop accepting (new connections are refused), let
    /// in-flight requests finish and be answered, close idle connections, end
    /// open streams, then stop the loops. Connections still open after
    /// ``Configuration/shutdownTimeout`` are closed. Returns when all is done;
    /// concurrent and repeated calls wait for the same completion.
    /// Must not be called on one of the server's loops.
    public func shutdown() {
        let running = lifecycle.withLock { state -> Running? in
            switch state {
            case .running(let running):
                state = .stopping(running.address)
                return running
            case .idle:
                state = .stopped
                stopped.open()
                return nil
            case .starting, .stopping, .stopped:
                return nil
            }
        }
        guard let running else {
            stopped.wait()
            return
        }
        for loop in running.loops { precondition(!loop.inEventLoop, "shutdown() called on the server's own event loop") }
        for context in running.contexts {
            context.loop.execute { context.beginShutdown0() }
        }
        if !waitForConnections(until: Deadline.now() + configuration.shutdownTimeout) {
            for context in running.contexts {
                context.loop.execute { context.forceClose0() }
            }
            _ = waitForConnections(until: Deadline.now() + .seconds(1))
        }
        for loop in running.loops { loop.stopAndJoin() }
        lifecycle.withLock { $0 = .stopped }
        stopped.open()
    }

    /// Blocks until ``shutdown()`` has completed.
    public func waitUntilShutdown() {
        stopped.wait()
    }

    /// Installs SIGINT/SIGTERM handling: the first signal starts a graceful
    /// ``shutdown()`` on a helper thread; a second one exits the process at once.
    public func shutdownOnSignals(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        let count = SignalCounter()
        SignalWatcher.install(signals) { [self] signal in
            if count.increment() == 1 {
                PThread.detach { self.shutdown() }
            } else {
                _exit(128 + signal)
            }
        }
    }

    private func waitForConnections(until deadline: Deadline) -> Bool {
        while shared.openConnections.load(ordering: .acquiring) > 0 {
            if Deadline.now() >= deadline { return false }
            usleep(2_000)
        }
        return true
    }
}

/// Counts signals delivered to one server.
private final class SignalCounter: Sendable {
    private let value = Atomic<Int>(0)

    func increment() -> Int {
        value.wrappingAdd(1, ordering: .relaxed).newValue
    }
}
