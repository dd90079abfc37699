import Ethereum
import L1
import Primitives
import Rollup
import XCTest
@testable import Sequencer

/// `seq_getTransactionStatus`'s logic without a server: a real core's
/// actions published into a `ChainStore` on a manual clock, L1 inclusions
/// recorded as the tracker would, and the status judged from the facts.
final class TransactionStatusTests: XCTestCase {
    let keys = DevAccounts.keys
    let a = DevAccounts.addresses
    let gwei = UInt256(1_000_000_000)
    let parameters = L1Parameters(sequencerAddress: DevAccounts.addresses[9], forceInclusionDelay: 10, finalityDepth: 5, l2ChainID: 31337)

    private struct Node {
        var core: SequencerCore
        let store: ChainStore
        let clock: ManualClock

        mutating func run(_ body: (inout SequencerCore, UInt64) -> [SequencerCore.Action]) {
            let actions = body(&core, clock.nowMillis())
            store.publish(actions, headState: core.headState, pendingState: core.pendingState, baseFee: core.currentBaseFee)
        }
    }

    private func makeNode(blockTime: UInt64 = 0) -> Node {
        let chain = ChainConfiguration(chainID: 31337, feeRecipient: Address(hex: "0x00000000000000000000000000000000000000fe")!)
        let (g, s) = Genesis.make(allocations: a.map { ($0, UInt256(100) * gwei * gwei) }, timestamp: 0, configuration: chain)
        let core = SequencerCore(configuration: .init(chain: chain, blockTimeMillis: blockTime), genesis: g, genesisState: s)
        let clock = ManualClock(startMillis: 1_800_000_000_000)
        return Node(core: core, store: ChainStore(genesis: g, state: s, baseFee: core.currentBaseFee, clock: clock), clock: clock)
    }

