import Ethereum
import JSON
import Primitives
import Rollup

/// The JSON shapes of the L1 RPC, written by `L1Methods` and read back by
/// `HTTPL1Client`: one definition so the two cannot drift. Quantities are
/// hex (`"0x1a"`), bytes and hashes `0x`-prefixed hex, amounts in wei.
enum L1JSON {
    static func q(_ v: UInt64) -> JSONValue { .string("0x" + String(v, radix: 16)) }
    static func q(_ v: UInt256) -> JSONValue { .string(v.hexQuantity) }
    static func hex(_ b: [UInt8]) -> JSONValue { .string(Hex.encode(b)) }
    static func hash(_ h: Hash32) -> JSONValue { .string(Hex.encode(h.bytes)) }
    static func address(_ a: Address) -> JSONValue { .string(a.checksummed) }

    static func block(_ b: L1Block) -> JSONValue {
        ["number": q(b.number), "hash": hash(b.hash), "parentHash": hash(b.parentHash), "timestamp": q(b.timestamp),
         "inboxAccumulator": hash(b.inboxAccumulator), "queueAccumulator": hash(b.queueAccumulator)]
    }

    static func queueEntry(_ e: QueueEntry) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("index", q(e.index)), ("l1BlockNumber", q(e.l1BlockNumber)), ("deadline", q(e.deadline)),
            ("accumulator", hash(e.accumulator)), ("included", .bool(e.included)), ("encoded", hex(e.item.encoded)),
        ]
        switch e.item {
        case .deposit(let d):
            members += [("kind", "deposit"), ("from", address(d.from)), ("to", address(d.to)), ("amount", q(d.amount))]
        case .transaction(let t):
            members += [("kind", "transaction"), ("raw", hex(t.raw))]
        }
        return .object(members)
    }

    static func inboxEntry(_ e: InboxEntry) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("index", q(e.index)), ("l1BlockNumber", q(e.l1BlockNumber)), ("firstL2Block", q(e.firstL2Block)),
            ("lastL2Block", q(e.lastL2Block)), ("accumulator", hash(e.accumulator)),
        ]
        switch e.kind {
        case let .batch(h, bytes, signature):
            members += [("kind", "batch"), ("hash", hash(h)), ("data", hex(bytes)), ("signature", hex(signature))]
        case let .forcedInclusion(h):
            members += [("kind", "forcedInclusion"), ("l2BlockHash", hash(h))]
        }
        return .object(members)
    }

    static func status(_ s: L2HeadStatus) -> JSONValue {
        ["l1BlockNumber": q(s.l1BlockNumber), "number": q(s.l2BlockNumber), "hash": hash(s.l2BlockHash),
         "stateRoot": hash(s.stateRoot), "safe": q(s.safeL2Block), "finalized": q(s.finalizedL2Block),
         "forcedQueueCursor": q(s.forcedQueueCursor), "queueLength": q(s.queueLength), "queueAccumulator": hash(s.queueAccumulator),
         "inboxLength": q(s.inboxLength), "inboxAccumulator": hash(s.inboxAccumulator), "lastBatchHash": hash(s.lastBatchHash)]
    }

    static func parameters(_ p: L1Parameters) -> JSONValue {
        ["sequencerAddress": address(p.sequencerAddress), "forceInclusionDelay": q(p.forceInclusionDelay),
         "finalityDepth": q(p.finalityDepth), "chainId": q(p.l2ChainID), "devOperations": .bool(p.devOperations),
         "l2Genesis": .array(p.l2Genesis.map { ["address": address($0.address), "balance": q($0.balance)] })]
    }

    static func outcome(_ o: L1Outcome) -> JSONValue {
        switch o {
        case let .mined(first, last): ["first": q(first), "last": q(last)]
        case let .batchAccepted(i, h, f, l): ["inboxIndex": q(i), "hash": hash(h), "firstL2Block": q(f), "lastL2Block": q(l)]
        case let .enqueued(i, d): ["queueIndex": q(i), "deadline": q(d)]
        case let .forceIncluded(i, n, items): ["inboxIndex": q(i), "l2BlockNumber": q(n), "items": q(UInt64(items))]
        case let .claimed(r, amount): ["recipient": address(r), "amount": q(amount)]
        }
    }

    static func withdrawal(_ w: Withdrawal, proof: [Hash32]) -> JSONValue {
        ["l2BlockNumber": q(w.l2BlockNumber), "index": q(UInt64(w.index)), "sender": address(w.sender),
         "recipient": address(w.recipient), "amount": q(w.amount), "transactionHash": hash(w.transactionHash),
         "proof": .array(proof.map(hash))]
    }

    static func deposit(_ d: DepositRequest) -> JSONValue {
        ["from": address(d.from), "to": address(d.to), "amount": q(d.amount), "nonce": q(d.nonce), "signature": hex(d.signature)]
    }
}

