import Primitives

/// What the state transition needs to know about the block a transaction
/// goes into, and what it accumulates there.
public struct BlockContext: Sendable, Hashable {
    public var number: UInt64
    public var timestamp: UInt64
    public var baseFee: UInt256
    public var gasLimit: UInt64
    public var gasUsed: UInt64 = 0
    public var withdrawalCount: UInt32 = 0

    public init(number: UInt64, timestamp: UInt64, baseFee: UInt256, gasLimit: UInt64) {
        self.number = number
        self.timestamp = timestamp
        self.baseFee = baseFee
        self.gasLimit = gasLimit
    }

    public var gasRemaining: UInt64 { gasLimit - gasUsed }
}
