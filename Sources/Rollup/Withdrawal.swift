import Hashing
import Primitives
import RLP

/// Value that left L2 by a transfer to `ChainConfiguration.withdrawalAddress`:
/// burned on L2, claimable on L1 by `recipient` once the block holding it is
/// final. (block number, index) identifies it, so the L1 pays it once.
public struct Withdrawal: Sendable, Hashable {
    public var l2BlockNumber: UInt64
    /// Position among the withdrawals of its block.
    public var index: UInt32
    public var sender: Address
    public var recipient: Address
    public var amount: UInt256
    public var transactionHash: Hash32

    public init(l2BlockNumber: UInt64, index: UInt32, sender: Address, recipient: Address, amount: UInt256, transactionHash: Hash32) {
        self.l2BlockNumber = l2BlockNumber
        self.index = index
        self.sender = sender
        self.recipient = recipient
        self.amount = amount
        self.transactionHash = transactionHash
    }

    /// The leaf committed in the block's withdrawal tree.
    public var leafHash: Hash32 {
        var e = RLPEncoder(reservingCapacity: 128)
        e.appendList { e in
            e.append(l2BlockNumber)
            e.append(UInt64(index))
            e.append(bytes: sender.bytes)
            e.append(bytes: recipient.bytes)
            e.append(amount)
            e.append(bytes: transactionHash.bytes)
        }
        return Keccak256.hash(e.bytes)
    }
}
