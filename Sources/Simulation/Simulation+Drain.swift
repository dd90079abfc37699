import Primitives
import Rollup
import Sequencer

extension Simulation {
    /// Ends every fault, lets users finish (no new transactions), and runs
    /// until everything settles; then judges the final chain on the L1.
    func drain() throws(InvariantViolation) {
        draining = true
        endAllFaults()
        trace.record("drain")
        for _ in 0..<configuration.drainSteps {
            try runStep()
            if unsettledWork() == nil { break }
        }
        if let work = unsettledWork() {
            throw violation(.systemSettles, "after \(configuration.drainSteps) steps without faults: \(work)")
        }
        try verifyDerivation()
        try checkFinalPreconfirmations()
        try checkFinalAccepted()
    }

    /// What still keeps the system from having settled, or nil.
    func unsettledWork() -> String? {
        if faults.anyPending { return "faults still in force" }
        guard let s = sequencer else { return "the sequencer is down" }
        guard let chain = l1.chain else { return "the L1 is down" }
        let cursor = chain.canonical.forcedQueueCursor, queued = UInt64(chain.canonical.queue.count)
        if cursor < queued { return "queue items \(cursor)..<\(queued) are not on the canonical chain" }
        if s.core.open != nil { return "block \(s.core.open!.number) is still open" }
        let l1Head = chain.canonical.head
        if s.store.headNumber != l1Head.number || s.store.block(number: l1Head.number)?.hash != l1Head.hash {
            return "the sequencer's head \(s.store.headNumber) is not the L1's canonical head \(l1Head.number) \(l1Head.hash)"
        }
        if s.hasUnsyncedRecords || s.owesAnswers { return "log records not yet durable" }
        if s.agreedInboxLength != UInt64(chain.inbox.count) { return "the sequencer has not caught up with the L1's inbox" }
        let state = s.core.pendingState
        let ready = s.core.mempool.readyEntries(chainNonce: { state[$0].nonce }, skip: { _ in false })
        if !ready.isEmpty {
            let which = ready.sorted { ($0.sender, $0.transaction.transaction.nonce) < ($1.sender, $1.transaction.transaction.nonce) }
                .map { "\($0.transaction.hash) (sender \($0.sender), nonce \($0.transaction.transaction.nonce))" }
            return "\(ready.count) queued transactions could run but have no place under policy \(faults.policy): "
                + which.joined(separator: ", ")
        }
        if !pendingWithdrawals.isEmpty { return "\(pendingWithdrawals.count) canonical withdrawals not yet claimed" }
        return nil
    }

    /// (c) on the final chain: every pre-confirmation held is at its place in the L1's canonical chain, or was reported broken.
    func checkFinalPreconfirmations() throws(InvariantViolation) {
        let blocks = l1.canonicalBlocks
        for hash in ledger.preconfirmationOrder {
            let promised = ledger.preconfirmations[hash]!
            let n = Int(promised.blockNumber)
            if n < blocks.count, blocks[n].transactions.indices.contains(promised.index),
               blocks[n].transactions[promised.index].transaction.hash == hash { continue }
            if ledger.reportedBroken(hash, promised: promised) { continue }
            throw violation(.preconfirmationsKeptOrReported,
                            "transaction \(hash) was pre-confirmed at \(promised) but is not there on the L1's canonical chain "
                                + "(\(blocks.count - 1) blocks), and no broken promise was reported")
        }
    }

    /// (e) on the final chain: every accepted transaction is canonical, still queued, or reported.
    func checkFinalAccepted() throws(InvariantViolation) {
        var canonical = Set<Hash32>()
        for block in l1.canonicalBlocks { for t in block.transactions { canonical.insert(t.transaction.hash) } }
        let mempool = sequencer?.core.mempool
        for hash in ledger.acceptedOrder {
            if canonical.contains(hash) || mempool?.contains(hash) == true || ledger.drops[hash] != nil || ledger.broken[hash] != nil {
                continue
            }
            throw violation(.acceptedTransactionsAccountedFor,
                            "transaction \(hash) was accepted durably but is not on the L1's canonical chain, not queued, and never reported")
        }
    }
}
