import Ethereum
import Primitives
import Rollup

/// Why the L1's canonical blocks could not be adopted.
public enum ReconciliationError: Error, Sendable, Equatable, CustomStringConvertible {
    case nothingToAdopt
    /// The blocks do not start right after a block this node still holds with its state.
    case unknownAncestor(number: UInt64)
    case notConsecutive(expected: UInt64, got: UInt64)
    /// Rebuilding a canonical block here gave another hash: the rules or inputs disagree.
    case hashMismatch(number: UInt64, l1: Hash32, rebuilt: Hash32)
    case invalidCanonicalTransaction(number: UInt64, hash: Hash32, reason: String)

    public var description: String {
        switch self {
        case .nothingToAdopt: "no L1 block to adopt"
        case let .unknownAncestor(n): "the L1's blocks start after block \(n), which this node no longer holds with its state"
        case let .notConsecutive(e, g): "expected L1 block \(e) next, got \(g)"
        case let .hashMismatch(n, l1, rebuilt): "block \(n): the L1 has \(l1), rebuilding it here gives \(rebuilt)"
        case let .invalidCanonicalTransaction(n, h, r): "block \(n): transaction \(h) does not apply here: \(r)"
        }
    }
}

/// A transaction of a block the sequencer abandoned for the L1's: where it was, and whether the sequencer placed it (or the L1 queue did).
struct AbandonedTransaction: Sendable {
    let executed: ExecutedTransaction
    let promised: ChainPosition
    let sequenced: Bool
}

/// The outcome of a reconciliation: what to perform, and the promises that broke.
public struct Reconciliation: Sendable {
    public var actions: [SequencerCore.Action]
    public var broken: [BrokenPreConfirmation]
    public var adoptedBlocks: Int
    public var replayedTransactions: Int
}

extension SequencerCore {
    /// The blocks above the last posted one are no longer needed for a
    /// rewind once the L1 accepted them; keeps `number` itself as the base.
    public mutating func markPosted(through number: UInt64) {
        guard let base = unposted.keys.min(), base < number, unposted[number] != nil else { return }
        unposted = unposted.filter { $0.key >= number }
    }

    /// The lowest block this node can still rewind to.
    public var rewindBase: UInt64? { unposted.keys.min() }

    /// Makes the L1's chain ours: `canonical` are the L1's blocks following
    /// a block both chains share (blocks the L1 forced in while this node was
    /// down or ignored its queue). Each is rebuilt here from its items and
    /// checked against the L1's hash before anything changes; then the local
    /// blocks above the shared one (and the open block) are abandoned, the
    /// L1's blocks adopted, and the abandoned sequenced transactions replayed
    /// on top in their order. Every pre-confirmation that no longer holds is
    /// reported. When the local chain is a prefix of the L1's, nothing breaks.
    public mutating func reconcile(with canonical: [L2Block], nowMillis: UInt64) -> Result<Reconciliation, ReconciliationError> {
        guard let first = canonical.first else { return .failure(.nothingToAdopt) }
        let ancestor = first.number - 1
        guard first.number > 0, let base = unposted[ancestor], ancestor <= head.number else {
            return .failure(.unknownAncestor(number: first.number == 0 ? 0 : ancestor))
        }
        var parent = base.block.header
        var state = base.state
        for block in canonical {
            guard block.number == parent.number + 1 else { return .failure(.notConsecutive(expected: parent.number + 1, got: block.number)) }
            var builder = BlockBuilder(parent: parent, state: state, timestamp: block.header.timestamp,
                                       l1OriginNumber: block.header.l1OriginNumber, configuration: configuration.chain)
            for item in block.items {
                switch item {
                case let .forced(f):
                    builder.applyForced(f.item)
                case let .sequenced(tx):
                    do {
                        try builder.apply(tx, sender: tx.recoverSender())
                    } catch {
                        return .failure(.invalidCanonicalTransaction(number: block.number, hash: tx.hash, reason: "\(error)"))
                    }
                case let .dev(op):
                    do {
                        try builder.applyDev(op)
                    } catch {
                        return .failure(.invalidCanonicalTransaction(number: block.number, hash: .zero, reason: "\(error)"))
                    }
                }
            }
            let rebuilt = builder.seal()
            guard rebuilt.hash == block.hash else { return .failure(.hashMismatch(number: block.number, l1: block.hash, rebuilt: rebuilt.hash)) }
            parent = rebuilt.header
            state = builder.state
        }

        let abandoned = abandonedTransactions(above: ancestor)
        var actions: [Action] = [.log(.rewound(toBlock: ancestor), reply: nil)]
        rewindUnchecked(to: ancestor, into: &actions)
        var adopted: [Hash32: ChainPosition] = [:]
        for block in canonical {
            restoreOpenBlock(number: block.number, timestamp: block.header.timestamp, l1Origin: block.header.l1OriginNumber,
                             nowMillis: nowMillis)
            actions.append(.log(.blockOpened(number: block.number, timestamp: block.header.timestamp,
                                             l1Origin: block.header.l1OriginNumber), reply: nil))
            for item in block.items {
                switch item {
                case let .forced(f):
                    actions.append(.log(.forced(item: f.item.encoded), reply: nil))
                    actions += restoreForced(f.item)
                case let .sequenced(tx):
                    let sender = block.transactions.first { $0.transaction.hash == tx.hash }!.sender
                    try! restoreApply(tx, sender: sender)
                    actions.append(.log(.sequenced(raw: tx.raw, sender: sender), reply: nil))
                    let o = open!
                    actions.append(.sequenced(o.executed.last!, ChainPosition(blockNumber: o.number, index: o.executed.count - 1),
                                              timestamp: o.timestamp))
                case let .dev(op):
                    actions += try! restoreDev(op)
                }
            }
            for (i, t) in open!.executed.enumerated() { adopted[t.transaction.hash] = ChainPosition(blockNumber: block.number, index: i) }
            seal(into: &actions)
        }
        for sender in Set(canonical.flatMap { $0.transactions.map(\.sender) }) { dropOutdated(of: sender, into: &actions) }
        let (replayed, broken) = replayAbandoned(abandoned, adopted: adopted, nowMillis: nowMillis, into: &actions)
        releaseWaiting(nowMillis: nowMillis, into: &actions)
        seal(into: &actions)
        actions += broken.map { .preconfirmationBroken($0) }
        return .success(Reconciliation(actions: actions, broken: broken, adoptedBlocks: canonical.count, replayedTransactions: replayed))
    }

