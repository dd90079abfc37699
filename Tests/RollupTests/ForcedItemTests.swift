import Ethereum
import Primitives
import Trie
import XCTest
@testable import Rollup

final class ForcedItemTests: XCTestCase {
    let a = Fixture.addresses
    let l1Sender = Address(hex: "0x00000000000000000000000000000000000000aa")!

    private func builder() -> BlockBuilder {
        let g = Fixture.genesis()
        return BlockBuilder(parent: g.block.header, state: g.state, timestamp: 1_001, l1OriginNumber: 0, configuration: Fixture.config)
    }

    func testDepositMintsToTheL2RecipientAndAdvancesTheCursor() {
        var b = builder()
        let fresh = Address(hex: "0x1234567890123456789012345678901234567890")!
        let outcome = b.applyForced(.deposit(Deposit(queueIndex: 0, from: l1Sender, to: fresh, amount: Fixture.ether)))
        XCTAssertEqual(outcome, .deposited)
        XCTAssertEqual(b.state[fresh].balance, Fixture.ether)
        let block = b.seal()
        XCTAssertEqual(block.header.forcedQueueCursor, 1)
        XCTAssertEqual(block.forced.count, 1)
        XCTAssertNotEqual(block.header.transactionsRoot, MerklePatriciaTrie.emptyRoot, "the forced item is committed")
        XCTAssertTrue(block.transactions.isEmpty)
    }

    func testValidForcedTransactionRunsThroughTheStateTransition() throws {
        var b = builder()
        let tx = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(5))
        let before = b.state[a[1]].balance
        let outcome = b.applyForced(.transaction(ForcedTransaction(queueIndex: 0, raw: tx.raw)))
        guard case .executed(let sender, let receipt) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(sender, a[0])
        XCTAssertEqual(receipt.gasUsed, 21_000)
        XCTAssertEqual(b.state[a[1]].balance, before + UInt256(5))
        XCTAssertEqual(b.state[a[0]].nonce, 1)
        XCTAssertEqual(b.seal().transactions.map(\.transaction), [tx])
    }

    func testForcedWithdrawalIsRecordedLikeASequencedOne() {
        var b = builder()
        let tx = Fixture.transfer(from: 2, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: Fixture.ether)
        b.applyForced(.transaction(ForcedTransaction(queueIndex: 0, raw: tx.raw)))
        let block = b.seal()
        XCTAssertEqual(block.withdrawals.count, 1)
        XCTAssertEqual(block.withdrawals.first?.recipient, a[2])
        XCTAssertNotEqual(block.header.withdrawalsRoot, .zero)
    }

    func testInvalidForcedTransactionsAreSkippedWithTheReasonAndChangeNothing() {
        var b = builder()
        let rootBefore = b.state.root
        let badNonce = Fixture.transfer(from: 0, nonce: 7, to: a[1], value: UInt256(1))
        let tooMuch = Fixture.transfer(from: 1, nonce: 0, to: a[2], value: UInt256(1_000) * Fixture.ether)
        let wrongChain = Fixture.transfer(from: 1, nonce: 0, to: a[2], value: UInt256(1), chainID: 1)
        let cases: [([UInt8], (StateTransitionError) -> Bool)] = [
            (badNonce.raw, { if case .nonceTooHigh = $0 { true } else { false } }),
            (tooMuch.raw, { if case .insufficientFunds = $0 { true } else { false } }),
            (wrongChain.raw, { if case .invalidChainID = $0 { true } else { false } }),
            ([0x02, 0xc0], { if case .malformed = $0 { true } else { false } }),
            ([], { if case .malformed = $0 { true } else { false } }),
        ]
        for (i, (raw, matches)) in cases.enumerated() {
            let outcome = b.applyForced(.transaction(ForcedTransaction(queueIndex: UInt64(i), raw: raw)))
            guard case .skipped(.invalidTransaction(let reason)) = outcome else { return XCTFail("case \(i): \(outcome)") }
            XCTAssertTrue(matches(reason), "case \(i): \(reason)")
        }
        XCTAssertEqual(b.state.root, rootBefore)
        let block = b.seal()
        XCTAssertEqual(block.header.forcedQueueCursor, UInt64(cases.count), "skipped items still use their slots")
        XCTAssertEqual(block.header.gasUsed, 0)
        XCTAssertTrue(block.forced.allSatisfy { $0.outcome.isSkipped })
    }

    func testBlockWithoutForcedItemsKeepsTheOldTransactionsRoot() throws {
        var b = builder()
        let tx = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(1))
        try b.apply(tx, sender: a[0])
        XCTAssertEqual(b.seal().header.transactionsRoot, MerklePatriciaTrie.orderedListRoot([tx.raw]))
    }

    func testForcedItemEncodingRoundTrips() {
        let items: [ForcedItem] = [
            .deposit(Deposit(queueIndex: 3, from: l1Sender, to: a[0], amount: Fixture.ether)),
            .transaction(ForcedTransaction(queueIndex: 0, raw: [1, 2, 3])),
            .transaction(ForcedTransaction(queueIndex: 9, raw: [])),
        ]
        for item in items { XCTAssertEqual(ForcedItem(encoded: item.encoded), item) }
        XCTAssertNil(ForcedItem(encoded: [9, 0xc0]))
    }
}
