import Ethereum
import Primitives
import Rollup
import Synchronization

/// What the batch poster has put on the L1: the L1 cost of the rollup.
public struct BatchStatistics: Sendable, Equatable {
    public var count = 0
    public var transactions = 0
    public var bytes = 0
    public var lastPostedBlock: UInt64 = 0
    public var lastBatchBytes = 0
    public var lastBatchTransactions = 0

    /// Average L1 bytes per transaction over every batch posted.
    public var bytesPerTransaction: Double { transactions == 0 ? 0 : Double(bytes) / Double(transactions) }
}

/// A transaction the sequencer has placed, as readers see it.
public struct TransactionRecord: Sendable {
    public let executed: ExecutedTransaction
    public let position: ChainPosition
    /// The L2 block's timestamp.
    public let timestamp: UInt64
    /// The block's hash once sealed; nil while its block is still open.
    public var blockHash: Hash32?
}

/// What the RPC threads read: blocks, transactions, receipts, states and the
/// queue, published by the sequencer thread after each step. Readers take
/// the lock briefly and copy out only what they need (never the big
/// collections, which would force a copy on the next write).
public final class ChainStore: Sendable {
    struct Contents: Sendable {
        var blocks: [L2Block] = []
        var blockNumberByHash: [Hash32: UInt64] = [:]
        var transactions = HashShardedMap<TransactionRecord>()
        var openBlock: (number: UInt64, timestamp: UInt64, hashes: [Hash32])?
        var latestState = WorldState()
        /// States after recent blocks, for reads at a block number (like a non-archive node's 128).
        var recentStates: [UInt64: WorldState] = [:]
        var pendingState = WorldState()
        var baseFee = UInt256.zero
        var queued: [Hash32: Mempool.Entry] = [:]
        var queuedNonces: [Address: Set<UInt64>] = [:]
        var preconfirmations = HashShardedMap<PreConfirmation>()
        /// Pre-confirmations that a reconciliation with the L1 could not keep.
        var broken: [Hash32: BrokenPreConfirmation] = [:]
        var safeNumber: UInt64 = 0
        var finalizedNumber: UInt64 = 0
        var forcedCursor: UInt64 = 0
        var l1Head: UInt64 = 0
        var batches = BatchStatistics()
    }

    // The published view; written only by the sequencer thread, read by any.
    private let contents: Mutex<Contents>

    public init(genesis: L2Block, state: WorldState, baseFee: UInt256) {
        var c = Contents()
        c.blocks = [genesis]
        c.blockNumberByHash[genesis.hash] = 0
        c.latestState = state
        c.pendingState = state
        c.recentStates[0] = state
        c.baseFee = baseFee
        contents = Mutex(c)
    }

    // MARK: writes (sequencer thread)

    /// Publishes the outcome of one sequencer step.
    public func publish(_ actions: [SequencerCore.Action], headState: WorldState, pendingState: WorldState, baseFee: UInt256) {
        contents.withLock { c in
            for action in actions {
                switch action {
                case let .sequenced(executed, position, timestamp):
                    let hash = executed.transaction.hash
                    c.transactions[hash] = TransactionRecord(executed: executed, position: position, timestamp: timestamp, blockHash: nil)
                    if c.openBlock?.number != position.blockNumber { c.openBlock = (position.blockNumber, timestamp, []) }
                    c.openBlock!.hashes.append(hash)
                    if let e = c.queued.removeValue(forKey: hash) { c.queuedNonces[e.sender]?.remove(e.transaction.transaction.nonce) }
                case let .sealed(block):
                    c.blocks.append(block)
                    c.blockNumberByHash[block.hash] = block.number
                    for t in block.transactions { c.transactions.update(t.transaction.hash) { $0?.blockHash = block.hash } }
                    if c.openBlock?.number == block.number { c.openBlock = nil }
                case let .queued(entry):
                    c.queued[entry.transaction.hash] = entry
                    c.queuedNonces[entry.sender, default: []].insert(entry.transaction.transaction.nonce)
                case let .dropped(hash, _):
                    if let e = c.queued.removeValue(forKey: hash) { c.queuedNonces[e.sender]?.remove(e.transaction.transaction.nonce) }
                case let .forcedIncluded(item, _, _):
                    c.forcedCursor = max(c.forcedCursor, item.queueIndex + 1)
                case let .rewound(number):
                    Self.rewind(&c, to: number)
                case let .preconfirmationBroken(b):
                    c.broken[b.transactionHash] = b
                case .log, .reply:
                    break
                }
            }
            let head = UInt64(c.blocks.count - 1)
            if c.recentStates[head] == nil {
                c.recentStates[head] = headState
                if head >= Self.retainedStates { c.recentStates[head - Self.retainedStates] = nil }
            }
            c.latestState = headState
            c.pendingState = pendingState
            c.baseFee = baseFee
        }
    }

