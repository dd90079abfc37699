import Ethereum
import L1
import Primitives
import Rollup
import Sequencer

extension Simulation {
    /// New user activity for this step, at the configured rates.
    func usersAct() throws(InvariantViolation) {
        let rates = configuration.rates
        if chance(rates.transfer) {
            try submit(user: randomUser(), kind: TransactionKind.transfers[Int.random(in: 0..<4, using: &rng)])
        }
        if chance(rates.withdrawal) {
            try submit(user: randomUser(), kind: TransactionKind.withdrawals[Int.random(in: 0..<2, using: &rng)])
        }
        // While the sequencer is down, users turn to the L1 queue.
        if chance(sequencer == nil ? rates.forcedTransaction * 5 : rates.forcedTransaction) {
            forceTransaction(user: randomUser())
        }
        if chance(rates.deposit) { deposit(user: randomUser()) }
    }

    /// Follow-ups that continue in the drain: withheld transactions go to the
    /// L1 queue, final withdrawals are claimed.
    func usersFollowUp() throws(InvariantViolation) {
        forceWithheldTransactions()
        try claimWithdrawals()
    }

    private func randomUser() -> Int { Int.random(in: 0..<users, using: &rng) }

    /// Sends a transaction to the sequencer with the nonce it reports (sometimes one ahead, leaving a gap).
    func submit(user: Int, kind: TransactionKind) throws(InvariantViolation) {
        guard let s = sequencer else { return }
        let address = DevAccounts.addresses[user]
        let nonce = s.core.pendingNonce(address) + (chance(0.05) ? 1 : 0)
        let tx = factory.transaction(sender: user, nonce: nonce, kind: kind, users: users)
        nextTicket += 1
        ledger.submissions[nextTicket] = .init(user: user, raw: tx.raw)
        statistics.transactionsSubmitted += 1
        trace.record("submit user \(user) nonce \(nonce) \(kind)", tx.hash)
        try perform(s.core.submit(tx, sender: address, ticket: nextTicket, nowMillis: clock.nowMillis))
    }

    /// Puts a signed transaction straight into the L1 queue.
    func forceTransaction(user: Int) {
        guard let chain = l1.chain else { return }
        let address = DevAccounts.addresses[user]
        var nonce = sequencer?.core.pendingNonce(address) ?? chain.canonical.state[address].nonce
        if let last = ledger.lastForcedNonce[user], last.queueIndex >= chain.canonical.forcedQueueCursor {
            nonce = max(nonce, last.nonce + 1)
        }
        let kind = TransactionKind.allCases[Int.random(in: 0..<TransactionKind.allCases.count, using: &rng)]
        let tx = factory.transaction(sender: user, nonce: nonce, kind: kind, users: users)
        if let index = enqueue(tx.raw, isDeposit: false) { ledger.lastForcedNonce[user] = (nonce, index) }
    }

    /// Enqueues `raw` on the L1 and records the item; returns its queue index.
    @discardableResult
    func enqueue(_ raw: [UInt8], isDeposit: Bool) -> UInt64? {
        do throws(SimulatedL1.CallError) {
            guard case let .enqueued(index, deadline) = try l1.submit(.enqueueTransaction(raw: raw)) else { return nil }
            record(queueIndex: index, deadline: deadline, isDeposit: isDeposit)
            return index
        } catch {
            trace.record("enqueue refused: \(error)")
            return nil
        }
    }

    private func record(queueIndex index: UInt64, deadline: UInt64, isDeposit: Bool) {
        ledger.forced[index] = .init(queueIndex: index, enqueuedAtMillis: clock.nowMillis, deadline: deadline, isDeposit: isDeposit)
        statistics.forcedItems += 1
        trace.record("enqueued \(index) deadline \(deadline)\(isDeposit ? " deposit" : "")")
    }

    /// Locks L1 ETH to credit a user on L2 through the queue.
    func deposit(user: Int) {
        guard let chain = l1.chain else { return }
        let address = DevAccounts.addresses[user]
        let request = factory.deposit(from: user, to: randomUser(), amountUnits: UInt64.random(in: 1...20, using: &rng),
                                      nonce: chain.nonce(of: address))
        do throws(SimulatedL1.CallError) {
            guard case let .enqueued(index, deadline) = try l1.submit(.deposit(request)) else { return }
            ledger.deposited[address, default: .zero] += request.amount
            statistics.deposits += 1
            record(queueIndex: index, deadline: deadline, isDeposit: true)
        } catch {
            trace.record("deposit refused: \(error)")
        }
    }

