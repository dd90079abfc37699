import Ethereum
import Primitives

/// Transactions accepted but not yet given a place: those whose nonce is
/// ahead of their sender's next nonce. Bounded per sender and in total; a
/// waiting transaction is replaced only by one paying at least 10% more.
/// Owned by the sequencer thread.
public struct Mempool: Sendable {
    public struct Limits: Sendable, Equatable {
        public var perSender: Int
        public var total: Int
        /// Percent by which a replacement must raise both fee fields.
        public var replacementBumpPercent: Int

        public init(perSender: Int = 64, total: Int = 8192, replacementBumpPercent: Int = 10) {
            self.perSender = perSender
            self.total = total
            self.replacementBumpPercent = replacementBumpPercent
        }
    }

    public struct Entry: Sendable, Hashable {
        public let transaction: SignedTransaction
        public let sender: Address
        /// Arrival order at the sequencer, for policies that order by it.
        public var arrival: UInt64 = 0
    }

    public let limits: Limits
    private var bySender: [Address: [UInt64: Entry]] = [:]
    private var byHash: [Hash32: Address] = [:]

    public init(limits: Limits = Limits()) { self.limits = limits }

    public var count: Int { byHash.count }

    public func contains(_ hash: Hash32) -> Bool { byHash[hash] != nil }

    /// Adds `tx`, returning the entry it replaced, if any.
    public mutating func insert(_ tx: SignedTransaction, sender: Address, arrival: UInt64 = 0) throws(MempoolRejection) -> Entry? {
        if byHash[tx.hash] != nil { throw .alreadyKnown }
        let nonce = tx.transaction.nonce
        var queue = bySender[sender] ?? [:]
        let old = queue[nonce]
        if let old {
            guard Self.bumps(tx.transaction, over: old.transaction.transaction, percent: limits.replacementBumpPercent) else {
                throw .replacementUnderpriced(bumpPercent: limits.replacementBumpPercent)
            }
            byHash[old.transaction.hash] = nil
        } else {
            if queue.count >= limits.perSender { throw .senderQueueFull(limit: limits.perSender) }
            if byHash.count >= limits.total { throw .poolFull(limit: limits.total) }
        }
        queue[nonce] = Entry(transaction: tx, sender: sender, arrival: arrival)
        bySender[sender] = queue
        byHash[tx.hash] = sender
        return old
    }

    /// The entry of `sender` with `nonce`, left in place.
    public func entries(of sender: Address, nonce: UInt64) -> Entry? {
        bySender[sender]?[nonce]
    }

    /// Removes and returns the entry of `sender` with `nonce`.
    public mutating func take(sender: Address, nonce: UInt64) -> Entry? {
        guard var queue = bySender[sender], let entry = queue.removeValue(forKey: nonce) else { return nil }
        bySender[sender] = queue.isEmpty ? nil : queue
        byHash[entry.transaction.hash] = nil
        return entry
    }

    /// Removes the entry with `hash`.
    @discardableResult
    public mutating func remove(hash: Hash32) -> Entry? {
        guard let sender = byHash[hash], let queue = bySender[sender],
              let nonce = queue.first(where: { $0.value.transaction.hash == hash })?.key else { return nil }
        return take(sender: sender, nonce: nonce)
    }

    /// Removes every entry of `sender` with a nonce below `nonce` (made stale by the chain).
    public mutating func removeStale(sender: Address, below nonce: UInt64) -> [Entry] {
        guard let queue = bySender[sender] else { return [] }
        let stale = queue.values.filter { $0.transaction.transaction.nonce < nonce }
        for e in stale { _ = take(sender: sender, nonce: e.transaction.transaction.nonce) }
        return stale
    }

    /// The sender's next nonce counting waiting transactions that follow `chainNonce` without a gap.
    public func pendingNonce(sender: Address, chainNonce: UInt64) -> UInt64 {
        guard let queue = bySender[sender] else { return chainNonce }
        var n = chainNonce
        while queue[n] != nil { n += 1 }
        return n
    }

    /// For each sender, the entries that can run now: those following the
    /// sender's chain nonce without a gap, stopping at the first that `skip` rejects.
    public func readyEntries(chainNonce: (Address) -> UInt64, skip: (Entry) -> Bool) -> [Entry] {
        var ready: [Entry] = []
        for (sender, queue) in bySender {
            var n = chainNonce(sender)
            while let e = queue[n], !skip(e) {
                ready.append(e)
                n += 1
            }
        }
        return ready
    }

    /// Every waiting entry, by sender then nonce.
    public var entries: [Entry] {
        bySender.keys.sorted().flatMap { s in bySender[s]!.keys.sorted().map { bySender[s]![$0]! } }
    }

    static func bumps(_ new: Transaction, over old: Transaction, percent: Int) -> Bool {
        let factor = UInt256(UInt64(100 + percent)), hundred = UInt256(100)
        func enough(_ n: UInt256, _ o: UInt256) -> Bool {
            let (need, overflow) = o.multipliedReportingOverflow(by: factor)
            return !overflow && n * hundred >= need
        }
        return enough(new.maxFeePerGas, old.maxFeePerGas) && enough(new.maxPriorityFeePerGas, old.maxPriorityFeePerGas)
    }
}

/// Why the queue of waiting transactions refused one.
public enum MempoolRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyKnown
    case replaced(by: Hash32)
    case replacementUnderpriced(bumpPercent: Int)
    case senderQueueFull(limit: Int)
    case poolFull(limit: Int)

    public var description: String {
        switch self {
        case .alreadyKnown: "already known"
        case let .replaced(by): "replaced by transaction \(by) paying a higher fee"
        case let .replacementUnderpriced(p): "replacement transaction underpriced: raise maxFeePerGas and maxPriorityFeePerGas by at least \(p)%"
        case let .senderQueueFull(limit): "too many queued transactions for this sender: limit \(limit) waiting on a nonce gap"
        case let .poolFull(limit): "txpool is full: limit \(limit) queued transactions"
        }
    }
}
