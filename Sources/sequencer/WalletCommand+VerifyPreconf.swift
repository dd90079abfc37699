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
        switch PreConfirmationCheck.check(promise, against: derived) {
        case let .kept(l1Block, inbox):
            out.set("verdict", "kept"); out.set("l1BlockNumber", l1Block)
            if let inbox { out.set("inboxIndex", inbox.index); out.set("inboxKind", inbox.isBatch ? "batch" : "forcedInclusion") }
            let via = inbox.map { $0.isBatch ? "batch (inbox entry \($0.index))" : "forced inclusion (inbox entry \($0.index))" } ?? "inbox"
            o.emit(out, "\(header)\nKEPT: L1's canonical L2 \(promise.position) is \(promise.transactionHash), made canonical by a \(via) in L1 block \(l1Block).")
            return 0
        case let .notYetDue(head):
            out.set("verdict", "notYetDue"); out.set("canonicalL2Head", head)
            o.emit(out, "\(header)\nNOT YET DUE: L2 block \(promise.position.blockNumber) is not canonical on L1 yet (L1's L2 head is \(head)).")
            return 0
        case let .broken(held, actual):
            out.set("verdict", "broken")
            out.set("heldAtPosition", held.map { .string($0.description) } ?? .null)
            out.set("actualPosition", actual.map { .object([("blockNumber", .number(JSONNumber($0.blockNumber))), ("index", .number(JSONNumber($0.index)))]) } ?? .null)
            let record = derived.chain.record(promise.position.blockNumber)
            if let record { out.set("l1BlockNumber", record.l1BlockNumber) }
            o.emit(out, """
                \(header)
                BROKEN: the sequencer promised \(promise.transactionHash) at L2 \(promise.position) (timestamp \(promise.timestamp), chain \(promise.chainID)),
                but the L1 (block \(record?.l1BlockNumber ?? 0)) holds \(held.map(\.description) ?? "no transaction") at that position;
                the transaction is \(actual.map { "at \($0) instead" } ?? "not in the canonical chain").
                Evidence: \(document)
                """)
            return 3
        }
    }
}
