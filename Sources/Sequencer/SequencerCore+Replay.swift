import Ethereum
import Primitives
import Rollup

/// Why the write-ahead log could not be replayed: the log and the rules disagree.
public enum RecoveryError: Error, Equatable, Sendable, CustomStringConvertible {
    case undecodableRecord(index: Int)
    case transactionNoLongerValid(index: Int, hash: Hash32, reason: String)
    case sequencedWithoutOpenBlock(index: Int)
    case blockMismatch(number: UInt64, logged: Hash32, rebuilt: Hash32)
    case cannotRewind(toBlock: UInt64)
    case unknownSnapshot(id: UInt64, index: Int)

    public var description: String {
        switch self {
        case let .undecodableRecord(i): "log record \(i) cannot be decoded"
        case let .transactionNoLongerValid(i, h, r): "log record \(i): transaction \(h) no longer applies: \(r)"
        case let .sequencedWithoutOpenBlock(i): "log record \(i): a sequenced transaction with no open block"
        case let .blockMismatch(n, logged, rebuilt): "block \(n): the log says \(logged), replay built \(rebuilt)"
        case let .cannotRewind(n): "a rewind to block \(n), which replay does not hold"
        case let .unknownSnapshot(id, i): "log record \(i): a revert to snapshot \(id), which replay does not hold"
        }
    }
}

extension SequencerCore {
    /// Re-applies one record of the write-ahead log, written by an earlier
    /// run, returning the same publication actions (`sequenced`, `sealed`,
    /// `queued`, `dropped`) that run produced, but no log writes or replies.
    public mutating func replay(_ record: LogRecord, index: Int, nowMillis: UInt64) throws(RecoveryError) -> [Action] {
        var actions: [Action] = []
        switch record {
        case let .blockOpened(number, timestamp, l1Origin):
            if open != nil { _ = sealNow() }
            restoreOpenBlock(number: number, timestamp: timestamp, l1Origin: l1Origin, nowMillis: nowMillis)
        case let .sequenced(raw, sender):
            guard open != nil else { throw .sequencedWithoutOpenBlock(index: index) }
            guard let tx = try? SignedTransaction.decode(raw) else { throw .undecodableRecord(index: index) }
            _ = restoreRemoveFromMempool(sender: sender, nonce: tx.transaction.nonce)
            do {
                try restoreApply(tx, sender: sender)
            } catch {
                throw .transactionNoLongerValid(index: index, hash: tx.hash, reason: error.message)
            }
            let o = open!
            let position = ChainPosition(blockNumber: o.number, index: o.executed.count - 1)
            actions.append(.sequenced(o.executed.last!, position, timestamp: o.timestamp))
            if !orphans.isEmpty { settleOrphan(tx.hash, at: position) }
        case let .blockSealed(number, hash):
            let sealed = sealNow()
            for case let .sealed(block) in sealed where block.number == number && block.hash != hash {
                throw .blockMismatch(number: number, logged: hash, rebuilt: block.hash)
            }
            actions += sealed.filter { if case .sealed = $0 { true } else { false } }
        case let .queued(raw, sender):
            guard let tx = try? SignedTransaction.decode(raw) else { throw .undecodableRecord(index: index) }
            if (try? restoreInsertIntoMempool(tx, sender: sender)) != nil {
                actions.append(.queued(Mempool.Entry(transaction: tx, sender: sender)))
            }
            if !orphans.isEmpty { settleOrphan(tx.hash, at: nil) }
        case let .forced(bytes):
            guard let item = ForcedItem(encoded: bytes) else { throw .undecodableRecord(index: index) }
            guard open != nil else { throw .sequencedWithoutOpenBlock(index: index) }
            let forced = restoreForced(item)
            actions += forced
            if !orphans.isEmpty {
                for case let .sequenced(e, position, _) in forced { settleOrphan(e.transaction.hash, at: position) }
            }
        case let .rewound(number):
            actions += try rewind(to: number)
        case let .dev(bytes):
            guard let op = DevOperation(encoded: bytes) else { throw .undecodableRecord(index: index) }
            guard open != nil else { throw .sequencedWithoutOpenBlock(index: index) }
            do {
                actions += try restoreDev(op)
            } catch {
                throw .transactionNoLongerValid(index: index, hash: .zero, reason: error.message)
            }
        case let .snapshot(id):
            actions += takeSnapshot(id: id).filter { if case .log = $0 { false } else { true } }
        case let .revert(id):
            guard let reverted = revert(toSnapshot: id) else { throw .unknownSnapshot(id: id, index: index) }
            actions += reverted.filter { if case .log = $0 { false } else { true } }
        case let .dropped(hash):
            if restoreRemoveFromMempool(hash: hash) { actions.append(.dropped(hash, reason: "dropped before restart")) }
        }
        return actions
    }
}
