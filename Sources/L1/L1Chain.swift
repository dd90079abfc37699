import Ethereum
import Hashing
import Primitives
import Rollup

/// The simulated L1 as a deterministic state machine: its blocks and
/// clock, its accounts, and the three rollup contracts of DESIGN.md §5 —
/// the sequencer inbox, the forced-inclusion queue and the bridge — over
/// one `CanonicalChain`, the same derivation code `sequencer derive` runs.
///
/// Pure: no I/O, no clock (mining takes `now`), no randomness. `apply`
/// either performs a whole call or throws and changes nothing; replaying
/// the accepted calls in order gives the same state. Calls take effect in
/// the current head block: an item queued when the head is b is overdue
/// once the head reaches b + `forceInclusionDelay`.
public struct L1Chain: Sendable {
    public let configuration: L1Configuration
    public private(set) var blocks: [L1Block]
    public private(set) var balances: [Address: UInt256]
    /// Signed calls used per account (deposits), against replay.
    public private(set) var nonces: [Address: UInt64] = [:]
    /// The L2 chain as the inbox made it.
    public private(set) var canonical: CanonicalChain
    /// Accepted batches and forced inclusions, in L1 order.
    public private(set) var inbox: [InboxEntry] = []
    /// `queueAccumulators[i]` is the queue accumulator after item i.
    public private(set) var queueAccumulators: [Hash32] = []
    /// Withdrawals paid out, by (L2 block, index).
    public private(set) var claimed: Set<WithdrawalID> = []
    /// ETH locked by deposits and paid out by claims; claims may exceed
    /// deposits because L2 genesis balances count as bridged at genesis.
    public private(set) var totalDeposited = UInt256.zero
    public private(set) var totalClaimed = UInt256.zero

    /// L1 genesis: block 0, funded accounts, the L2 genesis as canonical head.
    public init(configuration: L1Configuration) {
        self.configuration = configuration
        blocks = [L1Block(number: 0, timestamp: configuration.l1GenesisTimestamp, parentHash: .zero,
                          inboxAccumulator: .zero, queueAccumulator: .zero)]
        balances = Dictionary(configuration.l1Allocations, uniquingKeysWith: +)
        let genesis = Genesis.make(allocations: configuration.l2Allocations, timestamp: configuration.l2GenesisTimestamp,
                                   configuration: configuration.chain)
        canonical = CanonicalChain(genesis: genesis.block, state: genesis.state, configuration: configuration.chain,
                                   forceInclusionDelay: configuration.forceInclusionDelay)
    }

    public var head: L1Block { blocks[blocks.count - 1] }
    public var inboxAccumulator: Hash32 { inbox.last?.accumulator ?? .zero }
    public var queueAccumulator: Hash32 { queueAccumulators.last ?? .zero }
    public func balance(of address: Address) -> UInt256 { balances[address] ?? .zero }
    public func nonce(of address: Address) -> UInt64 { nonces[address] ?? 0 }

    /// The canonical L2 head's number: every block in an accepted batch or forced inclusion.
    public var safeL2Block: UInt64 { canonical.head.number }
    /// The highest L2 block made canonical at least `finalityDepth` L1 blocks ago.
    public var finalizedL2Block: UInt64 { canonical.highestBlock(finalizedAt: head.number, depth: configuration.finalityDepth) }

    /// The canonical L2 head with cursors and accumulators.
    public var l2Status: L2HeadStatus {
        L2HeadStatus(l1BlockNumber: head.number, l2BlockNumber: canonical.head.number, l2BlockHash: canonical.head.hash,
                     stateRoot: canonical.head.stateRoot, safeL2Block: safeL2Block, finalizedL2Block: finalizedL2Block,
                     forcedQueueCursor: canonical.forcedQueueCursor, queueLength: UInt64(canonical.queue.count),
                     queueAccumulator: queueAccumulator, inboxLength: UInt64(inbox.count), inboxAccumulator: inboxAccumulator,
                     lastBatchHash: canonical.lastBatchHash)
    }

    public var parameters: L1Parameters {
        L1Parameters(sequencerAddress: configuration.sequencerAddress, forceInclusionDelay: configuration.forceInclusionDelay,
                     finalityDepth: configuration.finalityDepth, l2ChainID: configuration.chain.chainID,
                     devOperations: configuration.chain.allowsDevOperations,
                     l2Genesis: configuration.l2Allocations.map(GenesisBalance.init))
    }

