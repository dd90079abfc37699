import Hashing
import Primitives
import RLP

/// The header of an L2 block: what the batch commits to and what
/// `eth_getBlockByNumber` reports. Its hash is keccak256 of its RLP.
public struct L2BlockHeader: Sendable, Hashable {
    public var parentHash: Hash32
    public var number: UInt64
    /// Seconds since the Unix epoch; never below the parent's.
    public var timestamp: UInt64
    /// The L1 block this L2 block was built on top of.
    public var l1OriginNumber: UInt64
    public var baseFeePerGas: UInt256
    public var gasLimit: UInt64
    public var gasUsed: UInt64
    public var feeRecipient: Address
    public var stateRoot: Hash32
    public var transactionsRoot: Hash32
    public var receiptsRoot: Hash32
    public var withdrawalsRoot: Hash32
    /// How many forced-inclusion queue items the chain has consumed after this block.
    public var forcedQueueCursor: UInt64

    public init(parentHash: Hash32, number: UInt64, timestamp: UInt64, l1OriginNumber: UInt64, baseFeePerGas: UInt256,
                gasLimit: UInt64, gasUsed: UInt64, feeRecipient: Address, stateRoot: Hash32, transactionsRoot: Hash32,
                receiptsRoot: Hash32, withdrawalsRoot: Hash32, forcedQueueCursor: UInt64) {
        self.parentHash = parentHash
        self.number = number
        self.timestamp = timestamp
        self.l1OriginNumber = l1OriginNumber
        self.baseFeePerGas = baseFeePerGas
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.feeRecipient = feeRecipient
        self.stateRoot = stateRoot
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.withdrawalsRoot = withdrawalsRoot
        self.forcedQueueCursor = forcedQueueCursor
    }

    public var encoded: [UInt8] {
        var e = RLPEncoder(reservingCapacity: 320)
        e.appendList { e in
            e.append(bytes: parentHash.bytes)
            e.append(number)
            e.append(timestamp)
            e.append(l1OriginNumber)
            e.append(baseFeePerGas)
            e.append(gasLimit)
            e.append(gasUsed)
            e.append(bytes: feeRecipient.bytes)
            e.append(bytes: stateRoot.bytes)
            e.append(bytes: transactionsRoot.bytes)
            e.append(bytes: receiptsRoot.bytes)
            e.append(bytes: withdrawalsRoot.bytes)
            e.append(forcedQueueCursor)
        }
        return e.bytes
    }

    public var hash: Hash32 { Keccak256.hash(encoded) }
}
