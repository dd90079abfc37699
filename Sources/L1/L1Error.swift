import Primitives
import Rollup
import Storage

/// Why the simulated L1 refused a call. A refused call changes nothing and
/// is not logged.
public enum L1Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The inbox refused the batch (including `.wrongSigner`).
    case batchRejected(BatchRejection)
    /// A signature that does not recover to the account it speaks for.
    case invalidSignature(expected: Address, got: Address?)
    case wrongNonce(address: Address, expected: UInt64, got: UInt64)
    case insufficientBalance(address: Address, balance: UInt256, needed: UInt256)
    case zeroAmount
    /// An enqueued transaction that is empty or larger than an L2 transaction may be.
    case invalidQueueItemSize(bytes: Int, limit: Int)
    /// `forceInclude` while no queue item is overdue; `nextDeadline` is the
    /// L1 block from which the next item will be, if any is queued.
    case nothingOverdue(nextDeadline: UInt64?)
    case unknownL2Block(UInt64)
    /// The proof does not place this withdrawal under the block's withdrawals root.
    case invalidWithdrawalProof(l2BlockNumber: UInt64, index: UInt32)
    /// The L2 block is canonical but not yet `finalityDepth` L1 blocks deep.
    case withdrawalNotFinal(l2BlockNumber: UInt64, claimableAtL1Block: UInt64)
    case alreadyClaimed(l2BlockNumber: UInt64, index: UInt32)
    case invalidMineCount(UInt64)
    /// The log could not be written; the L1 refuses all calls from then on.
    case storage(StorageError)
    /// A log record failed to replay: the log is not one this L1 wrote.
    case corruptLog(record: Int, reason: String)

    public var description: String {
        switch self {
        case .batchRejected(let r): "batch rejected: \(r)"
        case let .invalidSignature(e, g): "invalid signature: expected signer \(e), recovered \(g.map(\.description) ?? "none")"
        case let .wrongNonce(a, e, g): "wrong L1 nonce for \(a): expected \(e), got \(g)"
        case let .insufficientBalance(a, b, n): "insufficient L1 balance for \(a): balance \(b), needed \(n)"
        case .zeroAmount: "amount must be positive"
        case let .invalidQueueItemSize(bytes, limit): "queued transaction of \(bytes) bytes (must be 1...\(limit))"
        case .nothingOverdue(let d): "no forced item is overdue" + (d.map { "; the next one is from L1 block \($0)" } ?? "; the queue is empty")
        case .unknownL2Block(let n): "L2 block \(n) is not canonical"
        case let .invalidWithdrawalProof(n, i): "invalid proof for withdrawal \(i) of L2 block \(n)"
        case let .withdrawalNotFinal(n, at): "L2 block \(n) is not final yet; claimable from L1 block \(at)"
        case let .alreadyClaimed(n, i): "withdrawal \(i) of L2 block \(n) was already claimed"
        case .invalidMineCount(let n): "cannot mine \(n) blocks (1...10000)"
        case .storage(let e): "L1 storage failure: \(e)"
        case let .corruptLog(record, reason): "L1 log record \(record) does not replay: \(reason)"
        }
    }
}
