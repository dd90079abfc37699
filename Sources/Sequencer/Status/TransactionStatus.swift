import Ethereum
import Primitives

/// A transaction's whole story as the sequencer knows it: the stage it
/// reached (pending, pre-confirmed or forced, in a batch, safe, finalized;
/// or dropped, rejected, a broken pre-confirmation, unknown), when each
/// stage was reached, why it waits, and, while no L1 block holds it, how
/// and from which L1 block its sender can force it in without the
/// sequencer. Computed from `TransactionFacts` alone, so it is a pure
/// function of what the store read.
public struct TransactionStatus: Sendable, Equatable {
    public enum Stage: String, Sendable, Equatable, CaseIterable {
        /// Accepted and waiting in the queue; see `Wait`.
        case pending
        /// Placed by the sequencer at a promised position, not yet on the L1.
        case preconfirmed
        /// Placed from the L1 forced-inclusion queue, not yet on the L1's chain.
        case forced
        /// Its block is in an inbox entry the sequencer read, ahead of the safe head it has seen.
        case batched
        /// Its block is canonical on the L1 (an accepted batch or forced inclusion).
        case safe
        /// That L1 block is at least the finality depth deep.
        case finalized
        /// Removed from the queue (replaced, or invalid when its turn came).
        case dropped
        /// Refused when submitted.
        case rejected
        /// Pre-confirmed, then lost its place in a reconciliation with the L1 and is no longer in the chain.
        case preconfirmationBroken
        /// The sequencer holds no record of it.
        case unknown
    }

    /// Why a pending transaction has no place yet.
    public enum WaitReason: String, Sendable, Equatable {
        /// A nonce between the sender's next one and this one was never submitted.
        case nonceGap
        /// Earlier nonces of the sender wait in the queue ahead of it.
        case awaitingEarlierNonce
        /// The operator's censor list names its sender or recipient.
        case withheld
        /// The ordering policy places transactions when the block window closes.
        case awaitingOrderingWindow
    }

    /// One stage reached, and when.
    public struct Milestone: Sendable, Equatable {
        public let stage: Stage
        /// Unix milliseconds; nil when the sequencer did not see the moment.
        public let atMillis: UInt64?
        /// The L1 block of the stage, for L1 stages.
        public let l1BlockNumber: UInt64?
    }

    public struct Wait: Sendable, Equatable {
        public let reason: WaitReason
        public let detail: String
        /// The nonce that must be included first (gap and earlier-nonce waits).
        public let expectedNonce: UInt64?
        /// The newest sealed L2 block when it started waiting.
        public let sinceL2Block: UInt64?
        /// Sealed L2 blocks since then that included transactions, and how many.
        public let blocksWithTransactionsSince: UInt64
        public let transactionsIncludedSince: UInt64
    }

    /// How to get the transaction in through the L1 without the sequencer.
    public struct ForceRoute: Sendable, Equatable {
        public let l1Head: UInt64
        public let forceInclusionDelay: UInt64
        /// Enqueued now, the item is overdue (and `l1_forceInclude` works) from this L1 block.
        public let forceableFromL1Block: UInt64
        public let raw: [UInt8]
        /// The wallet command that enqueues this very transaction.
        public let command: String
        /// The L1 calls, in order.
        public static let l1Methods = ["l1_enqueueTransaction", "l1_forceInclude"]
    }

    public let hash: Hash32
    public let stage: Stage
    /// Stages reached, in order.
    public let history: [Milestone]
    public let sender: Address?
    public let nonce: UInt64?
    /// The signed transaction's bytes, when the sequencer holds it.
    public let raw: [UInt8]?
    public let position: ChainPosition?
    /// Its L2 block's timestamp (seconds), which a pre-confirmation signs.
    public let blockTimestamp: UInt64?
    public let blockHash: Hash32?
    public let wait: Wait?
    public let forcedQueueIndex: UInt64?
    public let inclusion: L1Inclusion?
    /// The L1 block from which its inclusion is final.
    public let finalAtL1Block: UInt64?
    /// Why it was dropped or rejected.
    public let reason: String?
    public let broken: BrokenPreConfirmation?
    public let force: ForceRoute?
    public let preconfirmation: PreConfirmation?
    public let headNumber: UInt64
    public let safeNumber: UInt64
    public let finalizedNumber: UInt64
    public let l1Head: UInt64

