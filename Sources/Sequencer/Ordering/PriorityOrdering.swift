import Primitives

/// `priority`: within a block window, the highest effective tip
/// (min(maxPriorityFee, maxFee − baseFee)) goes first, ties by arrival; a
/// sender's later nonces wait behind its earlier ones whatever they pay.
/// Pre-confirmations are given when the block is sealed.
public struct PriorityOrdering: OrderingPolicy {
    public init() {}
    public var name: String { "priority" }
    public var placesOnArrival: Bool { false }

    public func order(_ window: [WindowEntry], seed: Hash32, baseFee: UInt256) -> [WindowEntry] {
        var queues: [Address: ArraySlice<WindowEntry>] = [:]
        for e in window.sorted(by: { $0.arrival < $1.arrival }) { queues[e.sender, default: []].append(e) }
        func tip(_ e: WindowEntry) -> UInt256 { e.transaction.transaction.effectiveTip(baseFee: baseFee) ?? .zero }
        func before(_ a: WindowEntry, _ b: WindowEntry) -> Bool {
            let ta = tip(a), tb = tip(b)
            return ta != tb ? ta > tb : a.arrival < b.arrival
        }
        var out: [WindowEntry] = []
        out.reserveCapacity(window.count)
        while true {
            var best: WindowEntry?
            for (_, q) in queues {
                guard let head = q.first else { continue }
                if best.map({ before(head, $0) }) ?? true { best = head }
            }
            guard let chosen = best else { break }
            out.append(chosen)
            queues[chosen.sender]?.removeFirst()
        }
        return out
    }
}
