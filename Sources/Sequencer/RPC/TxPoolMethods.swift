import Ethereum
import JSON
import JSONRPC
import Primitives

/// geth's `txpool_*` views of the transactions waiting in the queue:
/// `pending` are those whose earlier nonces are all placed (waiting for the
/// ordering window or withheld), `queued` those behind a nonce gap.
/// Transactions already pre-confirmed are in the open block, not in the pool.
struct TxPoolMethods: Sendable {
    let store: ChainStore

    func register(into router: inout JSONRPCRouter) {
        let store = store
        router.register("txpool_status") { _ in
            let (pending, queued) = Self.split(store)
            return .success(.object([("pending", .string("0x" + String(pending.count, radix: 16))),
                                     ("queued", .string("0x" + String(queued.count, radix: 16)))]))
        }
        router.register("txpool_content") { _ in
            let (pending, queued) = Self.split(store)
            var w = JSONWriter(capacity: 1024)
            w.writeObject { w in
                w.writeKey("pending"); Self.write(pending, &w) { e, w in Self.transaction(e, &w) }
                w.writeKey("queued"); Self.write(queued, &w) { e, w in Self.transaction(e, &w) }
            }
            return .raw(w.bytes)
        }
        router.register("txpool_inspect") { _ in
            let (pending, queued) = Self.split(store)
            var w = JSONWriter(capacity: 1024)
            let summary: (Mempool.Entry, inout JSONWriter) -> Void = { e, w in
                let t = e.transaction.transaction
                w.writeString("\(t.to?.checksummed ?? "contract creation"): \(t.value) wei + \(t.gasLimit) gas × \(t.maxFeePerGas) wei")
            }
            w.writeObject { w in
                w.writeKey("pending"); Self.write(pending, &w, summary)
                w.writeKey("queued"); Self.write(queued, &w, summary)
            }
            return .raw(w.bytes)
        }
    }

    /// Waiting entries split into pending (contiguous from the sender's next nonce) and queued (behind a gap).
    static func split(_ store: ChainStore) -> (pending: [Mempool.Entry], queued: [Mempool.Entry]) {
        var pending: [Mempool.Entry] = [], queued: [Mempool.Entry] = []
        var next: [Address: UInt64] = [:]
        for e in store.queuedEntries {
            let n = next[e.sender] ?? { let v = store.pendingNonce(e.sender); next[e.sender] = v; return v }()
            if e.transaction.transaction.nonce < n { pending.append(e) } else { queued.append(e) }
        }
        return (pending, queued)
    }

    /// `{sender: {nonce: value}}`, senders and nonces in order.
    static func write(_ entries: [Mempool.Entry], _ w: inout JSONWriter, _ value: (Mempool.Entry, inout JSONWriter) -> Void) {
        let bySender = Dictionary(grouping: entries, by: \.sender)
        w.writeObject { w in
            for sender in bySender.keys.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                w.writeKey(sender.checksummed)
                w.writeObject { w in
                    for e in bySender[sender]!.sorted(by: { $0.transaction.transaction.nonce < $1.transaction.transaction.nonce }) {
                        w.writeKey(String(e.transaction.transaction.nonce))
                        value(e, &w)
                    }
                }
            }
        }
    }

    static func transaction(_ e: Mempool.Entry, _ w: inout JSONWriter) {
        EthereumJSON.transaction(e.transaction, sender: e.sender, blockHash: nil, blockNumber: nil, index: nil,
                                 effectiveGasPrice: nil, to: &w)
    }
}
