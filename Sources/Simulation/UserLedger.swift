import L1
import Primitives
import Rollup
import Sequencer

/// What the simulated users know and hold, which outlives any crash of the
/// sequencer or the L1: the pre-confirmations they were given, the
/// transactions the sequencer durably accepted, what it reported dropped or
/// broken, what they put in the L1 queue, and their L1 deposits and claims.
/// The invariants are statements about this ledger against the chains.
struct UserLedger {
    /// A submission waiting for its answer; lost when the sequencer dies.
    struct Submission {
        let user: Int
        let raw: [UInt8]
    }

    /// A transaction answered `queued` and not yet placed: withheld (censored) or waiting on a nonce.
    struct Waiting {
        let user: Int
        let raw: [UInt8]
        let sinceMillis: UInt64
        var forced = false
    }

    /// A forced-queue item a user enqueued.
    struct ForcedRecord {
        let queueIndex: UInt64
        let enqueuedAtMillis: UInt64
        let deadline: UInt64
        let isDeposit: Bool
        var includedBy: String?
    }

    /// How a canonical withdrawal's claims went.
    struct ClaimRecord {
        var earlyAttempted = false
        var payouts = 0
        var secondAttempted = false
    }

    var submissions: [UInt64: Submission] = [:]
    /// Pre-confirmations held, by transaction hash, and the order they arrived in.
    var preconfirmations: [Hash32: ChainPosition] = [:]
    var preconfirmationOrder: [Hash32] = []
    /// Transactions the sequencer durably accepted (queued or placed), in order.
    var accepted: Set<Hash32> = []
    var acceptedOrder: [Hash32] = []
    var waiting: [Hash32: Waiting] = [:]
    var waitingOrder: [Hash32] = []
    /// Transactions the sequencer reported dropped, with its reason.
    var drops: [Hash32: String] = [:]
    /// Pre-confirmations the sequencer reported broken.
    var broken: [Hash32: [BrokenPreConfirmation]] = [:]
    /// Broken pre-confirmations a reconciliation reported although none of
    /// the L1 blocks it adopted was forced in by the L1: promised place, shared block, blocks adopted.
    var brokenWithoutForcedInclusion: [Hash32: (promised: ChainPosition, shared: UInt64, adopted: Int)] = [:]
    var forced: [UInt64: ForcedRecord] = [:]
    /// The highest nonce each user forced through the L1 queue, with its queue index.
    var lastForcedNonce: [Int: (nonce: UInt64, queueIndex: UInt64)] = [:]
    /// Wei each address locked in deposits and received from claims on L1.
    var deposited: [Address: UInt256] = [:]
    var claimed: [Address: UInt256] = [:]
    var claims: [WithdrawalKey: ClaimRecord] = [:]

    /// A withdrawal's identity: its L2 block and index there.
    struct WithdrawalKey: Hashable {
        let block: UInt64
        let index: UInt32
    }

    mutating func hold(_ hash: Hash32, at position: ChainPosition) {
        if preconfirmations.updateValue(position, forKey: hash) == nil { preconfirmationOrder.append(hash) }
    }

    mutating func accept(_ hash: Hash32) {
        if accepted.insert(hash).inserted { acceptedOrder.append(hash) }
    }

    mutating func wait(_ hash: Hash32, _ entry: Waiting) {
        if waiting[hash] == nil {
            waiting[hash] = entry
            waitingOrder.append(hash)
        }
    }

    /// Whether the pre-confirmation of `hash` at `position` was reported broken.
    func reportedBroken(_ hash: Hash32, promised position: ChainPosition) -> Bool {
        broken[hash]?.contains { $0.promised == position } ?? false
    }
}