    /// Queue entries from `index`, at most `limit`.
    public func queueEntries(from index: UInt64, limit: Int) -> [QueueEntry] {
        guard index < UInt64(canonical.queue.count), limit > 0 else { return [] }
        let end = Swift.min(UInt64(canonical.queue.count), index + UInt64(limit))
        return (index..<end).compactMap(queueEntry)
    }

    /// Inbox entries from `index`, at most `limit`.
    public func inboxEntries(from index: UInt64, limit: Int) -> [InboxEntry] {
        guard index < UInt64(inbox.count), limit > 0 else { return [] }
        return Array(inbox[Int(index)..<Int(Swift.min(UInt64(inbox.count), index + UInt64(limit)))])
    }

    /// The queue item at `index` with its L1 block, deadline and accumulator.
    public func queueEntry(_ index: UInt64) -> QueueEntry? {
        guard index < UInt64(canonical.queue.count) else { return nil }
        let q = canonical.queue[Int(index)]
        return QueueEntry(item: q.item, l1BlockNumber: q.l1BlockNumber, deadline: canonical.deadline(ofQueueIndex: index),
                          accumulator: queueAccumulators[Int(index)], included: index < canonical.forcedQueueCursor)
    }

    /// Performs one L1 call. `knownSenders` (replay of the L1's own log only)
    /// are the senders a batch's first application recovered.
    @discardableResult
    public mutating func apply(_ tx: L1Transaction, knownSenders: [Address]? = nil) throws(L1Error) -> L1Outcome {
        switch tx {
        case let .mine(count, timestamp): return try mine(count: count, now: timestamp)
        case let .postBatch(batch, signature): return try postBatch(batch, signature: signature, knownSenders: knownSenders)
        case let .enqueueTransaction(raw): return try enqueueTransaction(raw)
        case let .deposit(request): return try deposit(request)
        case .forceInclude: return try forceInclude()
        case let .claimWithdrawal(w, proof): return try claimWithdrawal(w, proof: proof)
        }
    }

    /// Mines `count` (1…10,000) blocks stamped `now`, each at least a second after its parent.
    @discardableResult
    public mutating func mine(count: UInt64, now: UInt64) throws(L1Error) -> L1Outcome {
        guard (1...10_000).contains(count) else { throw .invalidMineCount(count) }
        let first = head.number + 1
        for _ in 0..<count {
            let parent = head
            blocks.append(L1Block(number: parent.number + 1, timestamp: Swift.max(now, parent.timestamp + 1), parentHash: parent.hash,
                                  inboxAccumulator: inboxAccumulator, queueAccumulator: queueAccumulator))
        }
        return .mined(first: first, last: head.number)
    }

    /// SequencerInbox.postBatch: accepted only when `signature` is the
    /// configured sequencer's over the batch hash (see `L1Messages`) and
    /// `CanonicalChain` re-executes it to exactly what it claims, including
    /// that it leaves no overdue queue item behind.
    @discardableResult
    public mutating func postBatch(_ bytes: [UInt8], signature: [UInt8], knownSenders: [Address]? = nil) throws(L1Error) -> L1Outcome {
        let hash = Keccak256.hash(bytes)
        let signer = PersonalMessage.recoverSigner(of: L1Messages.batchDigest(hash).bytes, signature: signature)
        guard signer == configuration.sequencerAddress else {
            throw .batchRejected(.wrongSigner(expected: configuration.sequencerAddress, got: signer))
        }
        let batch: Batch
        do throws(BatchDecodingError) { batch = try Batch(encoded: bytes) } catch { throw .batchRejected(.malformed(error)) }
        do throws(BatchRejection) {
            try canonical.apply(batch, l1BlockNumber: head.number, knownSenders: knownSenders)
        } catch {
            throw .batchRejected(error)
        }
        let entry = appendInbox(.batch(hash: hash, bytes: bytes, signature: signature),
                                firstL2Block: batch.firstBlockNumber, lastL2Block: batch.lastBlockNumber)
        return .batchAccepted(inboxIndex: entry.index, hash: hash, firstL2Block: batch.firstBlockNumber, lastL2Block: batch.lastBlockNumber)
    }

    /// ForcedInclusionQueue.enqueueTransaction: anyone may queue any bytes of
    /// a plausible size; the L2 skips them later if they are not a valid transaction.
    @discardableResult
    public mutating func enqueueTransaction(_ raw: [UInt8]) throws(L1Error) -> L1Outcome {
        let limit = configuration.chain.maxTransactionBytes
        guard !raw.isEmpty, raw.count <= limit else { throw .invalidQueueItemSize(bytes: raw.count, limit: limit) }
        return enqueue(.transaction(ForcedTransaction(queueIndex: UInt64(canonical.queue.count), raw: raw)))
    }

