import L1
import Primitives
import Rollup

/// `L1Client` over the simulation's L1, in process: what the sequencer's
/// watcher, batch poster and `L1Derivation` use. While the L1 is down every
/// call fails with `.transport`, as the HTTP client would.
public struct SimulatedL1Client: L1Client {
    let l1: SimulatedL1

    init(l1: SimulatedL1) { self.l1 = l1 }

    private func read<R>(_ body: (borrowing L1Chain) -> R) throws(L1ClientError) -> R {
        do throws(SimulatedL1.CallError) { return try l1.read(body) } catch { throw error.clientError }
    }

    private func submit(_ tx: L1Transaction) throws(L1ClientError) -> L1Outcome {
        do throws(SimulatedL1.CallError) { return try l1.submit(tx) } catch { throw error.clientError }
    }

    public func parameters() throws(L1ClientError) -> L1Parameters { try read { $0.parameters } }
    public func blockNumber() throws(L1ClientError) -> UInt64 { try read { $0.head.number } }

    public func block(_ number: UInt64?) throws(L1ClientError) -> L1Block {
        let found: L1Block? = try read { chain in
            guard let n = number else { return chain.head }
            return n < UInt64(chain.blocks.count) ? chain.blocks[Int(n)] : nil
        }
        guard let found else { throw .refused(code: -32001, message: "L1 block \(number ?? 0) not found", reason: "unknownBlock") }
        return found
    }

    public func balance(of address: Address) throws(L1ClientError) -> UInt256 { try read { $0.balance(of: address) } }
    public func nonce(of address: Address) throws(L1ClientError) -> UInt64 { try read { $0.nonce(of: address) } }
    public func l2Head() throws(L1ClientError) -> L2HeadStatus { try read { $0.l2Status } }

    public func queue(from index: UInt64, limit: Int) throws(L1ClientError) -> [QueueEntry] {
        try read { $0.queueEntries(from: index, limit: limit) }
    }

    public func inbox(from index: UInt64, limit: Int) throws(L1ClientError) -> [InboxEntry] {
        try read { $0.inboxEntries(from: index, limit: limit) }
    }

    public func postBatch(_ batch: [UInt8], signature: [UInt8]) throws(L1ClientError) -> L1Outcome {
        try submit(.postBatch(batch: batch, signature: signature))
    }

    public func enqueueTransaction(_ raw: [UInt8]) throws(L1ClientError) -> L1Outcome { try submit(.enqueueTransaction(raw: raw)) }
    public func deposit(_ request: DepositRequest) throws(L1ClientError) -> L1Outcome { try submit(.deposit(request)) }

    public func forceInclude() throws(L1ClientError) -> L1Outcome {
        do throws(SimulatedL1.CallError) { return try l1.forceInclude().0 } catch { throw error.clientError }
    }

    public func claimWithdrawal(_ withdrawal: Withdrawal, proof: [Hash32]) throws(L1ClientError) -> L1Outcome {
        do throws(SimulatedL1.CallError) { return try l1.claimWithdrawal(withdrawal, proof: proof) } catch { throw error.clientError }
    }

    /// Dev mining: blocks a second apart after the head (the simulation's own clock mines on schedule).
    public func mine(_ count: UInt64) throws(L1ClientError) -> L1Outcome {
        let after = try read { $0.head.timestamp }
        return try submit(.mine(count: count, timestamp: after + 1))
    }
}