/// Reads the shapes `L1JSON` writes; every accessor fails with a message
/// naming the member.
struct L1JSONReader {
    let value: JSONValue
    let context: String

    init(_ value: JSONValue, context: String) {
        self.value = value
        self.context = context
    }

    struct Failure: Error {
        let message: String
    }

    private func member(_ key: String) throws(Failure) -> JSONValue {
        guard let v = value[key], !v.isNull else { throw Failure(message: "\(context): missing \(key)") }
        return v
    }

    func string(_ key: String) throws(Failure) -> String {
        guard let s = try member(key).stringValue else { throw Failure(message: "\(context): \(key) is not a string") }
        return s
    }

    func quantity(_ key: String) throws(Failure) -> UInt64 {
        let s = try string(key)
        guard s.hasPrefix("0x"), let v = UInt64(s.dropFirst(2), radix: 16) else { throw Failure(message: "\(context): \(key) is not a quantity") }
        return v
    }

    func amount(_ key: String) throws(Failure) -> UInt256 {
        guard let v = UInt256(hexQuantity: try string(key)) else { throw Failure(message: "\(context): \(key) is not a quantity") }
        return v
    }

    func bytes(_ key: String) throws(Failure) -> [UInt8] {
        guard let b = Hex.decode(try string(key)) else { throw Failure(message: "\(context): \(key) is not hex") }
        return b
    }

    func hash(_ key: String) throws(Failure) -> Hash32 {
        guard let h = Hash32(try bytes(key)) else { throw Failure(message: "\(context): \(key) is not a 32-byte hash") }
        return h
    }

    func address(_ key: String) throws(Failure) -> Address {
        guard let a = Address(hex: try string(key)) else { throw Failure(message: "\(context): \(key) is not an address") }
        return a
    }

    func bool(_ key: String) throws(Failure) -> Bool {
        guard let b = try member(key).boolValue else { throw Failure(message: "\(context): \(key) is not a boolean") }
        return b
    }

    func array(_ key: String) throws(Failure) -> [JSONValue] {
        guard let a = try member(key).arrayValue else { throw Failure(message: "\(context): \(key) is not an array") }
        return a
    }

    func block() throws(Failure) -> L1Block {
        let b = L1Block(number: try quantity("number"), timestamp: try quantity("timestamp"), parentHash: try hash("parentHash"),
                        inboxAccumulator: try hash("inboxAccumulator"), queueAccumulator: try hash("queueAccumulator"))
        guard b.hash == (try hash("hash")) else { throw Failure(message: "\(context): block hash does not match its fields") }
        return b
    }

    func queueEntry() throws(Failure) -> QueueEntry {
        guard let item = ForcedItem(encoded: try bytes("encoded")) else { throw Failure(message: "\(context): bad queue item") }
        return QueueEntry(item: item, l1BlockNumber: try quantity("l1BlockNumber"), deadline: try quantity("deadline"),
                          accumulator: try hash("accumulator"), included: try bool("included"))
    }

    func inboxEntry() throws(Failure) -> InboxEntry {
        let kind: InboxEntry.Kind
        switch try string("kind") {
        case "batch": kind = .batch(hash: try hash("hash"), bytes: try bytes("data"), signature: try bytes("signature"))
        case "forcedInclusion": kind = .forcedInclusion(l2BlockHash: try hash("l2BlockHash"))
        case let other: throw Failure(message: "\(context): unknown inbox entry kind \(other)")
        }
        return InboxEntry(index: try quantity("index"), kind: kind, l1BlockNumber: try quantity("l1BlockNumber"),
                          firstL2Block: try quantity("firstL2Block"), lastL2Block: try quantity("lastL2Block"),
                          accumulator: try hash("accumulator"))
    }

