import Ethereum
import JSON
import JSONRPC
import Primitives
import Rollup

/// The transaction object of `eth_sendTransaction`, with the blanks filled
/// the way a dev node fills them: the sender's next nonce, the intrinsic
/// gas, a tip of `suggestedTip` and a fee cap of twice the base fee plus the tip.
struct TransactionRequest: Sendable {
    var from: Address
    var transaction: Transaction

    init(_ params: JSONRPCParams, store: ChainStore, chain: ChainConfiguration, suggestedTip: UInt256) throws(JSONRPCError) {
        guard let object = params[0], object.objectValue != nil else {
            throw .invalidParams("invalid argument 0: expected a transaction object")
        }
        func field(_ name: String) -> String? { object[name]?.stringValue }
        func quantity256(_ name: String) throws(JSONRPCError) -> UInt256? {
            guard let s = field(name) else { return nil }
            guard let v = RPCHex.quantity256(s) else { throw .invalidParams("invalid argument 0: bad \(name) (expected a hex quantity)") }
            return v
        }
        func quantity(_ name: String) throws(JSONRPCError) -> UInt64? {
            guard let s = field(name) else { return nil }
            guard let v = RPCHex.quantity(s) else { throw .invalidParams("invalid argument 0: bad \(name) (expected a hex quantity)") }
            return v
        }
        guard let fromText = field("from"), let from = Address(hex: fromText), fromText.count == 42 else {
            throw .invalidParams("invalid argument 0: from must be a 20-byte hex address")
        }
        guard let toText = field("to") else { throw .server("contract creation is not supported", code: -32000) }
        guard let to = Address(hex: toText), toText.count == 42 else { throw .invalidParams("invalid argument 0: bad to address") }
        var data: [UInt8] = []
        if let s = field("input") ?? field("data") {
            guard let d = Hex.decode(s) else { throw .invalidParams("invalid argument 0: bad input data") }
            data = d
        }
        if let chainID = try quantity("chainId"), chainID != chain.chainID {
            throw .invalidParams("invalid argument 0: chainId \(chainID) is not this chain's (\(chain.chainID))")
        }
        let value = try quantity256("value") ?? .zero
        let nonce = try quantity("nonce") ?? store.pendingNonce(from)
        let gasPrice = try quantity256("gasPrice")
        let legacy = gasPrice != nil && field("maxFeePerGas") == nil && field("maxPriorityFeePerGas") == nil
        let tip = try quantity256("maxPriorityFeePerGas") ?? gasPrice ?? suggestedTip
        let feeCap = try quantity256("maxFeePerGas") ?? gasPrice ?? (store.baseFee + store.baseFee + tip)
        var t = Transaction(type: legacy ? .legacy : .dynamicFee, chainID: chain.chainID, nonce: nonce,
                            maxPriorityFeePerGas: legacy ? feeCap : tip, maxFeePerGas: feeCap, gasLimit: 0, to: to,
                            value: value, data: data)
        t.gasLimit = try quantity("gas") ?? t.intrinsicGas
        self.from = from
        self.transaction = t
    }
}
