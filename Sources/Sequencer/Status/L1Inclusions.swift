import Primitives

/// One L1 inbox entry as the sequencer tracks it: which L2 blocks an L1
/// block made canonical, and when they became final there.
public struct L1Inclusion: Sendable, Equatable {
    public let inboxIndex: UInt64
    /// A batch the sequencer posted (false: a block the L1 forced in).
    public let isBatch: Bool
    public let batchHash: Hash32?
    public let l1BlockNumber: UInt64
    public let firstL2Block: UInt64
    public let lastL2Block: UInt64
    /// When the L1 accepted it, in unix milliseconds (see `InclusionTracker`).
    public let includedAtMillis: UInt64
    /// The timestamp (unix milliseconds) of the L1 block that made it final, once one has.
    public var finalizedAtMillis: UInt64?

    public init(inboxIndex: UInt64, isBatch: Bool, batchHash: Hash32?, l1BlockNumber: UInt64, firstL2Block: UInt64,
                lastL2Block: UInt64, includedAtMillis: UInt64, finalizedAtMillis: UInt64? = nil) {
        self.inboxIndex = inboxIndex
        self.isBatch = isBatch
        self.batchHash = batchHash
        self.l1BlockNumber = l1BlockNumber
        self.firstL2Block = firstL2Block
        self.lastL2Block = lastL2Block
        self.includedAtMillis = includedAtMillis
        self.finalizedAtMillis = finalizedAtMillis
    }

    /// The L1 block from which this entry is final, given the L1's finality depth.
    public func finalAtL1Block(depth: UInt64) -> UInt64 { l1BlockNumber + depth }
}

/// The L1 inbox as far as the sequencer has read it, in inbox order: which
/// L1 block took each L2 block. The inbox only grows and its entries cover
/// consecutive L2 block ranges, so lookups are binary searches.
public struct L1Inclusions: Sendable {
    public private(set) var entries: [L1Inclusion] = []
    /// Entries before this one all have their finality time.
    private var firstUnfinalized = 0

    public init() {}

    /// The inbox index to read next.
    public var nextInboxIndex: UInt64 { entries.last.map { $0.inboxIndex + 1 } ?? 0 }

    /// Appends the next inbox entry; ignores one that does not follow the last.
    public mutating func append(_ entry: L1Inclusion) {
        guard entry.inboxIndex == nextInboxIndex else { return }
        entries.append(entry)
    }

    /// The entry that made L2 block `number` canonical, if the sequencer has read it.
    public func covering(l2Block number: UInt64) -> L1Inclusion? {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].lastL2Block < number { lo = mid + 1 } else { hi = mid }
        }
        guard lo < entries.count, entries[lo].firstL2Block <= number else { return nil }
        return entries[lo]
    }

    /// The L1 blocks whose timestamps would date the finality of entries
    /// final at `l1Head` with `depth` but not yet dated.
    public func finalityBlocksToDate(l1Head: UInt64, depth: UInt64) -> [UInt64] {
        var blocks: [UInt64] = []
        for e in entries[firstUnfinalized...] {
            let at = e.finalAtL1Block(depth: depth)
            guard at <= l1Head else { break }
            if blocks.last != at { blocks.append(at) }
        }
        return blocks
    }

    /// Dates the finality of entries from the timestamps (seconds) of the L1 blocks that made them final.
    public mutating func markFinalized(depth: UInt64, l1Timestamps: [UInt64: UInt64]) {
        while firstUnfinalized < entries.count,
              let seconds = l1Timestamps[entries[firstUnfinalized].finalAtL1Block(depth: depth)] {
            entries[firstUnfinalized].finalizedAtMillis = seconds * 1000
            firstUnfinalized += 1
        }
    }
}
