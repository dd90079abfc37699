import L1
import Primitives
import Rollup
import Sequencer

extension Simulation {
    /// The sequencer's work this step: seal on time, and at each poll
    /// interval run its two L1 roles (forced-queue watcher, batch poster)
    /// in either order, as their two threads would.
    func runSequencer() throws(InvariantViolation) {
        guard let s = sequencer else { return }
        try perform(s.core.tick(nowMillis: clock.nowMillis))
        guard clock.nowMillis >= s.nextPollMillis else { return }
        s.nextPollMillis = clock.nowMillis + configuration.pollIntervalMillis
        if chance(0.5) {
            try watchL1()
            try postBatch()
        } else {
            try postBatch()
            try watchL1()
        }
    }

    /// `ForcedQueueWatcher`'s step and catch-up against the simulated L1,
    /// with the production decisions (`itemsToInclude`, `postedThrough`,
    /// `blocksToAdopt`) and `SequencerCore.reconcile`.
    func watchL1() throws(InvariantViolation) {
        guard let s = sequencer else { return }
        let malicious = faults.maliciousUntil != nil
        var items: [ForcedItem] = []
        do throws(L1ClientError) {
            let l1Number = try client.blockNumber()
            let head = try client.l2Head()
            s.store.updateFromL1(l1Head: l1Number, safe: head.safeL2Block, finalized: head.finalizedL2Block)
            s.core.l1Origin = max(s.core.l1Origin, l1Number)
            if !malicious {
                items = ForcedQueueWatcher.itemsToInclude(try client.queue(from: s.store.forcedCursor, limit: 256))
            }
        } catch {
            return
        }
        if configuration.defect == .sequencerDropsForcedTransactions {
            items = items.filter { if case .deposit = $0 { true } else { false } }
        }
        if !items.isEmpty { try perform(s.core.includeForced(items, nowMillis: clock.nowMillis)) }
        try catchUp()
    }

    private func catchUp() throws(InvariantViolation) {
        guard let s = sequencer, let status = try? client.l2Head() else { return }
        if let posted = ForcedQueueWatcher.postedThrough(l1Head: status, lastPostedBlock: s.store.batchStatistics.lastPostedBlock,
                                                         localHash: { s.store.block(number: $0)?.hash }) {
            if posted > 0 { s.core.markPosted(through: posted) }
            s.agreedInboxLength = status.inboxLength
            return
        }
        var derived: [L2Block] = []
        do throws(L1ClientError) {
            let p = try client.parameters()
            let configuration = node.l1Configuration(forceInclusionDelay: p.forceInclusionDelay, finalityDepth: p.finalityDepth)
            do throws(DerivationError) {
                _ = try L1Derivation.derive(from: client, configuration: configuration) { derived.append($0) }
            } catch {
                trace.record("catch-up derivation failed: \(error)")
                return
            }
        } catch {
            return
        }
        let (shared, adopt) = ForcedQueueWatcher.blocksToAdopt(derived: derived, localHead: s.store.headNumber,
                                                               localHash: { s.store.block(number: $0)?.hash })
        guard !adopt.isEmpty else { return }
        switch s.core.reconcile(with: adopt, nowMillis: clock.nowMillis) {
        case var .success(r):
            statistics.reconciliations += 1
            trace.record("reconciled from \(shared): \(r.adoptedBlocks) adopted, \(r.broken.count) broken")
            if !adopt.contains(where: { l1.forcedBlockNumbers.contains($0.number) }) {
                for b in r.broken { ledger.brokenWithoutForcedInclusion[b.transactionHash] = (b.promised, shared, adopt.count) }
            }
            if configuration.defect == .sequencerHidesBrokenPreconfirmations {
                r.actions.removeAll { if case .preconfirmationBroken = $0 { true } else { false } }
            }
            try perform(r.actions)
            s.agreedInboxLength = status.inboxLength
        case let .failure(error):
            statistics.reconciliationFailures += 1
            trace.record("cannot reconcile from \(shared): \(error)")
        }
    }

    /// `BatchPoster`'s step: the production decision (`nextBatchBlocks`) and
    /// batch (`signedBatch`), posted to the simulated L1.
    func postBatch() throws(InvariantViolation) {
        guard let s = sequencer, let status = try? client.l2Head() else { return }
        guard let blocks = BatchPoster.nextBatchBlocks(after: status.l2BlockNumber, headNumber: s.store.durableHeadNumber,
                                                       limits: configuration.batchLimits, nowSeconds: clock.nowSeconds,
                                                       block: { s.store.block(number: $0) }) else { return }
        let (_, encoded, signature) = BatchPoster.signedBatch(blocks, previousBatchHash: status.lastBatchHash,
                                                              chainID: node.chainID, key: node.sequencerKey)
        do throws(L1ClientError) {
            _ = try client.postBatch(encoded, signature: signature)
        } catch {
            statistics.batchesRefused += 1
            trace.record("batch \(blocks.first!.number)-\(blocks.last!.number) refused: \(error)")
            return
        }
        statistics.batchesPosted += 1
        s.store.recordBatch(transactions: blocks.reduce(0) { $0 + $1.transactions.count }, bytes: encoded.count,
                            lastBlock: blocks.last!.number)
        trace.record("batch \(blocks.first!.number)-\(blocks.last!.number) posted", blocks.last!.hash)
        if let problem = l1.noteAccepted(blocks) { throw violation(.derivationMatchesSafeState, problem) }
        if s.agreedInboxLength == status.inboxLength { s.agreedInboxLength = status.inboxLength + 1 }
    }
}
