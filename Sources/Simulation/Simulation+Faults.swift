import Ethereum
import Sequencer

extension Simulation {
    /// Starts faults at the configured rates (never during the drain).
    func injectFaults() throws(InvariantViolation) {
        let rates = configuration.rates
        let now = clock.nowMillis
        let window = configuration.forceInclusionDelay * configuration.l1BlockMillis
        if sequencer != nil {
            if chance(rates.crash) {
                statistics.crashes += 1
                crashSequencer(downForMillis: UInt64.random(in: 0...300, using: &rng))
            } else if chance(rates.outage) {
                statistics.crashes += 1
                statistics.outages += 1
                crashSequencer(downForMillis: UInt64(Double(window) * Double.random(in: 1.2...3.0, using: &rng)))
            }
        }
        if l1.isUp, chance(rates.l1Restart) {
            statistics.l1Restarts += 1
            l1BeforeRestart = l1.chain.map(L1Fingerprint.init)
            l1.stop()
            faults.l1DownUntil = now + UInt64.random(in: 200...3_000, using: &rng)
            faults.beginImpairment("l1 down", at: now)
            trace.record("l1 down until \(faults.l1DownUntil!)")
        }
        if faults.censoredUntil == nil, chance(rates.censorship) {
            statistics.censorshipPeriods += 1
            let count = Int.random(in: 1...max(1, users / 2), using: &rng)
            var chosen = Set<Int>()
            while chosen.count < count { chosen.insert(Int.random(in: 0..<users, using: &rng)) }
            faults.censoredUsers = chosen.sorted()
            faults.censoredUntil = now + UInt64.random(in: 3_000...15_000, using: &rng)
            trace.record("censoring \(faults.censoredUsers)")
            try applyCensorship()
        }
        if faults.maliciousUntil == nil, chance(rates.malicious) {
            statistics.maliciousPeriods += 1
            faults.maliciousUntil = now + UInt64(Double(window) * Double.random(in: 1.5...3.0, using: &rng))
            faults.beginImpairment("malicious", at: now)
            trace.record("malicious until \(faults.maliciousUntil!)")
        }
        if let s = sequencer, chance(rates.policySwitch) {
            statistics.policySwitches += 1
            let name = OrderingPolicies.names[Int.random(in: 0..<OrderingPolicies.names.count, using: &rng)]
            faults.policy = name
            trace.record("policy \(name)")
            try perform(s.core.setPolicy(OrderingPolicies.named(name)!, nowMillis: now))
        }
    }

    /// Ends the faults whose time is up: restarts, the end of censorship and of malice.
    func endDueFaults() throws(InvariantViolation) {
        let now = clock.nowMillis
        if let until = faults.l1DownUntil, until <= now { try restartL1() }
        if let until = faults.sequencerDownUntil, until <= now { try restartSequencer() }
        if let until = faults.maliciousUntil, until <= now {
            faults.maliciousUntil = nil
            faults.endImpairment("malicious", at: now)
            trace.record("honest again")
        }
        if let until = faults.censoredUntil, until <= now {
            faults.censoredUntil = nil
            faults.censoredUsers = []
            trace.record("censorship lifted")
            try applyCensorship()
        }
    }

    /// Ends every fault now (the drain).
    func endAllFaults() {
        let now = clock.nowMillis
        for keyPath in [\FaultState.sequencerDownUntil, \.l1DownUntil, \.maliciousUntil, \.censoredUntil]
        where faults[keyPath: keyPath] != nil {
            faults[keyPath: keyPath] = now
        }
    }

    private func applyCensorship() throws(InvariantViolation) {
        guard let s = sequencer else { return }
        let addresses = Set(faults.censoredUsers.map { DevAccounts.addresses[$0] })
        try perform(s.core.setCensored(addresses, nowMillis: clock.nowMillis))
    }

    /// The L1 restarts from its log; it must come back exactly as it was, and derivation must still agree.
    func restartL1() throws(InvariantViolation) {
        do {
            try l1.restart(nowMillis: clock.nowMillis)
        } catch {
            throw violation(.l1RestartRecoversState, "the L1 log does not replay: \(error)")
        }
        faults.l1DownUntil = nil
        faults.endImpairment("l1 down", at: clock.nowMillis)
        let after = l1.chain.map(L1Fingerprint.init)
        if let before = l1BeforeRestart, before != after {
            throw violation(.l1RestartRecoversState, "before: \(before); after: \(after.map(\.description) ?? "none")")
        }
        trace.record("l1 restarted", l1.chain?.head.hash ?? .zero)
        try verifyDerivation()
    }
}
