import Primitives
import Trie

/// The first L2 block and state: funded accounts and nothing else.
public enum Genesis {
    /// The genesis block and state for `allocations` at `timestamp`.
    public static func make(allocations: [(Address, UInt256)], timestamp: UInt64,
                            configuration c: ChainConfiguration) -> (block: L2Block, state: WorldState) {
        let state = WorldState(allocations: allocations)
        let header = L2BlockHeader(
            parentHash: .zero, number: 0, timestamp: timestamp, l1OriginNumber: 0, baseFeePerGas: c.baseFeeFloor,
            gasLimit: c.blockGasLimit, gasUsed: 0, feeRecipient: c.feeRecipient, stateRoot: state.root,
            transactionsRoot: MerklePatriciaTrie.emptyRoot, receiptsRoot: MerklePatriciaTrie.emptyRoot,
            withdrawalsRoot: .zero, forcedQueueCursor: 0)
        return (L2Block(header: header, transactions: []), state)
    }
}
