import Primitives

/// The parameters every party that executes the L2 chain must agree on: the
/// sequencer, the L1's re-execution of batches, and `sequencer derive`.
public struct ChainConfiguration: Sendable, Equatable {
    /// The L2 chain id transactions must be signed for (31337 in dev, like local dev nodes).
    public var chainID: UInt64
    /// The lowest base fee a block may have, in wei (0.01 gwei by default).
    public var baseFeeFloor: UInt256
    /// Gas available in one L2 block.
    public var blockGasLimit: UInt64
    /// Gas limit ÷ elasticity is the usage at which the base fee stays put (EIP-1559).
    public var elasticityMultiplier: UInt64
    /// The base fee moves by at most 1/denominator per block (EIP-1559).
    public var baseFeeChangeDenominator: UInt64
    /// Receives the priority fees (tips); the base fee is burned.
    public var feeRecipient: Address
    /// The largest encoded transaction accepted, in bytes.
    public var maxTransactionBytes: Int
    /// Whether blocks may carry `DevOperation`s: only a local dev chain, never one holding real value.
    public var allowsDevOperations = false

    /// Value sent here leaves L2: burned on L2, recorded as a withdrawal on L1.
    public static let withdrawalAddress = Address(hex: "0x4200000000000000000000000000000000000016")!

    public init(chainID: UInt64 = 31337,
                baseFeeFloor: UInt256 = UInt256(10_000_000),
                blockGasLimit: UInt64 = 30_000_000,
                elasticityMultiplier: UInt64 = 2,
                baseFeeChangeDenominator: UInt64 = 8,
                feeRecipient: Address,
                maxTransactionBytes: Int = 128 * 1024) {
        self.chainID = chainID
        self.baseFeeFloor = baseFeeFloor
        self.blockGasLimit = blockGasLimit
        self.elasticityMultiplier = elasticityMultiplier
        self.baseFeeChangeDenominator = baseFeeChangeDenominator
        self.feeRecipient = feeRecipient
        self.maxTransactionBytes = maxTransactionBytes
    }

    /// The gas usage at which the base fee does not move.
    public var gasTarget: UInt64 { blockGasLimit / elasticityMultiplier }
}
