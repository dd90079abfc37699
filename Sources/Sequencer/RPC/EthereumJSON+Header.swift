import JSON
import Rollup

extension EthereumJSON {
    /// A block header as a `newHeads` notification carries it, with geth's
    /// header fields only: ``block(_:fullTransactions:to:)`` without the body
    /// (`transactions`, `uncles`), `size`, `totalDifficulty` and the L2 fields
    /// (`l1OriginNumber`, `l2WithdrawalsRoot`; `eth_getBlockByNumber` has them).
    /// Clients such as web3.py recognise a header by its set of keys.
    static func header(_ b: L2Block, to w: inout JSONWriter) {
        w.beginObject()
        headerMembers(b, to: &w)
        w.endObject()
    }

    /// The members every header has, in geth's shape; `block` adds the body and the L2 fields.
    static func headerMembers(_ b: L2Block, to w: inout JSONWriter) {
        let h = b.header
        member("number", h.number, &w)
        member("hash", b.hash, &w)
        member("parentHash", h.parentHash, &w)
        member("nonce", "0x0000000000000000", &w)
        member("sha3Uncles", emptyUnclesHash, &w)
        member("logsBloom", emptyBloom, &w)
        member("transactionsRoot", h.transactionsRoot, &w)
        member("stateRoot", h.stateRoot, &w)
        member("receiptsRoot", h.receiptsRoot, &w)
        member("miner", h.feeRecipient, &w)
        member("difficulty", UInt64(0), &w)
        member("extraData", "0x", &w)
        member("gasLimit", h.gasLimit, &w)
        member("gasUsed", h.gasUsed, &w)
        member("timestamp", h.timestamp, &w)
        member("baseFeePerGas", h.baseFeePerGas, &w)
        member("mixHash", zeroHash, &w)
    }
}
