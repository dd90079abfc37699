import Dispatch
import Ethereum
import HTTP
import JSON
import Primitives
import Rollup
import Synchronization

/// Where a subscription's notifications go: a WebSocket connection, or an
/// in-process observer (tests, benchmarks).
public protocol SubscriptionSink: AnyObject, Sendable {
    /// Delivers one notification, a complete JSON-RPC message. False when the
    /// sink is gone or too slow: its subscriptions are then removed.
    func deliver(notification: [UInt8]) -> Bool
}

extension WebSocketConnection: SubscriptionSink {
    public func deliver(notification: [UInt8]) -> Bool {
        send(textBytes: notification)
    }
}

/// Fans the node's durable steps out to `eth_subscribe` subscribers as
/// `eth_subscription` notifications.
///
/// Fed from the log's flusher thread (``SequencerNode`` passes every durable
/// step), it builds each result once, on its own serial queue, and only when
/// someone subscribed to that kind; so notifications leave in chain order and
/// the sequencer thread never waits for them. A sink that refuses a
/// notification (a peer that does not read is dropped by the WebSocket
/// layer) loses all its subscriptions. Thread-safe.
public final class SubscriptionHub: Sendable {
    struct Entry {
        let kind: SubscriptionKind
        let sink: any SubscriptionSink
        var active: Bool
    }

    struct State {
        var entries: [String: Entry] = [:]
        var bySink: [ObjectIdentifier: Set<String>] = [:]
        var counts: [SubscriptionKind.Tag: Int] = [:]
    }

    // Subscriptions; touched by connection threads (subscribe) and the hub queue (fan-out).
    private let state = Mutex(State())
    // Hashes announced as pending when queued, so their sequencing is not announced again; hub queue only.
    private let announced = Mutex(AnnouncedHashes())
    private let queue = DispatchQueue(label: "subscriptions")
    private let total = Atomic<Int>(0)

    public init() {}

    /// Subscriptions open now.
    public var count: Int { total.load(ordering: .relaxed) }

    /// Adds a subscription and returns its id (`0x` and 32 hex digits). An
    /// inactive one receives nothing until ``activate(_:)``, so that a
    /// connection can send the id before the first notification.
    public func subscribe(_ kind: SubscriptionKind, sink: any SubscriptionSink, active: Bool = true) -> String {
        var rng = SystemRandomNumberGenerator()
        let id = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
        state.withLock { s in
            s.entries[id] = Entry(kind: kind, sink: sink, active: active)
            s.bySink[ObjectIdentifier(sink), default: []].insert(id)
            s.counts[kind.tag, default: 0] += 1
        }
        total.wrappingAdd(1, ordering: .relaxed)
        return id
    }

    /// Lets inactive subscriptions receive notifications from now on.
    public func activate(_ ids: [String]) {
        state.withLock { s in
            for id in ids { s.entries[id]?.active = true }
        }
    }

    /// Removes subscription `id` if `sink` owns it; false otherwise.
    @discardableResult
    public func unsubscribe(_ id: String, sink: any SubscriptionSink) -> Bool {
        state.withLock { s in
            guard let entry = s.entries[id], entry.sink === sink else { return false }
            remove(id, entry, from: &s)
            return true
        }
    }

    /// Removes every subscription of `sink` (its connection closed).
    public func removeAll(for sink: any SubscriptionSink) {
        state.withLock { s in
            for id in s.bySink[ObjectIdentifier(sink)] ?? [] {
                if let entry = s.entries[id] { remove(id, entry, from: &s) }
            }
        }
    }

