import Ethereum
import Primitives
import Rollup
import XCTest
@testable import Sequencer

final class SequencerCoreTests: XCTestCase {
    let keys = DevAccounts.keys
    let a = DevAccounts.addresses
    let gwei = UInt256(1_000_000_000)

    private func makeCore(blockTime: UInt64 = 250, limits: Mempool.Limits = .init()) -> SequencerCore {
        let chain = ChainConfiguration(chainID: 31337, feeRecipient: Address(hex: "0x00000000000000000000000000000000000000fe")!)
        let (g, s) = Genesis.make(allocations: a.map { ($0, UInt256(100) * gwei * gwei) }, timestamp: 0, configuration: chain)
        return SequencerCore(configuration: .init(chain: chain, blockTimeMillis: blockTime, mempool: limits), genesis: g, genesisState: s)
    }

    private func tx(_ i: Int, nonce: UInt64, value: UInt64 = 1, maxFee: UInt256? = nil, tip: UInt256 = UInt256(1)) -> SignedTransaction {
        Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee ?? gwei,
                    gasLimit: 21_000, to: a[9], value: UInt256(value)).signed(with: keys[i])
    }

    private func replies(_ actions: [SequencerCore.Action]) -> [SequencerCore.Reply] {
        actions.compactMap {
            switch $0 {
            case let .log(_, reply): reply
            case let .reply(r): r
            default: nil
            }
        }
    }

    private func records(_ actions: [SequencerCore.Action]) -> [LogRecord] {
        actions.compactMap { if case let .log(r, _) = $0 { r } else { nil } }
    }

    func testFirstComeFirstServedPositionsAreFixedOnArrivalAndRepliesWaitForTheLog() {
        var core = makeCore()
        var all: [SequencerCore.Action] = []
        for (ticket, (i, n)) in [(0, 0), (1, 0), (0, 1), (2, 0)].enumerated() {
            let actions = core.submit(tx(i, nonce: UInt64(n)), sender: a[i], ticket: UInt64(ticket), nowMillis: 1_000_000)
            for case let .reply(r) in actions { XCTFail("a placed transaction must not be answered before its log record: \(r)") }
            all += actions
        }
        let outcomes = replies(all).map(\.outcome)
        XCTAssertEqual(outcomes, (0..<4).map { .sequenced(ChainPosition(blockNumber: 1, index: $0), timestamp: 1000) })
        XCTAssertEqual(records(all).first, .blockOpened(number: 1, timestamp: 1000, l1Origin: 0))
        XCTAssertEqual(core.sealDeadline, 1_000_250)
        XCTAssertTrue(core.tick(nowMillis: 1_000_249).isEmpty)
        let sealed = core.tick(nowMillis: 1_000_250)
        guard case let .sealed(block)? = sealed.last else { return XCTFail("no seal") }
        XCTAssertEqual(block.transactions.map(\.sender), [a[0], a[1], a[0], a[2]])
        XCTAssertEqual(core.head.number, 1)
        XCTAssertNil(core.open)
    }

    func testANonceGapQueuesUntilFilledThenBothArePlacedInNonceOrder() {
        var core = makeCore()
        let later = core.submit(tx(3, nonce: 1), sender: a[3], ticket: 1, nowMillis: 0)
        XCTAssertEqual(replies(later).map(\.outcome), [.queued(.nonceGap)])
        XCTAssertEqual(core.pendingNonce(a[3]), 0)
        XCTAssertEqual(core.mempool.count, 1)
        let first = core.submit(tx(3, nonce: 0), sender: a[3], ticket: 2, nowMillis: 0)
        XCTAssertEqual(replies(first).map(\.outcome), [.sequenced(ChainPosition(blockNumber: 1, index: 0), timestamp: 0),
                                                       .sequenced(ChainPosition(blockNumber: 1, index: 1), timestamp: 0)],
                       "the waiting transaction's client hears its place too")
        let placed = first.compactMap { if case let .sequenced(e, p, _) = $0 { (e.transaction.transaction.nonce, p.index) } else { nil } }
        XCTAssertEqual(placed.map(\.0), [0, 1])
        XCTAssertEqual(placed.map(\.1), [0, 1])
        XCTAssertEqual(core.mempool.count, 0)
        XCTAssertEqual(core.pendingNonce(a[3]), 2)
    }

    func testReplacementNeedsTenPercentMoreAndQueuesAreBounded() {
        var core = makeCore(limits: .init(perSender: 2, total: 3))
        _ = core.submit(tx(4, nonce: 5, maxFee: UInt256(100_000_000), tip: UInt256(100)), sender: a[4], ticket: 1, nowMillis: 0)
        let cheap = core.submit(tx(4, nonce: 5, value: 2, maxFee: UInt256(109_000_000), tip: UInt256(110)), sender: a[4], ticket: 2, nowMillis: 0)
        XCTAssertEqual(replies(cheap).map(\.outcome), [.rejected(.mempool(.replacementUnderpriced(bumpPercent: 10)))])
        let enough = core.submit(tx(4, nonce: 5, value: 3, maxFee: UInt256(110_000_000), tip: UInt256(110)), sender: a[4], ticket: 3, nowMillis: 0)
        XCTAssertEqual(replies(enough).map(\.outcome), [.rejected(.mempool(.replaced(by: enough.compactMap { if case let .queued(e) = $0 { e.transaction.hash } else { nil } }.first!))),
                                                        .queued(.nonceGap)], "the replaced transaction's client is told")
        XCTAssertTrue(records(enough).contains { if case .dropped = $0 { true } else { false } })
        _ = core.submit(tx(4, nonce: 6), sender: a[4], ticket: 4, nowMillis: 0)
        let third = core.submit(tx(4, nonce: 7), sender: a[4], ticket: 5, nowMillis: 0)
        XCTAssertEqual(replies(third).map(\.outcome), [.rejected(.mempool(.senderQueueFull(limit: 2)))])
        _ = core.submit(tx(5, nonce: 3), sender: a[5], ticket: 6, nowMillis: 0)
        let full = core.submit(tx(6, nonce: 3), sender: a[6], ticket: 7, nowMillis: 0)
        XCTAssertEqual(replies(full).map(\.outcome), [.rejected(.mempool(.poolFull(limit: 3)))])
    }

    func testRejectionsAreAnsweredAtOnceWithTheirReason() {
        var core = makeCore()
        _ = core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 0)
        let low = core.submit(tx(0, nonce: 0, value: 2), sender: a[0], ticket: 2, nowMillis: 0)
        guard case let .reply(r)? = low.first, case let .rejected(reason) = r.outcome else { return XCTFail("\(low)") }
        XCTAssertEqual(reason.description, "nonce too low: next nonce 1, tx nonce 0")
        let poor = core.submit(tx(1, nonce: 0, maxFee: UInt256(1), tip: UInt256(1)), sender: a[1], ticket: 3, nowMillis: 0)
        XCTAssertTrue(replies(poor).first.map { "\($0.outcome)".contains("max fee per gas less than block base fee") } ?? false, "\(replies(poor))")
    }

    func testBlockTimeZeroSealsABlockPerTransaction() {
        var core = makeCore(blockTime: 0)
        for n in 0..<3 {
            let actions = core.submit(tx(0, nonce: UInt64(n)), sender: a[0], ticket: UInt64(n), nowMillis: 5_000)
            XCTAssertTrue(actions.contains { if case .sealed = $0 { true } else { false } })
            XCTAssertEqual(replies(actions).first?.outcome, .sequenced(ChainPosition(blockNumber: UInt64(n + 1), index: 0), timestamp: 5))
        }
        XCTAssertEqual(core.head.number, 3)
    }

    func testReplayingTheLogRebuildsTheSameChainAndOpenBlock() throws {
        var core = makeCore()
        var log: [LogRecord] = []
        var now: UInt64 = 10_000
        for step in 0..<40 {
            let sender = step % 4
            let nonce = core.pendingNonce(a[sender]) + (step % 7 == 0 ? 1 : 0)
            log += records(core.submit(tx(sender, nonce: nonce, value: UInt64(step)), sender: a[sender], ticket: UInt64(step), nowMillis: now))
            now += 60
            log += records(core.tick(nowMillis: now))
        }
        XCTAssertNotNil(core.open, "the last block is still open, with pre-confirmed positions")
        var replayed = makeCore()
        for (i, record) in log.enumerated() {
            let bytes = record.encoded
            XCTAssertEqual(LogRecord(encoded: bytes), record)
            _ = try replayed.replay(LogRecord(encoded: bytes)!, index: i, nowMillis: now)
        }
        XCTAssertEqual(replayed.head.hash, core.head.hash)
        XCTAssertEqual(replayed.open?.executed.map(\.transaction.hash), core.open?.executed.map(\.transaction.hash))
        XCTAssertEqual(replayed.pendingState.root, core.pendingState.root)
        XCTAssertEqual(replayed.mempool.entries.map(\.transaction.hash), core.mempool.entries.map(\.transaction.hash))
    }

    func testReplayRefusesALogThatContradictsTheRules() {
        var core = makeCore()
        let bad = tx(0, nonce: 3)
        XCTAssertThrowsError(try core.replay(.sequenced(raw: bad.raw, sender: a[0]), index: 0, nowMillis: 0)) {
            XCTAssertEqual($0 as? RecoveryError, .sequencedWithoutOpenBlock(index: 0))
        }
        _ = try? core.replay(.blockOpened(number: 1, timestamp: 1, l1Origin: 0), index: 0, nowMillis: 0)
        XCTAssertThrowsError(try core.replay(.sequenced(raw: bad.raw, sender: a[0]), index: 1, nowMillis: 0)) {
            guard case .transactionNoLongerValid(1, bad.hash, _)? = $0 as? RecoveryError else { return XCTFail("\($0)") }
        }
    }
}

final class PreConfirmationTests: XCTestCase {
    func testSignatureRecoversToTheSequencerAndBindsEveryField() {
        let key = DevAccounts.keys[7]
        let me = DevAccounts.addresses[7]
        let hash = Hash32(littleEndianWords: 1, 2, 3, 4)
        let p = PreConfirmation.sign(chainID: 31337, transactionHash: hash, position: ChainPosition(blockNumber: 9, index: 2),
                                     timestamp: 77, key: key, sequencer: me)
        XCTAssertEqual(p.signature.count, 65)
        XCTAssertTrue(p.isValid)
        var moved = p
        moved.position.index = 3
        XCTAssertFalse(moved.isValid)
        var otherChain = p
        otherChain.chainID = 1
        XCTAssertFalse(otherChain.isValid)
    }
}
