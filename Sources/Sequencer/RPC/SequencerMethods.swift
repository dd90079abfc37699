import Ethereum
import HTTP
import JSON
import JSONRPC
import Primitives
import Rollup

/// The `seq_` methods: submission with a pre-confirmation, the promise of a
/// placed transaction, and the sequencer's status.
struct SequencerMethods: Sendable {
    let store: ChainStore
    let runtime: SequencerRuntime
    let admission: Admission
    let signer: PreConfirmationSigner
    let startedAt: UInt64
    /// The L1's URL, for the force command `seq_getTransactionStatus` suggests (omitted when nil).
    var l1URL: String? = nil

    func register(into router: inout JSONRPCRouter) {
        let store = store, signer = signer
        router.registerDeferred("seq_sendRawTransaction") { call, respond in
            try admission.submit(call.params, respond: respond, loop: call.context.metadata as? EventLoop) { hash, promise in
                guard let promise else {
                    var w = JSONWriter(capacity: 160)
                    w.writeObject { w in
                        EthereumJSON.member("txHash", hash, &w)
                        EthereumJSON.member("status", "queued", &w)
                        EthereumJSON.member("reason", "nonce gap: waiting for earlier nonces of the sender", &w)
                    }
                    return .raw(w.bytes)
                }
                return .raw(Self.json(promise))
            }
        }
        router.registerDeferred("seq_getPreconfirmation") { call, respond in
            let hash = try RPCHex.hash(call.params, 0)
            if let p = store.preconfirmation(hash) { return respond(.raw(Self.json(p))) }
            guard let record = store.transaction(hash) else { return respond(.success(.null)) }
            let loop = call.context.metadata as? EventLoop
            runtime.whenAppendedRecordsAreDurable { durable in
                guard durable else { return respond.fail(SubmissionRejection.unavailable(reason: "write-ahead log failed")) }
                let finish: @Sendable () -> Void = {
                    let p = signer.preconfirmation(for: record)
                    store.store(p)
                    respond(.raw(Self.json(p)))
                }
                if let loop { loop.execute(finish) } else { finish() }
            }
        }
        let l1URL = l1URL
        router.registerDeferred("seq_getTransactionStatus") { call, respond in
            let hash = try RPCHex.hash(call.params, 0)
            let controls = runtime.controls
            let status = TransactionStatus(facts: store.transactionFacts(hash), censored: Set(controls.censored),
                                           placesOnArrival: OrderingPolicies.named(controls.policy)?.placesOnArrival ?? true,
                                           l1URL: l1URL)
            guard status.preconfirmation == nil, let position = status.position, let timestamp = status.blockTimestamp else {
                return respond(.raw(TransactionStatusJSON.write(status, promise: status.preconfirmation)))
            }
            let loop = call.context.metadata as? EventLoop
            runtime.whenAppendedRecordsAreDurable { durable in
                let finish: @Sendable () -> Void = {
                    let promise = durable ? signer.sign(hash: hash, position: position, timestamp: timestamp) : nil
                    if let promise { store.store(promise) }
                    respond(.raw(TransactionStatusJSON.write(status, promise: promise)))
                }
                if let loop { loop.execute(finish) } else { finish() }
            }
        }
        router.register("seq_status") { _ in
            var w = JSONWriter(capacity: 512)
            w.writeObject { w in
                EthereumJSON.member("chainId", runtime.chain.chainID, &w)
                EthereumJSON.member("sequencer", signer.address, &w)
                let controls = runtime.controls
                EthereumJSON.member("policy", controls.censored.isEmpty ? controls.policy : "censor(\(controls.policy))", &w)
                w.writeKey("paused"); w.writeBool(controls.paused)
                EthereumJSON.member("blockNumber", store.headNumber, &w)
                EthereumJSON.member("safeBlockNumber", store.safeNumber, &w)
                EthereumJSON.member("finalizedBlockNumber", store.finalizedNumber, &w)
                EthereumJSON.member("baseFeePerGas", store.baseFee, &w)
                if let open = store.openBlockTransactions {
                    w.writeKey("openBlock")
                    w.writeObject { w in
                        EthereumJSON.member("number", open.number, &w)
                        EthereumJSON.member("transactions", UInt64(open.records.count), &w)
                    }
                } else {
                    w.writeKey("openBlock"); w.writeNull()
                }
                EthereumJSON.member("queuedTransactions", UInt64(store.queuedCount), &w)
                EthereumJSON.member("brokenPreconfirmations", UInt64(store.brokenPreconfirmationCount), &w)
                EthereumJSON.member("recoveredLogRecords", UInt64(runtime.recoveredRecords), &w)
                EthereumJSON.member("startedAt", startedAt, &w)
            }
            return .raw(w.bytes)
        }
    }

    /// `{txHash, blockNumber, index, timestamp, chainId, sequencer, signature}`.
    static func json(_ p: PreConfirmation) -> [UInt8] {
        var w = JSONWriter(capacity: 400)
        w.writeObject { w in
            EthereumJSON.member("txHash", p.transactionHash, &w)
            EthereumJSON.member("blockNumber", p.position.blockNumber, &w)
            EthereumJSON.member("index", UInt64(p.position.index), &w)
            EthereumJSON.member("timestamp", p.timestamp, &w)
            EthereumJSON.member("chainId", p.chainID, &w)
            EthereumJSON.member("sequencer", p.sequencer, &w)
            w.writeKey("signature"); w.writeHexBytes(p.signature)
        }
        return w.bytes
    }
}