    private func remove(_ id: String, _ entry: Entry, from s: inout State) {
        s.entries[id] = nil
        let key = ObjectIdentifier(entry.sink)
        s.bySink[key]?.remove(id)
        if s.bySink[key]?.isEmpty == true { s.bySink[key] = nil }
        s.counts[entry.kind.tag, default: 1] -= 1
        total.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Waits until every step published so far has been handed to the sinks (tests, shutdown).
    public func drain() { queue.sync {} }

    // MARK: Publication

    /// Queues the notifications one durable step produces. Called on the log's flusher thread.
    func publish(_ actions: [SequencerCore.Action], signer: PreConfirmationSigner) {
        guard count > 0 else { return }
        queue.async { [self] in
            for action in actions { notify(action, signer: signer) }
        }
    }

    private func notify(_ action: SequencerCore.Action, signer: PreConfirmationSigner) {
        switch action {
        case let .sealed(block):
            fanOut(.newHeads) { _ in
                var w = JSONWriter(capacity: 1200)
                EthereumJSON.header(block, to: &w)
                return w.bytes
            }
        case let .sequenced(executed, position, timestamp):
            let hash = executed.transaction.hash
            if !announced.withLock({ $0.remove(hash) }) {
                fanOut(.newPendingTransactions) { Self.pending(executed.transaction, sender: executed.sender, kind: $0) }
            }
            fanOut(.preconfirmations) { _ in
                SequencerMethods.json(signer.sign(hash: hash, position: position, timestamp: timestamp))
            }
        case let .queued(entry):
            let hash = entry.transaction.hash
            guard announced.withLock({ $0.insert(hash) }) else { return }
            fanOut(.newPendingTransactions) { Self.pending(entry.transaction, sender: entry.sender, kind: $0) }
        case let .dropped(hash, _):
            _ = announced.withLock { $0.remove(hash) }
        case .log, .reply, .forcedIncluded, .rewound, .preconfirmationBroken, .snapshotTaken, .restored:
            break
        }
    }

    /// Sends `result(kind)` to every active subscription of `tag`; each
    /// distinct kind's result is built once, and only if someone listens.
    private func fanOut(_ tag: SubscriptionKind.Tag, _ result: (SubscriptionKind) -> [UInt8]) {
        let targets: [(String, Entry)] = state.withLock { s in
            guard s.counts[tag, default: 0] > 0 else { return [] }
            return s.entries.filter { $0.value.active && $0.value.kind.tag == tag }.map { ($0.key, $0.value) }
        }
        var built: [(SubscriptionKind, [UInt8])] = []
        for (id, entry) in targets {
            let body: [UInt8]
            if let cached = built.first(where: { $0.0 == entry.kind }) {
                body = cached.1
            } else {
                body = result(entry.kind)
                built.append((entry.kind, body))
            }
            if !entry.sink.deliver(notification: Self.notification(id: id, result: body)) {
                removeAll(for: entry.sink)
            }
        }
    }

    static func notification(id: String, result: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(result.count + 120)
        out.append(contentsOf: #"{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":""#.utf8)
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: #"","result":"#.utf8)
        out.append(contentsOf: result)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    private static func pending(_ tx: SignedTransaction, sender: Address, kind: SubscriptionKind) -> [UInt8] {
        guard case .newPendingTransactions(fullTransactions: true) = kind else { return Array("\"\(tx.hash)\"".utf8) }
        var w = JSONWriter(capacity: 600)
        EthereumJSON.transaction(tx, sender: sender, blockHash: nil, blockNumber: nil, index: nil, effectiveGasPrice: nil, to: &w)
        return w.bytes
    }
}

/// Hashes of queued transactions already announced, bounded: the oldest are
/// forgotten first (at worst such a transaction is announced twice).
struct AnnouncedHashes {
    private static let limit = 65_536
    private var set: Set<Hash32> = []
    /// Insertion order, with stale entries (already removed) skipped and compacted away.
    private var order: [Hash32] = []
    private var head = 0

    /// False when `hash` was already there.
    mutating func insert(_ hash: Hash32) -> Bool {
        guard set.insert(hash).inserted else { return false }
        order.append(hash)
        while set.count > Self.limit && head < order.count {
            set.remove(order[head])
            head += 1
        }
        if order.count - head > 2 * Self.limit || head > Self.limit {
            order = order[head...].filter { set.contains($0) }
            head = 0
        }
        return true
    }

    /// True when `hash` was there.
    mutating func remove(_ hash: Hash32) -> Bool {
        set.remove(hash) != nil
    }
}