    /// Places the abandoned transactions again, in their order, and says which
    /// promises broke: one the L1's blocks now hold elsewhere moved; a forced
    /// one not among them waits in the L1 queue again; a sequenced one runs
    /// again (moved if its place changed), waits behind a nonce gap, or is dropped.
    mutating func replayAbandoned(_ abandoned: [AbandonedTransaction], adopted: [Hash32: ChainPosition], nowMillis: UInt64,
                                  into actions: inout [Action]) -> (replayed: Int, broken: [BrokenPreConfirmation]) {
        var broken: [BrokenPreConfirmation] = []
        var replayed = 0
        for a in abandoned {
            let tx = a.executed.transaction
            if let now = adopted[tx.hash] {
                if now != a.promised { broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: a.promised, fate: .moved(to: now))) }
                continue
            }
            guard a.sequenced else {
                broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: a.promised, fate: .requeued))
                continue
            }
            let before = actions.count
            do {
                try sequence(tx, sender: a.executed.sender, ticket: nil, nowMillis: nowMillis, into: &actions)
                replayed += 1
                let o = open!
                let now = ChainPosition(blockNumber: o.number, index: o.executed.count - 1)
                if now != a.promised { broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: a.promised, fate: .moved(to: now))) }
                if sealsEachTransaction { seal(into: &actions) }
            } catch {
                actions.removeSubrange(before...)
                if case .nonceTooHigh = error, (try? restoreInsertIntoMempool(tx, sender: a.executed.sender)) != nil {
                    actions.append(.log(.queued(raw: tx.raw, sender: a.executed.sender), reply: nil))
                    actions.append(.queued(Mempool.Entry(transaction: tx, sender: a.executed.sender, arrival: arrivals)))
                    broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: a.promised, fate: .requeued))
                } else {
                    broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: a.promised, fate: .dropped(reason: error.message)))
                }
            }
        }
        return (replayed, broken)
    }

    /// After the log is replayed: a reconciliation cut short by a crash (its
    /// `rewound` record durable, not all that followed) leaves abandoned
    /// transactions nowhere; they are placed again and every broken promise is
    /// reported again (reports are not logged, so a restart repeats them).
    public mutating func finishRecovery(nowMillis: UInt64) -> [Action] {
        guard !orphans.isEmpty || !orphanReports.isEmpty else { return [] }
        var actions: [Action] = []
        let pending = orphans, reports = orphanReports
        orphans = []
        orphanReports = []
        let (_, broken) = replayAbandoned(pending, adopted: [:], nowMillis: nowMillis, into: &actions)
        releaseWaiting(nowMillis: nowMillis, into: &actions)
        seal(into: &actions)
        return actions + (reports + broken).map { .preconfirmationBroken($0) }
    }

    /// Replay saw a transaction of an abandoned block placed again (or queued): it is no orphan; a changed place is reported.
    mutating func settleOrphan(_ hash: Hash32, at position: ChainPosition?) {
        guard let i = orphans.firstIndex(where: { $0.executed.transaction.hash == hash }) else { return }
        let a = orphans.remove(at: i)
        if position != a.promised {
            orphanReports.append(BrokenPreConfirmation(transactionHash: hash, promised: a.promised,
                                                       fate: position.map { .moved(to: $0) } ?? .requeued))
        }
    }

    /// Returns to sealed block `number` (from a `rewound` log record), abandoning the blocks above it and the open block.
    mutating func rewind(to number: UInt64) throws(RecoveryError) -> [Action] {
        guard unposted[number] != nil, number <= head.number else { throw .cannotRewind(toBlock: number) }
        orphans += abandonedTransactions(above: number)
        var actions: [Action] = []
        rewindUnchecked(to: number, into: &actions)
        return actions
    }

    private mutating func rewindUnchecked(to number: UInt64, into actions: inout [Action]) {
        let base = unposted[number]!
        head = base.block
        headState = base.state
        open = nil
        unposted = unposted.filter { $0.key <= number }
        actions.append(.rewound(toBlock: number))
    }

    /// The executed transactions above block `number`, open block included, with the places they were given.
    func abandonedTransactions(above number: UInt64) -> [AbandonedTransaction] {
        var result: [AbandonedTransaction] = []
        let sealed = unposted.keys.filter { $0 > number }.sorted().compactMap { unposted[$0]?.block }
        var blocks: [(number: UInt64, transactions: [ExecutedTransaction], items: [BlockItem])] =
            sealed.map { ($0.number, $0.transactions, $0.items) }
        if let o = open { blocks.append((o.number, o.executed, o.items)) }
        for b in blocks {
            let sequencedHashes = Set(b.items.compactMap { if case let .sequenced(tx) = $0 { tx.hash } else { nil } })
            for (i, e) in b.transactions.enumerated() {
                result.append(AbandonedTransaction(executed: e, promised: ChainPosition(blockNumber: b.number, index: i),
                                                   sequenced: sequencedHashes.contains(e.transaction.hash)))
            }
        }
        return result
    }
}
