import Ethereum
import Primitives
import Rollup

/// A sequencer in miniature for derivation tests: builds blocks on the
/// canonical chain's head the way the real one will, and batches them.
struct MiniSequencer {
    var head: L2BlockHeader
    var state: WorldState
    var lastBatchHash: Hash32 = .zero
    var nonces: [Int: UInt64] = [:]

    init(_ chain: CanonicalChain) {
        head = chain.head
        state = chain.state
        lastBatchHash = chain.lastBatchHash
    }

    mutating func transfer(from i: Int, to: Address, value: UInt256, data: [UInt8] = [], gas: UInt64 = 21_000) -> SignedTransaction {
        let n = nonces[i, default: state[Fixture.addresses[i]].nonce]
        nonces[i] = n + 1
        return Fixture.transfer(from: i, nonce: n, to: to, value: value, gas: gas, data: data)
    }

    /// Seals one block of `items` (forced ones taken from `queue`) on the head.
    mutating func block(_ items: [Either], queue: [QueuedForcedItem] = [], timestamp: UInt64? = nil, l1Origin: UInt64 = 0) -> L2Block {
        var b = BlockBuilder(parent: head, state: state, timestamp: timestamp ?? head.timestamp + 1, l1OriginNumber: l1Origin,
                             configuration: Fixture.config)
        for item in items {
            switch item {
            case .tx(let tx): try! b.apply(tx, sender: try! tx.recoverSender())
            case .forced(let q): b.applyForced(queue[Int(q)].item)
            }
        }
        let block = b.seal()
        head = block.header
        state = b.state
        return block
    }

    mutating func batch(_ blocks: [L2Block]) -> Batch {
        let batch = Batch(chainID: Fixture.config.chainID, previousBatchHash: lastBatchHash, blocks: blocks)
        lastBatchHash = batch.hash
        return batch
    }

    enum Either {
        case tx(SignedTransaction)
        case forced(UInt64)
    }
}

extension Fixture {
    static func chain(delay: UInt64 = 10) -> CanonicalChain {
        let g = genesis()
        return CanonicalChain(genesis: g.block, state: g.state, configuration: config, forceInclusionDelay: delay)
    }
}
