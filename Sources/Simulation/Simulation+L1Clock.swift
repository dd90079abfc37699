import L1
import Primitives
import Rollup

extension Simulation {
    /// Mines the L1 blocks that are due; after each, anyone watching the
    /// queue forces overdue items in (the escape hatch users rely on).
    func runL1Clock() throws(InvariantViolation) {
        while l1.blockDue(at: clock.nowMillis) {
            do throws(SimulatedL1.CallError) { _ = try l1.mineDueBlock() } catch { break }
            try forceOverdueItems()
        }
        if l1.isUp { try forceOverdueItems() }
    }

    /// `forceInclude` once the queue's head item is overdue. Forcing is only
    /// needed when the sequencer was down or malicious (or the L1 down) while
    /// an item waited; otherwise the honest sequencer failed its duty.
    func forceOverdueItems() throws(InvariantViolation) {
        guard let chain = l1.chain, !chain.canonical.overdueItems(atL1Block: chain.head.number).isEmpty else { return }
        let cursor = chain.canonical.forcedQueueCursor
        let block: L2Block?
        do throws(SimulatedL1.CallError) { (_, block) = try l1.forceInclude() } catch {
            trace.record("forceInclude refused: \(error)")
            return
        }
        statistics.forceIncludes += 1
        guard let block else {
            throw violation(.derivationMatchesSafeState, "the L1's forced block is not the one CanonicalChain builds for it")
        }
        trace.record("forceInclude block \(block.number)", block.hash)
        for index in cursor..<block.header.forcedQueueCursor {
            guard var record = ledger.forced[index] else { continue }
            record.includedBy = "forceInclude at L1 block \(chain.head.number)"
            ledger.forced[index] = record
            if !faults.impaired(since: record.enqueuedAtMillis) {
                throw violation(.honestSequencerIncludesForcedItems,
                                "queue item \(index) (enqueued at \(record.enqueuedAtMillis) ms, deadline L1 block \(record.deadline)) "
                                    + "had to be forced in at L1 block \(chain.head.number) although the sequencer was honest and up "
                                    + "and the L1 up all along")
            }
        }
    }
}
