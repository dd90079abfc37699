import Primitives
import Rollup

/// Why derivation from an L1 failed: the L1's history does not fold into
/// a chain (it served data its own accumulators or blocks contradict).
public enum DerivationError: Error, Sendable, Equatable, CustomStringConvertible {
    case client(L1ClientError)
    /// A batch the L1 reports as accepted does not apply.
    case batchRejected(inboxIndex: UInt64, BatchRejection)
    /// A forced inclusion that yields another block, or none.
    case forcedInclusionMismatch(inboxIndex: UInt64)
    /// Recomputed accumulators differ from the L1's.
    case accumulatorMismatch(what: String, index: UInt64)

    public var description: String {
        switch self {
        case .client(let e): "\(e)"
        case let .batchRejected(i, r): "inbox entry \(i) does not apply: \(r)"
        case .forcedInclusionMismatch(let i): "forced inclusion \(i) does not derive the block the L1 reports"
        case let .accumulatorMismatch(what, i): "\(what) accumulator mismatch at index \(i)"
        }
    }
}

/// Rebuilds the canonical L2 chain from L1 data alone (`sequencer derive`):
/// folds the queue and the inbox in L1 order into a `CanonicalChain`, the
/// same code the L1 runs, checking both hash-chain accumulators on the way.
///
/// Within one L1 block, queue items are folded before inbox entries; with a
/// force-inclusion delay of at least one block this cannot change any
/// outcome, since a batch or forced inclusion in block b only depends on
/// items that were overdue at b, enqueued by b − delay.
public enum L1Derivation {
    /// The chain `client`'s L1 holds, built from `configuration` (which must
    /// be the L1's: same genesis, chain id and delay).
    /// `onBlock` sees every derived L2 block in order (e.g. to find a block's
    /// withdrawals for a claim from L1 data alone).
    public static func derive(from client: some L1Client, configuration: L1Configuration, pageSize: Int = 100,
                              onBlock: (L2Block) -> Void = { _ in }) throws(DerivationError) -> CanonicalChain {
        let genesis = Genesis.make(allocations: configuration.l2Allocations, timestamp: configuration.l2GenesisTimestamp,
                                   configuration: configuration.chain)
        var chain = CanonicalChain(genesis: genesis.block, state: genesis.state, configuration: configuration.chain,
                                   forceInclusionDelay: configuration.forceInclusionDelay)
        let queue: [QueueEntry], inbox: [InboxEntry]
        do throws(L1ClientError) {
            queue = try pages { from throws(L1ClientError) in try client.queue(from: from, limit: pageSize) }
            inbox = try pages { from throws(L1ClientError) in try client.inbox(from: from, limit: pageSize) }
        } catch {
            throw .client(error)
        }
        var acc = Hash32.zero
        for (i, e) in queue.enumerated() {
            acc = Accumulator.next(acc, e.item.hash)
            guard acc == e.accumulator, e.index == UInt64(i), i == 0 || queue[i - 1].l1BlockNumber <= e.l1BlockNumber else {
                throw .accumulatorMismatch(what: "queue", index: UInt64(i))
            }
        }
        acc = .zero
        for e in inbox {
            acc = Accumulator.next(acc, e.kind.commitment)
            if acc != e.accumulator { throw .accumulatorMismatch(what: "inbox", index: e.index) }
        }
        var q = 0
        for e in inbox {
            while q < queue.count && queue[q].l1BlockNumber <= e.l1BlockNumber {
                chain.enqueue(queue[q].item, l1BlockNumber: queue[q].l1BlockNumber)
                q += 1
            }
            switch e.kind {
            case .batch(_, let bytes, _):
                do throws(BatchRejection) {
                    let batch: Batch
                    do throws(BatchDecodingError) { batch = try Batch(encoded: bytes) } catch { throw .malformed(error) }
                    for block in try chain.apply(batch, l1BlockNumber: e.l1BlockNumber) { onBlock(block) }
                } catch {
                    throw .batchRejected(inboxIndex: e.index, error)
                }
            case .forcedInclusion(let hash):
                let timestamp: UInt64
                do throws(L1ClientError) { timestamp = try client.block(e.l1BlockNumber).timestamp } catch { throw .client(error) }
                guard let block = chain.applyForcedBlock(l1BlockNumber: e.l1BlockNumber, timestamp: timestamp), block.hash == hash else {
                    throw .forcedInclusionMismatch(inboxIndex: e.index)
                }
                onBlock(block)
            }
        }
        for item in queue[q...] { chain.enqueue(item.item, l1BlockNumber: item.l1BlockNumber) }
        return chain
    }

    private static func pages<T>(_ fetch: (UInt64) throws(L1ClientError) -> [T]) throws(L1ClientError) -> [T] {
        var all: [T] = []
        while true {
            let page = try fetch(UInt64(all.count))
            if page.isEmpty { return all }
            all += page
        }
    }
}
