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
    /// Every item in execution order: sequenced transactions and forced items.
    public private(set) var items: [BlockItem] = []
    /// Queue items consumed by the chain once this block is sealed.
    public private(set) var forcedQueueCursor: UInt64
    private var leaves: [[UInt8]] = []

    public init(parent: L2BlockHeader, state: WorldState, timestamp: UInt64, l1OriginNumber: UInt64, configuration: ChainConfiguration) {
        self.configuration = configuration
        self.parent = parent
        self.l1OriginNumber = l1OriginNumber
        self.state = state
        self.forcedQueueCursor = parent.forcedQueueCursor
        let baseFee = BaseFee.next(parentBaseFee: parent.baseFeePerGas, parentGasUsed: parent.gasUsed, configuration: configuration)
        self.context = BlockContext(number: parent.number + 1, timestamp: Swift.max(timestamp, parent.timestamp),
                                    baseFee: baseFee, gasLimit: configuration.blockGasLimit)
    }

    public var number: UInt64 { context.number }
    public var timestamp: UInt64 { context.timestamp }
    public var baseFee: UInt256 { context.baseFee }
    public var isEmpty: Bool { items.isEmpty }

    /// Executes `tx` as the next transaction of the block.
    @discardableResult
    public mutating func apply(_ tx: SignedTransaction, sender: Address) throws(StateTransitionError) -> Receipt {
        let receipt = try StateTransition.apply(tx, sender: sender, to: &state, block: &context, configuration: configuration)
        executed.append(ExecutedTransaction(transaction: tx, sender: sender, receipt: receipt))
        items.append(.sequenced(tx))
        leaves.append(tx.raw)
        return receipt
    }

    /// Applies the next item of the forced-inclusion queue: a deposit mints
    /// its amount to the recipient; a forced transaction runs through the same
    /// `StateTransition` as sequenced ones, and when it is malformed or
    /// invalid it is skipped: it consumes its slot and changes no state.
    /// Precondition: `item.queueIndex == forcedQueueCursor` (queue order).
    @discardableResult
    public mutating func applyForced(_ item: ForcedItem) -> ForcedOutcome {
        precondition(item.queueIndex == forcedQueueCursor, "forced items must be applied in queue order")
        let outcome: ForcedOutcome
        switch item {
        case .deposit(let d):
            let (sum, overflow) = state[d.to].balance.addingReportingOverflow(d.amount)
            if overflow {
                outcome = .skipped(.balanceOverflow)
            } else {
                state[d.to].balance = sum
                outcome = .deposited
            }
        case .transaction(let t):
            outcome = executeForced(t.raw)
        }
        forcedQueueCursor += 1
        let inclusion = ForcedInclusion(item: item, outcome: outcome, position: items.count)
        items.append(.forced(inclusion))
        leaves.append(inclusion.leaf)
        return outcome
    }

    /// Applies a dev operation (dev chains only): sets a balance or a nonce,
    /// or executes a transaction from an impersonated sender without its signature.
    @discardableResult
    public mutating func applyDev(_ op: DevOperation) throws(StateTransitionError) -> Receipt? {
        guard configuration.allowsDevOperations else { throw .devOperationsNotAllowed }
        var receipt: Receipt?
        switch op {
        case let .setBalance(address, amount):
            state[address].balance = amount
        case let .setNonce(address, nonce):
            state[address].nonce = nonce
        case let .impersonated(tx, sender):
            let r = try StateTransition.apply(tx, sender: sender, to: &state, block: &context, configuration: configuration)
            executed.append(ExecutedTransaction(transaction: tx, sender: sender, receipt: r))
            receipt = r
        }
        items.append(.dev(op))
        leaves.append(op.leaf)
        return receipt
    }

    private mutating func executeForced(_ raw: [UInt8]) -> ForcedOutcome {
        do throws(StateTransitionError) {
            let tx: SignedTransaction
            let sender: Address
            do throws(TransactionDecodingError) {
                tx = try SignedTransaction.decode(raw)
                sender = try tx.recoverSender()
            } catch {
                throw .malformed(error)
            }
            let receipt = try StateTransition.apply(tx, sender: sender, to: &state, block: &context, configuration: configuration)
            executed.append(ExecutedTransaction(transaction: tx, sender: sender, receipt: receipt))
            return .executed(sender: sender, receipt: receipt)
        } catch {
            return .skipped(.invalidTransaction(error))
        }
    }

    /// Seals the block: computes the transactions, receipts, withdrawals and
    /// state roots. The transactions root covers every item in order (a
    /// forced item by its `ForcedInclusion.leaf`); the cursor defaults to
    /// the one the applied forced items reached. Call on the state's owner
    /// thread (the root fills caches).
    public func seal(forcedQueueCursor: UInt64? = nil) -> L2Block {
        let header = L2BlockHeader(
            parentHash: parent.hash, number: context.number, timestamp: context.timestamp,
            l1OriginNumber: l1OriginNumber, baseFeePerGas: context.baseFee, gasLimit: context.gasLimit,
            gasUsed: context.gasUsed, feeRecipient: configuration.feeRecipient, stateRoot: state.root,
            transactionsRoot: MerklePatriciaTrie.orderedListRoot(leaves),
            receiptsRoot: MerklePatriciaTrie.orderedListRoot(executed.map(\.receipt.consensusEncoding)),
            withdrawalsRoot: WithdrawalTree.root(executed.compactMap { $0.receipt.withdrawal?.leafHash }),
            forcedQueueCursor: forcedQueueCursor ?? self.forcedQueueCursor)
        return L2Block(header: header, transactions: executed, items: items)
    }
}
