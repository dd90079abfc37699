import Ethereum
import JSON
import JSONRPC
import Primitives
import Synchronization

/// `eth_sendRawTransactionSync` (EIP-7966): submits and answers with the
/// receipt once the transaction's block is sealed, or with error 4 after the
/// timeout (the hash in `data`), or error 5 when it waits behind a nonce gap
/// (with the expected nonce in `data`).
struct SyncSubmission: Sendable {
    let store: ChainStore
    let admission: Admission
    let waiters: ReceiptWaiters
    /// Used when the client gives no timeout or an invalid one.
    static let defaultTimeoutMillis: UInt64 = 2_000
    /// The longest a client may ask to wait.
    static let maxTimeoutMillis: UInt64 = 60_000

    func register(into router: inout JSONRPCRouter) {
        let store = store, admission = admission, waiters = waiters
        router.registerDeferred("eth_sendRawTransactionSync") { call, respond in
            let (tx, sender, arrived) = try admission.decode(call.params)
            let millis = Self.timeout(call.params[1])
            let answered = Mutex(false)
            admission.submit(tx, sender: sender, arrived: arrived) { outcome in
                func once() -> Bool { answered.withLock { a in defer { a = true }; return !a } }
                switch outcome {
                case let .placed(hash, _), let .waitingForWindow(hash):
                    guard once() else { return }
                    waiters.wait(for: hash, timeout: .milliseconds(Int64(millis)), store: store) { found in
                        guard found, let record = store.transaction(hash), let blockHash = record.blockHash else {
                            return respond(.failure(JSONRPCError(code: 4, message: "the transaction was accepted but its block was not sealed within \(millis) ms",
                                                                 data: .string(hash.description))))
                        }
                        var w = JSONWriter(capacity: 1024)
                        EthereumJSON.receipt(record, blockHash: blockHash, confirmation: store.confirmation(of: record.position.blockNumber), to: &w)
                        respond(.raw(w.bytes))
                    }
                case let .waitingForNonce(hash, expected):
                    guard once() else { return }
                    respond(.failure(JSONRPCError(
                        code: 5, message: "the transaction is waiting in the queue: nonce \(tx.transaction.nonce) leaves a gap, the sender's next nonce is \(expected)",
                        data: .object([("transactionHash", .string(hash.description)),
                                       ("expectedNonce", .string("0x" + String(expected, radix: 16)))]))))
                case let .rejected(error):
                    guard once() else { return }
                    respond.fail(error)
                }
            }
        }
    }

    /// The client's timeout in milliseconds, or the default when absent or invalid.
    static func timeout(_ value: JSONValue?) -> UInt64 {
        let n: UInt64? = value?.uint64Value ?? value?.stringValue.flatMap { RPCHex.quantity($0) }
        guard let n, n > 0, n <= maxTimeoutMillis else { return defaultTimeoutMillis }
        return n
    }
}
