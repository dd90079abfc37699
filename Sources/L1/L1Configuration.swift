import Ethereum
import Hashing
import Primitives
import Rollup
import Secp256k1

/// The parameters of the simulated L1 and of the rollup it hosts. Every
/// replay of the L1 log must use the same values, or the state differs.
public struct L1Configuration: Sendable {
    /// The only address whose batches the inbox accepts.
    public var sequencerAddress: Address
    /// A queue item enqueued at L1 block b is overdue from block b + delay.
    public var forceInclusionDelay: UInt64
    /// L1 blocks on top of the one that made an L2 block canonical before
    /// its withdrawals can be claimed (and it counts as finalized).
    public var finalityDepth: UInt64
    /// The L2 chain's rules; the sequencer must use the same.
    public var chain: ChainConfiguration
    /// L2 genesis balances (the dev accounts, as the sequencer's genesis).
    public var l2Allocations: [(Address, UInt256)]
    /// L2 genesis timestamp (the sequencer's genesis uses 0).
    public var l2GenesisTimestamp: UInt64
    /// L1 balances at L1 genesis.
    public var l1Allocations: [(Address, UInt256)]
    /// The timestamp of L1 block 0.
    public var l1GenesisTimestamp: UInt64

    /// The dev defaults: delay 10, finality depth 5, chain id 31337, the ten
    /// dev accounts funded with 10,000 ETH on both layers, fees to the sequencer.
    /// A dev node started with other accounts (`--mnemonic`, `--accounts`,
    /// `--balance`) passes its genesis as `l2Allocations`, or the L1 rejects its batches.
    public init(sequencerAddress: Address = L1Configuration.devSequencerAddress, forceInclusionDelay: UInt64 = 10,
                finalityDepth: UInt64 = 5, chainID: UInt64 = 31337,
                l2Allocations: [(Address, UInt256)] = L1Configuration.devAllocations,
                l1Allocations: [(Address, UInt256)] = L1Configuration.devAllocations) {
        self.sequencerAddress = sequencerAddress
        self.forceInclusionDelay = forceInclusionDelay
        self.finalityDepth = finalityDepth
        self.chain = ChainConfiguration(chainID: chainID, feeRecipient: sequencerAddress)
        self.l2Allocations = l2Allocations
        self.l2GenesisTimestamp = 0
        self.l1Allocations = l1Allocations
        self.l1GenesisTimestamp = 0
    }

    /// 10,000 ETH in wei.
    public static let devBalance = UInt256(10_000) * UInt256(1_000_000_000_000_000_000)

    /// The ten default dev accounts with `devBalance` each.
    public static var devAllocations: [(Address, UInt256)] { DevAccounts.addresses.map { ($0, devBalance) } }

    /// The well-known dev sequencer key, the same as the sequencer node's
    /// `NodeConfiguration.devSequencerKey`: keccak256 of a public phrase.
    /// Never for real funds.
    public static let devSequencerKey: Secp256k1.PrivateKey = {
        let seed = Keccak256.hash(Array("rollup sequencer well-known dev key; never use with real funds".utf8))
        return try! Secp256k1.PrivateKey(bytes: seed.bytes)
    }()

    /// `0x05e3Ff0082f7561a83d3B29630627c46B8cB0130`, the address of `devSequencerKey`.
    public static let devSequencerAddress = Address(publicKey: devSequencerKey.publicKey)
}
