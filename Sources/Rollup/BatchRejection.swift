import Primitives

/// Why the L1 inbox refuses a batch (and why derivation would not follow
/// it). Each case carries what an operator needs to see the mismatch.
public enum BatchRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// `previousBatchHash` is not the hash of the last accepted batch.
    case wrongParent(expected: Hash32, got: Hash32)
    /// The first block number does not follow the canonical head.
    case outOfOrder(expectedFirstBlock: UInt64, got: UInt64)
    /// Re-execution ends in another state root than the batch claims.
    case wrongStateRoot(expected: Hash32, got: Hash32)
    /// A block's withdrawals root differs from re-execution's.
    case wrongWithdrawalsRoot(l2BlockNumber: UInt64, expected: Hash32, got: Hash32)
    /// A sequenced transaction fails the state transition; `index` counts
    /// items from the start of its block.
    case invalidTransaction(l2BlockNumber: UInt64, index: Int, reason: StateTransitionError)
    /// A forced reference is not the next queue item, names an item the
    /// queue does not hold, or the final cursor differs from the batch's.
    case forcedItemsMismatch(expectedQueueIndex: UInt64, got: UInt64)
    /// After the batch, the queue still holds an item whose deadline passed.
    case skipsOverdueForcedItem(queueIndex: UInt64, deadline: UInt64)
    /// A block's timestamp goes backwards, or its L1 origin goes backwards or
    /// lies in the future of the L1 block that carries the batch.
    case invalidBlockContext(l2BlockNumber: UInt64, timestamp: UInt64, l1OriginNumber: UInt64)
    /// The bytes are not a batch.
    case malformed(BatchDecodingError)
    /// The batch is not signed by the sequencer key the inbox accepts.
    case wrongSigner(expected: Address, got: Address?)

    public var description: String {
        switch self {
        case let .wrongParent(e, g): "wrong parent batch: expected \(e), got \(g)"
        case let .outOfOrder(e, g): "batch out of order: expected first block \(e), got \(g)"
        case let .wrongStateRoot(e, g): "wrong state root: re-execution gives \(e), batch claims \(g)"
        case let .wrongWithdrawalsRoot(n, e, g): "wrong withdrawals root in L2 block \(n): re-execution gives \(e), batch claims \(g)"
        case let .invalidTransaction(n, i, r): "invalid transaction at index \(i) of L2 block \(n): \(r.message)"
        case let .forcedItemsMismatch(e, g): "forced items mismatch: expected queue index \(e), got \(g)"
        case let .skipsOverdueForcedItem(q, d): "batch skips forced queue item \(q), overdue since L1 block \(d)"
        case let .invalidBlockContext(n, t, o): "invalid context for L2 block \(n): timestamp \(t), L1 origin \(o)"
        case let .malformed(e): "malformed batch: \(e)"
        case let .wrongSigner(e, g): "batch not signed by the sequencer \(e) (signer: \(g.map(\.description) ?? "none"))"
        }
    }
}