    func status() throws(Failure) -> L2HeadStatus {
        L2HeadStatus(l1BlockNumber: try quantity("l1BlockNumber"), l2BlockNumber: try quantity("number"), l2BlockHash: try hash("hash"),
                     stateRoot: try hash("stateRoot"), safeL2Block: try quantity("safe"), finalizedL2Block: try quantity("finalized"),
                     forcedQueueCursor: try quantity("forcedQueueCursor"), queueLength: try quantity("queueLength"),
                     queueAccumulator: try hash("queueAccumulator"), inboxLength: try quantity("inboxLength"),
                     inboxAccumulator: try hash("inboxAccumulator"), lastBatchHash: try hash("lastBatchHash"))
    }

    func parameters() throws(Failure) -> L1Parameters {
        L1Parameters(sequencerAddress: try address("sequencerAddress"), forceInclusionDelay: try quantity("forceInclusionDelay"),
                     finalityDepth: try quantity("finalityDepth"), l2ChainID: try quantity("chainId"),
                     devOperations: (try? bool("devOperations")) ?? false,
                     l2Genesis: try genesis())
    }

    /// `l2Genesis` when the L1 reports it; the dev accounts for an L1 that predates it.
    private func genesis() throws(Failure) -> [GenesisBalance] {
        guard value["l2Genesis"] != nil else { return L1Configuration.devAllocations.map(GenesisBalance.init) }
        var result: [GenesisBalance] = []
        for (i, entry) in try array("l2Genesis").enumerated() {
            let e = L1JSONReader(entry, context: "\(context).l2Genesis[\(i)]")
            result.append(GenesisBalance((try e.address("address"), try e.amount("balance"))))
        }
        return result
    }

    func withdrawal() throws(Failure) -> (Withdrawal, [Hash32]) {
        let index = try quantity("index")
        guard index <= UInt64(UInt32.max) else { throw Failure(message: "\(context): index out of range") }
        var proof: [Hash32] = []
        for p in try array("proof") {
            guard let s = p.stringValue, let b = Hex.decode(s), let h = Hash32(b) else { throw Failure(message: "\(context): bad proof hash") }
            proof.append(h)
        }
        guard proof.count <= 64 else { throw Failure(message: "\(context): proof too long") }
        let w = Withdrawal(l2BlockNumber: try quantity("l2BlockNumber"), index: UInt32(index), sender: try address("sender"),
                           recipient: try address("recipient"), amount: try amount("amount"), transactionHash: try hash("transactionHash"))
        return (w, proof)
    }

    func deposit() throws(Failure) -> DepositRequest {
        DepositRequest(from: try address("from"), to: try address("to"), amount: try amount("amount"), nonce: try quantity("nonce"),
                       signature: try bytes("signature"))
    }

    func outcome(_ method: String) throws(Failure) -> L1Outcome {
        switch method {
        case "l1_mine": return .mined(first: try quantity("first"), last: try quantity("last"))
        case "l1_postBatch":
            return .batchAccepted(inboxIndex: try quantity("inboxIndex"), hash: try hash("hash"), firstL2Block: try quantity("firstL2Block"),
                                  lastL2Block: try quantity("lastL2Block"))
        case "l1_enqueueTransaction", "l1_deposit": return .enqueued(queueIndex: try quantity("queueIndex"), deadline: try quantity("deadline"))
        case "l1_forceInclude":
            return .forceIncluded(inboxIndex: try quantity("inboxIndex"), l2BlockNumber: try quantity("l2BlockNumber"),
                                  items: Int(try quantity("items")))
        case "l1_claimWithdrawal": return .claimed(recipient: try address("recipient"), amount: try amount("amount"))
        default: throw Failure(message: "no outcome for \(method)")
        }
    }
}
