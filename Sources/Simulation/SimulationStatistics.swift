/// What runs did, summed over seeds for the summary line.
public struct SimulationStatistics: Sendable, Equatable {
    public var seeds = 0
    public var steps = 0
    public var transactionsSubmitted = 0
    public var preconfirmationsHeld = 0
    public var acceptedTransactions = 0
    public var blocksSealed = 0
    public var crashes = 0
    public var tornTails = 0
    public var outages = 0
    public var l1Restarts = 0
    public var censorshipPeriods = 0
    public var maliciousPeriods = 0
    public var policySwitches = 0
    public var forcedItems = 0
    public var deposits = 0
    public var forceIncludes = 0
    public var reconciliations = 0
    public var reconciliationFailures = 0
    public var brokenPreconfirmations = 0
    public var batchesPosted = 0
    public var batchesRefused = 0
    public var withdrawalsClaimed = 0
    public var earlyClaimsRefused = 0
    public var secondClaimsRefused = 0
    public var derivations = 0
    public var violations = 0

    public init() {}

    public mutating func add(_ o: SimulationStatistics) {
        seeds += o.seeds
        steps += o.steps
        transactionsSubmitted += o.transactionsSubmitted
        preconfirmationsHeld += o.preconfirmationsHeld
        acceptedTransactions += o.acceptedTransactions
        blocksSealed += o.blocksSealed
        crashes += o.crashes
        tornTails += o.tornTails
        outages += o.outages
        l1Restarts += o.l1Restarts
        censorshipPeriods += o.censorshipPeriods
        maliciousPeriods += o.maliciousPeriods
        policySwitches += o.policySwitches
        forcedItems += o.forcedItems
        deposits += o.deposits
        forceIncludes += o.forceIncludes
        reconciliations += o.reconciliations
        reconciliationFailures += o.reconciliationFailures
        brokenPreconfirmations += o.brokenPreconfirmations
        batchesPosted += o.batchesPosted
        batchesRefused += o.batchesRefused
        withdrawalsClaimed += o.withdrawalsClaimed
        earlyClaimsRefused += o.earlyClaimsRefused
        secondClaimsRefused += o.secondClaimsRefused
        derivations += o.derivations
        violations += o.violations
    }

    /// One line per topic, for the command's summary.
    public var summary: String {
        """
        seeds run: \(seeds), steps: \(steps)
        transactions submitted: \(transactionsSubmitted), accepted: \(acceptedTransactions), pre-confirmations held: \(preconfirmationsHeld), L2 blocks sealed: \(blocksSealed)
        faults: sequencer crashes \(crashes) (torn log tails \(tornTails)), outages \(outages), L1 restarts \(l1Restarts), censorship periods \(censorshipPeriods), malicious periods \(maliciousPeriods), policy switches \(policySwitches)
        forced items: \(forcedItems) (deposits \(deposits)), L1 forceInclude calls: \(forceIncludes)
        batches posted: \(batchesPosted), refused: \(batchesRefused)
        reconciliations: \(reconciliations) (failed attempts \(reconciliationFailures)), broken pre-confirmations reported: \(brokenPreconfirmations)
        withdrawals claimed: \(withdrawalsClaimed), early claims refused: \(earlyClaimsRefused), second claims refused: \(secondClaimsRefused)
        full derivations from L1: \(derivations)
        invariant violations: \(violations)
        """
    }
}
