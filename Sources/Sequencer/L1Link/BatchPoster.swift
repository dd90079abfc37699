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
                interval: Duration, log: NodeLog, gate: L1LinkGate = L1LinkGate()) {
        worker = PeriodicWorker(name: "batch-poster", interval: interval) {
            gate.withLock {
                _ = Self.step(l1: l1, store: store, key: key, chainID: chainID, limits: limits, log: log,
                              nowSeconds: UInt64(Date().timeIntervalSince1970))
            }
            InclusionTracker.step(l1: l1, store: store)
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
        guard let blocks = nextBatchBlocks(after: status.l2BlockNumber, headNumber: store.durableHeadNumber, limits: limits,
                                           nowSeconds: nowSeconds, block: store.block(number:)) else { return nil }
        let (batch, encoded, signature) = signedBatch(blocks, previousBatchHash: status.lastBatchHash, chainID: chainID, key: key)
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

extension BatchPoster {
    /// The decision of one step, without I/O: the sealed blocks after the
    /// L1's canonical head `l1Head` that go in the next batch (at most
    /// `maxBlocks`, stopping once `maxBytes` of transactions are in), or nil
    /// to wait until the oldest is `maxAge` old or a size limit is reached.
    /// `block` reads this node's sealed blocks. The running poster and the
    /// simulation both decide with it.
    public static func nextBatchBlocks(after l1Head: UInt64, headNumber: UInt64, limits: Limits, nowSeconds: UInt64,
                                       block: (UInt64) -> L2Block?) -> [L2Block]? {
        let first = l1Head + 1
        guard headNumber >= first else { return nil }
        var blocks: [L2Block] = []
        var bytes = 0
        var n = first
        while n <= headNumber, blocks.count < limits.maxBlocks, let b = block(n) {
            blocks.append(b)
            bytes += b.transactions.reduce(0) { $0 + $1.transaction.raw.count }
            n += 1
            if bytes >= limits.maxBytes { break }
        }
        guard let oldest = blocks.first else { return nil }
        let age = Duration.seconds(Int64(nowSeconds) - Int64(oldest.header.timestamp))
        // A block stamped ahead of the clock (dev time travel) would never age: post it now.
        let ahead = oldest.header.timestamp > nowSeconds
        // Forced items have a deadline on the L1: a block carrying one goes at once.
        let forced = blocks.contains { !$0.forced.isEmpty }
        guard bytes >= limits.maxBytes || age >= limits.maxAge || blocks.count >= limits.maxBlocks || ahead || forced else { return nil }
        return blocks
    }

    /// The batch of `blocks` following `previousBatchHash`, its encoding, and
    /// the sequencer's EIP-191 signature over its hash, as `postBatch` takes them.
    public static func signedBatch(_ blocks: [L2Block], previousBatchHash: Hash32, chainID: UInt64,
                                   key: Secp256k1.PrivateKey) -> (batch: Batch, encoded: [UInt8], signature: [UInt8]) {
        let batch = Batch(chainID: chainID, previousBatchHash: previousBatchHash, blocks: blocks)
        return (batch, batch.encoded(), PersonalMessage.sign(batch.hash.bytes, with: key))
    }
}
