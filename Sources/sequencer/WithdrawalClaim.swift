import Primitives
import Rollup

/// A withdrawal with its Merkle path to its block's withdrawals root: what
/// `l1_claimWithdrawal` takes.
struct WithdrawalClaim {
    let withdrawal: Withdrawal
    let proof: [Hash32]

    /// Which withdrawal to claim.
    enum Selector {
        /// The withdrawal made by this L2 transaction.
        case transaction(Hash32)
        /// The `index`-th withdrawal of L2 block `block`.
        case position(block: UInt64, index: Int)
        /// The most recent withdrawal paying this L1 address.
        case latest(recipient: Address)
    }

    /// Why no claim could be built.
    struct NotFound: Error, CustomStringConvertible {
        let description: String
    }

    /// Finds the selected withdrawal in `derived` and proves it against the
    /// withdrawals root of its canonical block.
    static func find(_ selector: Selector, in derived: DerivedL2) throws(NotFound) -> WithdrawalClaim {
        let block: UInt64, index: Int
        switch selector {
        case .transaction(let hash):
            guard let hit = derived.withdrawals.lazy.compactMap({ n, ws in ws.firstIndex { $0.transactionHash == hash }.map { (n, $0) } }).first else {
                throw NotFound(description: "no canonical L2 block (derived from L1) holds a withdrawal made by \(hash)")
            }
            (block, index) = hit
        case let .position(b, i):
            guard let ws = derived.withdrawals[b], ws.indices.contains(i) else {
                let count = derived.withdrawals[b]?.count ?? 0
                throw NotFound(description: derived.chain.record(b) == nil
                    ? "L2 block \(b) is not canonical on L1 yet (head \(derived.chain.head.number))"
                    : "L2 block \(b) has \(count) withdrawal(s); there is no index \(i)")
            }
            (block, index) = (b, i)
        case .latest(let recipient):
            let hits = derived.withdrawals.flatMap { n, ws in ws.indices.filter { ws[$0].recipient == recipient }.map { (n, $0) } }
            guard let last = hits.max(by: { ($0.0, $0.1) < ($1.0, $1.1) }) else {
                throw NotFound(description: "no withdrawal to \(recipient) in the chain derived from L1")
            }
            (block, index) = last
        }
        let withdrawals = derived.withdrawals[block]!
        let proof = WithdrawalTree.proof(withdrawals.map(\.leafHash), index: index)
        guard let record = derived.chain.record(block),
              WithdrawalTree.verify(leaf: withdrawals[index].leafHash, index: index, proof: proof, root: record.withdrawalsRoot) else {
            throw NotFound(description: "the proof for withdrawal \(index) of L2 block \(block) does not match its withdrawals root")
        }
        return WithdrawalClaim(withdrawal: withdrawals[index], proof: proof)
    }

    /// The L1 block from which the claim is accepted.
    func claimableAt(in derived: DerivedL2) -> UInt64? {
        derived.chain.record(withdrawal.l2BlockNumber).map { $0.l1BlockNumber + derived.parameters.finalityDepth }
    }
}
