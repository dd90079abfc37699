import CLI
import Ethereum
import Hashing
import JSON
import L1
import Primitives
import Rollup
import Sequencer

/// Where the L1, read by the wallet itself, holds a transaction.
struct L1Sighting {
    /// Its place in the canonical L2 chain the L1 defines.
    var position: ChainPosition?
    /// The inbox entry that made its block canonical.
    var inbox: InboxSummary?
    var finalized = false
    /// The forced-queue entry carrying it, if one does.
    var queueIndex: UInt64?
    var enqueuedAtL1Block: UInt64?
    var queueDeadline: UInt64?
    /// Whether the chain consumed that queue entry (executed, or skipped when invalid).
    var queueConsumed = false

    /// Reads `derived` (the chain from L1 data alone) for transaction `hash`.
    init(hash: Hash32, in derived: DerivedL2) {
        position = derived.position(of: hash)
        inbox = position.flatMap { derived.inboxEntry(holding: $0.blockNumber) }
        finalized = position.map { $0.blockNumber <= derived.finalizedBlockNumber } ?? false
        for (i, queued) in derived.chain.queue.enumerated() {
            guard case let .transaction(t) = queued.item, Keccak256.hash(t.raw) == hash else { continue }
            queueIndex = UInt64(i)
            enqueuedAtL1Block = queued.l1BlockNumber
            queueDeadline = derived.chain.deadline(ofQueueIndex: UInt64(i))
            queueConsumed = UInt64(i) < derived.chain.forcedQueueCursor
            break
        }
    }
}

/// The wallet's own judgement of whether a sequencer is censoring a transaction.
struct CensorshipCheck {
    var nextNonce: Bool
    var paysBaseFee: Bool
    var paysTip: Bool
    /// L2 blocks holding transactions that were sealed while it waited.
    var blocksWithOthers: UInt64
    var threshold: UInt64

    /// A transaction that pays enough, has its sender's next nonce and waited `threshold` busy blocks.
    var likely: Bool { nextNonce && paysBaseFee && paysTip && blocksWithOthers >= threshold }
}

