import Ethereum
import Primitives
import XCTest
@testable import Rollup

final class CanonicalChainTests: XCTestCase {
    let a = Fixture.addresses

    private func assertRejects(_ chain: CanonicalChain, _ batch: Batch, l1Block: UInt64 = 1,
                               _ expected: (BatchRejection) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        var copy = chain
        do {
            try copy.apply(batch, l1BlockNumber: l1Block)
            XCTFail("accepted", file: file, line: line)
        } catch {
            XCTAssertTrue(expected(error), "\(error)", file: file, line: line)
            XCTAssertEqual(copy.head, chain.head, file: file, line: line)
            XCTAssertEqual(copy.state.root, chain.state.root, file: file, line: line)
        }
    }

    func testAcceptedBatchesMakeTheSequencersBlocksCanonical() throws {
        var chain = Fixture.chain()
        var seq = MiniSequencer(chain)
        let b1 = seq.block([.tx(seq.transfer(from: 0, to: a[1], value: UInt256(10)))])
        let b2 = seq.block([.tx(seq.transfer(from: 1, to: ChainConfiguration.withdrawalAddress, value: Fixture.ether))])
        let blocks = try chain.apply(seq.batch([b1, b2]), l1BlockNumber: 1)
        XCTAssertEqual(blocks.map(\.hash), [b1.hash, b2.hash], "re-execution gives the sequencer's exact blocks")
        XCTAssertEqual(chain.head, b2.header)
        XCTAssertEqual(chain.state.root, seq.state.root)
        XCTAssertEqual(chain.lastBatchHash, seq.lastBatchHash)
        XCTAssertEqual(chain.record(2)?.withdrawalsRoot, b2.header.withdrawalsRoot)
        XCTAssertEqual(chain.record(2)?.l1BlockNumber, 1)
        let b3 = seq.block([.tx(seq.transfer(from: 0, to: a[2], value: UInt256(1)))])
        try chain.apply(seq.batch([b3]), l1BlockNumber: 4)
        XCTAssertEqual(chain.highestBlock(finalizedAt: 6, depth: 5), 2)
        XCTAssertEqual(chain.highestBlock(finalizedAt: 9, depth: 5), 3)
        XCTAssertEqual(chain.highestBlock(finalizedAt: 3, depth: 5), 0)
    }

    func testRejectsWrongParentOutOfOrderAndWrongRoots() throws {
        var chain = Fixture.chain()
        var seq = MiniSequencer(chain)
        let b1 = seq.block([.tx(seq.transfer(from: 0, to: a[1], value: UInt256(10)))])
        let good = seq.batch([b1])

        var parent = good
        parent.previousBatchHash = Hash32(UInt256(1))
        assertRejects(chain, parent) { if case .wrongParent = $0 { true } else { false } }

        var order = good
        order.firstBlockNumber = 2
        assertRejects(chain, order) { $0 == .outOfOrder(expectedFirstBlock: 1, got: 2) }

        var root = good
        root.postStateRoot = Hash32(UInt256(7))
        assertRejects(chain, root) { $0 == .wrongStateRoot(expected: b1.header.stateRoot, got: Hash32(UInt256(7))) }

        var withdrawals = good
        withdrawals.blocks[0].withdrawalsRoot = Hash32(UInt256(9))
        assertRejects(chain, withdrawals) { if case .wrongWithdrawalsRoot(1, _, _) = $0 { true } else { false } }

        var context = good
        context.blocks[0].l1OriginNumber = 5
        assertRejects(chain, context, l1Block: 1) { if case .invalidBlockContext = $0 { true } else { false } }

        try chain.apply(good, l1BlockNumber: 1)
        assertRejects(chain, good) { if case .wrongParent = $0 { true } else { false } }
    }

    func testRejectsForgedAndInvalidTransactions() {
        let chain = Fixture.chain()
        var seq = MiniSequencer(chain)
        let real = seq.transfer(from: 0, to: a[1], value: UInt256(10))
        let b1 = seq.block([.tx(real)])
        var forged = seq.batch([b1])
        var t = real.transaction
        t.value = UInt256(10) * Fixture.ether
        forged.blocks[0].items = [.transaction(SignedTransaction(transaction: t, r: real.r, s: real.s, yParity: real.yParity))]
        assertRejects(chain, forged) {
            if case .invalidTransaction(1, 0, _) = $0 { true } else { false }
        }
        var replayed = forged
        replayed.blocks[0].items = [.transaction(real), .transaction(real)]
        assertRejects(chain, replayed) {
            if case .invalidTransaction(1, 1, .nonceTooLow) = $0 { true } else { false }
        }
    }

