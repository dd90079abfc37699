import Ethereum
import Primitives

/// A forced-queue item with the L1 block that enqueued it, from which its
/// deadline follows.
public struct QueuedForcedItem: Sendable, Hashable {
    public let item: ForcedItem
    public let l1BlockNumber: UInt64

    public init(item: ForcedItem, l1BlockNumber: UInt64) {
        self.item = item
        self.l1BlockNumber = l1BlockNumber
    }
}

/// What the canonical chain remembers of each L2 block: enough to serve
/// withdrawal claims and the safe/finalized tags without keeping the blocks.
public struct CanonicalBlockRecord: Sendable, Hashable {
    public let number: UInt64
    public let hash: Hash32
    public let stateRoot: Hash32
    public let withdrawalsRoot: Hash32
    /// The L1 block whose batch or force inclusion made this block canonical.
    public let l1BlockNumber: UInt64
}

/// The canonical L2 chain: the fold of the L1 inbox in L1 order (queue
/// items enqueued, batches accepted, blocks force-included). The L1 uses it
/// to validate batches, and `sequencer derive` folds the same events to
/// rebuild the state: there is no second implementation.
///
/// A value with no I/O. Every mutating call either applies completely or
/// throws and changes nothing. Invariants: `records[n].number == n`;
/// `head.forcedQueueCursor <= queue.count`; the queue's L1 block numbers
/// never decrease.
public struct CanonicalChain: Sendable {
    public let configuration: ChainConfiguration
    /// A queue item enqueued at L1 block b is overdue from L1 block b + delay.
    public let forceInclusionDelay: UInt64
    public private(set) var head: L2BlockHeader
    public private(set) var state: WorldState
    /// The hash of the last accepted batch; zero before the first.
    public private(set) var lastBatchHash: Hash32 = .zero
    /// The senders of the last accepted batch's sequenced transactions, in
    /// order: what a log can keep so a replay need not recover them again.
    public private(set) var lastBatchSenders: [Address] = []
    /// Every item ever enqueued; index = queue index.
    public private(set) var queue: [QueuedForcedItem] = []
    /// One record per canonical L2 block, genesis first.
    public private(set) var records: [CanonicalBlockRecord]

    /// The chain holding only `genesis`.
    public init(genesis: L2Block, state: WorldState, configuration: ChainConfiguration, forceInclusionDelay: UInt64) {
        self.configuration = configuration
        self.forceInclusionDelay = forceInclusionDelay
        self.head = genesis.header
        self.state = state
        self.records = [CanonicalBlockRecord(number: 0, hash: genesis.hash, stateRoot: genesis.header.stateRoot,
                                             withdrawalsRoot: genesis.header.withdrawalsRoot, l1BlockNumber: 0)]
    }

    /// Queue items the chain has consumed.
    public var forcedQueueCursor: UInt64 { head.forcedQueueCursor }

    /// The L1 block from which queue item `index` is overdue.
    public func deadline(ofQueueIndex index: UInt64) -> UInt64 {
        queue[Int(index)].l1BlockNumber + forceInclusionDelay
    }

    /// The unconsumed items overdue at L1 block `l1BlockNumber`, in queue order.
    public func overdueItems(atL1Block l1BlockNumber: UInt64) -> ArraySlice<QueuedForcedItem> {
        let start = Int(head.forcedQueueCursor)
        var end = start
        while end < queue.count && queue[end].l1BlockNumber + forceInclusionDelay <= l1BlockNumber { end += 1 }
        return queue[start..<end]
    }

    /// Records an item the L1 queue accepted at `l1BlockNumber`.
    /// Precondition: `item.queueIndex == queue.count` and L1 order.
    public mutating func enqueue(_ item: ForcedItem, l1BlockNumber: UInt64) {
        precondition(item.queueIndex == UInt64(queue.count), "queue items arrive in index order")
        precondition(queue.last.map { $0.l1BlockNumber <= l1BlockNumber } ?? true, "queue items arrive in L1 order")
        queue.append(QueuedForcedItem(item: item, l1BlockNumber: l1BlockNumber))
    }

