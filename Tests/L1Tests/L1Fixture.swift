import Ethereum
import L1
import Primitives
import Rollup
import Secp256k1

/// Helpers for L1 tests: dev keys, a sequencer that builds on the L1's
/// canonical head and signs its batches, and signed deposits.
enum L1Fixture {
    static let keys = DevAccounts.keys
    static let addresses = DevAccounts.addresses
    static let ether = UInt256(1_000_000_000_000_000_000)
    static let config = L1Configuration()

    static func transfer(from i: Int, nonce: UInt64, to: Address, value: UInt256) -> SignedTransaction {
        Transaction(chainID: 31337, nonce: nonce, maxPriorityFeePerGas: UInt256(1_000), maxFeePerGas: UInt256(1_000_000_000),
                    gasLimit: 21_000, to: to, value: value).signed(with: keys[i])
    }

    static func depositRequest(from i: Int, to: Address, amount: UInt256, nonce: UInt64, signer: Int? = nil) -> DepositRequest {
        let digest = L1Messages.depositDigest(from: addresses[i], to: to, amount: amount, nonce: nonce)
        return DepositRequest(from: addresses[i], to: to, amount: amount, nonce: nonce,
                              signature: PersonalMessage.sign(digest.bytes, with: keys[signer ?? i]))
    }

    /// One signed batch of one block on `chain`'s canonical head holding `txs`
    /// then the forced items `forced` (queue indexes, from the cursor).
    static func batch(on chain: L1Chain, txs: [SignedTransaction], forced: Int = 0, timestamp: UInt64? = nil,
                      key: Secp256k1.PrivateKey = L1Configuration.devSequencerKey) throws -> (bytes: [UInt8], signature: [UInt8], block: L2Block) {
        let c = chain.canonical
        var b = BlockBuilder(parent: c.head, state: c.state, timestamp: timestamp ?? c.head.timestamp + 1,
                             l1OriginNumber: chain.head.number, configuration: chain.configuration.chain)
        for tx in txs { try b.apply(tx, sender: try tx.recoverSender()) }
        for i in 0..<forced { b.applyForced(c.queue[Int(c.forcedQueueCursor) + i].item) }
        let block = b.seal()
        let batch = Batch(chainID: 31337, previousBatchHash: c.lastBatchHash, blocks: [block])
        return (batch.encoded(), PersonalMessage.sign(batch.hash.bytes, with: key), block)
    }
}
