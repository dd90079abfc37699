import Ethereum
import Hashing
import Primitives
import Rollup
import Secp256k1
import XCTest
@testable import L1

/// The L1 contracts' security rules, one explicit check each, with no server:
/// the inbox (who may post, what a batch must prove), the forced-inclusion
/// queue (what it accepts and what it executes) and the bridge (deposits
/// signed by their owner, withdrawals paid once and only against a proof).
/// The rule-level rollup side is `RollupTests/SecurityTests.swift`, the live
/// side `Tests/wallet/test_security.py`; `L1ChainTests` covers the same
/// contracts for their normal use.
final class SecurityTests: XCTestCase {
    let a = L1Fixture.addresses

    /// A signed batch of one block on `chain`'s head, with `tamper` applied before signing.
    private func batch(on chain: L1Chain, txs: [SignedTransaction], forced: Int = 0, key: Secp256k1.PrivateKey = L1Configuration.devSequencerKey,
                       tamper: (inout Batch) -> Void = { _ in }) throws -> (bytes: [UInt8], signature: [UInt8], block: L2Block) {
        let c = chain.canonical
        var b = BlockBuilder(parent: c.head, state: c.state, timestamp: c.head.timestamp + 1, l1OriginNumber: chain.head.number,
                             configuration: chain.configuration.chain)
        for tx in txs { try b.apply(tx, sender: try tx.recoverSender()) }
        for i in 0..<forced { b.applyForced(c.queue[Int(c.forcedQueueCursor) + i].item) }
        let block = b.seal()
        var batch = Batch(chainID: 31337, previousBatchHash: c.lastBatchHash, blocks: [block])
        tamper(&batch)
        return (batch.encoded(), PersonalMessage.sign(batch.hash.bytes, with: key), block)
    }

    private func assertRefused(_ l1: inout L1Chain, _ posted: (bytes: [UInt8], signature: [UInt8], block: L2Block),
                               _ expected: (L1Error) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        let head = l1.canonical.head, inbox = l1.inboxAccumulator
        XCTAssertThrowsError(try l1.postBatch(posted.bytes, signature: posted.signature), file: file, line: line) {
            XCTAssertTrue(($0 as? L1Error).map(expected) ?? false, "\($0)", file: file, line: line)
        }
        XCTAssertEqual(l1.canonical.head, head, "a refused batch changes nothing", file: file, line: line)
        XCTAssertEqual(l1.inboxAccumulator, inbox, file: file, line: line)
    }

    // MARK: the inbox

