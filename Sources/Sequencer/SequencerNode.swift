import Ethereum
import Foundation
import HTTP
import L1
import JSON
import JSONRPC
import Primitives
import Rollup
import Storage

/// The running dev node: the sequencer thread, the write-ahead log and the
/// HTTP server with its JSON-RPC methods, wired together.
public final class SequencerNode: Sendable {
    public let configuration: NodeConfiguration
    public let runtime: SequencerRuntime
    public let rpc: JSONRPCServer
    public let dataDirectory: String
    /// The admin bearer token in force (given or generated).
    public let adminToken: AdminToken
    public let log: NodeLog
    public let metrics = NodeMetrics()
    public let feed = PreconfirmationFeed()
    /// `eth_subscribe` subscriptions (newHeads, pending transactions, logs, pre-confirmations).
    public let subscriptions = SubscriptionHub()
    /// JSON-RPC over WebSocket, on the HTTP port.
    public let webSocketRPC: WebSocketRPC
    /// The embedded L1, when there is one.
    public let l1Server: L1Server?
    /// How this node reaches its L1 (nil without one).
    public let l1Client: (any L1Client)?
    private let watcher: ForcedQueueWatcher?
    private let poster: BatchPoster?
    private let server: HTTPServer

    /// Opens the data directory (recovering the log) and prepares the server; `start()` binds it.
    public init(configuration: NodeConfiguration) throws {
        self.configuration = configuration
        let dir = try configuration.dataDirectory ?? SequencerNode.makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        dataDirectory = dir
        let chain = configuration.chain
        let (genesis, state) = Genesis.make(allocations: configuration.allocations, timestamp: 0, configuration: chain)
        guard let policy = OrderingPolicies.named(configuration.policy) else {
            throw AdminError.unknownPolicy(configuration.policy)
        }
        var core = SequencerCore(configuration: .init(chain: chain, blockTimeMillis: configuration.blockTimeMillis,
                                                      mempool: configuration.mempool),
                                 genesis: genesis, genesisState: state)
        _ = core.setPolicy(policy, nowMillis: 0)
        _ = core.setCensored(Set(configuration.censored), nowMillis: 0)
        log = NodeLog(enabled: configuration.logging)
        adminToken = configuration.adminToken.map(AdminToken.init) ?? AdminToken.random()
        let (writer, scan) = try LogWriter.open(PosixLogFile(path: dir + "/sequencer.wal"))
        let metrics = metrics, feed = feed, hub = subscriptions
        let waiters = ReceiptWaiters()
        let feedSigner = PreConfirmationSigner(key: configuration.sequencerKey, address: configuration.sequencerAddress,
                                               chainID: chain.chainID)
        runtime = try SequencerRuntime(
            core: core, writer: writer, recovered: scan.records, clock: SystemClock(),
            flushObserver: { records, bytes, nanos in metrics.recordFlush(records: records, bytes: bytes, nanoseconds: nanos) },
            observer: { actions in
                for case let .sealed(block) in actions { waiters.sealed(block) }
                SequencerNode.publish(actions, to: feed, hub: hub, signer: feedSigner)
            })
        runtime.updateControls {
            $0.policy = configuration.policy
            $0.censored = configuration.censored.sorted()
        }
        if scan.discardedBytes > 0 {
            log.event("log tail discarded", ["bytes": String(scan.discardedBytes)], level: "warn")
        }
        log.event("recovered", ["records": String(scan.records.count), "head": String(runtime.store.headNumber), "dataDir": dir])

        switch configuration.l1 {
        case .none:
            l1Server = nil
            l1Client = nil
        case let .embedded(host, port, blockTime, delay, depth):
            let l1Node = try L1Node(configuration: configuration.l1Configuration(forceInclusionDelay: delay, finalityDepth: depth),
                                    directory: dir + "/l1")
            l1Server = L1Server(node: l1Node, host: host, port: port, blockTime: blockTime)
            l1Client = LocalL1Client(node: l1Node, now: { UInt64(Date().timeIntervalSince1970) })
        case let .remote(url):
            guard let client = HTTPL1Client(url: url) else { throw NodeStartError.badL1URL(url) }
            l1Server = nil
            l1Client = client
        }
        let signer = PreConfirmationSigner(key: configuration.sequencerKey, address: configuration.sequencerAddress,
                                           chainID: chain.chainID)
        var hashOnly = signer
        hashOnly.wantsSignature = false
        var router = JSONRPCRouter()
        EthereumMethods(store: runtime.store, runtime: runtime,
                        admission: Admission(runtime: runtime, store: runtime.store, signer: hashOnly, metrics: metrics),
                        clientVersion: "sequencer/0.1.0/swift", accounts: configuration.unlockedAccounts,
                        suggestedTip: UInt256(1_000_000)).register(into: &router)
        let l1URL: String? = switch configuration.l1 {
        case .none: nil
        case let .embedded(host, port, _, _, _): port == 0 ? nil : "http://\(host):\(port)"
        case let .remote(url): url
        }
        SequencerMethods(store: runtime.store, runtime: runtime,
                         admission: Admission(runtime: runtime, store: runtime.store, signer: signer, metrics: metrics),
                         signer: signer, startedAt: UInt64(Date().timeIntervalSince1970), l1URL: l1URL).register(into: &router)
        AdminMethods(runtime: runtime, token: adminToken, log: log).register(into: &router)
        let gate = L1LinkGate()
        let dev = DevChain(runtime: runtime, l1: l1Server?.node, gate: gate, initialBlockTimeMillis: configuration.blockTimeMillis)
        let hashOnlyAdmission = Admission(runtime: runtime, store: runtime.store, signer: hashOnly, metrics: metrics)
        DevMethods(dev: dev, store: runtime.store).register(into: &router)
        TxPoolMethods(store: runtime.store).register(into: &router)
        AccountMethods(keys: configuration.unlockedKeys, store: runtime.store, admission: hashOnlyAdmission, dev: dev,
                       suggestedTip: UInt256(1_000_000)).register(into: &router)
        SyncSubmission(store: runtime.store, admission: hashOnlyAdmission, waiters: waiters).register(into: &router)
        rpc = JSONRPCServer(router: router, configuration: .init(maxBatchSize: configuration.maxBatchSize))
        webSocketRPC = WebSocketRPC(router: router, hub: subscriptions, configuration: .init(maxBatchSize: configuration.maxBatchSize))

        var http = HTTPServer.Configuration(host: configuration.host, port: configuration.port,
                                            eventLoopCount: configuration.eventLoops > 0 ? configuration.eventLoops : HTTPServer.Configuration.coreCount)
        http.maxBodyBytes = configuration.maxBodyBytes
        http.maxConnections = configuration.maxConnections
        http.serverName = "sequencer"
        http.cors = CORSConfiguration()
        let runtime = runtime
        let gauges: @Sendable () -> NodeMetrics.Gauges = { [weak feed] in
            let controls = runtime.controls
            let censored = Set(controls.censored)
            let withheld = censored.isEmpty ? 0 : runtime.store.queuedEntries.filter { e in
                censored.contains(e.sender) || e.transaction.transaction.to.map(censored.contains) == true
            }.count
            return NodeMetrics.Gauges(blockHeight: runtime.store.headNumber, safeBlock: runtime.store.safeNumber,
                                      mempoolSize: runtime.store.queuedCount, censoredWithheld: withheld,
                                      feedSubscribers: feed?.subscriberCount ?? 0, httpRequests: 0, openConnections: 0,
                                      brokenPreconfirmations: runtime.store.brokenPreconfirmationCount)
        }
        if let l1Client {
            let nodeConfiguration = configuration
            watcher = ForcedQueueWatcher(l1: l1Client, runtime: runtime, interval: configuration.l1PollInterval,
                                         ignoreForcedQueue: configuration.ignoreForcedQueue, log: log, gate: gate,
                                         l1Configuration: { p in
                                             nodeConfiguration.l1Configuration(forceInclusionDelay: p.forceInclusionDelay,
                                                                               finalityDepth: p.finalityDepth)
                                         })
            poster = BatchPoster(l1: l1Client, store: runtime.store, key: configuration.sequencerKey, chainID: chain.chainID,
                                 limits: configuration.batchLimits, interval: configuration.l1PollInterval, log: log, gate: gate)
        } else {
            watcher = nil
            poster = nil
        }
        server = HTTPServer(configuration: http, responder: NodeResponder(rpc: JSONRPCHTTPResponder(server: rpc), runtime: runtime,
                                                                          adminToken: adminToken, feed: feed, metrics: metrics,
                                                                          gauges: gauges, webSocket: webSocketRPC))
    }

