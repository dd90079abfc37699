import Ethereum
import L1
import Primitives

/// What an L1 restart must give back exactly: its head, the canonical L2
/// head with both accumulators, the bridge's books and every dev balance.
struct L1Fingerprint: Equatable, CustomStringConvertible {
    let head: L1Block
    let l2Status: L2HeadStatus
    let balances: [UInt256]
    let nonces: [UInt64]
    let claimedWithdrawals: Int
    let totalDeposited: UInt256
    let totalClaimed: UInt256

    init(_ chain: L1Chain) {
        head = chain.head
        l2Status = chain.l2Status
        let addresses = DevAccounts.addresses + [chain.configuration.sequencerAddress]
        balances = addresses.map { chain.balance(of: $0) }
        nonces = addresses.map { chain.nonce(of: $0) }
        claimedWithdrawals = chain.claimed.count
        totalDeposited = chain.totalDeposited
        totalClaimed = chain.totalClaimed
    }

    var description: String {
        "L1 block \(head.number) \(head.hash), L2 head \(l2Status.l2BlockNumber) \(l2Status.l2BlockHash), inbox \(l2Status.inboxLength), "
            + "queue \(l2Status.queueLength), claimed \(claimedWithdrawals)"
    }
}
