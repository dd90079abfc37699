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

/// A sealed L2 block: its header, its hash and its executed transactions.
public struct L2Block: Sendable {
    public let header: L2BlockHeader
    public let hash: Hash32
    public let transactions: [ExecutedTransaction]

    public init(header: L2BlockHeader, transactions: [ExecutedTransaction]) {
        self.header = header
        self.hash = header.hash
        self.transactions = transactions
    }

    public var number: UInt64 { header.number }

    /// The withdrawals of this block, in tree order.
    public var withdrawals: [Withdrawal] { transactions.compactMap(\.receipt.withdrawal) }
}
