import Dispatch
import Ethereum
import HTTP
import JSON
import JSONRPC
import Primitives
import Rollup
import Secp256k1

/// The cheap, parallel part of accepting a transaction, run on the I/O
/// thread that received it: hex decoding, strict transaction decoding,
/// sender recovery and stateless checks. Only what passes crosses to the
/// sequencer thread. Signing a pre-confirmation also happens back on an I/O
/// thread, never on the log's flusher.
struct Admission: Sendable {
    let runtime: SequencerRuntime
    let store: ChainStore
    let signer: PreConfirmationSigner
    let metrics: NodeMetrics

    /// What became of a submitted transaction, for methods that answer differently per case.
    enum Outcome: Sendable {
        /// Placed (or already placed earlier); the promise when the signer signs.
        case placed(Hash32, PreConfirmation?)
        /// Accepted but waiting: an earlier nonce is missing (`expectedNonce` is the sender's next).
        case waitingForNonce(Hash32, expectedNonce: UInt64)
        /// Accepted, placed when the ordering window closes or the censor list releases it.
        case waitingForWindow(Hash32)
        case rejected(any Error)
    }

    /// Decodes parameter 0 and submits it; `result` turns the outcome into the method's answer.
    func submit(_ params: JSONRPCParams, respond: JSONRPCResponder, loop: EventLoop? = nil,
                result: @escaping @Sendable (Hash32, PreConfirmation?) -> JSONRPCResult) throws {
        let needsPromise = signer.wantsSignature
        let (tx, sender, arrived) = try decode(params)
        submit(tx, sender: sender, arrived: arrived, loop: loop) { outcome in
            switch outcome {
            case let .placed(hash, p): respond(result(hash, p))
            case let .waitingForNonce(hash, _): respond(result(hash, nil))
            case let .waitingForWindow(hash): if !needsPromise { respond(result(hash, nil)) }
            case let .rejected(error): respond.fail(error)
            }
        }
    }

    /// The cheap checks of parameter 0: hex, strict decoding, sender recovery, stateless rules.
    func decode(_ params: JSONRPCParams) throws -> (SignedTransaction, Address, arrived: UInt64) {
        let arrived = DispatchTime.now().uptimeNanoseconds
        guard let hex = params[0]?.stringValue else { throw JSONRPCError.invalidParams("invalid argument 0: expected raw transaction hex") }
        let raw: [UInt8]
        do {
            raw = try decodeHex(hex)
        } catch {
            metrics.countRejection(error is SubmissionRejection ? "oversized" : "malformed")
            throw error
        }
        let tx: SignedTransaction
        let sender: Address
        do {
            tx = try SignedTransaction.decode(raw)
            sender = try tx.recoverSender()
        } catch {
            metrics.record(.rejected(.malformed(error)))
            throw SubmissionRejection.malformed(error)
        }
        try checkStateless(tx)
        return (tx, sender, arrived)
    }

    func checkStateless(_ tx: SignedTransaction) throws {
        do {
            try StateTransition.checkStateless(tx, configuration: runtime.chain)
        } catch {
            metrics.record(.rejected(.invalid(error)))
            store.recordRejection(tx.hash, reason: error.message)
            throw SubmissionRejection.invalid(error)
        }
    }

    /// Hands a decoded transaction to the sequencer; `outcome` runs once (twice at most for a
    /// transaction that waits and is placed later: `waitingFor…` then `placed`), on any thread.
    func submit(_ tx: SignedTransaction, sender: Address, arrived: UInt64, loop: EventLoop? = nil,
                outcome: @escaping @Sendable (Outcome) -> Void) {
        let needsPromise = signer.wantsSignature
        let store = store, signer = signer, metrics = metrics
        if let record = store.transaction(tx.hash) {
            runtime.whenAppendedRecordsAreDurable { durable in
                guard durable else { return outcome(.rejected(SubmissionRejection.unavailable(reason: "write-ahead log failed"))) }
                let finish: @Sendable () -> Void = {
                    outcome(.placed(tx.hash, needsPromise ? signer.preconfirmation(for: record) : nil))
                }
                if needsPromise, let loop { loop.execute(finish) } else { finish() }
            }
            return
        }
        runtime.submit(tx, sender: sender) { result in
            metrics.record(result)
            if case .sequenced = result {
                metrics.preconfirmationLatency.observe(nanoseconds: DispatchTime.now().uptimeNanoseconds - arrived)
            }
            switch result {
            case let .sequenced(position, timestamp):
                let finish: @Sendable () -> Void = {
                    let p = needsPromise ? signer.sign(hash: tx.hash, position: position, timestamp: timestamp) : nil
                    if let p { store.store(p) }
                    outcome(.placed(tx.hash, p))
                }
                if needsPromise, let loop { loop.execute(finish) } else { finish() }
            case .queued(.nonceGap):
                outcome(.waitingForNonce(tx.hash, expectedNonce: store.pendingNonce(sender)))
            case .queued(.awaitingSeal):
                outcome(.waitingForWindow(tx.hash))
            case let .rejected(reason):
                outcome(.rejected(reason))
            }
        }
    }

    private func decodeHex(_ s: String) throws -> [UInt8] {
        guard s.utf8.count <= 2 * runtime.chain.maxTransactionBytes + 2 else {
            throw SubmissionRejection.invalid(.oversized(bytes: (s.utf8.count - 2) / 2, limit: runtime.chain.maxTransactionBytes))
        }
        guard s.hasPrefix("0x") || s.hasPrefix("0X"), let raw = Hex.decode(s), !raw.isEmpty else {
            throw JSONRPCError.invalidParams("invalid argument 0: raw transaction must be 0x-prefixed hex")
        }
        return raw
    }
}

/// Signs pre-confirmations with the sequencer's key.
struct PreConfirmationSigner: Sendable {
    let key: Secp256k1.PrivateKey
    let address: Address
    let chainID: UInt64
    /// False for plain `eth_sendRawTransaction`, which answers with the hash only.
    var wantsSignature = true

    func sign(hash: Hash32, position: ChainPosition, timestamp: UInt64) -> PreConfirmation {
        PreConfirmation.sign(chainID: chainID, transactionHash: hash, position: position, timestamp: timestamp,
                             key: key, sequencer: address)
    }

    func preconfirmation(for record: TransactionRecord) -> PreConfirmation {
        sign(hash: record.executed.transaction.hash, position: record.position, timestamp: record.timestamp)
    }
}
