import Ethereum
import Primitives

/// A transaction waiting for its place, as an ordering policy sees it.
public struct WindowEntry: Sendable, Hashable {
    public let transaction: SignedTransaction
    public let sender: Address
    /// Arrival order at the sequencer (smaller arrived earlier).
    public let arrival: UInt64
}

/// How the sequencer orders the transactions of one block window. A new
/// policy is one type conforming to this protocol plus one line in
/// `OrderingPolicies.named(_:)`.
public protocol OrderingPolicy: Sendable {
    /// The name `--policy` and `admin_setPolicy` use.
    var name: String { get }
    /// True when a transaction's place is fixed as it arrives (its
    /// pre-confirmation is immediate); false when the window is ordered when
    /// the block is sealed (pre-confirmations at seal).
    var placesOnArrival: Bool { get }
    /// Orders a window of ready transactions. Each sender's entries arrive in
    /// nonce order and must leave in nonce order. `seed` is keccak256 of the
    /// parent block's hash, for policies that need public randomness;
    /// `baseFee` is the block's base fee.
    func order(_ window: [WindowEntry], seed: Hash32, baseFee: UInt256) -> [WindowEntry]
}

/// The registry of policies by name.
public enum OrderingPolicies {
    public static let names = ["fcfs", "priority", "fair"]

    /// The policy called `name`, or nil.
    public static func named(_ name: String) -> (any OrderingPolicy)? {
        switch name {
        case "fcfs": FirstComeFirstServed()
        case "priority": PriorityOrdering()
        case "fair": FairOrdering()
        default: nil
        }
    }
}

/// Keeps each sender's entries in nonce order while interleaving senders in
/// the order `senderSlots` gives: slot k goes to the sender named there, and
/// takes that sender's next entry.
func assignNonceOrder(_ window: [WindowEntry], senderSlots: [Address]) -> [WindowEntry] {
    var queues: [Address: ArraySlice<WindowEntry>] = [:]
    for e in window { queues[e.sender, default: []].append(e) }
    var out: [WindowEntry] = []
    out.reserveCapacity(window.count)
    for s in senderSlots {
        if let next = queues[s]?.popFirst() { out.append(next) }
    }
    return out
}
