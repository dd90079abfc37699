import Ethereum
import JSON
import Primitives

/// `seq_getTransactionStatus`'s answer. Block numbers, indexes and nonces
/// are hex quantities like every Ethereum method's; times (`atMs`) are JSON
/// integers in unix milliseconds.
enum TransactionStatusJSON {
    static func write(_ s: TransactionStatus, promise: PreConfirmation?) -> [UInt8] {
        var w = JSONWriter(capacity: 1024)
        w.writeObject { w in
            EthereumJSON.member("hash", s.hash, &w)
            EthereumJSON.member("stage", s.stage.rawValue, &w)
            w.writeKey("stages")
            w.writeArray { w in
                for m in s.history {
                    w.writeObject { w in
                        EthereumJSON.member("stage", m.stage.rawValue, &w)
                        w.writeKey("atMs"); if let t = m.atMillis { w.writeUInt64(t) } else { w.writeNull() }
                        if let b = m.l1BlockNumber { EthereumJSON.member("l1BlockNumber", b, &w) }
                    }
                }
            }
            if let a = s.sender { EthereumJSON.member("from", a, &w) }
            if let n = s.nonce { EthereumJSON.member("nonce", n, &w) }
            if let raw = s.raw { w.writeKey("raw"); w.writeHexBytes(raw) }
            if let p = s.position {
                EthereumJSON.member("blockNumber", p.blockNumber, &w)
                EthereumJSON.member("transactionIndex", UInt64(p.index), &w)
                w.writeKey("blockHash"); if let h = s.blockHash { w.writeString(h.description) } else { w.writeNull() }
            }
            if let q = s.forcedQueueIndex { EthereumJSON.member("forcedQueueIndex", q, &w) }
            if let wait = s.wait {
                w.writeKey("pending")
                w.writeObject { w in
                    EthereumJSON.member("reason", wait.reason.rawValue, &w)
                    EthereumJSON.member("detail", wait.detail, &w)
                    if let n = wait.expectedNonce { EthereumJSON.member("expectedNonce", n, &w) }
                    if let b = wait.sinceL2Block { EthereumJSON.member("waitingSinceL2Block", b, &w) }
                    EthereumJSON.member("blocksWithTransactionsSince", wait.blocksWithTransactionsSince, &w)
                    EthereumJSON.member("transactionsIncludedSince", wait.transactionsIncludedSince, &w)
                }
            }
            if let i = s.inclusion {
                w.writeKey("l1")
                w.writeObject { w in
                    EthereumJSON.member("kind", i.isBatch ? "batch" : "forcedInclusion", &w)
                    EthereumJSON.member("inboxIndex", i.inboxIndex, &w)
                    EthereumJSON.member("l1BlockNumber", i.l1BlockNumber, &w)
                    if let h = i.batchHash { EthereumJSON.member("batchHash", h, &w) }
                    EthereumJSON.member("firstL2Block", i.firstL2Block, &w)
                    EthereumJSON.member("lastL2Block", i.lastL2Block, &w)
                    if let f = s.finalAtL1Block { EthereumJSON.member("finalAtL1Block", f, &w) }
                }
            }
            if let r = s.reason { EthereumJSON.member("reason", r, &w) }
            if let b = s.broken {
                w.writeKey("brokenPreconfirmation")
                w.writeObject { w in
                    EthereumJSON.member("promisedBlockNumber", b.promised.blockNumber, &w)
                    EthereumJSON.member("promisedIndex", UInt64(b.promised.index), &w)
                    switch b.fate {
                    case let .moved(to):
                        EthereumJSON.member("fate", "moved", &w)
                        EthereumJSON.member("nowBlockNumber", to.blockNumber, &w)
                        EthereumJSON.member("nowIndex", UInt64(to.index), &w)
                    case .requeued:
                        EthereumJSON.member("fate", "requeued", &w)
                    case let .dropped(reason):
                        EthereumJSON.member("fate", "dropped", &w)
                        EthereumJSON.member("reason", reason, &w)
                    }
                    EthereumJSON.member("summary", b.summary, &w)
                }
            }
            if let promise {
                w.writeKey("preconfirmation")
                w.writeRaw(SequencerMethods.json(promise))
            }
            if let f = s.force {
                w.writeKey("forceInclusion")
                w.writeObject { w in
                    EthereumJSON.member("l1Head", f.l1Head, &w)
                    EthereumJSON.member("forceInclusionDelay", f.forceInclusionDelay, &w)
                    EthereumJSON.member("forceableFromL1Block", f.forceableFromL1Block, &w)
                    EthereumJSON.member("command", f.command, &w)
                    w.writeKey("l1Methods")
                    w.writeArray { w in for m in TransactionStatus.ForceRoute.l1Methods { w.writeString(m) } }
                }
            }
            EthereumJSON.member("l2Head", s.headNumber, &w)
            EthereumJSON.member("safeL2Block", s.safeNumber, &w)
            EthereumJSON.member("finalizedL2Block", s.finalizedNumber, &w)
            EthereumJSON.member("l1Head", s.l1Head, &w)
        }
        return w.bytes
    }
}
