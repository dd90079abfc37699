import Sequencer

/// The knobs of one simulated run. Every run with the same configuration and
/// seed is the same run; the defaults are the dev node's parameters scaled so
/// a forced-inclusion window fits in a few hundred steps.
public struct SimulationConfiguration: Sendable {
    /// The name of the preset these values started from, for the replay command.
    public var profile = "default"
    /// Random steps before the drain (faults stop, everything settles, final checks).
    public var steps = 400
    /// Steps allowed for the drain before a chain that never settles counts as a violation.
    public var drainSteps = 400
    /// How many of the ten dev accounts act as users (2…10).
    public var users = 6
    /// L1 blocks after which a queue item is overdue (dev default 10).
    public var forceInclusionDelay: UInt64 = 6
    /// L1 blocks on top of a withdrawal's before it can be claimed (dev default 5).
    public var finalityDepth: UInt64 = 3
    /// The L1's block clock, in simulated milliseconds (dev default 1 s).
    public var l1BlockMillis: UInt64 = 1_000
    /// How often the sequencer reads the L1 and considers posting (dev default 200 ms).
    public var pollIntervalMillis: UInt64 = 200
    /// The batch poster's limits (the node's defaults).
    public var batchLimits = BatchPoster.Limits()
    /// Simulated time between two steps, drawn uniformly.
    public var stepMillis: ClosedRange<UInt64> = 20...250
    /// How likely each kind of event is per step.
    public var rates = EventRates()
    /// A deliberate defect, to prove the invariants catch it; nil for the real system.
    public var defect: Defect?
    /// Re-derive the L2 chain from the L1 with `L1Derivation` after every inbox
    /// change, not only after L1 restarts and at the end (slow: it re-verifies every signature).
    public var deriveOnEveryInboxChange = false
    /// Print every event of the run as it happens.
    public var printTrace = false

    public init() {}

    /// A short run for debug-mode CI: few steps, so few signatures to verify.
    public static var ci: SimulationConfiguration {
        var c = SimulationConfiguration()
        c.profile = "ci"
        c.steps = 80
        c.drainSteps = 300
        c.users = 4
        c.rates.transfer = 0.08
        c.rates.withdrawal = 0.03
        c.rates.forcedTransaction = 0.02
        c.rates.deposit = 0.02
        return c
    }

    /// The preset called `name` ("default" or "ci").
    public static func named(_ name: String) -> SimulationConfiguration? {
        switch name {
        case "default": SimulationConfiguration()
        case "ci": .ci
        default: nil
        }
    }
}

/// Per-step probabilities of user actions and faults.
public struct EventRates: Sendable {
    public var transfer = 0.20
    public var withdrawal = 0.05
    public var forcedTransaction = 0.03
    public var deposit = 0.03
    /// A user asks the L1 to pay a final withdrawal (per step, per claimable withdrawal).
    public var claim = 0.15
    /// The sequencer's write-ahead log reaches an fsync point (group commit).
    public var fsync = 0.7
    /// The sequencer process dies and restarts at once from its durable log.
    public var crash = 0.01
    /// The sequencer dies and stays down long enough for users to force items in.
    public var outage = 0.004
    /// The L1 goes down and restarts from its own log.
    public var l1Restart = 0.005
    /// The operator starts censoring some users.
    public var censorship = 0.006
    /// The operator starts ignoring the forced queue.
    public var malicious = 0.003
    /// The operator switches the ordering policy.
    public var policySwitch = 0.01

    public init() {}
}

/// Deliberately broken variants of the system. Each must make a run fail an
/// invariant; the tests prove the checker is not vacuous with them.
public enum Defect: String, Sendable, CaseIterable {
    /// The sequencer never hands forced transactions to the core, though it claims to be honest.
    case sequencerDropsForcedTransactions = "drops-forced"
    /// The L1 answers a second claim of a withdrawal with a payout.
    case l1PaysClaimTwice = "pays-twice"
    /// The sequencer promises one place and the core puts the transaction in another.
    case coreMovesPreconfirmedTransaction = "moves-preconfirmed"
    /// The sequencer reconciles with the L1 but keeps quiet about the promises it broke.
    case sequencerHidesBrokenPreconfirmations = "hides-broken"
    /// The sequencer answers clients before their log records are durable.
    case repliesBeforeDurable = "replies-early"
}