    private func tx(_ i: Int, nonce: UInt64, to: Int = 9, maxFee: UInt256? = nil, tip: UInt256 = UInt256(1)) -> SignedTransaction {
        Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee ?? gwei,
                    gasLimit: 21_000, to: a[to], value: UInt256(1)).signed(with: keys[i])
    }

    private func status(_ node: Node, _ hash: Hash32, censored: Set<Address> = [], placesOnArrival: Bool = true,
                        l1URL: String? = "http://127.0.0.1:8546") -> TransactionStatus {
        TransactionStatus(facts: node.store.transactionFacts(hash), censored: censored, placesOnArrival: placesOnArrival, l1URL: l1URL)
    }

    func testAnHonestTransactionWalksFromPreconfirmedThroughBatchedAndSafeToFinalizedWithTheTimeOfEachStage() {
        var node = makeNode()
        node.store.setL1Parameters(parameters)
        node.store.updateFromL1(l1Head: 20, safe: 0, finalized: 0)
        let t = tx(0, nonce: 0)
        let placedAt = node.clock.nowMillis()
        node.run { core, now in core.submit(t, sender: a[0], ticket: 1, nowMillis: now) }

        var s = status(node, t.hash)
        XCTAssertEqual(s.stage, .preconfirmed)
        XCTAssertEqual(s.position, ChainPosition(blockNumber: 1, index: 0))
        XCTAssertEqual(s.history, [.init(stage: .preconfirmed, atMillis: placedAt, l1BlockNumber: nil)])
        XCTAssertEqual(s.force?.forceableFromL1Block, 30, "not in a batch yet: forceable from L1 head 20 + delay 10")
        XCTAssertEqual(s.force?.command, "sequencer wallet force --raw \(Hex.encode(t.raw)) --l1 http://127.0.0.1:8546")

        node.clock.advance(byMillis: 700)
        node.store.updateInclusions {
            $0.append(L1Inclusion(inboxIndex: 0, isBatch: true, batchHash: Self.hash(7), l1BlockNumber: 21,
                                  firstL2Block: 1, lastL2Block: 1, includedAtMillis: placedAt + 700))
        }
        s = status(node, t.hash)
        XCTAssertEqual(s.stage, .batched, "the node read its batch before its safe head moved")
        XCTAssertNil(s.force, "a batched transaction needs no forcing")
        XCTAssertEqual(s.inclusion?.l1BlockNumber, 21)
        XCTAssertEqual(s.finalAtL1Block, 26)

        node.store.updateFromL1(l1Head: 22, safe: 1, finalized: 0)
        s = status(node, t.hash)
        XCTAssertEqual(s.stage, .safe)
        XCTAssertEqual(s.history.map(\.stage), [.preconfirmed, .batched, .safe])
        XCTAssertEqual(s.history.last, .init(stage: .safe, atMillis: placedAt + 700, l1BlockNumber: 21))

        let dates = node.store.inclusions.finalityBlocksToDate(l1Head: 26, depth: 5)
        XCTAssertEqual(dates, [26])
        node.store.updateInclusions { $0.markFinalized(depth: 5, l1Timestamps: [26: 1_800_000_009]) }
        node.store.updateFromL1(l1Head: 26, safe: 1, finalized: 1)
        s = status(node, t.hash)
        XCTAssertEqual(s.stage, .finalized)
        XCTAssertEqual(s.history.map(\.stage), [.preconfirmed, .batched, .safe, .finalized])
        XCTAssertEqual(s.history.last, .init(stage: .finalized, atMillis: 1_800_000_009_000, l1BlockNumber: 26))
    }

    func testAWithheldTransactionIsPendingWithItsReasonItsWaitAndTheL1BlockFromWhichItCanBeForced() {
        var node = makeNode()
        node.store.setL1Parameters(parameters)
        node.store.updateFromL1(l1Head: 40, safe: 0, finalized: 0)
        node.run { core, now in core.setCensored([a[2]], nowMillis: now) }
        let victim = tx(2, nonce: 0)
        let queuedAt = node.clock.nowMillis()
        node.run { core, now in core.submit(victim, sender: a[2], ticket: 1, nowMillis: now) }
        for n in 0..<3 as Range<UInt64> {
            node.clock.advance(byMillis: 250)
            node.run { core, now in core.submit(tx(0, nonce: n), sender: a[0], ticket: 2 + n, nowMillis: now) }
        }
        let s = status(node, victim.hash, censored: [a[2]])
        XCTAssertEqual(s.stage, .pending)
        XCTAssertEqual(s.wait?.reason, .withheld)
        XCTAssertEqual(s.wait?.sinceL2Block, 0)
        XCTAssertEqual(s.wait?.blocksWithTransactionsSince, 3)
        XCTAssertEqual(s.wait?.transactionsIncludedSince, 3)
        XCTAssertEqual(s.history, [.init(stage: .pending, atMillis: queuedAt, l1BlockNumber: nil)])
        XCTAssertEqual(s.force?.forceableFromL1Block, 50)
        XCTAssertEqual(s.raw, victim.raw)

        // Through the L1 queue the honest-to-the-queue sequencer places it whatever its censor list says.
        node.clock.advance(byMillis: 1000)
        let item = ForcedItem.transaction(ForcedTransaction(queueIndex: 0, raw: victim.raw))
        node.run { core, now in core.includeForced([item], nowMillis: now) }
        let forced = status(node, victim.hash, censored: [a[2]])
        XCTAssertEqual(forced.stage, .forced)
        XCTAssertEqual(forced.forcedQueueIndex, 0)
        XCTAssertNil(forced.force, "already in the L1 queue")
        XCTAssertEqual(forced.history.map(\.stage), [.pending, .forced])
        XCTAssertEqual(forced.history.map(\.atMillis), [queuedAt, queuedAt + 1750])
    }

    func testPendingReasonsTellANonceGapFromAnEarlierQueuedNonceAndFromAnOrderingWindow() {
        var node = makeNode(blockTime: 250)
        node.run { core, now in core.submit(tx(3, nonce: 2), sender: a[3], ticket: 1, nowMillis: now) }
        let gap = status(node, tx(3, nonce: 2).hash)
        XCTAssertEqual(gap.wait?.reason, .nonceGap)
        XCTAssertEqual(gap.wait?.expectedNonce, 0)
        XCTAssertNil(gap.force, "no L1 parameters known yet, so no force route")

        node.run { core, now in core.setCensored([a[4]], nowMillis: now) }
        node.run { core, now in core.submit(tx(4, nonce: 0), sender: a[4], ticket: 2, nowMillis: now) }
        node.run { core, now in core.submit(tx(4, nonce: 1), sender: a[4], ticket: 3, nowMillis: now) }
        let behind = status(node, tx(4, nonce: 1).hash, censored: [a[4]])
        XCTAssertEqual(behind.wait?.reason, .awaitingEarlierNonce)
        XCTAssertEqual(behind.wait?.expectedNonce, 0)

        node.run { core, now in core.setCensored([], nowMillis: now) }
        node.run { core, now in core.setPolicy(PriorityOrdering(), nowMillis: now) }
        node.run { core, now in core.submit(tx(5, nonce: 0), sender: a[5], ticket: 4, nowMillis: now) }
        XCTAssertEqual(status(node, tx(5, nonce: 0).hash, placesOnArrival: false).wait?.reason, .awaitingOrderingWindow)
    }

    func testReplacedAndRejectedTransactionsAreRememberedWithTheirReasonAndUnknownOnesSaySo() {
        var node = makeNode()
        let old = tx(6, nonce: 3, maxFee: UInt256(100_000_000), tip: UInt256(100))
        let new = tx(6, nonce: 3, maxFee: UInt256(200_000_000), tip: UInt256(200))
        node.run { core, now in core.submit(old, sender: a[6], ticket: 1, nowMillis: now) }
        node.clock.advance(byMillis: 5)
        node.run { core, now in core.submit(new, sender: a[6], ticket: 2, nowMillis: now) }
        let dropped = status(node, old.hash)
        XCTAssertEqual(dropped.stage, .dropped)
        XCTAssertEqual(dropped.reason, "replaced by \(new.hash)", "the drop is the story, not the rejection echoed to its client")
        XCTAssertEqual(dropped.history.first?.atMillis, node.clock.nowMillis())
        XCTAssertEqual(status(node, new.hash).stage, .pending)

        node.run { core, now in core.submit(tx(0, nonce: 0), sender: a[0], ticket: 3, nowMillis: now) }
        let stale = tx(0, nonce: 0, tip: UInt256(2))
        node.run { core, now in core.submit(stale, sender: a[0], ticket: 4, nowMillis: now) }
        let rejected = status(node, stale.hash)
        XCTAssertEqual(rejected.stage, .rejected)
        XCTAssertEqual(rejected.reason, "nonce too low: next nonce 1, tx nonce 0")

        let wrongChain = Self.hash(0xCD)
        node.store.recordRejection(wrongChain, reason: "invalid chain id")
        XCTAssertEqual(status(node, wrongChain).stage, .rejected)
        XCTAssertEqual(status(node, wrongChain).reason, "invalid chain id")

        let unknown = status(node, Self.hash(0xAB))
        XCTAssertEqual(unknown.stage, .unknown)
        XCTAssertTrue(unknown.history.isEmpty)
        XCTAssertNil(unknown.force)
    }

    func testABrokenPreconfirmationWhoseTransactionLeftTheChainIsItsOwnStage() {
        var node = makeNode()
        let hash = Self.hash(0x42)
        let b = BrokenPreConfirmation(transactionHash: hash, promised: ChainPosition(blockNumber: 4, index: 1),
                                      fate: .dropped(reason: "nonce too low"))
        node.run { _, _ in [.preconfirmationBroken(b)] }
        let s = status(node, hash)
        XCTAssertEqual(s.stage, .preconfirmationBroken)
        XCTAssertEqual(s.broken, b)
        XCTAssertEqual(s.reason, b.summary)
    }

    private static func hash(_ byte: UInt8) -> Hash32 { Hash32([UInt8](repeating: byte, count: 32))! }

    func testRecentOutcomesKeepOnlyTheNewestEntriesAndARecordedAgainHashOutlivesItsOldSlot() {
        var r = RecentOutcomes(capacity: 3)
        let h = (0..<5).map { Self.hash(UInt8($0 + 1)) }
        r.record(h[0], .rejected, reason: "a", atMillis: 1)
        r.record(h[1], .dropped, reason: "b", atMillis: 2)
        r.record(h[0], .rejected, reason: "a again", atMillis: 3)
        r.record(h[2], .rejected, reason: "c", atMillis: 4)
        XCTAssertEqual(r[h[0]]?.reason, "a again", "evicting h0's first slot must not forget its newer entry")
        XCTAssertEqual(r.count, 3)
        r.record(h[3], .rejected, reason: "d", atMillis: 5)
        XCTAssertNil(r[h[1]], "the oldest slot goes first")
        XCTAssertEqual(r[h[0]]?.atMillis, 3)
        r.record(h[4], .rejected, reason: "e", atMillis: 6)
        XCTAssertNil(r[h[0]])
        XCTAssertEqual([h[2], h[3], h[4]].compactMap { r[$0]?.reason }, ["c", "d", "e"])
        for i in 0..<1000 { r.record(Self.hash(UInt8(truncatingIfNeeded: i)), .rejected, reason: "x", atMillis: 0) }
        XCTAssertLessThanOrEqual(r.count, 3)
        r.record(h[4], .dropped, reason: "replaced", atMillis: 9)
        r.record(h[4], .rejected, reason: "echo", atMillis: 10)
        XCTAssertEqual(r[h[4]]?.reason, "replaced")
    }

    func testL1InclusionsFindTheEntryOfABlockAndIgnoreEntriesOutOfOrder() {
        var inclusions = L1Inclusions()
        let ranges: [(UInt64, UInt64, UInt64)] = [(1, 3, 10), (4, 4, 10), (5, 9, 12)]
        for (i, r) in ranges.enumerated() {
            inclusions.append(L1Inclusion(inboxIndex: UInt64(i), isBatch: i != 1, batchHash: nil, l1BlockNumber: r.2,
                                          firstL2Block: r.0, lastL2Block: r.1, includedAtMillis: 0))
        }
        inclusions.append(L1Inclusion(inboxIndex: 7, isBatch: true, batchHash: nil, l1BlockNumber: 13, firstL2Block: 10,
                                      lastL2Block: 10, includedAtMillis: 0))
        XCTAssertEqual(inclusions.nextInboxIndex, 3)
        XCTAssertNil(inclusions.covering(l2Block: 0))
        XCTAssertEqual(inclusions.covering(l2Block: 1)?.inboxIndex, 0)
        XCTAssertEqual(inclusions.covering(l2Block: 3)?.inboxIndex, 0)
        XCTAssertEqual(inclusions.covering(l2Block: 4)?.inboxIndex, 1)
        XCTAssertEqual(inclusions.covering(l2Block: 7)?.inboxIndex, 2)
        XCTAssertNil(inclusions.covering(l2Block: 10))
        XCTAssertEqual(inclusions.finalityBlocksToDate(l1Head: 16, depth: 5), [15])
        inclusions.markFinalized(depth: 5, l1Timestamps: [15: 100])
        XCTAssertEqual(inclusions.entries.map(\.finalizedAtMillis), [100_000, 100_000, nil])
        XCTAssertEqual(inclusions.finalityBlocksToDate(l1Head: 16, depth: 5), [])
        XCTAssertEqual(inclusions.finalityBlocksToDate(l1Head: 17, depth: 5), [17])
    }
}
