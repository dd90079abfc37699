import CLI
import Ethereum
import L1
import Primitives

extension WalletCommand {
    static func deposit(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        _ = try positionals(args, max: 0)
        let amount = try WalletOptions.amount(args)
        let to = try WalletOptions.address(args, "to") ?? o.address
        let nonce = try o.l1.nonce(of: o.address)
        let digest = L1Messages.depositDigest(from: o.address, to: to, amount: amount, nonce: nonce)
        let request = DepositRequest(from: o.address, to: to, amount: amount, nonce: nonce,
                                     signature: PersonalMessage.sign(digest.bytes, with: o.key))
        let outcome = try o.l1.deposit(request)
        guard case let .enqueued(queueIndex, deadline) = outcome else { throw CommandFailure("l1_deposit answered \(outcome)") }
        var out = JSONValueBuilder()
        out.set("from", o.address); out.set("to", to); out.set("amount", wei: amount); out.set("l1Nonce", nonce)
        out.set("queueIndex", queueIndex); out.set("overdueFromL1Block", deadline)
        o.emit(out, """
            Deposited \(WeiAmount.ether(amount)) ETH from L1 \(o.address.checksummed) to L2 \(to.checksummed).
            Forced-queue item \(queueIndex); the sequencer must include it before L1 block \(deadline), after which anyone may force it in.
            """)
        return 0
    }

    static func forceInclude(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        _ = try positionals(args, max: 0)
        var out = JSONValueBuilder()
        do {
            let outcome = try o.l1.forceInclude()
            guard case let .forceIncluded(inboxIndex, l2Block, items) = outcome else { throw CommandFailure("l1_forceInclude answered \(outcome)") }
            out.set("included", true); out.set("inboxIndex", inboxIndex); out.set("l2BlockNumber", l2Block); out.set("items", items)
            o.emit(out, "The L1 appended L2 block \(l2Block) with \(items) overdue item(s) (inbox entry \(inboxIndex)); no sequencer involved.")
            return 0
        } catch let L1ClientError.refused(code, message, reason) {
            out.set("included", false); out.set("reason", reason ?? "\(code)"); out.set("message", message)
            if let head = try? o.l1.blockNumber() { out.set("l1BlockNumber", head) }
            o.emit(out, "Nothing force-included: \(message).")
            return 1
        }
    }

    static func mine(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        let rest = try positionals(args, max: 1)
        var count: UInt64 = 1
        if let text = rest.first {
            guard let n = UInt64(text), n > 0 else { throw CommandLineError.invalidValue(flag: "N", value: text, expected: "a positive block count") }
            count = n
        }
        let outcome = try o.l1.mine(count)
        guard case let .mined(first, last) = outcome else { throw CommandFailure("l1_mine answered \(outcome)") }
        var out = JSONValueBuilder()
        out.set("first", first); out.set("last", last)
        o.emit(out, "Mined L1 blocks \(first)…\(last).")
        return 0
    }

    static func claim(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        _ = try positionals(args, max: 0)
        let selector: WithdrawalClaim.Selector
        if let text = args.string("tx") {
            guard let hash = Hash32(hex: text) else { throw CommandLineError.invalidValue(flag: "tx", value: text, expected: "a 32-byte hash") }
            selector = .transaction(hash)
        } else if let block = try args.uint64("block") {
            guard let index = try args.int("index", in: 0...Int(UInt32.max)) else { throw CommandLineError.missingArgument("--index I") }
            selector = .position(block: block, index: index)
        } else {
            selector = .latest(recipient: o.address)
        }
        let derived = try DerivedL2.derive(from: o.l1)
        let claim = try WithdrawalClaim.find(selector, in: derived)
        let w = claim.withdrawal
        var out = JSONValueBuilder()
        out.set("l2BlockNumber", w.l2BlockNumber); out.set("index", Int(w.index)); out.set("sender", w.sender)
        out.set("recipient", w.recipient); out.set("amount", wei: w.amount); out.set("transactionHash", w.transactionHash)
        out.set("proof", .array(claim.proof.map { .string($0.description) }))
        let what = "withdrawal \(w.index) of L2 block \(w.l2BlockNumber) (\(WeiAmount.ether(w.amount)) ETH to \(w.recipient.checksummed))"
        do {
            let outcome = try o.l1.claimWithdrawal(w, proof: claim.proof)
            guard case let .claimed(recipient, amount) = outcome else { throw CommandFailure("l1_claimWithdrawal answered \(outcome)") }
            out.set("claimed", true)
            o.emit(out, "Claimed \(what): L1 balance of \(recipient.checksummed) +\(amount) wei.")
            return 0
        } catch let L1ClientError.refused(code, message, reason) {
            out.set("claimed", false); out.set("reason", reason ?? "\(code)"); out.set("message", message)
            var text = "Refused \(what): \(message)."
            if reason == "withdrawalNotFinal", let at = claim.claimableAt(in: derived) {
                let head = (try? o.l1.blockNumber()) ?? derived.l1Head
                let wait = at > head ? at - head : 0
                out.set("claimableAtL1Block", at); out.set("waitL1Blocks", wait)
                text = "Refused \(what): not final yet; wait \(wait) more L1 block(s) (claimable from L1 block \(at))."
            } else if reason == "alreadyClaimed" {
                text = "Refused \(what): already claimed; it is paid once."
            }
            o.emit(out, text)
            return 1
        }
    }
}
