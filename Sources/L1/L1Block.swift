import Hashing
import Primitives
import RLP

/// A block of the simulated L1. It commits to the inbox and queue
/// accumulators as they stood when it was mined, so two L1 histories with
/// the same block hash hold the same batches and queue items.
public struct L1Block: Sendable, Hashable {
    public let number: UInt64
    /// Seconds since the Unix epoch; strictly increasing after genesis.
    public let timestamp: UInt64
    public let parentHash: Hash32
    public let inboxAccumulator: Hash32
    public let queueAccumulator: Hash32
    public let hash: Hash32

    public init(number: UInt64, timestamp: UInt64, parentHash: Hash32, inboxAccumulator: Hash32, queueAccumulator: Hash32) {
        self.number = number
        self.timestamp = timestamp
        self.parentHash = parentHash
        self.inboxAccumulator = inboxAccumulator
        self.queueAccumulator = queueAccumulator
        var e = RLPEncoder(reservingCapacity: 128)
        e.appendList { e in
            e.append(bytes: parentHash.bytes)
            e.append(number)
            e.append(timestamp)
            e.append(bytes: inboxAccumulator.bytes)
            e.append(bytes: queueAccumulator.bytes)
        }
        self.hash = Keccak256.hash(e.bytes)
    }
}

/// Nitro's hash-chain accumulator, `acc_n = keccak256(acc_{n-1} ‖ item_n)`
/// with `acc_0` zero: a reader that recomputes it over what it read knows it
/// saw exactly the same history as the writer.
public enum Accumulator {
    /// The accumulator after appending `item` to `previous`.
    public static func next(_ previous: Hash32, _ item: Hash32) -> Hash32 {
        var h = Keccak256()
        h.update(bytes: previous.bytes)
        h.update(bytes: item.bytes)
        return h.finalize()
    }
}
