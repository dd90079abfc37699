import Ethereum
import Primitives
import Trie

/// Builds one L2 block: opened on a parent and a state, fed transactions in
/// their final order, then sealed into a block with every root computed.
/// Deterministic: the same parent, state, timestamp and transactions give
/// the same block hash for every party.
public struct BlockBuilder: Sendable {
    public let configuration: ChainConfiguration
    public let parent: L2BlockHeader
    public let l1OriginNumber: UInt64
    public private(set) var state: WorldState
    public private(set) var context: BlockContext
    public private(set) var executed: [ExecutedTransaction] = []

    public init(parent: L2BlockHeader, state: WorldState, timestamp: UInt64, l1OriginNumber: UInt64, configuration: ChainConfiguration) {
        self.configuration = configuration
        self.parent = parent
        self.l1OriginNumber = l1OriginNumber
        self.state = state
        let baseFee = BaseFee.next(parentBaseFee: parent.baseFeePerGas, parentGasUsed: parent.gasUsed, configuration: configuration)
        self.context = BlockContext(number: parent.number + 1, timestamp: Swift.max(timestamp, parent.timestamp),
                                    baseFee: baseFee, gasLimit: configuration.blockGasLimit)
    }

    public var number: UInt64 { context.number }
    public var timestamp: UInt64 { context.timestamp }
    public var baseFee: UInt256 { context.baseFee }
    public var isEmpty: Bool { executed.isEmpty }

    /// Executes `tx` as the next transaction of the block.
    @discardableResult
    public mutating func apply(_ tx: SignedTransaction, sender: Address) throws(StateTransitionError) -> Receipt {
        let receipt = try StateTransition.apply(tx, sender: sender, to: &state, block: &context, configuration: configuration)
        executed.append(ExecutedTransaction(transaction: tx, sender: sender, receipt: receipt))
        return receipt
    }

    /// Seals the block: computes the transactions, receipts, withdrawals and
    /// state roots. Call on the state's owner thread (the root fills caches).
    public func seal(forcedQueueCursor: UInt64? = nil) -> L2Block {
        let header = L2BlockHeader(
            parentHash: parent.hash, number: context.number, timestamp: context.timestamp,
            l1OriginNumber: l1OriginNumber, baseFeePerGas: context.baseFee, gasLimit: context.gasLimit,
            gasUsed: context.gasUsed, feeRecipient: configuration.feeRecipient, stateRoot: state.root,
            transactionsRoot: MerklePatriciaTrie.orderedListRoot(executed.map(\.transaction.raw)),
            receiptsRoot: MerklePatriciaTrie.orderedListRoot(executed.map(\.receipt.consensusEncoding)),
            withdrawalsRoot: WithdrawalTree.root(executed.compactMap { $0.receipt.withdrawal?.leafHash }),
            forcedQueueCursor: forcedQueueCursor ?? parent.forcedQueueCursor)
        return L2Block(header: header, transactions: executed)
    }
}
