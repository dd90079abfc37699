import CLI
import Ethereum
import L1
import Primitives
import Rollup
import Sequencer

extension WalletCommand {
    /// What to transfer, before nonce and fees are known.
    struct Transfer {
        let to: Address
        let value: UInt256
        let data: [UInt8]
    }

    static func send(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        _ = try positionals(args, max: 0)
        guard let to = try WalletOptions.address(args, "to") else { throw CommandLineError.missingArgument("--to ADDR") }
        return try sendThroughSequencer(o, Transfer(to: to, value: try WalletOptions.amount(args), data: try WalletOptions.data(args)))
    }

    static func force(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        _ = try positionals(args, max: 0)
        if let text = args.string("raw") { return try enqueueSigned(o, rawHex: text) }
        guard let to = try WalletOptions.address(args, "to") else { throw CommandLineError.missingArgument("--to ADDR") }
        return try enqueueOnL1(o, Transfer(to: to, value: try WalletOptions.amount(args), data: try WalletOptions.data(args)))
    }

    static func withdraw(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        _ = try positionals(args, max: 0)
        let recipient = try WalletOptions.address(args, "to")
        let transfer = Transfer(to: ChainConfiguration.withdrawalAddress, value: try WalletOptions.amount(args), data: recipient?.bytes ?? [])
        return args.bool("force") ? try enqueueOnL1(o, transfer) : try sendThroughSequencer(o, transfer)
    }

    /// Signs `t` with the sequencer's nonce and fees, submits it with
    /// `seq_sendRawTransaction` and verifies the pre-confirmation it returns.
    static func sendThroughSequencer(_ o: WalletOptions, _ t: Transfer) throws -> Int32 {
        guard let chainID = try o.node.quantity("eth_chainId").uint64 else { throw CommandFailure("eth_chainId: out of range") }
        let nonce = try o.node.pendingNonce(of: o.address)
        let tip = try o.node.quantity("eth_maxPriorityFeePerGas")
        let price = try o.node.quantity("eth_gasPrice")
        let tx = try TransactionTemplate(chainID: chainID, nonce: nonce, to: t.to, value: t.value, data: t.data,
                                         maxFeePerGas: price + price + tip, maxPriorityFeePerGas: tip).signed(with: o.key)
        let answer = try o.node.call("seq_sendRawTransaction", [.string(Hex.encode(tx.raw))])
        var out = JSONValueBuilder()
        out.set("txHash", tx.hash); out.set("from", o.address); out.set("to", t.to); out.set("value", wei: t.value); out.set("nonce", nonce)
        guard answer["signature"] != nil else {
            out.set("preconfirmation", answer)
            o.emit(out, "Sent \(tx.hash) (nonce \(nonce)); no pre-confirmation yet: \(answer["status"]?.stringValue ?? "?") (\(answer["reason"]?.stringValue ?? ""))")
            return 0
        }
        let promise = try PreConfirmationCheck.parse(answer)
        let signer = promise.recoverSigner()
        let announced = try? o.node.sequencerAddress()
        let valid = signer != nil && signer == promise.sequencer && promise.transactionHash == tx.hash
            && promise.chainID == chainID && (announced.map { $0 == promise.sequencer } ?? true)
        out.set("preconfirmation", answer)
        out.set("preconfirmationValid", valid)
        if let signer { out.set("recoveredSigner", signer) }
        if let announced { out.set("statusSequencer", announced) }
        let recovered = signer?.checksummed ?? "nothing"
        o.emit(out, """
            Sent \(tx.hash) (nonce \(nonce), \(WeiAmount.ether(t.value)) ETH to \(t.to.checksummed)).
            Pre-confirmed at L2 \(promise.position), timestamp \(promise.timestamp), signed by \(promise.sequencer.checksummed).
            Signature \(valid ? "verified" : "INVALID"): recovers to \(recovered)\(announced.map { "; seq_status sequencer \($0.checksummed)" } ?? "; seq_status unavailable").
            """)
        return valid ? 0 : 3
    }

