import Ethereum
import Primitives

/// A transaction as executed: who sent it and what it did.
public struct ExecutedTransaction: Sendable, Hashable {
    public let transaction: SignedTransaction
    public let sender: Address
    public let receipt: Receipt

    public init(transaction: SignedTransaction, sender: Address, receipt: Receipt) {
        self.transaction = transaction
        self.sender = sender
        self.receipt = receipt
    }
}

/// A sealed L2 block: its header, its hash, its executed transactions
/// (sequenced and forced ones that ran) and all its items in order
/// (including deposits and skipped forced items).
public struct L2Block: Sendable {
    public let header: L2BlockHeader
    public let hash: Hash32
    public let transactions: [ExecutedTransaction]
    /// Every item in execution order; what a batch carries.
    public let items: [BlockItem]

    /// A block of `transactions`; `items` defaults to them, all sequenced.
    public init(header: L2BlockHeader, transactions: [ExecutedTransaction], items: [BlockItem]? = nil) {
        self.header = header
        self.hash = header.hash
        self.transactions = transactions
        self.items = items ?? transactions.map { .sequenced($0.transaction) }
    }

    /// The forced items of this block with their outcomes.
    public var forced: [ForcedInclusion] {
        items.compactMap { if case .forced(let f) = $0 { f } else { nil } }
    }

    public var number: UInt64 { header.number }

    /// The withdrawals of this block, in tree order.
    public var withdrawals: [Withdrawal] { transactions.compactMap(\.receipt.withdrawal) }
}