    /// Re-executes `batch`, posted in L1 block `l1BlockNumber`, and makes its
    /// blocks canonical when everything it claims holds; returns them.
    @discardableResult
    /// `knownSenders`, when given, are the senders of the batch's sequenced
    /// transactions in order, as an earlier application found them (a replay
    /// of the L1's own log); they replace signature recovery, the costly part.
    public mutating func apply(_ batch: Batch, l1BlockNumber: UInt64, knownSenders: [Address]? = nil) throws(BatchRejection) -> [L2Block] {
        let known = knownSenders.flatMap { $0.count == batch.transactionCount ? $0 : nil }
        var senders: [Address] = []
        senders.reserveCapacity(batch.transactionCount)
        if batch.previousBatchHash != lastBatchHash { throw .wrongParent(expected: lastBatchHash, got: batch.previousBatchHash) }
        if batch.firstBlockNumber != head.number + 1 || batch.blocks.isEmpty {
            throw .outOfOrder(expectedFirstBlock: head.number + 1, got: batch.firstBlockNumber)
        }
        var parent = head
        var state = self.state
        var sealed: [L2Block] = []
        sealed.reserveCapacity(batch.blocks.count)
        for b in batch.blocks {
            let number = parent.number + 1
            if b.timestamp < parent.timestamp || b.l1OriginNumber < parent.l1OriginNumber || b.l1OriginNumber > l1BlockNumber {
                throw .invalidBlockContext(l2BlockNumber: number, timestamp: b.timestamp, l1OriginNumber: b.l1OriginNumber)
            }
            var builder = BlockBuilder(parent: parent, state: state, timestamp: b.timestamp, l1OriginNumber: b.l1OriginNumber,
                                       configuration: configuration)
            for (index, item) in b.items.enumerated() {
                switch item {
                case .transaction(let tx):
                    do throws(StateTransitionError) {
                        let sender: Address
                        if let known { sender = known[senders.count] } else {
                            do throws(TransactionDecodingError) { sender = try tx.recoverSender() } catch { throw .malformed(error) }
                        }
                        try builder.apply(tx, sender: sender)
                        senders.append(sender)
                    } catch {
                        throw .invalidTransaction(l2BlockNumber: number, index: index, reason: error)
                    }
                case .forced(let queueIndex):
                    let expected = builder.forcedQueueCursor
                    guard queueIndex == expected, expected < UInt64(queue.count) else {
                        throw .forcedItemsMismatch(expectedQueueIndex: expected, got: queueIndex)
                    }
                    builder.applyForced(queue[Int(queueIndex)].item)
                case .dev(let op):
                    do throws(StateTransitionError) { try builder.applyDev(op) } catch {
                        throw .invalidTransaction(l2BlockNumber: number, index: index, reason: error)
                    }
                }
            }
            let block = builder.seal()
            if block.header.withdrawalsRoot != b.withdrawalsRoot {
                throw .wrongWithdrawalsRoot(l2BlockNumber: number, expected: block.header.withdrawalsRoot, got: b.withdrawalsRoot)
            }
            state = builder.state
            parent = block.header
            sealed.append(block)
        }
        if parent.forcedQueueCursor != batch.forcedQueueCursor {
            throw .forcedItemsMismatch(expectedQueueIndex: parent.forcedQueueCursor, got: batch.forcedQueueCursor)
        }
        if parent.stateRoot != batch.postStateRoot { throw .wrongStateRoot(expected: parent.stateRoot, got: batch.postStateRoot) }
        let cursor = parent.forcedQueueCursor
        if cursor < UInt64(queue.count) {
            let deadline = deadline(ofQueueIndex: cursor)
            if l1BlockNumber >= deadline { throw .skipsOverdueForcedItem(queueIndex: cursor, deadline: deadline) }
        }
        commit(sealed, state: state, l1BlockNumber: l1BlockNumber)
        lastBatchHash = batch.hash
        lastBatchSenders = senders
        return sealed
    }

    /// Appends one L2 block holding every item overdue at `l1BlockNumber`,
    /// built by the L1 itself with no sequencer (the escape hatch). Returns
    /// nil, changing nothing, when no item is overdue.
    @discardableResult
    public mutating func applyForcedBlock(l1BlockNumber: UInt64, timestamp: UInt64) -> L2Block? {
        let items = overdueItems(atL1Block: l1BlockNumber)
        guard !items.isEmpty else { return nil }
        var builder = BlockBuilder(parent: head, state: state, timestamp: timestamp,
                                   l1OriginNumber: Swift.max(head.l1OriginNumber, l1BlockNumber), configuration: configuration)
        for q in items { builder.applyForced(q.item) }
        let block = builder.seal()
        commit([block], state: builder.state, l1BlockNumber: l1BlockNumber)
        return block
    }

    private mutating func commit(_ blocks: [L2Block], state: WorldState, l1BlockNumber: UInt64) {
        for block in blocks {
            records.append(CanonicalBlockRecord(number: block.number, hash: block.hash, stateRoot: block.header.stateRoot,
                                                withdrawalsRoot: block.header.withdrawalsRoot, l1BlockNumber: l1BlockNumber))
        }
        head = blocks[blocks.count - 1].header
        self.state = state
    }

    /// The record of canonical block `number`, if there is one.
    public func record(_ number: UInt64) -> CanonicalBlockRecord? {
        number < UInt64(records.count) ? records[Int(number)] : nil
    }

    /// The highest L2 block made canonical by an L1 block at least
    /// `depth` blocks below `l1Head` (0 when none is).
    public func highestBlock(finalizedAt l1Head: UInt64, depth: UInt64) -> UInt64 {
        guard l1Head >= depth else { return 0 }
        let limit = l1Head - depth
        var lo = 0, hi = records.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if records[mid].l1BlockNumber <= limit { lo = mid } else { hi = mid - 1 }
        }
        return records[lo].number
    }
}