    /// Puts an already signed transaction in the L1 forced-inclusion queue, byte for byte.
    static func enqueueSigned(_ o: WalletOptions, rawHex: String) throws -> Int32 {
        guard let raw = Hex.decode(rawHex), !raw.isEmpty else { throw CommandLineError.invalidValue(flag: "raw", value: rawHex, expected: "0x-prefixed hex bytes") }
        let tx: SignedTransaction
        do { tx = try SignedTransaction.decode(raw) } catch {
            throw CommandLineError.invalidValue(flag: "raw", value: String(rawHex.prefix(18)) + "…", expected: "a signed L2 transaction (\(error))")
        }
        let sender = try tx.recoverSender()
        let outcome = try o.l1.enqueueTransaction(raw)
        guard case let .enqueued(queueIndex, deadline) = outcome else { throw CommandFailure("l1_enqueueTransaction answered \(outcome)") }
        let head = try o.l1.blockNumber()
        var out = JSONValueBuilder()
        out.set("txHash", tx.hash); out.set("from", sender); out.set("nonce", tx.transaction.nonce)
        out.set("queueIndex", queueIndex); out.set("overdueFromL1Block", deadline); out.set("l1BlockNumber", head)
        o.emit(out, """
            Queued \(tx.hash) (from \(sender.checksummed), nonce \(tx.transaction.nonce)) on L1 as forced-queue item \(queueIndex).
            The sequencer must include it before L1 block \(deadline); from then on anyone may run `sequencer wallet force-include` (L1 is at block \(head)).
            """)
        return 0
    }

    /// Signs `t` and puts it in the L1 forced-inclusion queue. The nonce is
    /// the higher of the sequencer's pending nonce (when it answers) and the
    /// one L1 data implies, counting this account's queued transactions.
    static func enqueueOnL1(_ o: WalletOptions, _ t: Transfer) throws -> Int32 {
        let derived = try DerivedL2.derive(from: o.l1)
        var nonce = derived.pendingNonce(of: o.address)
        var nonceSource = "l1-derived"
        var maxFee: UInt256?, tip: UInt256?
        if let sequencerNonce = try? o.node.pendingNonce(of: o.address) {
            if sequencerNonce > nonce { nonce = sequencerNonce; nonceSource = "sequencer" }
            tip = try? o.node.quantity("eth_maxPriorityFeePerGas")
            maxFee = (try? o.node.quantity("eth_gasPrice")).map { $0 + $0 + (tip ?? .zero) }
        }
        let tx = try TransactionTemplate(chainID: derived.parameters.l2ChainID, nonce: nonce, to: t.to, value: t.value, data: t.data,
                                         maxFeePerGas: maxFee, maxPriorityFeePerGas: tip).signed(with: o.key)
        let outcome = try o.l1.enqueueTransaction(tx.raw)
        guard case let .enqueued(queueIndex, deadline) = outcome else { throw CommandFailure("l1_enqueueTransaction answered \(outcome)") }
        let head = (try? o.l1.blockNumber()) ?? derived.l1Head
        var out = JSONValueBuilder()
        out.set("txHash", tx.hash); out.set("from", o.address); out.set("to", t.to); out.set("value", wei: t.value)
        out.set("nonce", nonce); out.set("nonceSource", nonceSource)
        out.set("queueIndex", queueIndex); out.set("overdueFromL1Block", deadline); out.set("l1BlockNumber", head)
        o.emit(out, """
            Queued \(tx.hash) on L1 as forced-queue item \(queueIndex) (nonce \(nonce), from \(nonceSource == "sequencer" ? "the sequencer" : "L1 data")).
            The sequencer must include it before L1 block \(deadline); from then on anyone may run `sequencer wallet force-include` (L1 is at block \(head)).
            """)
        return 0
    }
}