    /// Judges `facts` given the operator's censor list and whether the policy
    /// places transactions on arrival; `l1URL` goes into the force command.
    public init(facts f: TransactionFacts, censored: Set<Address>, placesOnArrival: Bool, l1URL: String? = nil) {
        hash = f.hash
        broken = f.broken
        preconfirmation = f.preconfirmation
        headNumber = f.headNumber
        safeNumber = f.safeNumber
        finalizedNumber = f.finalizedNumber
        l1Head = f.l1Head
        let depth = f.l1Parameters?.finalityDepth
        var history: [Milestone] = []
        var forceable: [UInt8]?
        if let r = f.record {
            let tx = r.executed.transaction
            sender = r.executed.sender
            nonce = tx.transaction.nonce
            position = r.position
            blockTimestamp = r.timestamp
            blockHash = r.blockHash
            forcedQueueIndex = r.forcedQueueIndex
            inclusion = f.inclusion
            finalAtL1Block = f.inclusion.flatMap { i in depth.map { i.finalAtL1Block(depth: $0) } }
            wait = nil
            reason = nil
            let n = r.position.blockNumber
            let sealed = r.blockHash != nil
            let placed: Stage = r.forcedQueueIndex == nil ? .preconfirmed : .forced
            if r.queuedAtMillis > 0 { history.append(Milestone(stage: .pending, atMillis: r.queuedAtMillis, l1BlockNumber: nil)) }
            history.append(Milestone(stage: placed, atMillis: r.sequencedAtMillis, l1BlockNumber: nil))
            if let i = f.inclusion { history.append(Milestone(stage: .batched, atMillis: i.includedAtMillis, l1BlockNumber: i.l1BlockNumber)) }
            if sealed && n <= f.safeNumber {
                history.append(Milestone(stage: .safe, atMillis: f.inclusion?.includedAtMillis, l1BlockNumber: f.inclusion?.l1BlockNumber))
            }
            if sealed && n <= f.finalizedNumber {
                history.append(Milestone(stage: .finalized, atMillis: f.inclusion?.finalizedAtMillis, l1BlockNumber: finalAtL1Block))
            }
            stage = history.last!.stage
            raw = tx.raw
            if f.inclusion == nil && !(sealed && n <= f.safeNumber) && placed == .preconfirmed { forceable = tx.raw }
        } else if let q = f.queued {
            let tx = q.transaction
            sender = q.sender
            nonce = tx.transaction.nonce
            position = nil
            blockTimestamp = nil
            blockHash = nil
            forcedQueueIndex = nil
            inclusion = nil
            finalAtL1Block = nil
            reason = nil
            stage = .pending
            history.append(Milestone(stage: .pending, atMillis: f.queuedSince?.atMillis, l1BlockNumber: nil))
            wait = Self.wait(of: q, facts: f, censored: censored, placesOnArrival: placesOnArrival)
            raw = tx.raw
            forceable = tx.raw
        } else {
            sender = nil
            nonce = nil
            raw = nil
            position = nil
            blockTimestamp = nil
            blockHash = nil
            forcedQueueIndex = nil
            inclusion = nil
            finalAtL1Block = nil
            wait = nil
            if let b = f.broken {
                stage = .preconfirmationBroken
                reason = b.summary
                history.append(Milestone(stage: .preconfirmationBroken, atMillis: nil, l1BlockNumber: nil))
            } else if let e = f.recent {
                stage = e.kind == .dropped ? .dropped : .rejected
                reason = e.reason
                history.append(Milestone(stage: stage, atMillis: e.atMillis, l1BlockNumber: nil))
            } else {
                stage = .unknown
                reason = nil
            }
        }
        self.history = history
        if let raw = forceable, let p = f.l1Parameters {
            let l1 = l1URL.map { " --l1 \($0)" } ?? ""
            force = ForceRoute(l1Head: f.l1Head, forceInclusionDelay: p.forceInclusionDelay,
                               forceableFromL1Block: f.l1Head + p.forceInclusionDelay, raw: raw,
                               command: "sequencer wallet force --raw \(Hex.encode(raw))\(l1)")
        } else {
            force = nil
        }
    }

    private static func wait(of q: Mempool.Entry, facts f: TransactionFacts, censored: Set<Address>, placesOnArrival: Bool) -> Wait {
        let t = q.transaction.transaction
        let reason: WaitReason, detail: String
        var expected: UInt64?
        if t.nonce > f.senderNonce {
            let missing = (f.senderNonce..<t.nonce).first { !f.senderQueuedNonces.contains($0) }
            if let missing {
                (reason, expected) = (.nonceGap, missing)
                detail = "nonce gap: the sender's nonce \(missing) was never submitted (this one is \(t.nonce))"
            } else {
                (reason, expected) = (.awaitingEarlierNonce, f.senderNonce)
                detail = "waits behind the sender's queued nonce \(f.senderNonce) (this one is \(t.nonce))"
            }
        } else if !censored.isEmpty && (censored.contains(q.sender) || t.to.map(censored.contains) == true) {
            (reason, detail) = (.withheld, "withheld by the operator's censor list")
        } else {
            (reason, detail) = (.awaitingOrderingWindow,
                                placesOnArrival ? "awaiting placement" : "the ordering policy places it when the block window closes")
        }
        return Wait(reason: reason, detail: detail, expectedNonce: expected, sinceL2Block: f.queuedSince?.l2Head,
                    blocksWithTransactionsSince: f.blocksWithTransactionsSince, transactionsIncludedSince: f.transactionsIncludedSince)
    }
}
