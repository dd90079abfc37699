import Ethereum
import L1
import Primitives
import Rollup
import Sequencer
import Storage

/// One seeded run of the whole system in one thread on a simulated clock:
/// the sequencer core driven directly (with its store, write-ahead log and
/// L1 roles), the L1 with its own block clock and log, and users who send
/// transfers and withdrawals, deposit and force transactions through the
/// L1 queue, and claim withdrawals. Faults are injected from the same seed:
/// crashes, long outages, L1 restarts, censorship, a malicious sequencer.
/// The invariants are checked after every step; the first failure ends the
/// run with the step, the invariant and the command that replays it.
///
/// Nothing here reads the real clock or process-seeded hashing, so a seed
/// replays the same run, event for event (`trace` is the proof).
public final class Simulation {
    public let seed: UInt64
    public let configuration: SimulationConfiguration
    var rng: Xoshiro256StarStar
    public internal(set) var clock = SimulationClock()
    public internal(set) var trace = EventTrace()
    public internal(set) var statistics = SimulationStatistics()
    let node: NodeConfiguration
    let l1Configuration: L1Configuration
    let genesis: (block: L2Block, state: WorldState)
    let l1: SimulatedL1
    let client: SimulatedL1Client
    let factory = TransactionFactory.shared
    /// The sequencer's disk: it survives the process.
    let disk = SimulatedLogFile()
    var sequencer: SimulatedSequencer?
    var ledger = UserLedger()
    var faults = FaultState()
    /// L2 block time of this run's sequencer.
    let blockTimeMillis: UInt64
    var step = 0
    var nextTicket: UInt64 = 0
    var draining = false
    var l1BeforeRestart: L1Fingerprint?
    var scannedCanonicalBlocks = 1
    var pendingWithdrawals: [Withdrawal] = []
    var lastDerivedInboxLength: UInt64 = 0

    /// Runs `seed` to the end and reports what happened.
    public static func run(seed: UInt64, configuration: SimulationConfiguration) -> SimulationResult {
        let simulation = Simulation(seed: seed, configuration: configuration)
        let violation = simulation.runToEnd()
        return SimulationResult(seed: seed, statistics: simulation.statistics, traceHash: simulation.trace.hex,
                                traceEvents: simulation.trace.events, violation: violation)
    }

    init(seed: UInt64, configuration: SimulationConfiguration) {
        self.seed = seed
        self.configuration = configuration
        rng = Xoshiro256StarStar(seed: seed)
        node = NodeConfiguration()
        l1Configuration = node.l1Configuration(forceInclusionDelay: configuration.forceInclusionDelay,
                                               finalityDepth: configuration.finalityDepth)
        genesis = Genesis.make(allocations: node.allocations, timestamp: 0, configuration: node.chain)
        blockTimeMillis = [0, 250, 250, 1_000][Int(rng.next() % 4)]
        // An empty log always opens; a failure here is a broken build, not a run's outcome.
        l1 = try! SimulatedL1(configuration: l1Configuration, genesis: genesis.block, blockMillis: configuration.l1BlockMillis,
                              nowMillis: clock.nowMillis, defect: configuration.defect)
        client = SimulatedL1Client(l1: l1)
        trace.echo = configuration.printTrace
        trace.record("seed \(seed) block time \(blockTimeMillis)")
    }

    func runToEnd() -> InvariantViolation? {
        statistics.seeds = 1
        do throws(InvariantViolation) {
            try restartSequencer()
            for _ in 0..<configuration.steps { try runStep() }
            try drain()
        } catch {
            statistics.violations = 1
            return finish(error)
        }
        _ = finish(nil)
        return nil
    }

    private func finish(_ violation: InvariantViolation?) -> InvariantViolation? {
        statistics.preconfirmationsHeld = ledger.preconfirmations.count
        statistics.acceptedTransactions = ledger.accepted.count
        trace.record("end \(violation.map { $0.invariant.rawValue } ?? "ok")")
        return violation
    }

    /// One step: time passes, faults end, the L1 mines, the sequencer works,
    /// users act, the log may sync, faults may start; then every invariant is checked.
    func runStep() throws(InvariantViolation) {
        step += 1
        statistics.steps += 1
        clock.advance(by: UInt64.random(in: configuration.stepMillis, using: &rng))
        try endDueFaults()
        try runL1Clock()
        try runSequencer()
        if !draining { try usersAct() }
        try usersFollowUp()
        if sequencer != nil, draining || chance(configuration.rates.fsync) { try fsync() }
        if !draining { try injectFaults() }
        try checkInvariants()
        let l1Head = l1.chain?.head
        trace.record("s\(step) t\(clock.nowMillis) l1 \(l1Head?.number ?? 0) l2 \(sequencer?.core.head.number ?? 0)",
                     sequencer?.core.head.hash ?? l1Head?.hash ?? .zero)
    }

    func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    var users: Int { configuration.users }

    func violation(_ invariant: Invariant, _ message: String) -> InvariantViolation {
        var command = "swift run -c release simulate --seed \(seed) --profile \(configuration.profile) --steps \(configuration.steps)"
        if configuration.forceInclusionDelay != SimulationConfiguration.named(configuration.profile)?.forceInclusionDelay {
            command += " --delay \(configuration.forceInclusionDelay)"
        }
        if let d = configuration.defect { command += " --defect \(d.rawValue)" }
        return InvariantViolation(invariant: invariant, seed: seed, step: step, message: message, replayCommand: command)
    }

