import Ethereum
import JSON
import JSONRPC
import Primitives
import Rollup

/// The Ethereum JSON-RPC methods wallets call (DESIGN.md §7), answered
/// from the `ChainStore` on the I/O threads; only submissions cross to the
/// sequencer thread.
struct EthereumMethods: Sendable {
    let store: ChainStore
    let runtime: SequencerRuntime
    let admission: Admission
    let clientVersion: String
    let accounts: [Address]
    /// Suggested priority fee, in wei.
    let suggestedTip: UInt256

    func register(into router: inout JSONRPCRouter) {
        let chainID = "0x" + String(runtime.chain.chainID, radix: 16)
        let store = store
        router.register("eth_chainId") { _ in .success(.string(chainID)) }
        router.register("net_version") { [runtime] _ in .success(.string(String(runtime.chain.chainID))) }
        router.register("web3_clientVersion") { [clientVersion] _ in .success(.string(clientVersion)) }
        router.register("eth_syncing") { _ in .success(.bool(false)) }
        router.register("eth_mining") { _ in .success(.bool(true)) }
        router.register("net_listening") { _ in .success(.bool(true)) }
        router.register("net_peerCount") { _ in .success(.string("0x0")) }
        router.register("eth_accounts") { [accounts] _ in .success(.array(accounts.map { .string($0.checksummed) })) }
        router.register("eth_blockNumber") { _ in Self.quantity(store.headNumber) }
        router.register("eth_gasPrice") { [suggestedTip] _ in Self.quantity(store.baseFee + suggestedTip) }
        router.register("eth_maxPriorityFeePerGas") { [suggestedTip] _ in Self.quantity(suggestedTip) }
        router.register("eth_getBalance") { call in
            let address = try RPCHex.address(call.params, 0)
            return Self.quantity(try self.account(address, try BlockTag.parse(call.params, 1)).balance)
        }
        router.register("eth_getTransactionCount") { call in
            let address = try RPCHex.address(call.params, 0)
            let tag = try BlockTag.parse(call.params, 1)
            if tag == .pending { return Self.quantity(store.pendingNonce(address)) }
            return Self.quantity(try self.account(address, tag).nonce)
        }
        router.register("eth_getCode") { call in
            _ = try RPCHex.address(call.params, 0)
            _ = try BlockTag.parse(call.params, 1)
            return .success(.string("0x"))
        }
        router.register("eth_getStorageAt") { call in
            _ = try RPCHex.address(call.params, 0)
            guard let slot = call.params[1]?.stringValue, RPCHex.quantity256(slot) != nil || Hash32(hex: slot) != nil else {
                throw JSONRPCError.invalidParams("invalid argument 1: expected a storage slot as a hex quantity")
            }
            _ = try BlockTag.parse(call.params, 2)
            return .success(.string(EthereumJSON.zeroHash))
        }
        router.register("eth_call") { call in
            _ = try CallRequest(call.params, 0)
            _ = try BlockTag.parse(call.params, 1)
            return .success(.string("0x"))
        }
        router.register("eth_estimateGas") { call in
            let request = try CallRequest(call.params, 0)
            return Self.quantity(try request.estimateGas(store: store))
        }
        router.register("eth_getBlockByNumber") { call in
            let full = try Self.fullTransactions(call.params)
            let tag = try BlockTag.parse(call.params, 0)
            if case .hash = tag { throw JSONRPCError.invalidParams("invalid argument 0: expected a block number or tag; use eth_getBlockByHash for a hash") }
            guard let block = self.block(tag) else { return .success(.null) }
            var w = JSONWriter(capacity: 1024)
            EthereumJSON.block(block, fullTransactions: full, to: &w)
            return .raw(w.bytes)
        }
        router.register("eth_getBlockByHash") { call in
            let full = try Self.fullTransactions(call.params)
            guard let block = store.block(hash: try RPCHex.hash(call.params, 0)) else { return .success(.null) }
            var w = JSONWriter(capacity: 1024)
            EthereumJSON.block(block, fullTransactions: full, to: &w)
            return .raw(w.bytes)
        }
        router.register("eth_getBlockTransactionCountByNumber") { call in
            guard let block = self.block(try BlockTag.parse(call.params, 0)) else { return .success(.null) }
            return Self.quantity(UInt64(block.transactions.count))
        }
        router.register("eth_getBlockTransactionCountByHash") { call in
            guard let block = store.block(hash: try RPCHex.hash(call.params, 0)) else { return .success(.null) }
            return Self.quantity(UInt64(block.transactions.count))
        }
        router.register("eth_getTransactionByHash") { call in
            let hash = try RPCHex.hash(call.params, 0)
            var w = JSONWriter(capacity: 768)
            if let record = store.transaction(hash) {
                let sealed = record.blockHash != nil
                EthereumJSON.transaction(record.executed.transaction, sender: record.executed.sender,
                                         blockHash: record.blockHash, blockNumber: sealed ? record.position.blockNumber : nil,
                                         index: sealed ? record.position.index : nil,
                                         effectiveGasPrice: sealed ? record.executed.receipt.effectiveGasPrice : nil, to: &w)
            } else if let queued = store.queuedTransaction(hash) {
                EthereumJSON.transaction(queued.transaction, sender: queued.sender, blockHash: nil, blockNumber: nil,
                                         index: nil, effectiveGasPrice: nil, to: &w)
            } else {
                return .success(.null)
            }
            return .raw(w.bytes)
        }
        router.register("eth_getTransactionReceipt") { call in
            let hash = try RPCHex.hash(call.params, 0)
            guard let record = store.transaction(hash), let blockHash = record.blockHash else { return .success(.null) }
            var w = JSONWriter(capacity: 1024)
            EthereumJSON.receipt(record, blockHash: blockHash, confirmation: store.confirmation(of: record.position.blockNumber), to: &w)
            return .raw(w.bytes)
        }
        router.register("eth_feeHistory") { call in try self.feeHistory(call.params) }
        router.registerDeferred("eth_sendRawTransaction") { call, respond in
            try admission.submit(call.params, respond: respond) { hash, _ in .success(.string(hash.description)) }
        }
    }

