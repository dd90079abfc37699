import L1
import Primitives
import Rollup

/// Reads the L1 for the sequencer: its head (the L1 origin of new blocks),
/// how far the L2 chain is safe and finalized there, and the forced-inclusion
/// queue, whose items it hands to the sequencer thread for the next block,
/// well before their deadline and whatever the ordering policy. With
/// `ignoreForcedQueue` (demonstrations of a fully malicious sequencer only)
/// it never includes them.
public final class ForcedQueueWatcher: Sendable {
    private let worker: PeriodicWorker

    /// `l1Configuration` turns the L1's parameters into the configuration
    /// derivation needs (this node's genesis with the L1's delay and depth).
    public init(l1: any L1Client, runtime: SequencerRuntime, interval: Duration, ignoreForcedQueue: Bool, log: NodeLog,
                l1Configuration: @escaping @Sendable (L1Parameters) -> L1Configuration) {
        let state = WatcherState()
        worker = PeriodicWorker(name: "l1-watcher", interval: interval) {
            Self.step(l1: l1, runtime: runtime, ignoreForcedQueue: ignoreForcedQueue, log: log, state: state)
            Self.catchUp(l1: l1, runtime: runtime, log: log, state: state, l1Configuration: l1Configuration)
        }
    }

    public func start() { worker.start() }
    public func stop() { worker.stop() }

    static func step(l1: any L1Client, runtime: SequencerRuntime, ignoreForcedQueue: Bool, log: NodeLog, state: WatcherState) {
        let store = runtime.store
        do {
            let l1Number = try l1.blockNumber()
            let head = try l1.l2Head()
            store.updateFromL1(l1Head: l1Number, safe: head.safeL2Block, finalized: head.finalizedL2Block)
            runtime.withCore { core, _ in
                core.l1Origin = max(core.l1Origin, l1Number)
                return []
            }
            if state.unreachable {
                state.unreachable = false
                log.event("l1 reachable", ["l1Block": String(l1Number)])
            }
            guard !ignoreForcedQueue else { return }
            let cursor = store.forcedCursor
            let entries = try l1.queue(from: cursor, limit: 256)
            let items = entries.filter { !$0.included }.map(\.item)
            guard !items.isEmpty else { return }
            runtime.withCore { core, now in core.includeForced(items, nowMillis: now) }
        } catch {
            if !state.unreachable {
                state.unreachable = true
                log.event("l1 unreachable", ["error": "\(error)"], level: "warn")
            }
        }
    }
}

/// What the watcher remembers between steps; touched only by its own thread.
final class WatcherState: @unchecked Sendable {
    var unreachable = false
    var reportedDivergence = false
}

extension ForcedQueueWatcher {
    /// When the L1's canonical chain is longer than ours because the L1 forced
    /// items in without us (we were down, or ignored the queue), rebuilds those
    /// blocks here from L1 data, checks their hashes and adopts them. If our
    /// chain is not a prefix of the L1's (we hold blocks the L1 never saw),
    /// reports it: replaying unposted blocks on top is not implemented yet.
    static func catchUp(l1: any L1Client, runtime: SequencerRuntime, log: NodeLog, state: WatcherState,
                        l1Configuration: @Sendable (L1Parameters) -> L1Configuration) {
        let store = runtime.store
        guard let status = try? l1.l2Head(), status.l2BlockNumber > store.headNumber else { return }
        do {
            let parameters = try l1.parameters()
            let chain = try L1Derivation.derive(from: l1, configuration: l1Configuration(parameters))
            let localHead = store.headNumber
            guard let local = store.block(number: localHead), chain.record(localHead)?.hash == local.hash else {
                if !state.reportedDivergence {
                    state.reportedDivergence = true
                    log.event("diverged from l1", ["localHead": String(localHead), "l1Head": String(status.l2BlockNumber),
                              "action": "blocks this node never posted conflict with blocks the L1 forced in; replaying them on top is not implemented"],
                              level: "error")
                }
                return
            }
            let queue = try l1.queue(from: local.header.forcedQueueCursor, limit: 100_000)
            var plans: [(number: UInt64, timestamp: UInt64, l1Block: UInt64, items: [ForcedItem], hash: Hash32)] = []
            var cursor = local.header.forcedQueueCursor
            for n in (localHead + 1)...status.l2BlockNumber {
                guard let record = chain.record(n) else { break }
                let items = queue.filter { $0.index >= cursor && $0.l1BlockNumber + parameters.forceInclusionDelay <= record.l1BlockNumber }
                    .sorted { $0.index < $1.index }.map(\.item)
                cursor += UInt64(items.count)
                plans.append((n, try l1.block(record.l1BlockNumber).timestamp, record.l1BlockNumber, items, record.hash))
            }
            let adoptions = plans
            runtime.withCore { core, _ in
                var actions: [SequencerCore.Action] = []
                for p in adoptions {
                    switch core.adoptForcedBlock(number: p.number, timestamp: p.timestamp, l1BlockNumber: p.l1Block,
                                                 items: p.items, expectedHash: p.hash) {
                    case let .success(a):
                        actions += a
                        log.event("adopted l1 forced block", ["block": String(p.number), "items": String(p.items.count),
                                                              "hash": p.hash.description])
                    case let .failure(error):
                        log.event("cannot adopt l1 forced block", ["block": String(p.number), "error": "\(error)"], level: "error")
                        return actions
                    }
                }
                return actions
            }
        } catch {
            log.event("catch-up from l1 failed", ["error": "\(error)"], level: "warn")
        }
    }
}
