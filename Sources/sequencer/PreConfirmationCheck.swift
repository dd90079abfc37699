import JSON
import Primitives
import Sequencer

/// A pre-confirmation judged against the chain derived from L1.
enum PreConfirmationVerdict {
    /// L1's canonical block holds the transaction at the promised index.
    case kept(l1BlockNumber: UInt64, inbox: InboxSummary?)
    /// The promised block is not canonical on L1 yet.
    case notYetDue(canonicalHead: UInt64)
    /// The L1's block holds something else at that position.
    case broken(heldAtPosition: Hash32?, actualPosition: ChainPosition?)
}

/// Reading pre-confirmations and holding them to what the L1 says.
enum PreConfirmationCheck {
    /// Why a pre-confirmation's JSON could not be read.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads `{txHash, blockNumber, index, timestamp, chainId, sequencer, signature}`;
    /// numbers as hex quantities, decimal strings or JSON numbers.
    static func parse(_ json: JSONValue) throws(Malformed) -> PreConfirmation {
        func number(_ key: String) throws(Malformed) -> UInt64 {
            if let n = json[key]?.uint64Value { return n }
            guard let text = json[key]?.stringValue,
                  let n = (text.hasPrefix("0x") ? UInt256(hexQuantity: text) : UInt256(decimal: text))?.uint64 else {
                throw Malformed(description: "pre-confirmation: missing or invalid \(key)")
            }
            return n
        }
        guard let hash = json["txHash"]?.stringValue.flatMap({ Hash32(hex: $0) }) else {
            throw Malformed(description: "pre-confirmation: missing or invalid txHash")
        }
        guard let sequencer = json["sequencer"]?.stringValue.flatMap({ Address(hex: $0) }) else {
            throw Malformed(description: "pre-confirmation: missing or invalid sequencer")
        }
        guard let signature = json["signature"]?.stringValue.flatMap({ Hex.decode($0) }) else {
            throw Malformed(description: "pre-confirmation: missing or invalid signature")
        }
        let index = try number("index")
        guard index <= UInt64(Int32.max) else { throw Malformed(description: "pre-confirmation: index out of range") }
        return PreConfirmation(chainID: try number("chainId"), transactionHash: hash,
                               position: ChainPosition(blockNumber: try number("blockNumber"), index: Int(index)),
                               timestamp: try number("timestamp"), sequencer: sequencer, signature: signature)
    }

    /// Whether the L1's canonical chain kept `promise`.
    static func check(_ promise: PreConfirmation, against derived: DerivedL2) -> PreConfirmationVerdict {
        let n = promise.position.blockNumber
        guard let record = derived.chain.record(n), Int(n) < derived.transactions.count else {
            return .notYetDue(canonicalHead: derived.chain.head.number)
        }
        let hashes = derived.transactions[Int(n)]
        let held = hashes.indices.contains(promise.position.index) ? hashes[promise.position.index] : nil
        if held == promise.transactionHash, promise.chainID == derived.parameters.l2ChainID {
            return .kept(l1BlockNumber: record.l1BlockNumber, inbox: derived.inboxEntry(holding: n))
        }
        return .broken(heldAtPosition: held, actualPosition: derived.position(of: promise.transactionHash))
    }
}
