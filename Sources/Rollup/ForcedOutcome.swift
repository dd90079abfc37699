import Ethereum
import Primitives
import RLP

/// Why a forced item changed nothing. Skipping is part of the rules: every
/// party skips the same item for the same reason, and the item still uses
/// up its queue slot, so a hostile queue entry cannot block the chain.
public enum ForcedSkipReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// The raw bytes do not decode, the signature recovers no sender, or the
    /// state transition rejects the transaction (nonce, funds, fees, gas…).
    case invalidTransaction(StateTransitionError)
    /// Crediting the deposit would overflow the recipient's balance.
    case balanceOverflow

    public var description: String {
        switch self {
        case .invalidTransaction(let e): e.message
        case .balanceOverflow: "deposit would overflow the recipient's balance"
        }
    }
}

/// What applying one forced item did.
public enum ForcedOutcome: Sendable, Equatable {
    /// The deposit's amount was minted to its recipient.
    case deposited
    /// The transaction ran like a sequenced one, with this sender and receipt.
    case executed(sender: Address, receipt: Receipt)
    /// The item consumed its slot and changed nothing.
    case skipped(ForcedSkipReason)

    /// Whether the item changed nothing.
    public var isSkipped: Bool {
        if case .skipped = self { return true }
        return false
    }
}

/// A forced item as it landed in a block: the item, what it did, and its
/// position among the block's items.
public struct ForcedInclusion: Sendable, Equatable {
    public let item: ForcedItem
    public let outcome: ForcedOutcome
    /// Index among all items of the block (sequenced and forced), in execution order.
    public let position: Int

    public init(item: ForcedItem, outcome: ForcedOutcome, position: Int) {
        self.item = item
        self.outcome = outcome
        self.position = position
    }

    /// The leaf that stands for this item in the block's transactions root:
    /// `0x7E ‖ RLP([queueIndex, itemHash, status])` (0x7E is the type byte the
    /// OP Stack gives deposited transactions; no signed transaction uses it).
    /// Status is 1 when the item took effect, 0 when skipped, so the header
    /// commits to both the item and its fate.
    public var leaf: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 48)
        e.bytes.append(0x7E)
        e.appendList { e in
            e.append(item.queueIndex)
            e.append(bytes: item.hash.bytes)
            e.append(UInt64(outcome.isSkipped ? 0 : 1))
        }
        return e.bytes
    }
}

/// One entry of an L2 block in execution order.
public enum BlockItem: Sendable, Equatable {
    /// A transaction ordered by the sequencer.
    case sequenced(SignedTransaction)
    /// An item taken from the L1 forced-inclusion queue.
    case forced(ForcedInclusion)
    /// A state change made on request of a dev-chain user.
    case dev(DevOperation)
}
