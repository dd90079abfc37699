import L1
import Primitives

/// Reads the L1 inbox into the chain store: which L1 block made each L2
/// block canonical and when, when that became final, and the L1's
/// parameters (force-inclusion delay, finality depth). An L1 call takes
/// effect in the head block, between its timestamp and the next block's, so
/// an entry is dated when it was read, or by the next block's timestamp if
/// that is earlier (an entry read late, e.g. after a restart); finality is
/// dated by the timestamp of the block that made it final.
/// `seq_getTransactionStatus` answers "in a batch at L1 block B" and
/// "finalized" from it. It runs after every batch-poster step, so a batch
/// this node posts is known at once, and after a restart it reads the inbox
/// again from its first entry, a page per step.
enum InclusionTracker {
    /// Inbox entries, and L1 blocks to date, read per step at most.
    static let pageSize = 256

    static func step(l1: any L1Client, store: ChainStore, clock: any WallClock = SystemClock()) {
        var timestamps: [UInt64: UInt64] = [:]
        func timestamp(_ n: UInt64) throws(L1ClientError) -> UInt64 {
            if let t = timestamps[n] { return t }
            let t = try l1.block(n).timestamp
            timestamps[n] = t
            return t
        }
        do throws(L1ClientError) {
            let parameters: L1Parameters
            if let known = store.l1Parameters {
                parameters = known
            } else {
                parameters = try l1.parameters()
                store.setL1Parameters(parameters)
            }
            let head = try l1.blockNumber()
            let (next, due) = Self.plan(store.inclusions, l1Head: head, depth: parameters.finalityDepth)
            for n in due { _ = try timestamp(n) }
            var read: [L1Inclusion] = []
            let observed = clock.nowMillis()
            for e in try l1.inbox(from: next, limit: pageSize) {
                var batchHash: Hash32?
                if case let .batch(hash, _, _) = e.kind { batchHash = hash }
                let at = e.l1BlockNumber < head ? min(observed, try timestamp(e.l1BlockNumber + 1) * 1000) : observed
                read.append(L1Inclusion(inboxIndex: e.index, isBatch: batchHash != nil, batchHash: batchHash,
                                        l1BlockNumber: e.l1BlockNumber, firstL2Block: e.firstL2Block, lastL2Block: e.lastL2Block,
                                        includedAtMillis: at))
            }
            store.updateInclusions { inclusions in
                inclusions.markFinalized(depth: parameters.finalityDepth, l1Timestamps: timestamps)
                for i in read { inclusions.append(i) }
            }
        } catch {
            return
        }
    }

    /// The next inbox index to read and the L1 blocks that date newly final entries.
    private static func plan(_ inclusions: L1Inclusions, l1Head: UInt64, depth: UInt64) -> (UInt64, ArraySlice<UInt64>) {
        (inclusions.nextInboxIndex, inclusions.finalityBlocksToDate(l1Head: l1Head, depth: depth).prefix(pageSize))
    }
}
