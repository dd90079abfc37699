import Primitives

/// A dictionary keyed by a hash, split into 256 dictionaries by the key's
/// first byte. `ChainStore` keeps its per-transaction maps under its one
/// lock and they grow for as long as the node runs; a single dictionary
/// rehashes and moves every entry when it grows, which held the lock (and
/// so every I/O loop and the sequencer) for 82 ms at 98k transactions. Here
/// a growth moves 1/256 of the entries. Keys are uniformly distributed hashes.
struct HashShardedMap<Value: Sendable>: Sendable {
    private var shards = [[Hash32: Value]](repeating: [:], count: 256)

    subscript(key: Hash32) -> Value? {
        get { shards[Self.shard(key)][key] }
        set { shards[Self.shard(key)][key] = newValue }
    }

    /// Changes the value at `key` in place.
    mutating func update(_ key: Hash32, _ body: (inout Value?) -> Void) {
        body(&shards[Self.shard(key)][key])
    }

    private static func shard(_ key: Hash32) -> Int {
        key.withUnsafeBytes { Int($0[0]) }
    }
}
