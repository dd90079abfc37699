import Primitives

/// The last `capacity` transactions the sequencer refused at admission or
/// dropped from its queue, with why and when, so a status query can explain
/// a transaction that left no other trace. Bounded: the oldest is forgotten
/// first, so hostile submissions cannot grow it.
public struct RecentOutcomes: Sendable {
    /// What happened to a transaction that is not in the chain.
    public enum Kind: String, Sendable, Equatable {
        /// Refused when submitted; nothing was promised.
        case rejected
        /// Accepted into the queue, then removed (replaced, or invalid when its turn came).
        case dropped
    }

    public struct Entry: Sendable, Equatable {
        public let kind: Kind
        public let reason: String
        /// Unix milliseconds.
        public let atMillis: UInt64
        fileprivate let slot: Int
    }

    public let capacity: Int
    private var entries: [Hash32: Entry] = [:]
    private var ring: [Hash32] = []
    private var next = 0

    public init(capacity: Int = 10_000) {
        precondition(capacity > 0, "RecentOutcomes needs room for at least one entry")
        self.capacity = capacity
    }

    public var count: Int { entries.count }

    public subscript(hash: Hash32) -> Entry? { entries[hash] }

    /// Remembers what happened to `hash`, forgetting the oldest entry when full.
    /// A rejection does not overwrite a drop of the same transaction: the drop
    /// (e.g. "replaced by …") is the story, the rejection only its echo to the client.
    public mutating func record(_ hash: Hash32, _ kind: Kind, reason: String, atMillis: UInt64) {
        if kind == .rejected, entries[hash]?.kind == .dropped { return }
        let slot: Int
        if ring.count < capacity {
            slot = ring.count
            ring.append(hash)
        } else {
            slot = next
            let evicted = ring[slot]
            if entries[evicted]?.slot == slot { entries[evicted] = nil }
            ring[slot] = hash
            next = (next + 1) % capacity
        }
        entries[hash] = Entry(kind: kind, reason: reason, atMillis: atMillis, slot: slot)
    }
}