    /// A transaction answered `queued` that has no place after 1.5 s goes to the L1 queue, once.
    private func forceWithheldTransactions() {
        guard l1.isUp else { return }
        var done: [Hash32] = []
        for hash in ledger.waitingOrder {
            guard let entry = ledger.waiting[hash] else { continue }
            if ledger.preconfirmations[hash] != nil || sequencer?.store.transaction(hash) != nil || entry.forced {
                done.append(hash)
                continue
            }
            guard clock.nowMillis - entry.sinceMillis >= 1_500 else { continue }
            ledger.waiting[hash]?.forced = true
            trace.record("forcing withheld", hash)
            enqueue(entry.raw, isDeposit: false)
        }
        if !done.isEmpty {
            for hash in done { ledger.waiting[hash] = nil }
            let waiting = ledger.waiting
            ledger.waitingOrder.removeAll { waiting[$0] == nil }
        }
    }

    /// Claims canonical withdrawals: sometimes once too early (must fail),
    /// then once after finality (must pay exactly), then again (must fail).
    private func claimWithdrawals() throws(InvariantViolation) {
        guard let chain = l1.chain else { return }
        while scannedCanonicalBlocks < l1.canonicalBlocks.count {
            pendingWithdrawals += l1.canonicalBlocks[scannedCanonicalBlocks].withdrawals
            scannedCanonicalBlocks += 1
        }
        var settled: [Int] = []
        for (i, w) in pendingWithdrawals.enumerated() {
            let id = UserLedger.WithdrawalKey(block: w.l2BlockNumber, index: w.index)
            guard let record = chain.canonical.record(w.l2BlockNumber) else {
                throw violation(.withdrawalsPayOnceAfterFinality, "withdrawal \(w.index) of block \(w.l2BlockNumber) is not canonical")
            }
            let final = chain.head.number >= record.l1BlockNumber + configuration.finalityDepth
            var claim = ledger.claims[id] ?? .init()
            defer { ledger.claims[id] = claim }
            if !final {
                guard !claim.earlyAttempted, draining || chance(0.5) else { continue }
                claim.earlyAttempted = true
                switch attemptClaim(w) {
                case .failure(.refused(.withdrawalNotFinal)):
                    statistics.earlyClaimsRefused += 1
                case .failure(.down):
                    break
                case let .failure(.refused(e)):
                    throw violation(.withdrawalsPayOnceAfterFinality, "an early claim of \(describe(w)) failed for the wrong reason: \(e)")
                case let .success(outcome):
                    throw violation(.withdrawalsPayOnceAfterFinality,
                                    "\(describe(w)) paid before finality (L1 block \(chain.head.number), canonical at \(record.l1BlockNumber)): \(outcome)")
                }
                continue
            }
            guard draining || chance(configuration.rates.claim) else { continue }
            switch attemptClaim(w) {
            case .success(.claimed(w.recipient, w.amount)):
                claim.payouts += 1
                ledger.claimed[w.recipient, default: .zero] += w.amount
                statistics.withdrawalsClaimed += 1
                trace.record("claimed \(w.l2BlockNumber)/\(w.index)")
            case .failure(.down):
                continue
            case let other:
                throw violation(.withdrawalsPayOnceAfterFinality, "the claim of final \(describe(w)) did not pay it exactly: \(other)")
            }
            claim.secondAttempted = true
            switch attemptClaim(w) {
            case .failure(.refused(.alreadyClaimed)):
                statistics.secondClaimsRefused += 1
            case let other:
                throw violation(.withdrawalsPayOnceAfterFinality, "a second claim of \(describe(w)) did not fail as already claimed: \(other)")
            }
            settled.append(i)
        }
        for i in settled.reversed() { pendingWithdrawals.remove(at: i) }
    }

    private func describe(_ w: Withdrawal) -> String {
        "withdrawal \(w.index) of L2 block \(w.l2BlockNumber) (\(w.amount) wei to \(w.recipient))"
    }

    /// Builds the proof from the canonical block, as `sequencer wallet claim` does, and claims.
    private func attemptClaim(_ w: Withdrawal) -> Result<L1Outcome, SimulatedL1.CallError> {
        let leaves = l1.canonicalBlocks[Int(w.l2BlockNumber)].withdrawals.map(\.leafHash)
        let proof = WithdrawalTree.proof(leaves, index: Int(w.index))
        do throws(SimulatedL1.CallError) { return .success(try l1.claimWithdrawal(w, proof: proof)) } catch { return .failure(error) }
    }
}
