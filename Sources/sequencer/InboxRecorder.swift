import L1
import Primitives
import Rollup
import Synchronization

/// An inbox entry without its batch bytes: which kind, which L1 block,
/// which L2 blocks.
struct InboxSummary: Sendable {
    let index: UInt64
    let isBatch: Bool
    let l1BlockNumber: UInt64
    let firstL2Block: UInt64
    let lastL2Block: UInt64
}

/// An `L1Client` that forwards to another and keeps a summary of every inbox
/// entry it reads, so one derivation also yields the batch list.
final class InboxRecorder<Base: L1Client>: L1Client {
    let base: Base
    private let seen = Mutex<[UInt64: InboxSummary]>([:])

    init(_ base: Base) { self.base = base }

    /// The entries read so far, in inbox order.
    var entries: [InboxSummary] { seen.withLock { $0.values.sorted { $0.index < $1.index } } }

    func inbox(from index: UInt64, limit: Int) throws(L1ClientError) -> [InboxEntry] {
        let page = try base.inbox(from: index, limit: limit)
        seen.withLock { seen in
            for e in page {
                let isBatch = if case .batch = e.kind { true } else { false }
                seen[e.index] = InboxSummary(index: e.index, isBatch: isBatch, l1BlockNumber: e.l1BlockNumber,
                                             firstL2Block: e.firstL2Block, lastL2Block: e.lastL2Block)
            }
        }
        return page
    }

    func parameters() throws(L1ClientError) -> L1Parameters { try base.parameters() }
    func blockNumber() throws(L1ClientError) -> UInt64 { try base.blockNumber() }
    func block(_ number: UInt64?) throws(L1ClientError) -> L1Block { try base.block(number) }
    func balance(of address: Address) throws(L1ClientError) -> UInt256 { try base.balance(of: address) }
    func nonce(of address: Address) throws(L1ClientError) -> UInt64 { try base.nonce(of: address) }
    func l2Head() throws(L1ClientError) -> L2HeadStatus { try base.l2Head() }
    func queue(from index: UInt64, limit: Int) throws(L1ClientError) -> [QueueEntry] { try base.queue(from: index, limit: limit) }
    func postBatch(_ batch: [UInt8], signature: [UInt8]) throws(L1ClientError) -> L1Outcome { try base.postBatch(batch, signature: signature) }
    func enqueueTransaction(_ raw: [UInt8]) throws(L1ClientError) -> L1Outcome { try base.enqueueTransaction(raw) }
    func deposit(_ request: DepositRequest) throws(L1ClientError) -> L1Outcome { try base.deposit(request) }
    func forceInclude() throws(L1ClientError) -> L1Outcome { try base.forceInclude() }
    func claimWithdrawal(_ withdrawal: Withdrawal, proof: [Hash32]) throws(L1ClientError) -> L1Outcome {
        try base.claimWithdrawal(withdrawal, proof: proof)
    }
    func mine(_ count: UInt64) throws(L1ClientError) -> L1Outcome { try base.mine(count) }
}
