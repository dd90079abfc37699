import Hashing
import Primitives
import Trie

/// The L2 state: every account, committed to by an Ethereum-style secure
/// Merkle Patricia trie (keys are keccak256(address)). A value type whose
/// copies share structure: the sequencer keeps one and hands snapshots to
/// readers at no cost.
///
/// Thread rule: `root` fills hash caches, so only the owner thread calls it;
/// snapshots may be read (`account(_:)`) from any thread.
public struct WorldState: Sendable {
    private var trie = MerklePatriciaTrie()

    public init() {}

    /// A state holding `allocations` (genesis).
    public init(allocations: [(Address, UInt256)]) {
        for (address, balance) in allocations {
            self[address] = Account(nonce: 0, balance: balance)
        }
    }

    /// The account at `address` (an empty one when never touched).
    public subscript(address: Address) -> Account {
        get {
            guard let bytes = trie.value(forKey: Self.key(address)) else { return .empty }
            return Account(encoded: bytes) ?? .empty
        }
        set {
            trie.set(newValue == .empty ? [] : newValue.encoded, forKey: Self.key(address))
        }
    }

    /// The state root; see the thread rule above.
    public var root: Hash32 { trie.rootHash }

    private static func key(_ address: Address) -> [UInt8] {
        Keccak256.hash(address.bytes).bytes
    }
}
