import Ethereum
import Hashing
import Primitives
import Rollup
import Secp256k1
import XCTest
@testable import L1

final class L1ChainTests: XCTestCase {
    let a = L1Fixture.addresses

    func testDevSequencerAddressIsTheWellKnownOne() {
        XCTAssertEqual(L1Configuration.devSequencerAddress, Address(hex: "0x05e3Ff0082f7561a83d3B29630627c46B8cB0130")!)
    }

    func testGenesisFundsTheDevAccountsAndMiningAdvancesTheClock() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        XCTAssertEqual(l1.balance(of: a[0]), UInt256(10_000) * L1Fixture.ether)
        XCTAssertEqual(l1.canonical.state[a[0]].balance, UInt256(10_000) * L1Fixture.ether)
        XCTAssertEqual(try l1.mine(count: 3, now: 100), .mined(first: 1, last: 3))
        XCTAssertEqual(l1.blocks.map(\.timestamp), [0, 100, 101, 102])
        XCTAssertEqual(l1.head.parentHash, l1.blocks[2].hash)
        XCTAssertThrowsError(try l1.mine(count: 0, now: 1))
    }

    func testBatchesAreAcceptedOnlyFromTheSequencerKey() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        try l1.mine(count: 1, now: 1)
        let tx = L1Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(5))
        let other = try L1Fixture.batch(on: l1, txs: [tx], key: L1Fixture.keys[0])
        XCTAssertThrowsError(try l1.postBatch(other.bytes, signature: other.signature)) {
            XCTAssertEqual($0 as? L1Error, .batchRejected(.wrongSigner(expected: L1Configuration.devSequencerAddress, got: a[0])))
        }
        XCTAssertThrowsError(try l1.postBatch(other.bytes, signature: [1, 2, 3]))
        let garbage: [UInt8] = [1, 2, 3]
        let signedGarbage = PersonalMessage.sign(Keccak256.hash(garbage).bytes, with: L1Configuration.devSequencerKey)
        XCTAssertThrowsError(try l1.postBatch(garbage, signature: signedGarbage)) {
            guard case .batchRejected(.malformed(.truncated)) = $0 as? L1Error else { return XCTFail("\($0)") }
        }
        let good = try L1Fixture.batch(on: l1, txs: [tx])
        var tampered = good.bytes
        tampered[tampered.count - 1] ^= 1
        XCTAssertThrowsError(try l1.postBatch(tampered, signature: good.signature)) {
            guard case .batchRejected(.wrongSigner) = $0 as? L1Error else { return XCTFail("\($0)") }
        }
        let outcome = try l1.postBatch(good.bytes, signature: good.signature)
        guard case .batchAccepted(0, _, 1, 1) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(l1.canonical.head, good.block.header)
        XCTAssertEqual(l1.safeL2Block, 1)
        XCTAssertEqual(l1.finalizedL2Block, 0)
        try l1.mine(count: 5, now: 2)
        XCTAssertEqual(l1.finalizedL2Block, 1)
        XCTAssertNotEqual(l1.inboxAccumulator, .zero)
        XCTAssertThrowsError(try l1.postBatch(good.bytes, signature: good.signature)) {
            guard case .batchRejected(.wrongParent) = $0 as? L1Error else { return XCTFail("\($0)") }
        }
    }

    func testDepositsAreSignedLockL1EthAndCannotBeReplayed() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let fresh = Address(hex: "0x00000000000000000000000000000000000000d1")!
        let d = L1Fixture.depositRequest(from: 2, to: fresh, amount: L1Fixture.ether, nonce: 0)
        let forged = L1Fixture.depositRequest(from: 2, to: fresh, amount: L1Fixture.ether, nonce: 0, signer: 3)
        XCTAssertThrowsError(try l1.deposit(forged)) { XCTAssertEqual($0 as? L1Error, .invalidSignature(expected: a[2], got: a[3])) }
        XCTAssertEqual(try l1.deposit(d), .enqueued(queueIndex: 0, deadline: 10))
        XCTAssertThrowsError(try l1.deposit(d)) { XCTAssertEqual($0 as? L1Error, .wrongNonce(address: a[2], expected: 1, got: 0)) }
        XCTAssertEqual(l1.balance(of: a[2]), UInt256(9_999) * L1Fixture.ether)
        let tooMuch = L1Fixture.depositRequest(from: 2, to: fresh, amount: UInt256(10_000) * L1Fixture.ether, nonce: 1)
        XCTAssertThrowsError(try l1.deposit(tooMuch)) {
            guard case .insufficientBalance = $0 as? L1Error else { return XCTFail("\($0)") }
        }
        let batch = try L1Fixture.batch(on: l1, txs: [], forced: 1)
        try l1.postBatch(batch.bytes, signature: batch.signature)
        XCTAssertEqual(l1.canonical.state[fresh].balance, L1Fixture.ether, "the deposit is credited on L2")
        XCTAssertEqual(l1.queueEntry(0)?.included, true)
    }

    func testForceIncludeOnlyAfterTheDelayAndIncludesEveryOverdueItem() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let exit = L1Fixture.transfer(from: 4, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: L1Fixture.ether)
        try l1.enqueueTransaction(exit.raw)
        try l1.enqueueTransaction([0xba, 0xad])
        try l1.mine(count: 3, now: 1)
        try l1.deposit(L1Fixture.depositRequest(from: 0, to: a[7], amount: UInt256(42), nonce: 0))
        XCTAssertThrowsError(try l1.enqueueTransaction([])) { XCTAssertEqual($0 as? L1Error, .invalidQueueItemSize(bytes: 0, limit: 128 * 1024)) }
        try l1.mine(count: 6, now: 2)
        XCTAssertThrowsError(try l1.forceInclude()) { XCTAssertEqual($0 as? L1Error, .nothingOverdue(nextDeadline: 10)) }

        let late = try L1Fixture.batch(on: l1, txs: [])
        try l1.mine(count: 1, now: 3)
        let late2 = try L1Fixture.batch(on: l1, txs: [])
        XCTAssertThrowsError(try l1.postBatch(late2.bytes, signature: late2.signature)) {
            XCTAssertEqual($0 as? L1Error, .batchRejected(.skipsOverdueForcedItem(queueIndex: 0, deadline: 10)))
        }
        _ = late
        let outcome = try l1.forceInclude()
        XCTAssertEqual(outcome, .forceIncluded(inboxIndex: 0, l2BlockNumber: 1, items: 2))
        XCTAssertEqual(l1.canonical.forcedQueueCursor, 2, "the deposit enqueued at block 3 is not overdue yet")
        XCTAssertThrowsError(try l1.forceInclude()) { XCTAssertEqual($0 as? L1Error, .nothingOverdue(nextDeadline: 13)) }
        try l1.mine(count: 3, now: 4)
        XCTAssertEqual(try l1.forceInclude(), .forceIncluded(inboxIndex: 1, l2BlockNumber: 2, items: 1))
        XCTAssertEqual(l1.canonical.state[a[7]].balance, UInt256(10_000) * L1Fixture.ether + UInt256(42))
    }

    func testWithdrawalsAreClaimableAfterFinalityExactlyOnce() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let recipient = Address(hex: "0x00000000000000000000000000000000000000e1")!
        let exit = Transaction(chainID: 31337, nonce: 0, maxPriorityFeePerGas: UInt256(1_000), maxFeePerGas: UInt256(1_000_000_000),
                               gasLimit: 21_320, to: ChainConfiguration.withdrawalAddress, value: UInt256(3) * L1Fixture.ether,
                               data: recipient.bytes).signed(with: L1Fixture.keys[1])
        let other = L1Fixture.transfer(from: 2, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: UInt256(7))
        let posted = try L1Fixture.batch(on: l1, txs: [exit, other])
        try l1.postBatch(posted.bytes, signature: posted.signature)
        let withdrawals = posted.block.withdrawals
        XCTAssertEqual(withdrawals.count, 2)
        let leaves = withdrawals.map(\.leafHash)
        let w = withdrawals[0]
        let proof = WithdrawalTree.proof(leaves, index: 0)
        XCTAssertEqual(w.recipient, recipient)

        XCTAssertThrowsError(try l1.claimWithdrawal(w, proof: proof)) {
            XCTAssertEqual($0 as? L1Error, .withdrawalNotFinal(l2BlockNumber: 1, claimableAtL1Block: 5))
        }
        try l1.mine(count: 5, now: 10)
        var inflated = w
        inflated.amount = UInt256(300) * L1Fixture.ether
        XCTAssertThrowsError(try l1.claimWithdrawal(inflated, proof: proof)) {
            XCTAssertEqual($0 as? L1Error, .invalidWithdrawalProof(l2BlockNumber: 1, index: 0))
        }
        XCTAssertThrowsError(try l1.claimWithdrawal(w, proof: [Hash32(UInt256(1))]))
        XCTAssertEqual(try l1.claimWithdrawal(w, proof: proof), .claimed(recipient: recipient, amount: UInt256(3) * L1Fixture.ether))
        XCTAssertEqual(l1.balance(of: recipient), UInt256(3) * L1Fixture.ether)
        XCTAssertThrowsError(try l1.claimWithdrawal(w, proof: proof)) { XCTAssertEqual($0 as? L1Error, .alreadyClaimed(l2BlockNumber: 1, index: 0)) }
        XCTAssertEqual(l1.balance(of: recipient), UInt256(3) * L1Fixture.ether)
        XCTAssertNoThrow(try l1.claimWithdrawal(withdrawals[1], proof: WithdrawalTree.proof(leaves, index: 1)))
        XCTAssertThrowsError(try l1.claimWithdrawal(w, proof: proof)) { _ in }
        var unknown = w
        unknown.l2BlockNumber = 9
        XCTAssertThrowsError(try l1.claimWithdrawal(unknown, proof: proof)) { XCTAssertEqual($0 as? L1Error, .unknownL2Block(9)) }
    }

    func testTransactionRecordsRoundTrip() {
        let w = Withdrawal(l2BlockNumber: 3, index: 1, sender: a[0], recipient: a[1], amount: UInt256(9), transactionHash: Hash32(UInt256(5)))
        let txs: [L1Transaction] = [
            .mine(count: 1, timestamp: 0), .mine(count: 3, timestamp: 1_700_000_000),
            .postBatch(batch: [1, 2, 3], signature: [4]), .enqueueTransaction(raw: [0]), .forceInclude,
            .deposit(L1Fixture.depositRequest(from: 0, to: a[3], amount: UInt256(1), nonce: 0)),
            .claimWithdrawal(w, proof: [Hash32(UInt256(1)), .zero]), .claimWithdrawal(w, proof: []),
        ]
        for tx in txs { XCTAssertEqual(L1Transaction(encoded: tx.encoded), tx) }
        XCTAssertNil(L1Transaction(encoded: [7, 0xc0]))
    }
}
