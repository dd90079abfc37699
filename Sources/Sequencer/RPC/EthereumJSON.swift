import Ethereum
import JSON
import Primitives
import Rollup

/// Writes blocks, transactions and receipts in the exact shapes geth
/// returns (hex quantities, null for what is unknown), so wallet libraries
/// parse them with no special cases.
enum EthereumJSON {
    static let emptyUnclesHash = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"
    static let zeroHash = "0x0000000000000000000000000000000000000000000000000000000000000000"
    static let emptyBloom = "0x" + String(repeating: "0", count: 512)

    static func write(_ v: UInt256, to w: inout JSONWriter) {
        if let small = v.uint64 { w.writeHexQuantity(small) } else { w.writeString(v.hexQuantity) }
    }

    static func member(_ key: String, _ v: UInt256, _ w: inout JSONWriter) { w.writeKey(key); write(v, to: &w) }
    static func member(_ key: String, _ v: UInt64, _ w: inout JSONWriter) { w.writeKey(key); w.writeHexQuantity(v) }
    static func member(_ key: String, _ s: String, _ w: inout JSONWriter) { w.writeKey(key); w.writeString(s) }
    static func member(_ key: String, _ h: Hash32, _ w: inout JSONWriter) { w.writeKey(key); w.writeString(h.description) }
    static func member(_ key: String, _ a: Address, _ w: inout JSONWriter) { w.writeKey(key); w.writeString(a.checksummed) }

    /// A transaction as `eth_getTransactionByHash` returns it; block fields are null while its block is open.
    static func transaction(_ tx: SignedTransaction, sender: Address, blockHash: Hash32?, blockNumber: UInt64?,
                            index: Int?, effectiveGasPrice: UInt256?, to w: inout JSONWriter) {
        let t = tx.transaction
        w.beginObject()
        w.writeKey("blockHash"); if let blockHash { w.writeString(blockHash.description) } else { w.writeNull() }
        w.writeKey("blockNumber"); if let blockNumber { w.writeHexQuantity(blockNumber) } else { w.writeNull() }
        member("from", sender, &w)
        member("gas", t.gasLimit, &w)
        member("gasPrice", effectiveGasPrice ?? t.maxFeePerGas, &w)
        if t.type == .dynamicFee {
            member("maxFeePerGas", t.maxFeePerGas, &w)
            member("maxPriorityFeePerGas", t.maxPriorityFeePerGas, &w)
        }
        member("hash", tx.hash, &w)
        w.writeKey("input"); w.writeHexBytes(t.data)
        member("nonce", t.nonce, &w)
        w.writeKey("to"); if let to = t.to { w.writeString(to.checksummed) } else { w.writeNull() }
        w.writeKey("transactionIndex"); if let index { w.writeHexQuantity(UInt64(index)) } else { w.writeNull() }
        member("value", t.value, &w)
        member("type", UInt64(t.type.rawValue), &w)
        if t.type != .legacy {
            w.writeKey("accessList")
            w.writeArray { w in
                for entry in t.accessList {
                    w.writeObject { w in
                        member("address", entry.address, &w)
                        w.writeKey("storageKeys")
                        w.writeArray { w in for k in entry.storageKeys { w.writeString(k.description) } }
                    }
                }
            }
        }
        if let chainID = t.chainID { member("chainId", chainID, &w) }
        member("v", tx.v, &w)
        member("r", tx.r, &w)
        member("s", tx.s, &w)
        if t.type != .legacy { member("yParity", UInt64(tx.yParity), &w) }
        w.endObject()
    }

    /// A receipt as `eth_getTransactionReceipt` returns it, plus the L2 confirmation level.
    static func receipt(_ record: TransactionRecord, blockHash: Hash32, confirmation: String, to w: inout JSONWriter) {
        let executed = record.executed
        let r = executed.receipt
        w.beginObject()
        member("blockHash", blockHash, &w)
        member("blockNumber", record.position.blockNumber, &w)
        w.writeKey("contractAddress"); w.writeNull()
        member("cumulativeGasUsed", r.cumulativeGasUsed, &w)
        member("effectiveGasPrice", r.effectiveGasPrice, &w)
        member("from", executed.sender, &w)
        member("gasUsed", r.gasUsed, &w)
        w.writeKey("logs"); w.writeArray { _ in }
        member("logsBloom", emptyBloom, &w)
        member("status", UInt64(1), &w)
        w.writeKey("to"); if let to = executed.transaction.transaction.to { w.writeString(to.checksummed) } else { w.writeNull() }
        member("transactionHash", executed.transaction.hash, &w)
        member("transactionIndex", UInt64(record.position.index), &w)
        member("type", UInt64(r.type.rawValue), &w)
        member("confirmation", confirmation, &w)
        if let wd = r.withdrawal {
            w.writeKey("withdrawal")
            w.writeObject { w in
                member("recipient", wd.recipient, &w)
                member("amount", wd.amount, &w)
                member("index", UInt64(wd.index), &w)
            }
        }
        w.endObject()
    }

    /// A block as `eth_getBlockByNumber` returns it, with hashes or full transactions.
    static func block(_ b: L2Block, fullTransactions: Bool, to w: inout JSONWriter) {
        let h = b.header
        w.beginObject()
        headerMembers(b, to: &w)
        member("totalDifficulty", UInt64(0), &w)
        member("size", UInt64(h.encoded.count + b.transactions.reduce(0) { $0 + $1.transaction.raw.count }), &w)
        member("l1OriginNumber", h.l1OriginNumber, &w)
        member("l2WithdrawalsRoot", h.withdrawalsRoot, &w)
        w.writeKey("transactions")
        w.writeArray { w in
            for (i, t) in b.transactions.enumerated() {
                if fullTransactions {
                    transaction(t.transaction, sender: t.sender, blockHash: b.hash, blockNumber: h.number, index: i,
                                effectiveGasPrice: t.receipt.effectiveGasPrice, to: &w)
                } else {
                    w.writeString(t.transaction.hash.description)
                }
            }
        }
        w.writeKey("uncles"); w.writeArray { _ in }
        w.endObject()
    }
}
