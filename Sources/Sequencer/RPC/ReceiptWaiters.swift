import Dispatch
import Primitives
import Rollup
import Synchronization

/// Clients waiting for a transaction's receipt (`eth_sendRawTransactionSync`):
/// each is answered once, when the block holding its transaction is sealed
/// and durable, or when its time is up, whichever comes first.
final class ReceiptWaiters: Sendable {
    private final class Waiter: Sendable {
        let done = Mutex(false)
        let body: @Sendable (Bool) -> Void
        init(_ body: @escaping @Sendable (Bool) -> Void) { self.body = body }

        func finish(_ found: Bool) {
            guard done.withLock({ d in defer { d = true }; return !d }) else { return }
            body(found)
        }
    }

    // Waiters by transaction hash; an entry leaves when its block is sealed or it times out.
    private let waiting = Mutex<[Hash32: [Waiter]]>([:])

    /// Calls `body(true)` once `hash` is in a sealed block, or `body(false)` after `timeout`.
    func wait(for hash: Hash32, timeout: Duration, store: ChainStore, body: @escaping @Sendable (Bool) -> Void) {
        let waiter = Waiter(body)
        waiting.withLock { $0[hash, default: []].append(waiter) }
        if store.transaction(hash)?.blockHash != nil {
            remove(hash)
            return waiter.finish(true)
        }
        let nanos = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanos))) { [weak self] in
            self?.waiting.withLock { w in
                w[hash]?.removeAll { $0 === waiter }
                if w[hash]?.isEmpty == true { w[hash] = nil }
            }
            waiter.finish(false)
        }
    }

    /// A block is sealed and durable: answers everyone waiting for one of its transactions.
    func sealed(_ block: L2Block) {
        let due: [Waiter] = waiting.withLock { w in
            guard !w.isEmpty else { return [] }
            return block.transactions.flatMap { w.removeValue(forKey: $0.transaction.hash) ?? [] }
        }
        for waiter in due { waiter.finish(true) }
    }

    private func remove(_ hash: Hash32) {
        waiting.withLock { _ = $0.removeValue(forKey: hash) }
    }
}
