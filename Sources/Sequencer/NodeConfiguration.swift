import Ethereum
import L1
import Hashing
import Primitives
import Rollup
import Secp256k1

/// Everything the node needs to start, gathered from flags by the executable.
public struct NodeConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8545
    public var chainID: UInt64 = 31337
    /// Milliseconds a block stays open; 0 seals one block per transaction.
    public var blockTimeMillis: UInt64 = 250
    /// Where the write-ahead log lives; a fresh temporary directory when nil.
    public var dataDirectory: String?
    public var sequencerKey: Secp256k1.PrivateKey = NodeConfiguration.devSequencerKey
    /// Funded at genesis.
    public var allocations: [(Address, UInt256)] = DevAccounts.addresses.map { ($0, NodeConfiguration.devBalance) }
    /// Keys whose accounts `eth_accounts` lists.
    public var unlockedAccounts: [Address] = DevAccounts.addresses
    /// The keys behind `unlockedAccounts`, for `eth_sendTransaction` and the signing methods.
    public var unlockedKeys: [Address: Secp256k1.PrivateKey] =
        Dictionary(uniqueKeysWithValues: DevAccounts.keys.map { (Address(publicKey: $0.publicKey), $0) })
    public var eventLoops = 0
    public var mempool = Mempool.Limits()
    public var maxBodyBytes = 1 << 20
    public var maxConnections = 10_000
    public var maxBatchSize = 1_000
    /// The ordering policy at start: fcfs, priority or fair.
    public var policy = "fcfs"
    /// Addresses withheld from the start (the `censor` wrapper around the policy).
    public var censored: [Address] = []
    /// The bearer token admin methods need; a random one is made (and printed) when nil.
    public var adminToken: String?
    /// Whether to write structured log lines to standard error.
    public var logging = true
    /// Where the L1 is: embedded in this process, a separate `sequencer l1`, or none (tests).
    public var l1: L1Mode = .none
    /// When the batch poster posts.
    public var batchLimits = BatchPoster.Limits()
    /// How often the L1 is read (queue, heads) and the poster considers posting.
    public var l1PollInterval: Duration = .milliseconds(200)
    /// Never include forced-queue items: only to demonstrate a fully malicious sequencer.
    public var ignoreForcedQueue = false
    /// Whether the dev methods (`evm_*`, `anvil_*`, `hardhat_*`) may change state:
    /// only the dev node with its embedded L1, whose chain allows dev operations.
    public var devOperations = false

    public init() {}

    /// 10,000 ETH in wei.
    public static let devBalance = UInt256(10_000) * UInt256(1_000_000_000_000_000_000)

    /// The well-known dev sequencer key: keccak256 of a public phrase, so a
    /// separate L1 and a sequencer agree with no configuration. Never for real funds.
    public static let devSequencerKey: Secp256k1.PrivateKey = {
        let seed = Keccak256.hash(Array("rollup sequencer well-known dev key; never use with real funds".utf8))
        return try! Secp256k1.PrivateKey(bytes: seed.bytes)
    }()

    public var sequencerAddress: Address { Address(publicKey: sequencerKey.publicKey) }

    /// Funds `keys`' accounts with `balance` each at genesis (on L2 and on the
    /// embedded L1) and unlocks them: the dev node's `--mnemonic`,
    /// `--accounts` and `--balance`.
    public mutating func useDevAccounts(_ keys: [Secp256k1.PrivateKey], balance: UInt256) {
        let addresses = keys.map { Address(publicKey: $0.publicKey) }
        allocations = addresses.map { ($0, balance) }
        unlockedAccounts = addresses
        unlockedKeys = Dictionary(zip(addresses, keys).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
    }

    /// The L1's configuration matching this node's L2 genesis and sequencer.
    public func l1Configuration(forceInclusionDelay: UInt64, finalityDepth: UInt64) -> L1Configuration {
        var c = L1Configuration(sequencerAddress: sequencerAddress, forceInclusionDelay: forceInclusionDelay,
                                finalityDepth: finalityDepth, chainID: chainID,
                                l2Allocations: allocations, l1Allocations: allocations)
        c.chain.allowsDevOperations = devOperations
        return c
    }

    public var chain: ChainConfiguration {
        var c = ChainConfiguration(chainID: chainID, feeRecipient: sequencerAddress)
        c.allowsDevOperations = devOperations
        return c
    }
}

/// Where the sequencer's L1 lives.
public enum L1Mode: Sendable {
    /// No L1: nothing is batched and no forced queue is watched (unit tests).
    case none
    /// An L1 inside this process with its own JSON-RPC port (the dev node).
    case embedded(host: String, port: Int, blockTime: Duration, forceInclusionDelay: UInt64, finalityDepth: UInt64)
    /// A separate `sequencer l1` at this URL.
    case remote(url: String)
}
