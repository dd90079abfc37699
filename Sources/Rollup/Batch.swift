import Ethereum
import Hashing
import Primitives

/// A run of consecutive L2 blocks as the sequencer posts them to the L1
/// inbox. It carries only what re-execution needs (each block's timestamp,
/// L1 origin and ordered items) plus the commitments re-execution must
/// reproduce (post-state root, each block's withdrawals root, the forced
/// queue cursor). Batches chain by `previousBatchHash`, so the inbox order
/// is the only order.
///
/// `hash` is keccak256 of `encoded()` (see `BatchCodec` for the format).
public struct Batch: Sendable, Equatable {
    /// The L2 chain id every compactly encoded transaction is signed for.
    public var chainID: UInt64
    /// `hash` of the batch before this one in the inbox; zero for the first.
    public var previousBatchHash: Hash32
    /// The number of `blocks[0]`.
    public var firstBlockNumber: UInt64
    /// Forced-queue items consumed by the chain after the last block.
    public var forcedQueueCursor: UInt64
    /// The state root after the last block.
    public var postStateRoot: Hash32
    public var blocks: [BatchBlock]

    public init(chainID: UInt64, previousBatchHash: Hash32, firstBlockNumber: UInt64, forcedQueueCursor: UInt64,
                postStateRoot: Hash32, blocks: [BatchBlock]) {
        self.chainID = chainID
        self.previousBatchHash = previousBatchHash
        self.firstBlockNumber = firstBlockNumber
        self.forcedQueueCursor = forcedQueueCursor
        self.postStateRoot = postStateRoot
        self.blocks = blocks
    }

    /// The batch of sealed, consecutive `blocks` (at least one).
    public init(chainID: UInt64, previousBatchHash: Hash32, blocks: [L2Block]) {
        precondition(!blocks.isEmpty, "a batch holds at least one block")
        self.init(chainID: chainID, previousBatchHash: previousBatchHash, firstBlockNumber: blocks[0].number,
                  forcedQueueCursor: blocks[blocks.count - 1].header.forcedQueueCursor,
                  postStateRoot: blocks[blocks.count - 1].header.stateRoot,
                  blocks: blocks.map(BatchBlock.init(block:)))
    }

    /// The compact encoding posted to L1.
    public func encoded() -> [UInt8] { BatchCodec.encode(self) }

    /// keccak256(`encoded()`): what the sequencer signs and the next batch names.
    public var hash: Hash32 { Keccak256.hash(encoded()) }

    /// Decodes a batch strictly (see `BatchCodec.decode`).
    public init(encoded bytes: [UInt8]) throws(BatchDecodingError) {
        self = try BatchCodec.decode(bytes)
    }

    /// The number of the last block.
    public var lastBlockNumber: UInt64 { firstBlockNumber + UInt64(blocks.count) - 1 }

    /// All sequenced transactions across blocks.
    public var transactionCount: Int { blocks.reduce(0) { $0 + $1.items.count { $0.isTransaction } } }
}

/// One L2 block inside a batch.
public struct BatchBlock: Sendable, Equatable {
    public var timestamp: UInt64
    public var l1OriginNumber: UInt64
    public var items: [BatchItem]
    /// The root of this block's withdrawal tree, which L1 claims prove against.
    public var withdrawalsRoot: Hash32

    public init(timestamp: UInt64, l1OriginNumber: UInt64, items: [BatchItem], withdrawalsRoot: Hash32) {
        self.timestamp = timestamp
        self.l1OriginNumber = l1OriginNumber
        self.items = items
        self.withdrawalsRoot = withdrawalsRoot
    }

    /// The batch form of a sealed block.
    public init(block: L2Block) {
        self.init(timestamp: block.header.timestamp, l1OriginNumber: block.header.l1OriginNumber,
                  items: block.items.map { item in
                      switch item {
                      case .sequenced(let tx): .transaction(tx)
                      case .forced(let f): .forced(queueIndex: f.item.queueIndex)
                      case .dev(let op): .dev(op)
                      }
                  },
                  withdrawalsRoot: block.header.withdrawalsRoot)
    }
}

/// One item of a batched block: a sequenced transaction, or a reference to
/// the forced-queue item the L1 already holds (its content is not repeated).
public enum BatchItem: Sendable, Equatable {
    case transaction(SignedTransaction)
    case forced(queueIndex: UInt64)
    case dev(DevOperation)

    public var isTransaction: Bool {
        if case .transaction = self { return true }
        return false
    }
}
