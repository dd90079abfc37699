import Ethereum
import Foundation
import L1
import Primitives
import Rollup
import Secp256k1

/// Posts the sealed L2 blocks the L1 does not have yet as one batch, once
/// they are `maxAge` old or `maxBytes` large, signed by the sequencer's key
/// (EIP-191 over the batch hash). The L1 re-executes it; a refusal is
/// logged with its reason and retried on the next step from the L1's head.
public final class BatchPoster: Sendable {
    public struct Limits: Sendable {
        /// Post when the pending transactions' bytes reach this.
        public var maxBytes: Int
        /// Post when the oldest pending block is this old.
        public var maxAge: Duration
        /// At most this many blocks per batch.
        public var maxBlocks: Int

        public init(maxBytes: Int = 120_000, maxAge: Duration = .seconds(2), maxBlocks: Int = 1_000) {
            self.maxBytes = maxBytes
            self.maxAge = maxAge
            self.maxBlocks = maxBlocks
        }
    }

    private let worker: PeriodicWorker

    public init(l1: any L1Client, store: ChainStore, key: Secp256k1.PrivateKey, chainID: UInt64, limits: Limits,
                interval: Duration, log: NodeLog) {
        worker = PeriodicWorker(name: "batch-poster", interval: interval) {
            Self.step(l1: l1, store: store, key: key, chainID: chainID, limits: limits, log: log,
                      nowSeconds: UInt64(Date().timeIntervalSince1970))
        }
    }

    public func start() { worker.start() }
    public func stop() { worker.stop() }

    /// One decision: post now or wait. Returns the batch posted, if any.
    @discardableResult
    static func step(l1: any L1Client, store: ChainStore, key: Secp256k1.PrivateKey, chainID: UInt64, limits: Limits,
                     log: NodeLog, nowSeconds: UInt64) -> Batch? {
        guard let status = try? l1.l2Head() else { return nil }
        let first = status.l2BlockNumber + 1
        let head = store.headNumber
        guard head >= first else { return nil }
        var blocks: [L2Block] = []
        var bytes = 0
        var n = first
        while n <= head, blocks.count < limits.maxBlocks, let b = store.block(number: n) {
            blocks.append(b)
            bytes += b.transactions.reduce(0) { $0 + $1.transaction.raw.count }
            n += 1
            if bytes >= limits.maxBytes { break }
        }
        guard let oldest = blocks.first else { return nil }
        let age = Duration.seconds(Int64(nowSeconds) - Int64(oldest.header.timestamp))
        guard bytes >= limits.maxBytes || age >= limits.maxAge || blocks.count >= limits.maxBlocks else { return nil }
        let batch = Batch(chainID: chainID, previousBatchHash: status.lastBatchHash, blocks: blocks)
        let encoded = batch.encoded()
        let signature = PersonalMessage.sign(batch.hash.bytes, with: key)
        do {
            _ = try l1.postBatch(encoded, signature: signature)
            let txs = blocks.reduce(0) { $0 + $1.transactions.count }
            store.recordBatch(transactions: txs, bytes: encoded.count, lastBlock: blocks.last!.number)
            log.event("batch posted", ["blocks": "\(first)-\(blocks.last!.number)", "transactions": String(txs),
                                       "bytes": String(encoded.count),
                                       "bytesPerTransaction": txs == 0 ? "-" : String(format: "%.1f", Double(encoded.count) / Double(txs))])
            return batch
        } catch {
            log.event("batch refused", ["blocks": "\(first)-\(blocks.last!.number)", "error": "\(error)"], level: "error")
            return nil
        }
    }
}
