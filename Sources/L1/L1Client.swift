import Primitives
import Rollup

/// What the sequencer (batch poster, forced-queue watcher, reconciliation)
/// and `sequencer derive` need from the L1, over any transport. Two
/// implementations: `LocalL1Client` (in process, for the dev node and
/// tests) and `HTTPL1Client` (a separate `sequencer l1`). Both fail with
/// the same `L1ClientError` values for the same refusals.
///
/// All calls are blocking and synchronous, safe from any thread; run them
/// off the sequencer thread. Typical use:
/// - batch poster: `l2Head()` for `lastBatchHash` and the head number, then
///   `postBatch`; on `refused(reason: "wrongParent" | "outOfOrder")` re-read
///   the head (a forced inclusion may have moved it) and rebuild.
/// - forced-queue watcher: `queue(from: cursor, limit:)`, checking each
///   entry's `accumulator` against its own hash chain
///   (`Accumulator.next(previous, entry.item.hash)`); include items before `deadline`.
/// - derivation: `inbox(from:limit:)` and `queue(from:limit:)` in L1 order,
///   folding them into a `CanonicalChain` (see `L1Derivation`).
public protocol L1Client: Sendable {
    /// The L1's fixed parameters (sequencer address, delay, finality depth, L2 chain id).
    func parameters() throws(L1ClientError) -> L1Parameters
    /// The current L1 head number.
    func blockNumber() throws(L1ClientError) -> UInt64
    /// L1 block `number`, or the head when nil.
    func block(_ number: UInt64?) throws(L1ClientError) -> L1Block
    /// An L1 account's balance, in wei.
    func balance(of address: Address) throws(L1ClientError) -> UInt256
    /// The nonce the account's next signed L1 call (deposit) must carry.
    func nonce(of address: Address) throws(L1ClientError) -> UInt64
    /// The canonical L2 head with safe/finalized numbers, cursors and accumulators.
    func l2Head() throws(L1ClientError) -> L2HeadStatus
    /// Forced-queue entries from `index`, at most `limit`, in queue order.
    func queue(from index: UInt64, limit: Int) throws(L1ClientError) -> [QueueEntry]
    /// Inbox entries (batches and forced inclusions) from `index`, at most `limit`.
    func inbox(from index: UInt64, limit: Int) throws(L1ClientError) -> [InboxEntry]
    /// SequencerInbox.postBatch: `signature` is the sequencer's EIP-191 signature over the batch hash.
    func postBatch(_ batch: [UInt8], signature: [UInt8]) throws(L1ClientError) -> L1Outcome
    /// ForcedInclusionQueue.enqueueTransaction.
    func enqueueTransaction(_ raw: [UInt8]) throws(L1ClientError) -> L1Outcome
    /// ForcedInclusionQueue.deposit (signed by `request.from`, see `L1Messages`).
    func deposit(_ request: DepositRequest) throws(L1ClientError) -> L1Outcome
    /// ForcedInclusionQueue.forceInclude.
    func forceInclude() throws(L1ClientError) -> L1Outcome
    /// Bridge.claimWithdrawal.
    func claimWithdrawal(_ withdrawal: Withdrawal, proof: [Hash32]) throws(L1ClientError) -> L1Outcome
    /// Dev only: mines `count` blocks now.
    func mine(_ count: UInt64) throws(L1ClientError) -> L1Outcome
}

/// `L1Client` over an `L1Node` in the same process.
public struct LocalL1Client: L1Client {
    public let node: L1Node
    /// Seconds since the epoch, for `mine` (injected so tests control it).
    public let now: @Sendable () -> UInt64

    public init(node: L1Node, now: @escaping @Sendable () -> UInt64) {
        self.node = node
        self.now = now
    }

    private func submit(_ tx: L1Transaction) throws(L1ClientError) -> L1Outcome {
        do throws(L1Error) { return try node.submit(tx) } catch { throw L1ClientError(error) }
    }

    public func parameters() -> L1Parameters { node.read { $0.parameters } }
    public func blockNumber() -> UInt64 { node.read { $0.head.number } }

    public func block(_ number: UInt64?) throws(L1ClientError) -> L1Block {
        let found: L1Block? = node.read { chain in
            guard let n = number else { return chain.head }
            return n < UInt64(chain.blocks.count) ? chain.blocks[Int(n)] : nil
        }
        guard let found else { throw .refused(code: -32001, message: "L1 block \(number ?? 0) not found", reason: "unknownBlock") }
        return found
    }

    public func balance(of address: Address) -> UInt256 { node.read { $0.balance(of: address) } }
    public func nonce(of address: Address) -> UInt64 { node.read { $0.nonce(of: address) } }
    public func l2Head() -> L2HeadStatus { node.read { $0.l2Status } }
    public func queue(from index: UInt64, limit: Int) -> [QueueEntry] { node.read { $0.queueEntries(from: index, limit: limit) } }
    public func inbox(from index: UInt64, limit: Int) -> [InboxEntry] { node.read { $0.inboxEntries(from: index, limit: limit) } }

    public func postBatch(_ batch: [UInt8], signature: [UInt8]) throws(L1ClientError) -> L1Outcome {
        try submit(.postBatch(batch: batch, signature: signature))
    }

    public func enqueueTransaction(_ raw: [UInt8]) throws(L1ClientError) -> L1Outcome { try submit(.enqueueTransaction(raw: raw)) }
    public func deposit(_ request: DepositRequest) throws(L1ClientError) -> L1Outcome { try submit(.deposit(request)) }
    public func forceInclude() throws(L1ClientError) -> L1Outcome { try submit(.forceInclude) }

    public func claimWithdrawal(_ withdrawal: Withdrawal, proof: [Hash32]) throws(L1ClientError) -> L1Outcome {
        try submit(.claimWithdrawal(withdrawal, proof: proof))
    }

    public func mine(_ count: UInt64) throws(L1ClientError) -> L1Outcome { try submit(.mine(count: count, timestamp: now())) }
}