extension WalletCommand {
    static func status(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        let rest = try positionals(args, max: 1)
        guard let text = rest.first else { throw CommandLineError.missingArgument("HASH") }
        guard let hash = Hash32(hex: text) else { throw CommandLineError.invalidValue(flag: "HASH", value: text, expected: "a 32-byte hash") }
        let threshold = try args.uint64("censorship-blocks") ?? 10
        let l1URL = args.string("l1") ?? "http://127.0.0.1:8546"
        var out = JSONValueBuilder()
        out.set("hash", hash)
        var lines: [String] = []

        // What the sequencer says. A censoring sequencer answers like an honest one, so it decides nothing alone.
        var claimed: JSONValue?
        do {
            claimed = try o.node.call("seq_getTransactionStatus", [.string(hash.description)])
        } catch {
            out.set("sequencerError", "\(error)")
            lines.append("Sequencer: no answer (\(error)).")
        }
        let stage = claimed?["stage"]?.stringValue
        if let claimed, let stage {
            out.set("sequencer", claimed)
            var line = "Sequencer says: \(stage)"
            if let pending = claimed["pending"], let detail = pending["detail"]?.stringValue { line += " (\(detail))" }
            if let n = quantity(claimed["blockNumber"]), let i = quantity(claimed["transactionIndex"]) { line += " at L2 block \(n), index \(i)" }
            if let reason = claimed["reason"]?.stringValue { line += ": \(reason)" }
            lines.append(line + ".")
        }

        // What the L1 holds, read here.
        let derived = try DerivedL2.derive(from: o.l1)
        let l1Head = (try? o.l1.blockNumber()) ?? derived.l1Head
        let delay = derived.parameters.forceInclusionDelay
        let seen = L1Sighting(hash: hash, in: derived)
        var l1 = JSONValueBuilder()
        l1.set("l1Head", l1Head); l1.set("forceInclusionDelay", delay)
        l1.set("canonicalL2Head", derived.chain.head.number); l1.set("finalizedL2Block", derived.finalizedBlockNumber)
        if let p = seen.position {
            l1.set("l2BlockNumber", p.blockNumber); l1.set("index", p.index); l1.set("finalized", seen.finalized)
            if let e = seen.inbox {
                l1.set("kind", e.isBatch ? "batch" : "forcedInclusion"); l1.set("inboxIndex", e.index); l1.set("l1BlockNumber", e.l1BlockNumber)
            }
            let via = seen.inbox.map { "\($0.isBatch ? "a batch" : "a forced inclusion") (inbox entry \($0.index)) at L1 block \($0.l1BlockNumber)" } ?? "the inbox"
            lines.append("L1: canonical at L2 block \(p.blockNumber), index \(p.index), through \(via); \(seen.finalized ? "finalized" : "safe, not final yet").")
        } else {
            lines.append("L1: not in the canonical chain (its L2 head is \(derived.chain.head.number), L1 head \(l1Head)).")
        }
        if let q = seen.queueIndex {
            l1.set("queueIndex", q); l1.set("queueConsumed", seen.queueConsumed)
            if let b = seen.enqueuedAtL1Block { l1.set("enqueuedAtL1Block", b) }
            if let d = seen.queueDeadline { l1.set("overdueFromL1Block", d) }
            if seen.queueConsumed && seen.position == nil {
                lines.append("L1 queue: item \(q) was consumed but skipped (the transaction was invalid when its turn came).")
            } else if !seen.queueConsumed, let d = seen.queueDeadline {
                lines.append(l1Head >= d
                    ? "L1 queue: item \(q) is overdue since L1 block \(d): anyone can force it in now with `sequencer wallet force-include --l1 \(l1URL)` (l1_forceInclude)."
                    : "L1 queue: item \(q); the sequencer must include it before L1 block \(d), after which anyone can force it in (`sequencer wallet force-include`, l1_forceInclude).")
            } else {
                lines.append("L1 queue: item \(q), consumed.")
            }
        }
        out.set("l1", l1)

        // Censorship: only for a transaction the L1 does not hold at all.
        let raw = claimed?["raw"]?.stringValue.flatMap { Hex.decode($0) } ?? args.string("raw").flatMap { Hex.decode($0) }
        let tx = raw.flatMap { try? SignedTransaction.decode($0) }
        var likely = false
        if seen.position == nil && seen.queueIndex == nil && stage != "preconfirmed" && stage != "forced", let tx {
            if tx.hash != hash { throw CommandFailure("the transaction given with --raw has hash \(tx.hash), not \(hash)") }
            let check = try censorship(of: tx, claimed: claimed, derived: derived, o: o, threshold: threshold,
                                       since: try args.uint64("since-block"))
            likely = check.likely
            var c = JSONValueBuilder()
            c.set("nextNonce", check.nextNonce); c.set("paysBaseFee", check.paysBaseFee); c.set("paysTip", check.paysTip)
            c.set("blocksWithOtherTransactions", check.blocksWithOthers); c.set("threshold", check.threshold)
            c.set("likelyCensored", likely)
            out.set("censorship", c)
            let command = "sequencer wallet force --raw \(Hex.encode(tx.raw)) --l1 \(l1URL)"
            var force = JSONValueBuilder()
            force.set("command", command); force.set("l1Head", l1Head); force.set("forceableFromL1Block", l1Head + delay)
            force.set("l1Methods", .array(TransactionStatus.ForceRoute.l1Methods.map { .string($0) }))
            out.set("forceInclusion", force)
            if likely {
                lines.append("LIKELY CENSORSHIP: it pays enough and has the sender's next nonce, yet \(check.blocksWithOthers) L2 blocks with other transactions were sealed while it waited (threshold \(threshold)).")
            } else {
                lines.append("Censorship: not flagged (next nonce \(check.nextNonce), pays base fee \(check.paysBaseFee), tip > 0 \(check.paysTip), \(check.blocksWithOthers) of \(threshold) busy blocks waited).")
            }
            lines.append("""
                To force it in without the sequencer: \(command)
                  (l1_enqueueTransaction now; from L1 block \(l1Head + delay) it is overdue and anyone may call l1_forceInclude: `sequencer wallet force-include --l1 \(l1URL)`).
                """)
        } else if seen.position == nil && seen.queueIndex == nil && tx == nil {
            lines.append("The sequencer holds no copy of it; pass --raw 0x… to check it for censorship and get the force command.")
        }
        out.set("likelyCensored", likely)
        o.emit(out, lines.joined(separator: "\n"))
        return 0
    }

    /// Judges whether `tx` is likely censored: the sequencer's own nonce and
    /// fee views, and the L2 blocks it sealed while the transaction waited
    /// (from the sequencer's `waitingSinceL2Block`, or `since`).
    static func censorship(of tx: SignedTransaction, claimed: JSONValue?, derived: DerivedL2, o: WalletOptions,
                           threshold: UInt64, since: UInt64?) throws -> CensorshipCheck {
        let sender = try tx.recoverSender()
        let t = tx.transaction
        let chainNonce = (try? o.node.quantity("eth_getTransactionCount", [.string(sender.hex), "latest"]).uint64) ?? nil
        let nextNonce = t.nonce == (chainNonce ?? derived.chain.state[sender].nonce)
        let latest = try? o.node.call("eth_getBlockByNumber", ["latest", false])
        let baseFee = latest?["baseFeePerGas"]?.stringValue.flatMap { UInt256(hexQuantity: $0) } ?? derived.chain.head.baseFeePerGas
        let head = quantity(latest?["number"]) ?? 0
        var busy: UInt64 = 0
        if let start = since ?? quantity(claimed?["pending"]?["waitingSinceL2Block"]), start < head {
            var n = start + 1
            while n <= head && busy < threshold && n <= start + 256 {
                if let b = try? o.node.call("eth_getBlockByNumber", [.string("0x" + String(n, radix: 16)), false]),
                   let txs = b["transactions"]?.arrayValue, !txs.isEmpty { busy += 1 }
                n += 1
            }
        }
        return CensorshipCheck(nextNonce: nextNonce, paysBaseFee: t.maxFeePerGas >= baseFee, paysTip: !t.maxPriorityFeePerGas.isZero,
                               blocksWithOthers: busy, threshold: threshold)
    }

    /// A hex quantity member as a number.
    static func quantity(_ v: JSONValue?) -> UInt64? {
        v?.stringValue.flatMap { UInt256(hexQuantity: $0) }?.uint64
    }
}
