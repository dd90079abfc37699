import L1
import Primitives

/// When a transaction started waiting in the queue.
public struct QueueWait: Sendable, Equatable {
    /// Unix milliseconds.
    public let atMillis: UInt64
    /// The newest sealed L2 block then.
    public let l2Head: UInt64

    public init(atMillis: UInt64, l2Head: UInt64) {
        self.atMillis = atMillis
        self.l2Head = l2Head
    }
}

/// What the sequencer knows about one transaction and the chain around it,
/// read at one instant: the input of `TransactionStatus`.
public struct TransactionFacts: Sendable {
    public var hash: Hash32
    /// Its place, when it has one.
    public var record: TransactionRecord?
    /// The queue entry, while it waits.
    public var queued: Mempool.Entry?
    public var queuedSince: QueueWait?
    /// The sender's next nonce counting the open block (for a waiting transaction).
    public var senderNonce: UInt64 = 0
    /// The nonces of the sender's waiting transactions.
    public var senderQueuedNonces: Set<UInt64> = []
    /// L2 blocks sealed since it started waiting that hold transactions, and how many they hold.
    public var blocksWithTransactionsSince: UInt64 = 0
    public var transactionsIncludedSince: UInt64 = 0
    public var broken: BrokenPreConfirmation?
    public var recent: RecentOutcomes.Entry?
    /// The L1 inbox entry holding its block, once read.
    public var inclusion: L1Inclusion?
    /// The signed promise, when one was already signed.
    public var preconfirmation: PreConfirmation?
    public var headNumber: UInt64
    public var safeNumber: UInt64
    public var finalizedNumber: UInt64
    public var l1Head: UInt64
    public var l1Parameters: L1Parameters?
    public var baseFee: UInt256

    public init(hash: Hash32, headNumber: UInt64, safeNumber: UInt64, finalizedNumber: UInt64, l1Head: UInt64, baseFee: UInt256) {
        self.hash = hash
        self.headNumber = headNumber
        self.safeNumber = safeNumber
        self.finalizedNumber = finalizedNumber
        self.l1Head = l1Head
        self.baseFee = baseFee
    }
}
