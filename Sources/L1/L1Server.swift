import Foundation
import HTTP
import JSON
import JSONRPC
import Synchronization

/// The simulated L1 as a network service: the `l1_*` JSON-RPC methods on
/// `POST /`, `GET /health`, and a miner thread that mines one block per
/// `blockTime` with the wall clock. Used by `sequencer l1` and embeddable
/// in the dev node. The miner thread is the only caller of the clock; the
/// core (`L1Chain`) only ever sees the timestamps it is given.
public final class L1Server: Sendable {
    public let node: L1Node
    public let rpc: JSONRPCServer
    public let blockTime: Duration
    private let server: HTTPServer
    private let miner: Miner

    /// Prepares the service over `node`; `start()` binds and starts mining.
    /// `blockTime` zero means blocks are mined only by `l1_mine`.
    public init(node: L1Node, host: String, port: Int, blockTime: Duration, eventLoops: Int = 1) {
        self.node = node
        self.blockTime = blockTime
        let now: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }
        var router = JSONRPCRouter()
        L1Methods(node: node, now: now).register(into: &router)
        rpc = JSONRPCServer(router: router, configuration: .init(limits: JSONLimits(maxInputSize: 40 << 20)))
        var http = HTTPServer.Configuration(host: host, port: port, eventLoopCount: max(1, eventLoops))
        http.serverName = "sequencer-l1"
        http.maxBodyBytes = 40 << 20
        http.maxOutputBytes = 64 << 20
        http.cors = CORSConfiguration()
        let responder = JSONRPCHTTPResponder(server: rpc)
        server = HTTPServer(configuration: http, responder: ClosureResponder { request, writer in
            switch (request.method, request.path) {
            case (.post, "/"): responder.respond(to: request, writer: writer)
            case (.get, "/health"): writer.send(.json(.ok, #"{"status":"ok"}"#))
            default: writer.send(.error(.notFound, message: "not found: use POST / for JSON-RPC"))
            }
        })
        miner = Miner(node: node, interval: blockTime, now: now)
    }

    /// Binds the port and starts the miner.
    public func start() throws {
        try server.start()
        miner.start()
    }

    /// The bound port (useful with port 0).
    public var port: Int { server.port }

    /// Stops mining and serving.
    public func shutdown() {
        miner.stop()
        server.shutdown()
    }

    /// Blocks until SIGINT or SIGTERM, then shuts down gracefully.
    public func runUntilSignalled() {
        server.shutdownOnSignals()
        server.waitUntilShutdown()
        miner.stop()
    }
}

/// Mines one L1 block per interval on its own thread until stopped.
/// A mining failure (storage) stops the miner; the node refuses calls anyway.
final class Miner: Sendable {
    private let node: L1Node
    private let interval: Duration
    private let now: @Sendable () -> UInt64
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

    init(node: L1Node, interval: Duration, now: @escaping @Sendable () -> UInt64) {
        self.node = node
        self.interval = interval
        self.now = now
    }

    func start() {
        guard interval > .zero, !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            let nanos = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
            while wake.wait(timeout: .now() + .nanoseconds(nanos)) == .timedOut {
                if (try? node.mine(count: 1, now: now())) == nil { break }
            }
            done.signal()
        }
        thread.name = "l1-miner"
        thread.start()
    }

    /// Stops the thread and waits for it; idempotent.
    func stop() {
        guard started.load(ordering: .acquiring) else { return }
        wake.signal()
        done.wait()
        done.signal()
    }
}