    /// Binds the port and starts serving.
    public func start() throws {
        try l1Server?.start()
        try server.start()
        watcher?.start()
        poster?.start()
        log.event("started", ["port": String(server.port), "policy": configuration.policy,
                              "censored": configuration.censored.map(\.checksummed).joined(separator: ","),
                              "blockTimeMs": String(configuration.blockTimeMillis)])
    }

    /// The bound port (useful with port 0).
    public var port: Int { server.port }

    /// Stops accepting, finishes requests in flight, seals the open block and flushes the log.
    public func shutdown() {
        poster?.stop()
        watcher?.stop()
        server.shutdown()
        runtime.stop()
        l1Server?.shutdown()
    }

    /// Blocks until SIGINT or SIGTERM, then shuts down gracefully.
    public func runUntilSignalled() {
        server.shutdownOnSignals()
        server.waitUntilShutdown()
        poster?.stop()
        watcher?.stop()
        runtime.stop()
        l1Server?.shutdown()
    }

    /// Turns one durable step into feed events: a signed pre-confirmation per placed transaction, one per sealed block.
    static func publish(_ actions: [SequencerCore.Action], to feed: PreconfirmationFeed, hub: SubscriptionHub,
                        signer: PreConfirmationSigner) {
        hub.publish(actions, signer: signer)
        guard feed.isActive else { return }
        for action in actions {
            switch action {
            case let .sequenced(executed, position, timestamp):
                feed.publish(event: "preconfirmation") {
                    let p = signer.sign(hash: executed.transaction.hash, position: position, timestamp: timestamp)
                    return String(decoding: SequencerMethods.json(p), as: UTF8.self)
                }
            case let .sealed(block):
                let txs = block.transactions.count
                feed.publish(event: "block") {
                    "{\"number\":\"0x\(String(block.number, radix: 16))\",\"hash\":\"\(block.hash)\",\"transactions\":\(txs),\"timestamp\":\"0x\(String(block.header.timestamp, radix: 16))\"}"
                }
            default:
                break
            }
        }
    }

