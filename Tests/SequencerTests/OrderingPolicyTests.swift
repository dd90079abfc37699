import Ethereum
import Hashing
import Primitives
import Rollup
import XCTest
@testable import Sequencer

/// Each policy's order on the same input, and censorship on demand.
final class OrderingPolicyTests: XCTestCase {
    let keys = DevAccounts.keys
    let a = DevAccounts.addresses
    let gwei = UInt256(1_000_000_000)

    private func makeCore(_ policy: any OrderingPolicy, blockTime: UInt64 = 250) -> SequencerCore {
        let chain = ChainConfiguration(chainID: 31337, feeRecipient: Address(hex: "0x00000000000000000000000000000000000000fe")!)
        let (g, s) = Genesis.make(allocations: a.map { ($0, UInt256(100) * gwei * gwei) }, timestamp: 0, configuration: chain)
        var core = SequencerCore(configuration: .init(chain: chain, blockTimeMillis: blockTime), genesis: g, genesisState: s)
        _ = core.setPolicy(policy, nowMillis: 0)
        return core
    }

    private func tx(_ i: Int, nonce: UInt64, tip: UInt64, to: Int = 9) -> SignedTransaction {
        Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: UInt256(tip), maxFeePerGas: gwei,
                    gasLimit: 21_000, to: a[to], value: UInt256(1)).signed(with: keys[i])
    }

    /// The same arrivals for every policy: (sender, nonce, tip).
    private let arrivals: [(Int, UInt64, UInt64)] = [(0, 0, 1), (1, 0, 50), (0, 1, 900), (2, 0, 10), (3, 0, 50), (1, 1, 5)]

    private func run(_ policy: any OrderingPolicy) -> (order: [SignedTransaction], parent: Hash32, replies: [SequencerCore.Reply]) {
        var core = makeCore(policy)
        var actions: [SequencerCore.Action] = []
        for (ticket, (s, n, tip)) in arrivals.enumerated() {
            actions += core.submit(tx(s, nonce: n, tip: tip), sender: a[s], ticket: UInt64(ticket), nowMillis: 1_000)
        }
        let parent = core.head.hash
        actions += core.tick(nowMillis: 1_250)
        let replies = actions.compactMap { action -> SequencerCore.Reply? in
            switch action { case let .log(_, r): r; case let .reply(r): r; default: nil }
        }
        guard case let .sealed(block)? = actions.last(where: { if case .sealed = $0 { true } else { false } }) else {
            XCTFail("no block sealed")
            return ([], parent, replies)
        }
        return (block.transactions.map(\.transaction), parent, replies)
    }

    private func labels(_ txs: [SignedTransaction]) -> [String] {
        txs.map { t in "\(keys.firstIndex { Address(publicKey: $0.publicKey) == (try? t.recoverSender()) }!):\(t.transaction.nonce)" }
    }

    func testFCFSKeepsArrivalOrderAndPlacesOnArrival() {
        let r = run(FirstComeFirstServed())
        XCTAssertEqual(labels(r.order), ["0:0", "1:0", "0:1", "2:0", "3:0", "1:1"])
        XCTAssertEqual(r.replies.filter { if case .sequenced = $0.outcome { true } else { false } }.count, 6)
    }

    func testPriorityPutsHigherTipsFirstButKeepsEachSendersNonceOrder() {
        let r = run(PriorityOrdering())
        XCTAssertEqual(labels(r.order), ["1:0", "3:0", "2:0", "1:1", "0:0", "0:1"],
                       "tips 50 (first arrival), 50, 10, 5, then sender 0's nonce 0 (tip 1) unlocks its nonce 1 (tip 900)")
        let outcomes = r.replies.map(\.outcome)
        XCTAssertEqual(outcomes.prefix(6).allSatisfy { $0 == .queued(.awaitingSeal) }, true, "queued on arrival")
        XCTAssertEqual(outcomes.dropFirst(6).filter { if case .sequenced = $0 { true } else { false } }.count, 6, "placed at seal")
    }

    func testFairOrderIsWhatAnyoneRecomputesFromTheParentHash() {
        let r = run(FairOrdering())
        var slots = arrivals.map { tx($0.0, nonce: $0.1, tip: $0.2) }.sorted { $0.hash < $1.hash }.map { try! $0.recoverSender() }
        let seed = Keccak256.hash(r.parent.bytes).bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var rng = SplitMix64(seed: seed)
        for i in stride(from: slots.count - 1, to: 0, by: -1) { slots.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var next: [Address: UInt64] = [:]
        let expected = slots.map { s -> String in
            let n = next[s, default: 0]
            next[s] = n + 1
            return "\(a.firstIndex(of: s)!):\(n)"
        }
        XCTAssertEqual(labels(r.order), expected)
        XCTAssertEqual(Set(labels(r.order)), Set(labels(run(FirstComeFirstServed()).order)))
    }

    func testCensorWithholdsAListedSenderIndefinitelyAndReleasesItWhenRemoved() {
        var core = makeCore(FirstComeFirstServed())
        _ = core.setCensored([a[5]], nowMillis: 0)
        let victim = core.submit(tx(5, nonce: 0, tip: 100), sender: a[5], ticket: 1, nowMillis: 1_000)
        XCTAssertTrue(victim.contains { if case .log(.queued, .some(let r)) = $0 { r.outcome == .queued(.awaitingSeal) } else { false } },
                      "answered like an honest sequencer: accepted, a hash")
        let toVictim = core.submit(tx(6, nonce: 0, tip: 1, to: 5), sender: a[6], ticket: 2, nowMillis: 1_000)
        XCTAssertFalse(toVictim.contains { if case .sequenced = $0 { true } else { false } }, "transfers to a listed address are withheld too")
        var now: UInt64 = 1_000
        for n in 0..<10 {
            _ = core.submit(tx(0, nonce: UInt64(n), tip: 1), sender: a[0], ticket: UInt64(10 + n), nowMillis: now)
            now += 300
            _ = core.tick(nowMillis: now)
        }
        XCTAssertEqual(core.pendingState[a[0]].nonce, 10, "others flow")
        XCTAssertEqual(core.pendingState[a[5]].nonce, 0, "the victim's transaction is still withheld after 10 blocks")
        let released = core.setCensored([], nowMillis: now)
        let placed = released.compactMap { if case let .sequenced(e, _, _) = $0 { e.sender } else { nil } }
        XCTAssertEqual(Set(placed), [a[5], a[6]])
        XCTAssertTrue(released.contains { if case let .log(_, r?) = $0 { r.ticket == 1 } else { false } }, "the victim's client hears its place")
    }

    func testPauseRefusesNewTransactions() {
        var core = makeCore(FirstComeFirstServed())
        core.setPaused(true)
        let r = core.submit(tx(0, nonce: 0, tip: 1), sender: a[0], ticket: 1, nowMillis: 0)
        guard case let .reply(reply)? = r.first else { return XCTFail() }
        XCTAssertEqual(reply.outcome, .rejected(.paused))
        core.setPaused(false)
        XCTAssertTrue(core.submit(tx(0, nonce: 0, tip: 1), sender: a[0], ticket: 2, nowMillis: 0).contains { if case .sequenced = $0 { true } else { false } })
    }
}