    /// A fresh core as the operator configured it: the run's block time, policy and censor list.
    func freshCore() -> SequencerCore {
        var core = SequencerCore(configuration: .init(chain: node.chain, blockTimeMillis: blockTimeMillis, mempool: node.mempool),
                                 genesis: genesis.block, genesisState: genesis.state)
        _ = core.setPolicy(OrderingPolicies.named(faults.policy) ?? FirstComeFirstServed(), nowMillis: 0)
        _ = core.setCensored(Set(faults.censoredUsers.map { DevAccounts.addresses[$0] }), nowMillis: 0)
        return core
    }

    // MARK: the sequencer process

    /// Starts the sequencer from its disk and reseals a block the crash left open, as the node does.
    func restartSequencer() throws(InvariantViolation) {
        let s: SimulatedSequencer
        do throws(SequencerStartError) {
            s = try SimulatedSequencer(core: freshCore(), disk: disk, nowMillis: clock.nowMillis,
                                       repliesEarly: configuration.defect == .repliesBeforeDurable)
        } catch {
            throw violation(.sequencerRecovers, "\(error)")
        }
        if s.discardedBytes > 0 { statistics.tornTails += 1 }
        // Its L1 roles start on their own threads: their first look at the L1 may come after the first clients.
        s.nextPollMillis = clock.nowMillis + UInt64.random(in: 0...configuration.pollIntervalMillis, using: &rng)
        sequencer = s
        faults.sequencerDownUntil = nil
        faults.endImpairment("sequencer down", at: clock.nowMillis)
        trace.record("sequencer started: \(s.recoveredRecords) records, \(s.discardedBytes) torn bytes", s.core.head.hash)
        if s.core.open != nil { try perform(s.core.sealNow()) }
        try perform(s.core.finishRecovery(nowMillis: clock.nowMillis))
    }

    /// The process dies; what was not synced is lost (a write in flight may leave part of it).
    func crashSequencer(downForMillis: UInt64) {
        guard let s = sequencer else { return }
        let inFlight: Int? = s.hasUnsyncedRecords && chance(0.5) ? Int.random(in: 0...s.unsyncedBytes, using: &rng) : nil
        s.crash(inFlight: inFlight)
        sequencer = nil
        ledger.submissions.removeAll()
        faults.sequencerDownUntil = clock.nowMillis + downForMillis
        faults.beginImpairment("sequencer down", at: clock.nowMillis)
        trace.record("crash, down \(downForMillis) ms, in flight \(inFlight.map(String.init) ?? "-")")
    }

    /// Performs a step's actions on the sequencer process and hands the answers due now to the users.
    func perform(_ actions: [SequencerCore.Action]) throws(InvariantViolation) {
        guard let s = sequencer, !actions.isEmpty else { return }
        for action in actions { observe(action) }
        let due: [SequencerCore.Reply]
        do throws(StorageError) { due = try s.perform(actions) } catch {
            throw violation(.sequencerRecovers, "the write-ahead log refused a record: \(error)")
        }
        deliver(due)
    }

    func fsync() throws(InvariantViolation) {
        guard let s = sequencer else { return }
        let due: [SequencerCore.Reply]
        do throws(StorageError) { due = try s.sync() } catch {
            throw violation(.sequencerRecovers, "the write-ahead log failed to sync: \(error)")
        }
        deliver(due)
    }

    private func observe(_ action: SequencerCore.Action) {
        switch action {
        case let .sealed(block):
            statistics.blocksSealed += 1
            trace.record("sealed \(block.number)", block.hash)
        case let .dropped(hash, reason):
            ledger.drops[hash] = reason
            trace.record("dropped \(reason)", hash)
        case let .preconfirmationBroken(b):
            ledger.broken[b.transactionHash, default: []].append(b)
            statistics.brokenPreconfirmations += 1
            trace.record("broken \(b.summary)", b.transactionHash)
        case let .rewound(number):
            trace.record("rewound to \(number)")
        case let .forcedIncluded(item, _, number):
            trace.record("forced item \(item.queueIndex) in block \(number)")
        default:
            break
        }
    }

    /// Answers reach their clients: a place is a pre-confirmation held, a queued hash an accepted transaction.
    func deliver(_ replies: [SequencerCore.Reply]) {
        for reply in replies {
            guard let submission = ledger.submissions[reply.ticket] else { continue }
            switch reply.outcome {
            case .sequenced(var position, _):
                if configuration.defect == .coreMovesPreconfirmedTransaction { position.index += 1 }
                ledger.accept(reply.hash)
                ledger.hold(reply.hash, at: position)
                ledger.submissions[reply.ticket] = nil
                trace.record("preconfirmed \(position)", reply.hash)
            case .queued:
                ledger.accept(reply.hash)
                ledger.wait(reply.hash, .init(user: submission.user, raw: submission.raw, sinceMillis: clock.nowMillis))
                trace.record("queued", reply.hash)
            case let .rejected(r):
                ledger.submissions[reply.ticket] = nil
                trace.record("rejected \(r)", reply.hash)
            }
        }
    }
}

/// What one seed's run did.
public struct SimulationResult: Sendable {
    public let seed: UInt64
    public let statistics: SimulationStatistics
    /// The event trace's hash: equal for two runs of one seed.
    public let traceHash: String
    public let traceEvents: Int
    public let violation: InvariantViolation?
}