    static func makeTemporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "sequencer-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Routes HTTP requests: JSON-RPC on `POST /` (and over WebSocket after an upgrade of `GET /`), health and readiness probes.
struct NodeResponder: HTTPResponder {
    let rpc: JSONRPCHTTPResponder
    let runtime: SequencerRuntime
    let adminToken: AdminToken
    let feed: PreconfirmationFeed
    let metrics: NodeMetrics
    let gauges: @Sendable () -> NodeMetrics.Gauges
    let webSocket: WebSocketRPC

    func respond(to request: HTTPRequest, writer: HTTPResponseWriter) {
        if request.method == .get && request.path == "/" && WebSocketHandshake.isUpgradeRequest(request) {
            webSocket.serve(request, writer: writer)
            return
        }
        switch (request.method, request.path) {
        case (.post, "/"):
            if Self.mentionsAdminMethod(request.body) && !adminToken.accepts(request.headers["Authorization"]) {
                writer.send(HTTPResponse(status: .unauthorized, headers: ["Content-Type": "application/json", "WWW-Authenticate": "Bearer"],
                                         body: Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"unauthorized: admin methods need the header Authorization: Bearer <admin token>"}}"#.utf8)))
                return
            }
            rpc.respond(to: request, writer: writer)
        case (.get, "/metrics"):
            writer.send(HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4"],
                                     body: Array(metrics.render(gauges()).utf8)))
        case (.get, "/v1/preconfirmations"):
            let lastID = request.headers["Last-Event-ID"]
            if let lastID, UInt64(lastID) == nil {
                writer.send(.error(.badRequest, message: "Last-Event-ID must be an event id (a decimal number)"))
                return
            }
            guard let stream = writer.startEventStream() else { return }
            feed.subscribe(stream, lastEventID: lastID.flatMap { UInt64($0) })
        case (.get, "/health"):
            writer.send(.json(.ok, #"{"status":"ok"}"#))
        case (.get, "/ready"):
            writer.send(.json(.ok, "{\"ready\":true,\"blockNumber\":\(runtime.store.headNumber)}"))
        case (_, "/"):
            rpc.respond(to: request, writer: writer)
        case (_, "/health"), (_, "/ready"), (_, "/metrics"), (_, "/v1/preconfirmations"):
            var refusal = HTTPResponse.error(.methodNotAllowed, message: "method not allowed")
            refusal.headers.add(name: "Allow", value: "GET, HEAD, OPTIONS")
            writer.send(refusal)
        default:
            writer.send(.error(.notFound, message: "not found: use POST / for JSON-RPC"))
        }
    }

    /// Whether a body names an `admin_` method anywhere. Ethereum parameters are
    /// hex or numbers, so the text cannot appear by accident in other calls.
    static func mentionsAdminMethod(_ body: [UInt8]) -> Bool {
        let needle = Array("\"admin_".utf8)
        guard body.count >= needle.count else { return false }
        for i in 0...(body.count - needle.count) where body[i] == needle[0] {
            if body[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}

/// Why the node could not start.
public enum NodeStartError: Error, Sendable, CustomStringConvertible {
    case badL1URL(String)

    public var description: String {
        switch self {
        case let .badL1URL(url): "cannot use '\(url)' as the L1 URL: expected http://HOST:PORT"
        }
    }
}
