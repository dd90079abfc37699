import Hashing
import Primitives

/// `fair`: the window is shuffled with public randomness so no one buys or
/// races to a position. Anyone recomputes the order: start from the
/// window's entries sorted by transaction hash; take the senders of that
/// list as slots; shuffle the slots with Fisher–Yates driven by SplitMix64
/// seeded with the first 8 bytes (big-endian) of keccak256(parent block
/// hash); then give each slot its sender's next transaction by nonce.
/// Pre-confirmations are given when the block is sealed.
public struct FairOrdering: OrderingPolicy {
    public init() {}
    public var name: String { "fair" }
    public var placesOnArrival: Bool { false }

    public func order(_ window: [WindowEntry], seed: Hash32, baseFee: UInt256) -> [WindowEntry] {
        var slots = window.sorted { $0.transaction.hash < $1.transaction.hash }.map(\.sender)
        var rng = SplitMix64(seed: Self.seedWord(seed))
        if slots.count > 1 {
            for i in stride(from: slots.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                slots.swapAt(i, j)
            }
        }
        let byNonce = window.sorted { a, b in
            a.sender != b.sender ? a.sender < b.sender : a.transaction.transaction.nonce < b.transaction.transaction.nonce
        }
        return assignNonceOrder(byNonce, senderSlots: slots)
    }

    /// The shuffle's seed word: the first 8 bytes of `seed`, big-endian.
    public static func seedWord(_ seed: Hash32) -> UInt64 {
        seed.bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
