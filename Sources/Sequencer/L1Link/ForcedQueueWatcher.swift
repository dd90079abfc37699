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

    public init(l1: any L1Client, runtime: SequencerRuntime, interval: Duration, ignoreForcedQueue: Bool, log: NodeLog) {
        let state = WatcherState()
        worker = PeriodicWorker(name: "l1-watcher", interval: interval) {
            Self.step(l1: l1, runtime: runtime, ignoreForcedQueue: ignoreForcedQueue, log: log, state: state)
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
            if let forced = entries.first(where: { $0.included }), !state.reportedDivergence {
                state.reportedDivergence = true
                log.event("l1 forced items in without the sequencer", ["queueIndex": String(forced.index),
                          "action": "reconciliation needed: this node does not re-derive yet"], level: "error")
            }
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