    /// Parameter 1 of the block getters: absent means false, anything but a boolean is refused.
    static func fullTransactions(_ params: JSONRPCParams) throws(JSONRPCError) -> Bool {
        guard let value = params[1], value != .null else { return false }
        guard let b = value.boolValue else { throw .invalidParams("invalid argument 1: expected true or false (full transactions)") }
        return b
    }

    static func quantity(_ v: UInt64) -> JSONRPCResult { .success(.string("0x" + String(v, radix: 16))) }
    static func quantity(_ v: UInt256) -> JSONRPCResult { .success(.string(v.hexQuantity)) }

    func account(_ address: Address, _ tag: BlockTag) throws(JSONRPCError) -> Account {
        switch tag {
        case .pending: return store.account(address, pending: true)
        case .latest: return store.account(address, pending: false)
        default:
            guard let number = blockNumber(tag) else { throw JSONRPCError.server("header not found", code: -32000) }
            if number == store.headNumber { return store.account(address, pending: false) }
            guard let account = store.account(address, atBlock: number) else {
                throw ReadError.stateUnavailable(block: number).jsonRPCError
            }
            return account
        }
    }

    func blockNumber(_ tag: BlockTag) -> UInt64? {
        switch tag {
        case .latest, .pending: store.headNumber
        case .safe: store.safeNumber
        case .finalized: store.finalizedNumber
        case .earliest: 0
        case let .number(n): n <= store.headNumber ? n : nil
        case let .hash(h): store.block(hash: h)?.number
        }
    }

    func block(_ tag: BlockTag) -> L2Block? {
        blockNumber(tag).flatMap { store.block(number: $0) }
    }

    func feeHistory(_ params: JSONRPCParams) throws(JSONRPCError) -> JSONRPCResult {
        let countValue = params[0]
        let count: UInt64
        if let s = countValue?.stringValue, let n = RPCHex.quantity(s) { count = n }
        else if let n = countValue?.uint64Value { count = n }
        else { throw .invalidParams("invalid argument 0: expected a block count") }
        guard count >= 1, count <= 1024 else { throw .invalidParams("invalid argument 0: block count must be 1…1024") }
        guard let newest = blockNumber(try BlockTag.parse(params, 1)) else { throw .server("header not found", code: -32000) }
        let percentiles = (params[2]?.arrayValue ?? []).compactMap(\.doubleValue)
        let oldest = newest + 1 >= count ? newest + 1 - count : 0
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        EthereumJSON.member("oldestBlock", oldest, &w)
        var baseFees: [UInt256] = []
        var ratios: [Double] = []
        var rewards: [[UInt256]] = []
        for n in oldest...newest {
            guard let b = store.block(number: n) else { continue }
            baseFees.append(b.header.baseFeePerGas)
            ratios.append(b.header.gasLimit == 0 ? 0 : Double(b.header.gasUsed) / Double(b.header.gasLimit))
            let tips = b.transactions.map { $0.receipt.effectiveGasPrice - b.header.baseFeePerGas }.sorted()
            rewards.append(percentiles.map { p in tips.isEmpty ? .zero : tips[min(tips.count - 1, Int(Double(tips.count - 1) * p / 100))] })
        }
        if let last = store.block(number: newest) {
            baseFees.append(BaseFee.next(parentBaseFee: last.header.baseFeePerGas, parentGasUsed: last.header.gasUsed,
                                         configuration: runtime.chain))
        }
        w.writeKey("baseFeePerGas"); w.writeArray { w in for f in baseFees { EthereumJSON.write(f, to: &w) } }
        w.writeKey("gasUsedRatio"); w.writeArray { w in for r in ratios { w.writeNumber(JSONNumber(r) ?? JSONNumber(0)) } }
        if params[2] != nil {
            w.writeKey("reward")
            w.writeArray { w in for row in rewards { w.writeArray { w in for v in row { EthereumJSON.write(v, to: &w) } } } }
        }
        w.endObject()
        return .raw(w.bytes)
    }
}

extension ChainStore {
    /// The confirmation level of a block: preconfirmed, safe or finalized.
    public func confirmation(of blockNumber: UInt64) -> String {
        if blockNumber <= finalizedNumber && finalizedNumber > 0 { return "finalized" }
        if blockNumber <= safeNumber && safeNumber > 0 { return "safe" }
        return "preconfirmed"
    }
}
