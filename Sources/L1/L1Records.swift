import Hashing
import Primitives
import Rollup

/// One entry of the sequencer inbox: an accepted batch or a forced inclusion.
public struct InboxEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A batch posted by the sequencer, as posted (bytes and signature).
        case batch(hash: Hash32, bytes: [UInt8], signature: [UInt8])
        /// A block the L1 built from overdue queue items.
        case forcedInclusion(l2BlockHash: Hash32)

        /// What the inbox accumulator absorbs: keccak256(tag ‖ hash), tag 1
        /// for a batch (its hash), 2 for a forced inclusion (the L2 block hash).
        public var commitment: Hash32 {
            switch self {
            case .batch(let hash, _, _): Keccak256.hash([1] + hash.bytes)
            case .forcedInclusion(let hash): Keccak256.hash([2] + hash.bytes)
            }
        }
    }

    public let index: UInt64
    public let kind: Kind
    /// The L1 block that accepted it.
    public let l1BlockNumber: UInt64
    public let firstL2Block: UInt64
    public let lastL2Block: UInt64
    /// The inbox accumulator after this entry.
    public let accumulator: Hash32

    public init(index: UInt64, kind: Kind, l1BlockNumber: UInt64, firstL2Block: UInt64, lastL2Block: UInt64, accumulator: Hash32) {
        self.index = index
        self.kind = kind
        self.l1BlockNumber = l1BlockNumber
        self.firstL2Block = firstL2Block
        self.lastL2Block = lastL2Block
        self.accumulator = accumulator
    }
}

/// One forced-inclusion queue item as the L1 holds it.
public struct QueueEntry: Sendable, Equatable {
    public let item: ForcedItem
    public var index: UInt64 { item.queueIndex }
    /// The L1 block that enqueued it.
    public let l1BlockNumber: UInt64
    /// The L1 block from which it is overdue.
    public let deadline: UInt64
    /// The queue accumulator after this item.
    public let accumulator: Hash32
    /// Whether the canonical chain has consumed it.
    public let included: Bool

    public init(item: ForcedItem, l1BlockNumber: UInt64, deadline: UInt64, accumulator: Hash32, included: Bool) {
        self.item = item
        self.l1BlockNumber = l1BlockNumber
        self.deadline = deadline
        self.accumulator = accumulator
        self.included = included
    }
}

/// The canonical L2 chain as the L1 sees it, with the positions a
/// sequencer needs to reconcile against (cursors and accumulators).
public struct L2HeadStatus: Sendable, Equatable {
    public var l1BlockNumber: UInt64
    public var l2BlockNumber: UInt64
    public var l2BlockHash: Hash32
    public var stateRoot: Hash32
    /// Every canonical block is safe: it is in an accepted batch or forced inclusion.
    public var safeL2Block: UInt64
    /// Canonical and at least `finalityDepth` L1 blocks deep.
    public var finalizedL2Block: UInt64
    public var forcedQueueCursor: UInt64
    public var queueLength: UInt64
    public var queueAccumulator: Hash32
    public var inboxLength: UInt64
    public var inboxAccumulator: Hash32
    /// What the next batch must name as `previousBatchHash`.
    public var lastBatchHash: Hash32

    public init(l1BlockNumber: UInt64, l2BlockNumber: UInt64, l2BlockHash: Hash32, stateRoot: Hash32, safeL2Block: UInt64,
                finalizedL2Block: UInt64, forcedQueueCursor: UInt64, queueLength: UInt64, queueAccumulator: Hash32,
                inboxLength: UInt64, inboxAccumulator: Hash32, lastBatchHash: Hash32) {
        self.l1BlockNumber = l1BlockNumber
        self.l2BlockNumber = l2BlockNumber
        self.l2BlockHash = l2BlockHash
        self.stateRoot = stateRoot
        self.safeL2Block = safeL2Block
        self.finalizedL2Block = finalizedL2Block
        self.forcedQueueCursor = forcedQueueCursor
        self.queueLength = queueLength
        self.queueAccumulator = queueAccumulator
        self.inboxLength = inboxLength
        self.inboxAccumulator = inboxAccumulator
        self.lastBatchHash = lastBatchHash
    }
}

/// The L1's fixed parameters, as a client reads them.
public struct L1Parameters: Sendable, Equatable {
    public var sequencerAddress: Address
    public var forceInclusionDelay: UInt64
    public var finalityDepth: UInt64
    public var l2ChainID: UInt64
    /// Whether batches may carry dev operations (a local dev chain).
    public var devOperations: Bool
    /// The L2 genesis balances the L1 re-executes from: what derivation must start from.
    public var l2Genesis: [GenesisBalance]

    public init(sequencerAddress: Address, forceInclusionDelay: UInt64, finalityDepth: UInt64, l2ChainID: UInt64,
                devOperations: Bool = false, l2Genesis: [GenesisBalance] = L1Configuration.devAllocations.map(GenesisBalance.init)) {
        self.sequencerAddress = sequencerAddress
        self.forceInclusionDelay = forceInclusionDelay
        self.finalityDepth = finalityDepth
        self.l2ChainID = l2ChainID
        self.devOperations = devOperations
        self.l2Genesis = l2Genesis
    }
}

/// One funded account of a genesis.
public struct GenesisBalance: Sendable, Equatable {
    public var address: Address
    public var balance: UInt256

    public init(_ allocation: (Address, UInt256)) {
        self.address = allocation.0
        self.balance = allocation.1
    }
}

/// Identifies a withdrawal: its L2 block and its index there.
public struct WithdrawalID: Sendable, Hashable {
    public let l2BlockNumber: UInt64
    public let index: UInt32
}

/// What an accepted L1 call did.
public enum L1Outcome: Sendable, Equatable {
    case mined(first: UInt64, last: UInt64)
    case batchAccepted(inboxIndex: UInt64, hash: Hash32, firstL2Block: UInt64, lastL2Block: UInt64)
    case enqueued(queueIndex: UInt64, deadline: UInt64)
    case forceIncluded(inboxIndex: UInt64, l2BlockNumber: UInt64, items: Int)
    case claimed(recipient: Address, amount: UInt256)
}
