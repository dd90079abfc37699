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
                gate: L1LinkGate = L1LinkGate(), l1Configuration: @escaping @Sendable (L1Parameters) -> L1Configuration) {
        let state = WatcherState()
        worker = PeriodicWorker(name: "l1-watcher", interval: interval) {
            gate.withLock {
                Self.step(l1: l1, runtime: runtime, ignoreForcedQueue: ignoreForcedQueue, log: log, state: state)
                Self.catchUp(l1: l1, runtime: runtime, log: log, state: state, l1Configuration: l1Configuration)
            }
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
            let items = itemsToInclude(entries)
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
    /// When the L1's canonical chain differs from ours because the L1 forced
    /// items in without us (we were down, or ignored the queue), derives the
    /// L1's chain, finds the last block both share, and hands the L1's blocks
    /// after it to the sequencer thread, which adopts them and replays our
    /// unposted transactions on top, reporting every broken pre-confirmation.
    static func catchUp(l1: any L1Client, runtime: SequencerRuntime, log: NodeLog, state: WatcherState,
                        l1Configuration: @Sendable (L1Parameters) -> L1Configuration) {
        let store = runtime.store
        guard let status = try? l1.l2Head() else { return }
        if let posted = postedThrough(l1Head: status, lastPostedBlock: store.batchStatistics.lastPostedBlock,
                                      localHash: { store.block(number: $0)?.hash }) {
            if posted > 0 { runtime.withCore { core, _ in core.markPosted(through: posted); return [] } }
            return
        }
        do {
            let parameters = try l1.parameters()
            var derived: [L2Block] = []
            _ = try L1Derivation.derive(from: l1, configuration: l1Configuration(parameters)) { derived.append($0) }
            let (shared, adopt) = blocksToAdopt(derived: derived, localHead: store.headNumber,
                                                localHash: { store.block(number: $0)?.hash })
            guard !adopt.isEmpty else { return }
            runtime.withCore { core, now in
                switch core.reconcile(with: adopt, nowMillis: now) {
                case let .success(r):
                    state.reportedDivergence = false
                    log.event("reconciled with l1", ["sharedBlock": String(shared), "adoptedBlocks": String(r.adoptedBlocks),
                                                     "replayedTransactions": String(r.replayedTransactions),
                                                     "brokenPreconfirmations": String(r.broken.count)],
                              level: r.broken.isEmpty ? "info" : "warn")
                    for b in r.broken {
                        log.event("pre-confirmation broken", ["transaction": b.transactionHash.description, "what": b.summary], level: "warn")
                    }
                    return r.actions
                case let .failure(error):
                    if !state.reportedDivergence {
                        state.reportedDivergence = true
                        log.event("cannot reconcile with l1", ["sharedBlock": String(shared), "error": "\(error)"], level: "error")
                    }
                    return []
                }
            }
        } catch {
            log.event("catch-up from l1 failed", ["error": "\(error)"], level: "warn")
        }
    }
}

extension ForcedQueueWatcher {
    /// The queue items to hand to the sequencer from `entries` read at its
    /// cursor: those the L1's chain has not consumed (the others arrive by
    /// catching up). Shared by the running watcher and the simulation.
    public static func itemsToInclude(_ entries: [QueueEntry]) -> [ForcedItem] {
        entries.filter { !$0.included }.map(\.item)
    }

    /// When the L1's canonical head block is this node's own, how far its
    /// blocks are known to be on the L1 (the last block this node posted, at
    /// most the L1's head); nil when the L1's head is not ours and the node
    /// must catch up. `localHash` reads this node's sealed blocks.
    public static func postedThrough(l1Head status: L2HeadStatus, lastPostedBlock: UInt64,
                                     localHash: (UInt64) -> Hash32?) -> UInt64? {
        guard localHash(status.l2BlockNumber) == status.l2BlockHash else { return nil }
        return min(status.l2BlockNumber, lastPostedBlock)
    }

    /// The highest block this node shares with `derived` (the L1's chain,
    /// block 1 first) and the L1's blocks after it, which the node adopts.
    public static func blocksToAdopt(derived: [L2Block], localHead: UInt64,
                                     localHash: (UInt64) -> Hash32?) -> (shared: UInt64, blocks: [L2Block]) {
        var ancestor = min(localHead, UInt64(derived.count))
        while ancestor > 0 && localHash(ancestor) != derived[Int(ancestor) - 1].hash { ancestor -= 1 }
        return (ancestor, Array(derived[Int(ancestor)...]))
    }
}
