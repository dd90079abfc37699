import CLI
import Foundation
import JSON
import Primitives
import Sequencer

extension WalletCommand {
    static func verifyPreconf(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        let rest = try positionals(args, max: 1)
        let document: JSONValue
        if let text = args.string("tx") {
            guard let hash = Hash32(hex: text) else { throw CommandLineError.invalidValue(flag: "tx", value: text, expected: "a 32-byte hash") }
            document = try o.node.call("seq_getPreconfirmation", [.string(hash.description)])
            if document.isNull { throw CommandFailure("the sequencer holds no pre-confirmation for \(hash)") }
        } else if let source = rest.first {
            let text: String
            if source == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else if source.hasPrefix("{") {
                text = source
            } else {
                guard let data = FileManager.default.contents(atPath: source) else { throw CommandFailure("cannot read \(source)") }
                text = String(decoding: data, as: UTF8.self)
            }
            do { document = try JSONParser.parse(text) } catch { throw CommandFailure("the pre-confirmation is not JSON: \(error)") }
        } else {
            throw CommandLineError.missingArgument("a pre-confirmation (JSON text, a file, or -) or --tx HASH")
        }
        let promise = try PreConfirmationCheck.parse(document)
        var out = JSONValueBuilder()
        out.set("promise", document)
        out.set("digest", PreConfirmation.digest(chainID: promise.chainID, transactionHash: promise.transactionHash,
                                                 position: promise.position, timestamp: promise.timestamp))
        let signer = promise.recoverSigner()
        out.set("recoveredSigner", signer.map { .string($0.checksummed) } ?? .null)
        guard let signer, signer == promise.sequencer else {
            out.set("verdict", "forged")
            o.emit(out, """
                FORGED: the signature recovers to \(signer?.checksummed ?? "no address"), not to the claimed sequencer \(promise.sequencer.checksummed).
                This is not a promise the sequencer made.
                """)
            return 3
        }
        let derived = try DerivedL2.derive(from: o.l1)
        let isL1Sequencer = signer == derived.parameters.sequencerAddress
        out.set("signerIsL1Sequencer", isL1Sequencer)
        let header = "Signature OK: signed by \(signer.checksummed)" + (isL1Sequencer ? " (the L1's sequencer)." : " (NOT the sequencer the L1 accepts batches from).")
        let n = promise.position.blockNumber
        let l1Block = derived.chain.record(n)
        let entry = derived.inboxEntry(holding: n)
        let l1Head = (try? o.l1.blockNumber()) ?? derived.l1Head
        out.set("l1Head", l1Head)
        // What the sequencer says now; the verdict rests on the L1 alone.
        let claimed = try? o.node.call("seq_getTransactionStatus", [.string(promise.transactionHash.description)])
        if let claimed { out.set("sequencerStatus", claimed) }
        switch PreConfirmationCheck.check(promise, against: derived) {
        case let .kept(l1BlockNumber, inbox):
            let finalized = n <= derived.finalizedBlockNumber
            out.set("verdict", "kept"); out.set("l1BlockNumber", l1BlockNumber); out.set("finalized", finalized)
            if let l1Block { out.set("l2BlockHash", l1Block.hash) }
            if let inbox { out.set("inboxIndex", inbox.index); out.set("inboxKind", inbox.isBatch ? "batch" : "forcedInclusion") }
            let via = inbox.map { $0.isBatch ? "batch (inbox entry \($0.index))" : "forced inclusion (inbox entry \($0.index))" } ?? "inbox"
            o.emit(out, """
                \(header)
                KEPT: L1's canonical L2 \(promise.position) is \(promise.transactionHash), made canonical by a \(via) in L1 block \(l1BlockNumber); \
                \(finalized ? "finalized" : "final from L1 block \(l1BlockNumber + derived.parameters.finalityDepth) (L1 is at \(l1Head))").
                """)
            return 0
        case let .notYetDue(head):
            out.set("verdict", "notYetDue"); out.set("canonicalL2Head", head)
            var text = "\(header)\nNOT YET DUE: L2 block \(n) is not canonical on L1 yet (L1's L2 head is \(head), L1 block \(l1Head))."
            if let stage = claimed?["stage"]?.stringValue { text += "\nThe sequencer says: \(stage)." }
            if let raw = claimed?["raw"]?.stringValue {
                let l1URL = args.string("l1") ?? "http://127.0.0.1:8546"
                let command = "sequencer wallet force --raw \(raw) --l1 \(l1URL)"
                out.set("forceCommand", command); out.set("forceableFromL1Block", l1Head + derived.parameters.forceInclusionDelay)
                text += "\nIf it never reaches the L1, force it in: \(command) (then l1_forceInclude from L1 block \(l1Head + derived.parameters.forceInclusionDelay))."
            }
            o.emit(out, text)
            return 0
        case let .broken(held, actual):
            out.set("verdict", "broken")
            out.set("heldAtPosition", held.map { .string($0.description) } ?? .null)
            out.set("actualPosition", actual.map { .object([("blockNumber", .number(JSONNumber($0.blockNumber))), ("index", .number(JSONNumber($0.index)))]) } ?? .null)
            if let l1Block { out.set("l1BlockNumber", l1Block.l1BlockNumber); out.set("l2BlockHash", l1Block.hash) }
            if let entry { out.set("inboxIndex", entry.index); out.set("inboxKind", entry.isBatch ? "batch" : "forcedInclusion") }
            let admitted = claimed?["brokenPreconfirmation"]
            if let admitted { out.set("sequencerAdmits", admitted) }
            let via = entry.map { " by \($0.isBatch ? "batch" : "forced inclusion") (inbox entry \($0.index))" } ?? ""
            o.emit(out, """
                \(header)
                BROKEN: the sequencer promised \(promise.transactionHash) at L2 \(promise.position) (timestamp \(promise.timestamp), chain \(promise.chainID)),
                but the L1 (block \(l1Block?.l1BlockNumber ?? 0)\(via)) holds \(held.map(\.description) ?? "no transaction") at that position \
                (L2 block hash \(l1Block?.hash.description ?? "?"));
                the transaction is \(actual.map { "at \($0) instead" } ?? "not in the canonical chain").\
                \(admitted?["summary"]?.stringValue.map { "\nThe sequencer reports it too: \($0)." } ?? "")
                Evidence (the signed promise): \(document)
                """)
            return 3
        }
    }
}
