import Ethereum
import JSON
import JSONRPC
import Primitives

/// The simulated L1's JSON-RPC methods over an `L1Node`. Reads:
/// `l1_blockNumber`, `l1_getBlock(number|"latest")`, `l1_getBalance(address)`,
/// `l1_getNonce(address)`, `l1_getQueue(from?, limit?)`, `l1_getBatch(inboxIndex)`,
/// `l1_getInbox(from?, limit?)`, `l1_getL2Head()` (canonical head, safe and
/// finalized L2 numbers, cursors, accumulators), `l1_getParameters()`.
/// Calls: `l1_postBatch(dataHex, signatureHex)`, `l1_enqueueTransaction(rawL2Tx)`,
/// `l1_deposit({from, to, amount, nonce, signature})`, `l1_forceInclude()`,
/// `l1_claimWithdrawal({l2BlockNumber, index, sender, recipient, amount,
/// transactionHash, proof})`, and `l1_mine(n?)` (dev). Shapes: `L1JSON`;
/// failures: `L1Error`'s JSON-RPC mapping.
public struct L1Methods: Sendable {
    public let node: L1Node
    /// Seconds since the epoch, for `l1_mine`.
    public let now: @Sendable () -> UInt64
    /// The most entries one `l1_getQueue` / `l1_getInbox` call returns.
    public static let pageLimit = 1_000

    public init(node: L1Node, now: @escaping @Sendable () -> UInt64) {
        self.node = node
        self.now = now
    }

    /// Adds every `l1_*` method to `router`.
    public func register(into router: inout JSONRPCRouter) {
        let node = self.node, now = self.now
        router.register("l1_blockNumber") { call in
            try call.params.expectAtMost(0)
            return .success(L1JSON.q(node.read { $0.head.number }))
        }
        router.register("l1_getBlock") { call in
            try call.params.expectAtMost(1)
            let number: UInt64? = try call.params.optional(0)?.stringValue == "latest" ? nil : L1Methods.optionalIndex(call.params, 0)
            let block: L1Block? = node.read { c in
                guard let n = number else { return c.head }
                return n < UInt64(c.blocks.count) ? c.blocks[Int(n)] : nil
            }
            return .success(block.map(L1JSON.block) ?? .null)
        }
        router.register("l1_getBalance") { call in
            try call.params.expectAtMost(2)
            let a = try L1Methods.address(call.params, 0)
            return .success(L1JSON.q(node.read { $0.balance(of: a) }))
        }
        router.register("l1_getNonce") { call in
            try call.params.expectAtMost(2)
            let a = try L1Methods.address(call.params, 0)
            return .success(L1JSON.q(node.read { $0.nonce(of: a) }))
        }
        router.register("l1_getL2Head") { call in
            try call.params.expectAtMost(0)
            return .success(L1JSON.status(node.read { $0.l2Status }))
        }
        router.register("l1_getParameters") { call in
            try call.params.expectAtMost(0)
            return .success(L1JSON.parameters(node.read { $0.parameters }))
        }
        router.register("l1_getQueue") { call in
            try call.params.expectAtMost(2)
            let from = try L1Methods.optionalIndex(call.params, 0) ?? 0
            let limit = Int(min(try L1Methods.optionalIndex(call.params, 1) ?? UInt64(L1Methods.pageLimit), UInt64(L1Methods.pageLimit)))
            let (entries, status) = node.read { ($0.queueEntries(from: from, limit: limit), $0.l2Status) }
            return .success(["length": L1JSON.q(status.queueLength), "cursor": L1JSON.q(status.forcedQueueCursor),
                             "accumulator": L1JSON.hash(status.queueAccumulator), "items": .array(entries.map(L1JSON.queueEntry))])
        }
        router.register("l1_getInbox") { call in
            try call.params.expectAtMost(2)
            let from = try L1Methods.optionalIndex(call.params, 0) ?? 0
            let limit = Int(min(try L1Methods.optionalIndex(call.params, 1) ?? UInt64(L1Methods.pageLimit), UInt64(L1Methods.pageLimit)))
            let (entries, status) = node.read { ($0.inboxEntries(from: from, limit: limit), $0.l2Status) }
            return .success(["length": L1JSON.q(status.inboxLength), "accumulator": L1JSON.hash(status.inboxAccumulator),
                             "entries": .array(entries.map(L1JSON.inboxEntry))])
        }
        router.register("l1_getBatch") { call in
            try call.params.expectAtMost(1)
            let index = try L1Methods.index(call.params, 0)
            return .success(node.read { $0.inboxEntries(from: index, limit: 1) }.first.map(L1JSON.inboxEntry) ?? .null)
        }
        router.register("l1_postBatch") { call in
            try call.params.expectAtMost(2)
            return .success(L1JSON.outcome(try node.submit(.postBatch(batch: try call.params.hexData(0), signature: try call.params.hexData(1)))))
        }
        router.register("l1_enqueueTransaction") { call in
            try call.params.expectAtMost(1)
            return .success(L1JSON.outcome(try node.submit(.enqueueTransaction(raw: try call.params.hexData(0)))))
        }
        router.register("l1_deposit") { call in
            try call.params.expectAtMost(1)
            let request = try L1Methods.read(call.params, 0) { r throws(L1JSONReader.Failure) in try r.deposit() }
            return .success(L1JSON.outcome(try node.submit(.deposit(request))))
        }
        router.register("l1_forceInclude") { call in
            try call.params.expectAtMost(0)
            return .success(L1JSON.outcome(try node.submit(.forceInclude)))
        }
        router.register("l1_claimWithdrawal") { call in
            try call.params.expectAtMost(1)
            let (w, proof) = try L1Methods.read(call.params, 0) { r throws(L1JSONReader.Failure) in try r.withdrawal() }
            return .success(L1JSON.outcome(try node.submit(.claimWithdrawal(w, proof: proof))))
        }
        router.register("l1_mine") { call in
            try call.params.expectAtMost(1)
            let count = try L1Methods.optionalIndex(call.params, 0) ?? 1
            return .success(L1JSON.outcome(try node.submit(.mine(count: count, timestamp: now()))))
        }
    }

    /// A hex quantity or a plain JSON integer.
    static func optionalIndex(_ params: JSONRPCParams, _ i: Int) throws(JSONRPCParamsError) -> UInt64? {
        guard let v = try params.optional(i) else { return nil }
        if let n = v.uint64Value { return n }
        return try params.quantity(i)
    }

    static func index(_ params: JSONRPCParams, _ i: Int) throws(JSONRPCParamsError) -> UInt64 {
        guard let n = try optionalIndex(params, i) else { throw .missing(index: i) }
        return n
    }

    static func address(_ params: JSONRPCParams, _ i: Int) throws(JSONRPCParamsError) -> Address {
        let s = try params.string(i)
        guard let a = Address(hex: s) else { throw .invalid(index: i, reason: "expected a 20-byte address, got \(s)") }
        return a
    }

    static func read<T>(_ params: JSONRPCParams, _ i: Int,
                        _ body: (L1JSONReader) throws(L1JSONReader.Failure) -> T) throws(JSONRPCParamsError) -> T {
        let v = try params.required(i)
        guard case .object = v else { throw .invalid(index: i, reason: "expected an object, got \(v.kindName)") }
        do throws(L1JSONReader.Failure) { return try body(L1JSONReader(v, context: "argument \(i)")) } catch {
            throw .invalid(index: i, reason: error.message)
        }
    }
}