    func testABatchSignedByAnyKeyButTheSequencersIsRefused() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let tx = L1Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(5))
        for key in [L1Fixture.keys[0], L1Fixture.keys[9]] {
            let forged = try batch(on: l1, txs: [tx], key: key)
            assertRefused(&l1, forged) { $0 == .batchRejected(.wrongSigner(expected: L1Configuration.devSequencerAddress, got: Address(publicKey: key.publicKey))) }
        }
        let good = try batch(on: l1, txs: [tx])
        var swapped = good.bytes
        swapped[swapped.count - 1] ^= 1
        assertRefused(&l1, (swapped, good.signature, good.block)) { if case .batchRejected(.wrongSigner) = $0 { true } else { false } }
        XCTAssertNoThrow(try l1.postBatch(good.bytes, signature: good.signature), "the sequencer's own signature is accepted")
        assertRefused(&l1, good) { if case .batchRejected(.wrongParent) = $0 { true } else { false } }
    }

    func testABatchWithAWrongStateRootIsRefusedEvenFromTheSequencer() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let tx = L1Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(5))
        let lying = try batch(on: l1, txs: [tx]) { $0.postStateRoot = Hash32(UInt256(42)) }
        assertRefused(&l1, lying) { if case .batchRejected(.wrongStateRoot(_, Hash32(UInt256(42)))) = $0 { true } else { false } }
        let richer = try batch(on: l1, txs: [tx]) { $0.blocks[0].withdrawalsRoot = Hash32(UInt256(43)) }
        assertRefused(&l1, richer) { if case .batchRejected(.wrongWithdrawalsRoot) = $0 { true } else { false } }
    }

    func testABatchSkippingAnOverdueForcedItemIsRefused() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let queued = L1Fixture.transfer(from: 4, nonce: 0, to: a[5], value: UInt256(9))
        try l1.enqueueTransaction(queued.raw)
        try l1.mine(count: 10, now: 1)
        let skipping = try batch(on: l1, txs: [L1Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(5))])
        assertRefused(&l1, skipping) { $0 == .batchRejected(.skipsOverdueForcedItem(queueIndex: 0, deadline: 10)) }
        let including = try batch(on: l1, txs: [], forced: 1)
        XCTAssertNoThrow(try l1.postBatch(including.bytes, signature: including.signature))
        XCTAssertEqual(l1.canonical.state[a[5]].balance, UInt256(10_000) * L1Fixture.ether + UInt256(9))
    }

    // MARK: the forced-inclusion queue

    func testForcedTransactionsForAnotherChainOrWithHighSAreSkippedWhenForcedIn() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let mainnet = Transaction(chainID: 1, nonce: 0, maxPriorityFeePerGas: UInt256(1_000), maxFeePerGas: UInt256(1_000_000_000),
                                  gasLimit: 21_000, to: a[2], value: L1Fixture.ether).signed(with: L1Fixture.keys[6])
        let low = L1Fixture.transfer(from: 7, nonce: 0, to: a[2], value: L1Fixture.ether)
        let malleated = SignedTransaction(transaction: low.transaction, r: low.r, s: CurveOrder.n - low.s, yParity: low.yParity ^ 1)
        try l1.enqueueTransaction(mainnet.raw)
        try l1.enqueueTransaction(malleated.raw)
        let before = l1.canonical.state
        try l1.mine(count: 10, now: 1)
        XCTAssertEqual(try l1.forceInclude(), .forceIncluded(inboxIndex: 0, l2BlockNumber: 1, items: 2))
        XCTAssertNotNil(l1.canonical.record(1), "the forced block is canonical")
        XCTAssertEqual(l1.canonical.forcedQueueCursor, 2, "both items used their slots")
        for i in [6, 7, 2] {
            XCTAssertEqual(l1.canonical.state[a[i]], before[a[i]], "account \(i) is untouched")
        }
        XCTAssertEqual(l1.canonical.state.root, before.root)
    }

    // MARK: the bridge

    func testADepositSignedByAnotherKeyOrReplayedIsRefused() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let fresh = Address(hex: "0x00000000000000000000000000000000000000d2")!
        for signer in [3, 0] {
            let forged = L1Fixture.depositRequest(from: 2, to: fresh, amount: L1Fixture.ether, nonce: 0, signer: signer)
            XCTAssertThrowsError(try l1.deposit(forged)) { XCTAssertEqual($0 as? L1Error, .invalidSignature(expected: a[2], got: a[signer])) }
        }
        var truncated = L1Fixture.depositRequest(from: 2, to: fresh, amount: L1Fixture.ether, nonce: 0)
        truncated.signature.removeLast()
        XCTAssertThrowsError(try l1.deposit(truncated)) { XCTAssertEqual($0 as? L1Error, .invalidSignature(expected: a[2], got: nil)) }
        var redirected = L1Fixture.depositRequest(from: 2, to: fresh, amount: L1Fixture.ether, nonce: 0)
        redirected.to = a[3]
        XCTAssertThrowsError(try l1.deposit(redirected), "the signature covers the recipient") {
            guard case .invalidSignature(expected: a[2], _) = $0 as? L1Error else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(l1.balance(of: a[2]), UInt256(10_000) * L1Fixture.ether, "refused deposits lock nothing")
        let d = L1Fixture.depositRequest(from: 2, to: fresh, amount: L1Fixture.ether, nonce: 0)
        XCTAssertNoThrow(try l1.deposit(d))
        XCTAssertThrowsError(try l1.deposit(d)) { XCTAssertEqual($0 as? L1Error, .wrongNonce(address: a[2], expected: 1, got: 0)) }
        XCTAssertEqual(l1.balance(of: a[2]), UInt256(9_999) * L1Fixture.ether)
    }

    func testAWithdrawalIsPaidOnceAndOnlyWithItsOwnProof() throws {
        var l1 = L1Chain(configuration: L1Fixture.config)
        let exits = (1...3).map { L1Fixture.transfer(from: $0, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: UInt256(UInt64($0)) * L1Fixture.ether) }
        let posted = try batch(on: l1, txs: exits)
        try l1.postBatch(posted.bytes, signature: posted.signature)
        try l1.mine(count: 5, now: 10)
        let withdrawals = posted.block.withdrawals
        let leaves = withdrawals.map(\.leafHash)
        let w = withdrawals[1]
        let proof = WithdrawalTree.proof(leaves, index: 1)
        let balance = l1.balance(of: w.recipient)

        var amount = w
        amount.amount = w.amount * UInt256(10)
        var recipient = w
        recipient.recipient = a[9]
        var index = w
        index.index = 2
        var tampered = proof
        tampered[0] = Hash32(UInt256(1))
        let forgeries: [(String, Withdrawal, [Hash32])] = [
            ("altered amount", amount, proof), ("altered recipient", recipient, proof), ("another index", index, proof),
            ("tampered proof", w, tampered), ("another withdrawal's proof", w, WithdrawalTree.proof(leaves, index: 0)), ("no proof", w, []),
        ]
        for (name, forged, p) in forgeries {
            XCTAssertThrowsError(try l1.claimWithdrawal(forged, proof: p), name) {
                guard case .invalidWithdrawalProof = $0 as? L1Error else { return XCTFail("\(name): \($0)") }
            }
        }
        XCTAssertEqual(l1.balance(of: w.recipient), balance, "forgeries pay nothing")
        XCTAssertEqual(l1.balance(of: a[9]), UInt256(10_000) * L1Fixture.ether)

        XCTAssertEqual(try l1.claimWithdrawal(w, proof: proof), .claimed(recipient: w.recipient, amount: w.amount))
        XCTAssertThrowsError(try l1.claimWithdrawal(w, proof: proof)) { XCTAssertEqual($0 as? L1Error, .alreadyClaimed(l2BlockNumber: 1, index: 1)) }
        XCTAssertEqual(l1.balance(of: w.recipient), balance + w.amount, "paid exactly once")
    }
}

/// The order n of secp256k1's group (SEC 2), for malleating a signature to n − s.
enum CurveOrder {
    static let n = UInt256(w0: 0xBFD2_5E8C_D036_4141, w1: 0xBAAE_DCE6_AF48_A03B, w2: 0xFFFF_FFFF_FFFF_FFFE, w3: 0xFFFF_FFFF_FFFF_FFFF)
}
