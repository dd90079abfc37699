import HTTP
import JSON
import JSONRPC
import Synchronization

/// JSON-RPC over WebSocket on the node's port: every text (or binary)
/// message is a request or batch for the node's methods, plus
/// `eth_subscribe` / `eth_unsubscribe`, whose notifications come from the
/// ``SubscriptionHub``.
///
/// Admin methods need the bearer token of the upgrade request's
/// `Authorization` header, as over HTTP. Each connection has its own method
/// table (the node's, plus subscription methods bound to that connection),
/// so handlers need no connection lookup. Immutable; any thread.
public final class WebSocketRPC: Sendable {
    /// Per-connection limits.
    public struct Configuration: Sendable {
        /// Subscriptions one connection may hold at once.
        public var maxSubscriptionsPerConnection = 128
        /// Requests one connection may have unanswered; beyond it new ones get -32005.
        public var maxRequestsInFlight = 256
        /// Largest batch, as over HTTP.
        public var maxBatchSize = 1_000
        /// Frame, message and output limits, pings.
        public var webSocket = WebSocketConfiguration()

        public init(maxBatchSize: Int = 1_000) {
            self.maxBatchSize = maxBatchSize
        }
    }

    public let configuration: Configuration
    public let hub: SubscriptionHub
    private let router: JSONRPCRouter

    /// An endpoint serving `router`'s methods and subscriptions to `hub`.
    public init(router: JSONRPCRouter, hub: SubscriptionHub, configuration: Configuration = Configuration()) {
        self.router = router
        self.hub = hub
        self.configuration = configuration
    }

    /// Answers a WebSocket upgrade of `request` (400/426 when the handshake is
    /// invalid) and serves JSON-RPC on the connection. Call from the responder, on the request's loop.
    public func serve(_ request: HTTPRequest, writer: HTTPResponseWriter) {
        let subscriptions = ConnectionSubscriptions(hub: hub, limit: configuration.maxSubscriptionsPerConnection)
        var table = router
        SubscriptionMethods(subscriptions: subscriptions).register(into: &table)
        let server = JSONRPCServer(router: table, configuration: .init(maxBatchSize: configuration.maxBatchSize))
        let session = WebSocketRPCSession(server: server, subscriptions: subscriptions,
                                          authorization: request.headers["Authorization"],
                                          maxInFlight: configuration.maxRequestsInFlight)
        _ = writer.upgradeToWebSocket(request, configuration: configuration.webSocket, handler: session)
    }
}

/// The JSON-RPC side of one connection: hands each message to its server and
/// sends the answer back; notifications of new subscriptions start only once
/// the answer carrying their id has been queued.
final class WebSocketRPCSession: WebSocketHandler {
    private static let busy = Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"too many requests in flight on this connection"}}"#.utf8)

    let server: JSONRPCServer
    let subscriptions: ConnectionSubscriptions
    let authorization: String?
    let maxInFlight: Int
    private let inFlight = Atomic<Int>(0)

    init(server: JSONRPCServer, subscriptions: ConnectionSubscriptions, authorization: String?, maxInFlight: Int) {
        self.server = server
        self.subscriptions = subscriptions
        self.authorization = authorization
        self.maxInFlight = maxInFlight
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        subscriptions.attach(connection)
        guard inFlight.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue <= maxInFlight else {
            inFlight.wrappingSubtract(1, ordering: .relaxed)
            connection.send(textBytes: Self.busy)
            return
        }
        let context = JSONRPCRequestContext(authorization: authorization, metadata: connection.eventLoop)
        let completion: @Sendable ([UInt8]?) -> Void = { [self] answer in
            if let answer { connection.send(textBytes: answer) }
            subscriptions.activatePending()
            inFlight.wrappingSubtract(1, ordering: .relaxed)
        }
        switch message {
        case .text(var text):
            text.withUTF8 { server.handle(body: UnsafeRawBufferPointer($0), context: context, completion: completion) }
        case .binary(let bytes):
            server.handle(body: bytes, context: context, completion: completion)
        }
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: WebSocketCloseCode, reason: String) {
        subscriptions.closeAll()
    }
}

/// The subscriptions of one connection, bounded in number.
final class ConnectionSubscriptions: Sendable {
    private struct State {
        var sink: WebSocketConnection?
        var ids: Set<String> = []
        var pending: [String] = []
        var closed = false
    }

    let hub: SubscriptionHub
    let limit: Int
    private let state = Mutex(State())

    init(hub: SubscriptionHub, limit: Int) {
        self.hub = hub
        self.limit = limit
    }

    /// Remembers the connection notifications go to (known once it sends its first message).
    func attach(_ connection: WebSocketConnection) {
        state.withLock { if $0.sink == nil { $0.sink = connection } }
    }

    func subscribe(_ kind: SubscriptionKind) throws(SubscriptionError) -> String {
        let result: Result<String, SubscriptionError> = state.withLock { s in
            guard let sink = s.sink, !s.closed else { return .failure(.connectionClosed) }
            guard s.ids.count < limit else { return .failure(.tooManySubscriptions(limit: limit)) }
            let id = hub.subscribe(kind, sink: sink, active: false)
            s.ids.insert(id)
            s.pending.append(id)
            return .success(id)
        }
        return try result.get()
    }

    func unsubscribe(_ id: String) -> Bool {
        state.withLock { s in
            guard let sink = s.sink, s.ids.remove(id) != nil else { return false }
            s.pending.removeAll { $0 == id }
            return hub.unsubscribe(id, sink: sink)
        }
    }

    /// Subscriptions whose ids have been sent start receiving notifications.
    func activatePending() {
        let ids: [String] = state.withLock { s in
            defer { s.pending = [] }
            return s.pending
        }
        if !ids.isEmpty { hub.activate(ids) }
    }

    /// The connection closed: drop every subscription it held.
    func closeAll() {
        let sink: WebSocketConnection? = state.withLock { s in
            s.closed = true
            s.ids = []
            s.pending = []
            return s.sink
        }
        if let sink { hub.removeAll(for: sink) }
    }

    var count: Int { state.withLock { $0.ids.count } }
}

/// `eth_subscribe` and `eth_unsubscribe` bound to one connection.
struct SubscriptionMethods {
    let subscriptions: ConnectionSubscriptions

    func register(into router: inout JSONRPCRouter) {
        let subscriptions = subscriptions
        router.register("eth_subscribe") { call in
            let kind = try SubscriptionKind.parse(call.params)
            return .success(.string(try subscriptions.subscribe(kind)))
        }
        router.register("eth_unsubscribe") { call in
            let id = try call.params.string(0)
            guard subscriptions.unsubscribe(id) else { throw SubscriptionError.notFound(id) }
            return .success(.bool(true))
        }
    }
}
