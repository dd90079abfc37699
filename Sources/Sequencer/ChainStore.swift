import Ethereum
import Hashing
import L1
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
    /// When the sequencer placed it, in unix milliseconds.
    public var sequencedAtMillis: UInt64 = 0
    /// When it was queued before being placed, in unix milliseconds; 0 when it never waited.
    public var queuedAtMillis: UInt64 = 0
    /// Its index in the L1 forced-inclusion queue, when it came in through that queue.
    public var forcedQueueIndex: UInt64?
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
        /// The newest block whose log records are durable: what the batch poster may post.
        var durableHead: UInt64 = 0
        /// Dev snapshots: the published view as it was, by snapshot id.
        var snapshots: [UInt64: Contents] = [:]
        var safeNumber: UInt64 = 0
        var finalizedNumber: UInt64 = 0
        var forcedCursor: UInt64 = 0
        var l1Head: UInt64 = 0
        var batches = BatchStatistics()
        /// When each waiting transaction was queued, for `seq_getTransactionStatus`.
        var queuedSince: [Hash32: QueueWait] = [:]
        /// The last 10,000 refused or dropped transactions, with why.
        var recent = RecentOutcomes(capacity: 10_000)
        /// Which L1 block took which L2 blocks, as far as the inbox was read.
        var inclusions = L1Inclusions()
        var l1Parameters: L1Parameters?
    }

    // The published view; written only by the sequencer thread, read by any.
    private let contents: Mutex<Contents>
    /// Dates the stages of transactions (queued, placed, dropped, rejected).
    private let clock: any WallClock
    /// The view at genesis, for `anvil_reset`.
    private let genesisContents: Contents

    public init(genesis: L2Block, state: WorldState, baseFee: UInt256, clock: any WallClock = SystemClock()) {
        self.clock = clock
        var c = Contents()
        c.blocks = [genesis]
        c.blockNumberByHash[genesis.hash] = 0
        c.latestState = state
        c.pendingState = state
        c.recentStates[0] = state
        c.baseFee = baseFee
        genesisContents = c
        contents = Mutex(c)
    }

    // MARK: writes (sequencer thread)

    /// Publishes the outcome of one sequencer step.
    public func publish(_ actions: [SequencerCore.Action], headState: WorldState, pendingState: WorldState, baseFee: UInt256) {
        let now = clock.nowMillis()
        contents.withLock { c in
            // Set by an executed forced item, for the `.sequenced` that follows it.
            var forcedIndex: UInt64?
            for action in actions {
                switch action {
                case let .sequenced(executed, position, timestamp):
                    let hash = executed.transaction.hash
                    var queuedAt: UInt64 = 0
                    if let e = c.queued.removeValue(forKey: hash) {
                        c.queuedNonces[e.sender]?.remove(e.transaction.transaction.nonce)
                        queuedAt = c.queuedSince.removeValue(forKey: hash)?.atMillis ?? 0
                    }
                    c.transactions[hash] = TransactionRecord(executed: executed, position: position, timestamp: timestamp, blockHash: nil,
                                                             sequencedAtMillis: now, queuedAtMillis: queuedAt, forcedQueueIndex: forcedIndex)
                    forcedIndex = nil
                    if c.openBlock?.number != position.blockNumber { c.openBlock = (position.blockNumber, timestamp, []) }
                    c.openBlock!.hashes.append(hash)
                case let .sealed(block):
                    c.blocks.append(block)
                    c.blockNumberByHash[block.hash] = block.number
                    for t in block.transactions { c.transactions.update(t.transaction.hash) { $0?.blockHash = block.hash } }
                    if c.openBlock?.number == block.number { c.openBlock = nil }
                case let .queued(entry):
                    c.queued[entry.transaction.hash] = entry
                    c.queuedNonces[entry.sender, default: []].insert(entry.transaction.transaction.nonce)
                    c.queuedSince[entry.transaction.hash] = QueueWait(atMillis: now, l2Head: UInt64(c.blocks.count - 1))
                case let .dropped(hash, reason):
                    if let e = c.queued.removeValue(forKey: hash) { c.queuedNonces[e.sender]?.remove(e.transaction.transaction.nonce) }
                    c.queuedSince[hash] = nil
                    c.recent.record(hash, .dropped, reason: reason, atMillis: now)
                case let .forcedIncluded(item, outcome, _):
                    c.forcedCursor = max(c.forcedCursor, item.queueIndex + 1)
                    if case .executed = outcome { forcedIndex = item.queueIndex }
                    if case let .skipped(why) = outcome, case let .transaction(t) = item {
                        c.recent.record(Keccak256.hash(t.raw), .dropped, reason: "L1 forced-queue item \(t.queueIndex) skipped: \(why)",
                                        atMillis: now)
                    }
                case let .rewound(number):
                    Self.rewind(&c, to: number)
                case let .preconfirmationBroken(b):
                    c.broken[b.transactionHash] = b
                case let .snapshotTaken(id):
                    var saved = c
                    saved.snapshots = [:]
                    c.snapshots[id] = saved
                case let .restored(id):
                    let keep = (c.snapshots.filter { $0.key < id }, c.l1Head, c.batches)
                    c = id == 0 ? genesisContents : (c.snapshots[id] ?? c)
                    (c.snapshots, c.l1Head, c.batches) = keep
                case let .reply(r):
                    if case let .rejected(why) = r.outcome { c.recent.record(r.hash, .rejected, reason: why.description, atMillis: now) }
                case .log:
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
            c.forcedCursor = c.blocks[c.blocks.count - 1].header.forcedQueueCursor
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

    /// The newest sealed block whose log records are durable. Reads see a
    /// step before its fsync; only durable blocks may go to the L1, or a crash
    /// could leave the L1 holding blocks the restarted node does not have.
    public var durableHeadNumber: UInt64 { contents.withLock { min($0.durableHead, UInt64($0.blocks.count - 1)) } }

    /// Called in log order once a step's records are durable, with the head that step left.
    public func setDurableHead(_ number: UInt64) {
        contents.withLock { $0.durableHead = number }
    }
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

    // MARK: transaction status

    /// The L1's parameters, once the inclusion tracker has read them.
    public var l1Parameters: L1Parameters? { contents.withLock { $0.l1Parameters } }

    public func setL1Parameters(_ p: L1Parameters) {
        contents.withLock { $0.l1Parameters = p }
    }

    /// The L1 inbox as far as it was read.
    public var inclusions: L1Inclusions { contents.withLock { $0.inclusions } }

    /// Changes the record of the L1 inbox (the inclusion tracker).
    public func updateInclusions(_ body: (inout L1Inclusions) -> Void) {
        contents.withLock { body(&$0.inclusions) }
    }

    /// Remembers a transaction refused before it reached the sequencer thread (admission's stateless checks).
    public func recordRejection(_ hash: Hash32, reason: String) {
        let now = clock.nowMillis()
        contents.withLock { $0.recent.record(hash, .rejected, reason: reason, atMillis: now) }
    }

    /// Everything the store knows about `hash`, read under one lock, for
    /// `TransactionStatus`. While it waits, counts the L2 blocks sealed since
    /// (at most the last `scanLimit`) and the transactions they hold.
    public func transactionFacts(_ hash: Hash32, scanLimit: Int = 1024) -> TransactionFacts {
        contents.withLock { c in
            var f = TransactionFacts(hash: hash, headNumber: UInt64(c.blocks.count - 1), safeNumber: c.safeNumber,
                                     finalizedNumber: c.finalizedNumber, l1Head: c.l1Head, baseFee: c.baseFee)
            f.l1Parameters = c.l1Parameters
            f.broken = c.broken[hash]
            f.recent = c.recent[hash]
            f.preconfirmation = c.preconfirmations[hash]
            if let record = c.transactions[hash] {
                f.record = record
                f.inclusion = c.inclusions.covering(l2Block: record.position.blockNumber)
            } else if let entry = c.queued[hash] {
                f.queued = entry
                f.senderNonce = c.pendingState[entry.sender].nonce
                f.senderQueuedNonces = c.queuedNonces[entry.sender] ?? []
                if let wait = c.queuedSince[hash] {
                    f.queuedSince = wait
                    let first = max(wait.l2Head + 1, f.headNumber >= UInt64(scanLimit) ? f.headNumber - UInt64(scanLimit) + 1 : 1)
                    if first <= f.headNumber {
                        for block in c.blocks[Int(first)...] where !block.transactions.isEmpty {
                            f.blocksWithTransactionsSince += 1
                            f.transactionsIncludedSince += UInt64(block.transactions.count)
                        }
                    }
                }
            }
            return f
        }
    }
}