    /// ForcedInclusionQueue.deposit: locks `amount` of `from`'s L1 ETH and
    /// queues its credit to `to` on L2; `from` signs it (see `L1Messages`).
    @discardableResult
    public mutating func deposit(_ d: DepositRequest) throws(L1Error) -> L1Outcome {
        guard !d.amount.isZero else { throw .zeroAmount }
        let digest = L1Messages.depositDigest(from: d.from, to: d.to, amount: d.amount, nonce: d.nonce)
        let signer = PersonalMessage.recoverSigner(of: digest.bytes, signature: d.signature)
        guard signer == d.from else { throw .invalidSignature(expected: d.from, got: signer) }
        guard d.nonce == nonce(of: d.from) else { throw .wrongNonce(address: d.from, expected: nonce(of: d.from), got: d.nonce) }
        let balance = balance(of: d.from)
        guard balance >= d.amount else { throw .insufficientBalance(address: d.from, balance: balance, needed: d.amount) }
        balances[d.from] = balance - d.amount
        nonces[d.from] = d.nonce + 1
        totalDeposited = totalDeposited &+ d.amount
        return enqueue(.deposit(Deposit(queueIndex: UInt64(canonical.queue.count), from: d.from, to: d.to, amount: d.amount)))
    }

    /// ForcedInclusionQueue.forceInclude: once the head queue item is
    /// overdue, anyone may have the L1 append one L2 block holding every
    /// overdue item, built on the canonical head with no sequencer.
    @discardableResult
    public mutating func forceInclude() throws(L1Error) -> L1Outcome {
        guard let block = canonical.applyForcedBlock(l1BlockNumber: head.number, timestamp: head.timestamp) else {
            let cursor = canonical.forcedQueueCursor
            throw .nothingOverdue(nextDeadline: cursor < UInt64(canonical.queue.count) ? canonical.deadline(ofQueueIndex: cursor) : nil)
        }
        let entry = appendInbox(.forcedInclusion(l2BlockHash: block.hash), firstL2Block: block.number, lastL2Block: block.number)
        return .forceIncluded(inboxIndex: entry.index, l2BlockNumber: block.number, items: block.forced.count)
    }

    /// Bridge.claimWithdrawal: pays `w.recipient` on L1 once, when `proof`
    /// places `w` under the withdrawals root of canonical L2 block
    /// `w.l2BlockNumber` and the L1 block that made it canonical is
    /// `finalityDepth` deep. Anyone may submit it; only the recipient gains.
    @discardableResult
    public mutating func claimWithdrawal(_ w: Withdrawal, proof: [Hash32]) throws(L1Error) -> L1Outcome {
        guard let record = canonical.record(w.l2BlockNumber) else { throw .unknownL2Block(w.l2BlockNumber) }
        guard WithdrawalTree.verify(leaf: w.leafHash, index: Int(w.index), proof: proof, root: record.withdrawalsRoot) else {
            throw .invalidWithdrawalProof(l2BlockNumber: w.l2BlockNumber, index: w.index)
        }
        let id = WithdrawalID(l2BlockNumber: w.l2BlockNumber, index: w.index)
        guard !claimed.contains(id) else { throw .alreadyClaimed(l2BlockNumber: w.l2BlockNumber, index: w.index) }
        let claimableAt = record.l1BlockNumber + configuration.finalityDepth
        guard head.number >= claimableAt else { throw .withdrawalNotFinal(l2BlockNumber: w.l2BlockNumber, claimableAtL1Block: claimableAt) }
        claimed.insert(id)
        balances[w.recipient] = balance(of: w.recipient) &+ w.amount
        totalClaimed = totalClaimed &+ w.amount
        return .claimed(recipient: w.recipient, amount: w.amount)
    }

    private mutating func enqueue(_ item: ForcedItem) -> L1Outcome {
        canonical.enqueue(item, l1BlockNumber: head.number)
        queueAccumulators.append(Accumulator.next(queueAccumulator, item.hash))
        return .enqueued(queueIndex: item.queueIndex, deadline: head.number + configuration.forceInclusionDelay)
    }

    private mutating func appendInbox(_ kind: InboxEntry.Kind, firstL2Block: UInt64, lastL2Block: UInt64) -> InboxEntry {
        let entry = InboxEntry(index: UInt64(inbox.count), kind: kind, l1BlockNumber: head.number, firstL2Block: firstL2Block,
                               lastL2Block: lastL2Block, accumulator: Accumulator.next(inboxAccumulator, kind.commitment))
        inbox.append(entry)
        return entry
    }
}
