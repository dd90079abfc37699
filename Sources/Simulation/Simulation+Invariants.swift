import Ethereum
import L1
import Primitives
import Rollup
import Sequencer

extension Simulation {
    /// Every invariant that can be judged at this instant.
    func checkInvariants() throws(InvariantViolation) {
        if let chain = l1.chain {
            try checkForcedItemDeadlines(chain)
            try checkL1Books(chain)
            try checkCanonicalIndex(chain)
            if configuration.deriveOnEveryInboxChange, UInt64(chain.inbox.count) != lastDerivedInboxLength { try verifyDerivation() }
        }
        if let s = sequencer {
            try checkPublishedView(s)
            try checkPreconfirmations(s)
            try checkAccepted(s)
            if let chain = l1.chain { try checkSafeState(s, chain) }
        }
    }

    /// (a) No queue item is still outside the canonical chain one L1 block after its deadline.
    func checkForcedItemDeadlines(_ chain: L1Chain) throws(InvariantViolation) {
        let cursor = chain.canonical.forcedQueueCursor
        guard cursor < UInt64(chain.canonical.queue.count) else { return }
        let deadline = chain.canonical.deadline(ofQueueIndex: cursor)
        if chain.head.number >= deadline + 1 {
            throw violation(.forcedItemsByDeadline,
                            "queue item \(cursor) (deadline L1 block \(deadline)) is not on the canonical chain at L1 block \(chain.head.number)")
        }
    }

    /// (b) Each dev account's L1 balance is its genesis balance less its deposits plus the claims paid to it.
    func checkL1Books(_ chain: L1Chain) throws(InvariantViolation) {
        for address in DevAccounts.addresses {
            let expected = L1Configuration.devBalance - (ledger.deposited[address] ?? .zero) + (ledger.claimed[address] ?? .zero)
            let actual = chain.balance(of: address)
            if actual != expected {
                throw violation(.withdrawalsPayOnceAfterFinality,
                                "L1 balance of \(address) is \(actual) wei; deposits and claims account for \(expected)")
            }
        }
    }

    /// The observer's record of canonical blocks keeps up with the L1.
    func checkCanonicalIndex(_ chain: L1Chain) throws(InvariantViolation) {
        let last = l1.canonicalBlocks[l1.canonicalBlocks.count - 1]
        if last.number != chain.canonical.head.number || last.hash != chain.canonical.head.hash {
            throw violation(.derivationMatchesSafeState,
                            "the L1's canonical head is \(chain.canonical.head.number) \(chain.canonical.head.hash); "
                                + "the blocks its batches and forced inclusions carried end at \(last.number) \(last.hash)")
        }
    }

    /// The store the watcher, the poster and the RPC read shows the core's head and forced-queue cursor.
    func checkPublishedView(_ s: SimulatedSequencer) throws(InvariantViolation) {
        let head = s.core.head
        if s.store.headNumber != head.number || s.store.block(number: head.number)?.hash != head.hash {
            throw violation(.publishedViewMatchesCore,
                            "the core's head is \(head.number) \(head.hash); the store shows \(s.store.headNumber) "
                                + (s.store.block(number: s.store.headNumber)?.hash.description ?? "-"))
        }
        if s.store.forcedCursor != s.core.nextForcedIndex {
            throw violation(.publishedViewMatchesCore,
                            "the core's next forced-queue item is \(s.core.nextForcedIndex) but the store (which the watcher reads "
                                + "the queue from) says \(s.store.forcedCursor)")
        }
    }

    /// (c) Each pre-confirmation held is where it was promised on the sequencer's chain, or was reported broken.
    func checkPreconfirmations(_ s: SimulatedSequencer) throws(InvariantViolation) {
        for hash in ledger.preconfirmationOrder {
            let promised = ledger.preconfirmations[hash]!
            if let b = ledger.brokenWithoutForcedInclusion[hash], b.promised == promised {
                throw violation(.brokenOnlyByForcedInclusion,
                                "the pre-confirmation of \(hash) at \(promised) was broken by a reconciliation that adopted "
                                    + "\(b.adopted) L1 block(s) after block \(b.shared), none of them forced in by the L1")
            }
            let record = s.store.transaction(hash)
            if record?.position == promised || ledger.reportedBroken(hash, promised: promised) { continue }
            throw violation(.preconfirmationsKeptOrReported,
                            "transaction \(hash) was pre-confirmed at \(promised); the sequencer has it "
                                + (record.map { "at \($0.position)" } ?? "nowhere") + ", and reported no broken promise")
        }
    }

    /// (e) Each durably accepted transaction is on the chain, in the queue, or reported dropped or broken.
    func checkAccepted(_ s: SimulatedSequencer) throws(InvariantViolation) {
        for hash in ledger.acceptedOrder {
            if s.store.transaction(hash) != nil || s.core.mempool.contains(hash) || ledger.drops[hash] != nil || ledger.broken[hash] != nil {
                continue
            }
            throw violation(.acceptedTransactionsAccountedFor,
                            "transaction \(hash) was accepted durably but is neither on the sequencer's chain nor queued, "
                                + "and was never reported dropped or broken")
        }
    }

    /// (d) Once the sequencer has seen the L1's current inbox, its block at
    /// the L1's safe height is the L1's, with the same state root.
    func checkSafeState(_ s: SimulatedSequencer, _ chain: L1Chain) throws(InvariantViolation) {
        guard s.agreedInboxLength == UInt64(chain.inbox.count) else { return }
        let status = chain.l2Status
        let local = s.store.block(number: status.safeL2Block)
        if local?.hash != status.l2BlockHash || local?.header.stateRoot != status.stateRoot {
            throw violation(.derivationMatchesSafeState,
                            "L1 safe block \(status.safeL2Block) is \(status.l2BlockHash) with state root \(status.stateRoot); "
                                + "the sequencer's is " + (local.map { "\($0.hash) with state root \($0.header.stateRoot)" } ?? "missing"))
        }
    }

    /// (d) `L1Derivation` over the L1 client rebuilds the L1's canonical chain,
    /// block for block, and its state root is the sequencer's safe state root.
    func verifyDerivation() throws(InvariantViolation) {
        guard let chain = l1.chain else { return }
        var derived: [L2Block] = []
        let canonical: CanonicalChain
        do throws(DerivationError) {
            canonical = try L1Derivation.derive(from: client, configuration: l1Configuration) { derived.append($0) }
        } catch {
            throw violation(.derivationMatchesSafeState, "derivation from the L1 failed: \(error)")
        }
        statistics.derivations += 1
        lastDerivedInboxLength = UInt64(chain.inbox.count)
        let status = chain.l2Status
        guard canonical.head.hash == status.l2BlockHash, canonical.head.stateRoot == status.stateRoot else {
            throw violation(.derivationMatchesSafeState,
                            "derivation ends at \(canonical.head.number) \(canonical.head.hash) root \(canonical.head.stateRoot); "
                                + "the L1 says \(status.l2BlockNumber) \(status.l2BlockHash) root \(status.stateRoot)")
        }
        let carried = l1.canonicalBlocks.dropFirst()
        guard derived.count == carried.count, zip(derived, carried).allSatisfy({ $0.hash == $1.hash }) else {
            throw violation(.derivationMatchesSafeState, "derivation gives \(derived.count) blocks that differ from the \(carried.count) the L1 accepted")
        }
        if let s = sequencer { try checkSafeState(s, chain) }
        trace.record("derived \(canonical.head.number)", canonical.head.stateRoot)
    }
}