    /// Forgets the blocks above `number`, their transactions and the open block.
    private static func rewind(_ c: inout Contents, to number: UInt64) {
        guard number + 1 < UInt64(c.blocks.count) else {
            if let o = c.openBlock { for h in o.hashes { c.transactions[h] = nil } }
            c.openBlock = nil
            return
        }
        for block in c.blocks[Int(number + 1)...] {
            c.blockNumberByHash[block.hash] = nil
            for t in block.transactions { c.transactions[t.transaction.hash] = nil }
            c.recentStates[block.number] = nil
        }
        if let o = c.openBlock { for h in o.hashes { c.transactions[h] = nil } }
        c.openBlock = nil
        c.blocks.removeSubrange(Int(number + 1)...)
        c.forcedCursor = c.blocks[Int(number)].header.forcedQueueCursor
    }

    /// Keeps a signed pre-confirmation so `seq_getPreconfirmation` can return it.
    public func store(_ p: PreConfirmation) {
        contents.withLock { $0.preconfirmations[p.transactionHash] = p }
    }

    /// Records what the L1 says: its head, and how far the L2 chain is safe and finalized there.
    public func updateFromL1(l1Head: UInt64, safe: UInt64, finalized: UInt64) {
        contents.withLock { c in
            c.l1Head = l1Head
            c.safeNumber = min(safe, UInt64(c.blocks.count - 1))
            c.finalizedNumber = min(finalized, c.safeNumber)
        }
    }

    /// Records one batch accepted on the L1.
    public func recordBatch(transactions: Int, bytes: Int, lastBlock: UInt64) {
        contents.withLock { c in
            c.batches.count += 1
            c.batches.transactions += transactions
            c.batches.bytes += bytes
            c.batches.lastPostedBlock = max(c.batches.lastPostedBlock, lastBlock)
            c.batches.lastBatchBytes = bytes
            c.batches.lastBatchTransactions = transactions
        }
    }

    // MARK: reads (any thread)

    public var l1Head: UInt64 { contents.withLock { $0.l1Head } }
    public var forcedCursor: UInt64 { contents.withLock { $0.forcedCursor } }
    public var batchStatistics: BatchStatistics { contents.withLock { $0.batches } }

    public var headNumber: UInt64 { contents.withLock { UInt64($0.blocks.count - 1) } }
    public var baseFee: UInt256 { contents.withLock { $0.baseFee } }
    public var safeNumber: UInt64 { contents.withLock { $0.safeNumber } }
    public var finalizedNumber: UInt64 { contents.withLock { $0.finalizedNumber } }
    public var queuedCount: Int { contents.withLock { $0.queued.count } }

    public func block(number: UInt64) -> L2Block? {
        contents.withLock { c in number < UInt64(c.blocks.count) ? c.blocks[Int(number)] : nil }
    }

    public func block(hash: Hash32) -> L2Block? {
        contents.withLock { c in c.blockNumberByHash[hash].map { c.blocks[Int($0)] } }
    }

    public func transaction(_ hash: Hash32) -> TransactionRecord? {
        contents.withLock { $0.transactions[hash] }
    }

    public func queuedTransaction(_ hash: Hash32) -> Mempool.Entry? {
        contents.withLock { $0.queued[hash] }
    }

    /// Why the pre-confirmation of `hash` did not hold, if it did not.
    public func brokenPreconfirmation(_ hash: Hash32) -> BrokenPreConfirmation? {
        contents.withLock { $0.broken[hash] }
    }

    /// How many pre-confirmations reconciliations broke.
    public var brokenPreconfirmationCount: Int { contents.withLock { $0.broken.count } }

    public func preconfirmation(_ hash: Hash32) -> PreConfirmation? {
        contents.withLock { $0.preconfirmations[hash] }
    }

    /// The account at `address` after the latest sealed block, or including the open block.
    public func account(_ address: Address, pending: Bool) -> Account {
        let state = contents.withLock { pending ? $0.pendingState : $0.latestState }
        return state[address]
    }

    /// How many recent block states are kept for reads at a block number.
    public static let retainedStates: UInt64 = 128

    /// The account at `address` after block `number`, or nil when that state
    /// is no longer kept (older than the last `retainedStates` blocks) or the
    /// block does not exist.
    public func account(_ address: Address, atBlock number: UInt64) -> Account? {
        contents.withLock { $0.recentStates[number] }?[address]
    }

    /// The next nonce of `address` counting the open block and waiting transactions.
    public func pendingNonce(_ address: Address) -> UInt64 {
        let (state, queued) = contents.withLock { ($0.pendingState, $0.queuedNonces[address]) }
        var n = state[address].nonce
        while queued?.contains(n) == true { n += 1 }
        return n
    }

    /// Transactions in the open block, in order.
    public var openBlockTransactions: (number: UInt64, timestamp: UInt64, records: [TransactionRecord])? {
        contents.withLock { c in
            c.openBlock.map { o in (o.number, o.timestamp, o.hashes.compactMap { c.transactions[$0] }) }
        }
    }

    /// Every waiting transaction.
    public var queuedEntries: [Mempool.Entry] {
        contents.withLock { Array($0.queued.values) }
    }
}
