/// The properties every step of every run must keep (issue #8, DESIGN.md §4–§7).
public enum Invariant: String, Sendable, CaseIterable {
    /// (a) Every forced-queue item is on the canonical chain by its deadline + 1 L1 block.
    case forcedItemsByDeadline = "forced-items-by-deadline"
    /// (a) While the sequencer is honest and up (and the L1 too), it includes
    /// every forced item itself: the L1 never has to force one in.
    case honestSequencerIncludesForcedItems = "honest-sequencer-includes-forced-items"
    /// (b) A withdrawal pays once, only after finality; an early and a second claim fail;
    /// L1 balances are exactly deposits out and claims in.
    case withdrawalsPayOnceAfterFinality = "withdrawals-pay-once-after-finality"
    /// (c) Every pre-confirmation held is at its promised place, or reported broken.
    case preconfirmationsKeptOrReported = "preconfirmations-kept-or-reported"
    /// (c) Pre-confirmations break only when the L1 forced blocks in over unposted ones.
    case brokenOnlyByForcedInclusion = "broken-only-by-forced-inclusion"
    /// (d) Derivation from the L1 equals the sequencer's safe state.
    case derivationMatchesSafeState = "derivation-matches-safe-state"
    /// (e) A durably accepted transaction is on chain, queued, or reported dropped or broken.
    case acceptedTransactionsAccountedFor = "accepted-transactions-accounted-for"
    /// What the sequencer publishes to readers and its own roles (`ChainStore`)
    /// agrees with its core: head block and forced-queue cursor.
    case publishedViewMatchesCore = "published-view-matches-core"
    /// The sequencer restarts from its durable log.
    case sequencerRecovers = "sequencer-recovers"
    /// An L1 restart rebuilds exactly the state it had.
    case l1RestartRecoversState = "l1-restart-recovers-state"
    /// With faults over, the system settles: everything posted, queued items consumed, final withdrawals claimable.
    case systemSettles = "system-settles"
}

/// An invariant that failed: which, where, why, and how to replay it.
public struct InvariantViolation: Error, Sendable, CustomStringConvertible {
    public let invariant: Invariant
    public let seed: UInt64
    public let step: Int
    public let message: String
    /// The command that replays the failing run exactly.
    public let replayCommand: String

    public var description: String {
        "invariant \(invariant.rawValue) violated at step \(step) of seed \(seed): \(message)\n  replay: \(replayCommand)"
    }
}
