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
        var adoptedHashes: Set<Hash32> = []
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
                    adoptedHashes.insert(tx.hash)
                    actions.append(.log(.sequenced(raw: tx.raw, sender: sender), reply: nil))
                    let o = open!
                    actions.append(.sequenced(o.executed.last!, ChainPosition(blockNumber: o.number, index: o.executed.count - 1),
                                              timestamp: o.timestamp))
                case let .dev(op):
                    actions += try! restoreDev(op)
                }
            }
            seal(into: &actions)
        }

        for sender in Set(canonical.flatMap { $0.transactions.map(\.sender) }) { dropOutdated(of: sender, into: &actions) }
        var broken: [BrokenPreConfirmation] = []
        var replayed = 0
        for (executed, promised) in abandoned where !adoptedHashes.contains(executed.transaction.hash) {
            let tx = executed.transaction
            let before = actions.count
            do {
                try sequence(tx, sender: executed.sender, ticket: nil, nowMillis: nowMillis, into: &actions)
                replayed += 1
                let o = open!
                let now = ChainPosition(blockNumber: o.number, index: o.executed.count - 1)
                if now != promised { broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: promised, fate: .moved(to: now))) }
                if sealsEachTransaction { seal(into: &actions) }
            } catch {
                actions.removeSubrange(before...)
                if case .nonceTooHigh = error, (try? restoreInsertIntoMempool(tx, sender: executed.sender)) != nil {
                    actions.append(.log(.queued(raw: tx.raw, sender: executed.sender), reply: nil))
                    actions.append(.queued(Mempool.Entry(transaction: tx, sender: executed.sender, arrival: arrivals)))
                    broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: promised, fate: .requeued))
                } else {
                    broken.append(BrokenPreConfirmation(transactionHash: tx.hash, promised: promised, fate: .dropped(reason: error.message)))
                }
            }
        }
        seal(into: &actions)
        actions += broken.map { .preconfirmationBroken($0) }
        return .success(Reconciliation(actions: actions, broken: broken, adoptedBlocks: canonical.count, replayedTransactions: replayed))
    }

    /// Returns to sealed block `number` (from a `rewound` log record), abandoning the blocks above it and the open block.
    mutating func rewind(to number: UInt64) throws(RecoveryError) -> [Action] {
        guard unposted[number] != nil, number <= head.number else { throw .cannotRewind(toBlock: number) }
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

    /// The sequenced transactions above block `number`, open block included, with the places they were promised.
    private func abandonedTransactions(above number: UInt64) -> [(ExecutedTransaction, ChainPosition)] {
        var result: [(ExecutedTransaction, ChainPosition)] = []
        let sealed = unposted.keys.filter { $0 > number }.sorted().compactMap { unposted[$0]?.block }
        var blocks: [(number: UInt64, transactions: [ExecutedTransaction], items: [BlockItem])] =
            sealed.map { ($0.number, $0.transactions, $0.items) }
        if let o = open { blocks.append((o.number, o.executed, o.items)) }
        for b in blocks {
            let sequencedHashes = Set(b.items.compactMap { if case let .sequenced(tx) = $0 { tx.hash } else { nil } })
            for (i, e) in b.transactions.enumerated() where sequencedHashes.contains(e.transaction.hash) {
                result.append((e, ChainPosition(blockNumber: b.number, index: i)))
            }
        }
        return result
    }
}
