import Ethereum
import JSON
import JSONRPC
import Primitives
import Rollup

/// The transaction-call object of `eth_call` and `eth_estimateGas`.
struct CallRequest: Sendable {
    var from: Address?
    var to: Address?
    var value: UInt256 = .zero
    var data: [UInt8] = []
    var accessList: [AccessListEntry] = []

    init(_ params: JSONRPCParams, _ index: Int) throws(JSONRPCError) {
        guard let object = params[index], object.objectValue != nil else {
            throw .invalidParams("invalid argument \(index): expected a transaction call object")
        }
        func field(_ name: String) -> String? { object[name]?.stringValue }
        if let s = field("from") {
            guard let a = Address(hex: s), s.count == 42 else { throw .invalidParams("invalid argument \(index): bad from address") }
            from = a
        }
        if let s = field("to") {
            guard let a = Address(hex: s), s.count == 42 else { throw .invalidParams("invalid argument \(index): bad to address") }
            to = a
        }
        if let s = field("value") {
            guard let v = RPCHex.quantity256(s) else { throw .invalidParams("invalid argument \(index): bad value") }
            value = v
        }
        if let s = field("input") ?? field("data") {
            guard let d = Hex.decode(s) else { throw .invalidParams("invalid argument \(index): bad input data") }
            data = d
        }
        if let list = object["accessList"]?.arrayValue {
            for entry in list {
                guard let a = entry["address"]?.stringValue.flatMap({ Address(hex: $0) }) else {
                    throw .invalidParams("invalid argument \(index): bad access list")
                }
                let keys = (entry["storageKeys"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { Hash32(hex: $0) } }
                accessList.append(AccessListEntry(address: a, storageKeys: keys))
            }
        }
    }

    /// Intrinsic gas: with no EVM, that is exactly what a transfer uses.
    func estimateGas(store: ChainStore) throws(JSONRPCError) -> UInt64 {
        guard let to else { throw JSONRPCError.server("contract creation is not supported", code: -32000) }
        if to == ChainConfiguration.withdrawalAddress && !(data.isEmpty || data.count == 20) {
            throw JSONRPCError.server(StateTransitionError.invalidWithdrawalRecipient(dataLength: data.count).message, code: -32000)
        }
        if let from, !value.isZero, store.account(from, pending: true).balance < value {
            throw JSONRPCError.server("insufficient funds for transfer", code: -32000)
        }
        let t = Transaction(type: accessList.isEmpty ? .legacy : .accessList, chainID: nil, nonce: 0,
                            maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 0, to: to, value: value,
                            data: data, accessList: accessList)
        return t.intrinsicGas
    }
}