    func testForcedItemsMustBeConsumedInOrderAndBeforeTheirDeadline() throws {
        var chain = Fixture.chain(delay: 10)
        let deposit = ForcedItem.deposit(Deposit(queueIndex: 0, from: a[5], to: a[6], amount: Fixture.ether))
        chain.enqueue(deposit, l1BlockNumber: 2)
        var seq = MiniSequencer(chain)

        let skipping = seq.block([.tx(seq.transfer(from: 0, to: a[1], value: UInt256(1)))])
        var s2 = seq
        let late = s2.batch([skipping])
        var beforeDeadline = chain
        XCTAssertNoThrow(try beforeDeadline.apply(late, l1BlockNumber: 11), "not yet overdue at L1 block 11")
        assertRejects(chain, late, l1Block: 12) { $0 == .skipsOverdueForcedItem(queueIndex: 0, deadline: 12) }

        var seqWrong = MiniSequencer(chain)
        var wrong = seqWrong.batch([seqWrong.block([.forced(0)], queue: chain.queue)])
        wrong.blocks[0].items = [.forced(queueIndex: 1)]
        assertRejects(chain, wrong) { $0 == .forcedItemsMismatch(expectedQueueIndex: 0, got: 1) }
        var cursor = seqWrong.batch([seqWrong.block([], queue: chain.queue)])
        cursor.previousBatchHash = .zero
        cursor.firstBlockNumber = 1
        cursor.forcedQueueCursor = 1
        assertRejects(chain, cursor) { if case .forcedItemsMismatch = $0 { true } else { false } }

        var seqGood = MiniSequencer(chain)
        let good = seqGood.batch([seqGood.block([.tx(seqGood.transfer(from: 0, to: a[1], value: UInt256(1))), .forced(0)], queue: chain.queue)])
        try chain.apply(good, l1BlockNumber: 12)
        XCTAssertEqual(chain.forcedQueueCursor, 1)
        XCTAssertEqual(chain.state[a[6]].balance, UInt256(100) * Fixture.ether + Fixture.ether)
    }

    func testForcedBlockIncludesAllOverdueItemsAndNothingElse() throws {
        var chain = Fixture.chain(delay: 10)
        let tx = Fixture.transfer(from: 3, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: Fixture.ether)
        chain.enqueue(.transaction(ForcedTransaction(queueIndex: 0, raw: tx.raw)), l1BlockNumber: 1)
        chain.enqueue(.transaction(ForcedTransaction(queueIndex: 1, raw: [0xde, 0xad])), l1BlockNumber: 2)
        chain.enqueue(.deposit(Deposit(queueIndex: 2, from: a[0], to: a[9], amount: UInt256(5))), l1BlockNumber: 8)
        XCTAssertNil(chain.applyForcedBlock(l1BlockNumber: 10, timestamp: 2_000))
        XCTAssertEqual(chain.head.number, 0)
        let block = try XCTUnwrap(chain.applyForcedBlock(l1BlockNumber: 12, timestamp: 2_000))
        XCTAssertEqual(block.forced.map(\.item.queueIndex), [0, 1])
        XCTAssertEqual(block.forced.map(\.outcome.isSkipped), [false, true])
        XCTAssertEqual(block.withdrawals.count, 1)
        XCTAssertEqual(chain.forcedQueueCursor, 2)
        XCTAssertEqual(chain.record(1)?.l1BlockNumber, 12)
        XCTAssertEqual(chain.overdueItems(atL1Block: 18).map(\.item.queueIndex), [2])

        var seq = MiniSequencer(chain)
        let next = seq.batch([seq.block([.forced(2)], queue: chain.queue, l1Origin: 12)])
        XCTAssertEqual(next.firstBlockNumber, 2, "the sequencer builds on the forced block")
        try chain.apply(next, l1BlockNumber: 13)
        XCTAssertEqual(chain.state[a[9]].balance, UInt256(100) * Fixture.ether + UInt256(5))
    }
}
