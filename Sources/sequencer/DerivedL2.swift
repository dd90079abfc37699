import Ethereum
import L1
import Primitives
import Rollup
import Sequencer

/// The L2 chain as L1 data alone defines it (`L1Derivation`), with what the
/// wallet needs beyond the `CanonicalChain`: each block's transaction
/// hashes and withdrawals, and the inbox entries that made blocks canonical.
struct DerivedL2 {
    let chain: CanonicalChain
    let parameters: L1Parameters
    /// The L1 head when derivation ran.
    let l1Head: UInt64
    /// Index = L2 block number: the hashes of the block's executed transactions, in order.
    let transactions: [[Hash32]]
    /// The withdrawals of each block that has any, in tree order.
    let withdrawals: [UInt64: [Withdrawal]]
    let inbox: [InboxSummary]

    /// Derives the chain `client`'s L1 holds, assuming the dev genesis and the L1's own parameters.
    static func derive(from client: some L1Client) throws(DerivationError) -> DerivedL2 {
        let recorder = InboxRecorder(client)
        let parameters: L1Parameters, l1Head: UInt64
        do throws(L1ClientError) {
            parameters = try client.parameters()
            l1Head = try client.blockNumber()
        } catch {
            throw .client(error)
        }
        var configuration = L1Configuration(sequencerAddress: parameters.sequencerAddress,
                                            forceInclusionDelay: parameters.forceInclusionDelay,
                                            finalityDepth: parameters.finalityDepth, chainID: parameters.l2ChainID,
                                            l2Allocations: parameters.l2Genesis.map { ($0.address, $0.balance) })
        configuration.chain.allowsDevOperations = parameters.devOperations
        var transactions: [[Hash32]] = [[]]
        var withdrawals: [UInt64: [Withdrawal]] = [:]
        let chain = try L1Derivation.derive(from: recorder, configuration: configuration) { block in
            transactions.append(block.transactions.map(\.transaction.hash))
            let w = block.withdrawals
            if !w.isEmpty { withdrawals[block.number] = w }
        }
        return DerivedL2(chain: chain, parameters: parameters, l1Head: max(l1Head, chain.records.last?.l1BlockNumber ?? 0),
                         transactions: transactions, withdrawals: withdrawals, inbox: recorder.entries)
    }

    /// The highest L2 block whose L1 block is `finalityDepth` deep.
    var finalizedBlockNumber: UInt64 { chain.highestBlock(finalizedAt: l1Head, depth: parameters.finalityDepth) }

    /// How many accepted batches the inbox holds.
    var batchCount: Int { inbox.filter(\.isBatch).count }

    /// The inbox entry that made L2 block `number` canonical.
    func inboxEntry(holding number: UInt64) -> InboxSummary? {
        inbox.first { $0.firstL2Block <= number && number <= $0.lastL2Block }
    }

    /// Where transaction `hash` sits in the derived chain, if anywhere.
    func position(of hash: Hash32) -> ChainPosition? {
        for (number, hashes) in transactions.enumerated() {
            if let index = hashes.firstIndex(of: hash) { return ChainPosition(blockNumber: UInt64(number), index: index) }
        }
        return nil
    }

    /// The nonce `address`'s next transaction needs, counting the queued
    /// transactions of `address` that the chain has not consumed yet (in
    /// queue order, each the next nonce), so several forced transactions
    /// can be queued before any is included.
    func pendingNonce(of address: Address) -> UInt64 {
        var nonce = chain.state[address].nonce
        for queued in chain.queue.dropFirst(Int(chain.forcedQueueCursor)) {
            guard case .transaction(let forced) = queued.item,
                  let tx = try? SignedTransaction.decode(forced.raw),
                  tx.transaction.nonce == nonce, (try? tx.recoverSender()) == address else { continue }
            nonce += 1
        }
        return nonce
    }
}
