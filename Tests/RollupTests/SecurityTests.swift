import Ethereum
import Primitives
import XCTest
@testable import Rollup

/// The rollup's security rules, one explicit check each, with no server: what
/// the sequencer, the L1 inbox and derivation all enforce because they share
/// this state transition. The L1 contracts' side is in
/// `L1Tests/SecurityTests.swift`, the live side (real binary, real clients) in
/// `Tests/wallet/test_security.py`. Related, broader tests: `CanonicalChainTests`
/// (every batch rejection), `ForcedItemTests` (every skip reason),
/// `StateTransitionTests` (every transaction rejection).
final class SecurityTests: XCTestCase {
    let a = Fixture.addresses
    /// The order n of secp256k1's group (SEC 2): a signature's s and n − s both verify, only s ≤ n/2 is valid (EIP-2).
    static let curveOrder = UInt256(w0: 0xBFD2_5E8C_D036_4141, w1: 0xBAAE_DCE6_AF48_A03B,
                                    w2: 0xFFFF_FFFF_FFFF_FFFE, w3: 0xFFFF_FFFF_FFFF_FFFF)

    private func builder() -> BlockBuilder {
        let g = Fixture.genesis()
        return BlockBuilder(parent: g.block.header, state: g.state, timestamp: 1_001, l1OriginNumber: 0, configuration: Fixture.config)
    }

    /// `tx` with s replaced by n − s and the parity flipped: the same signer, a malleated signature.
    static func highS(_ tx: SignedTransaction) -> SignedTransaction {
        SignedTransaction(transaction: tx.transaction, r: tx.r, s: curveOrder - tx.s, yParity: tx.yParity ^ 1)
    }

    /// A batch of one empty block on `chain`'s head, to carry items a sequencer would never build.
    private func emptyBatch(on chain: CanonicalChain) -> Batch {
        var seq = MiniSequencer(chain)
        let block = seq.block([])
        return seq.batch([block])
    }

    private func assertRejects(_ chain: CanonicalChain, _ batch: Batch, l1Block: UInt64 = 1,
                               _ expected: (BatchRejection) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        var copy = chain
        XCTAssertThrowsError(try copy.apply(batch, l1BlockNumber: l1Block), file: file, line: line) {
            XCTAssertTrue(($0 as? BatchRejection).map(expected) ?? false, "\($0)", file: file, line: line)
        }
        XCTAssertEqual(copy.head, chain.head, "a refused batch changes nothing", file: file, line: line)
        XCTAssertEqual(copy.state.root, chain.state.root, file: file, line: line)
    }

    // MARK: replay on another chain

    func testATransactionSignedForAnotherChainIsRefusedSequencedForcedOrBatched() throws {
        let mainnet = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(1), chainID: 1)
        XCTAssertThrowsError(try StateTransition.checkStateless(mainnet, configuration: Fixture.config)) {
            XCTAssertEqual($0 as? StateTransitionError, .invalidChainID(expected: 31337, got: 1))
        }
        let unprotected = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(1), chainID: nil, type: .legacy)
        XCTAssertThrowsError(try StateTransition.checkStateless(unprotected, configuration: Fixture.config),
                             "a pre-EIP-155 signature replays on every chain") {
            XCTAssertEqual($0 as? StateTransitionError, .invalidChainID(expected: 31337, got: nil))
        }

        var b = builder()
        let root = b.state.root
        let outcome = b.applyForced(.transaction(ForcedTransaction(queueIndex: 0, raw: mainnet.raw)))
        XCTAssertEqual(outcome, .skipped(.invalidTransaction(.invalidChainID(expected: 31337, got: 1))))
        XCTAssertEqual(b.state.root, root)
        XCTAssertEqual(b.state[a[0]].nonce, 0, "the sender's nonce is not used up on this chain")

        let chain = Fixture.chain()
        var batch = emptyBatch(on: chain)
        batch.blocks[0].items = [.transaction(mainnet)]
        assertRejects(chain, batch) { if case .invalidTransaction(1, 0, .invalidChainID) = $0 { true } else { false } }
    }

    // MARK: signature malleability

    func testHighSSignaturesAreRefusedSequencedForcedOrBatched() throws {
        let tx = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(1))
        let malleated = Self.highS(tx)
        XCTAssertGreaterThan(malleated.s, UInt256(0))
        XCTAssertThrowsError(try malleated.recoverSender()) { XCTAssertEqual($0 as? TransactionDecodingError, .highS) }
        XCTAssertThrowsError(try SignedTransaction.decode(malleated.raw)) { XCTAssertEqual($0 as? TransactionDecodingError, .highS) }
        XCTAssertEqual(try tx.recoverSender(), a[0], "the low-s original is valid")

        var b = builder()
        let root = b.state.root
        XCTAssertEqual(b.applyForced(.transaction(ForcedTransaction(queueIndex: 0, raw: malleated.raw))),
                       .skipped(.invalidTransaction(.malformed(.highS))))
        XCTAssertEqual(b.state.root, root)

        let chain = Fixture.chain()
        var batch = emptyBatch(on: chain)
        batch.blocks[0].items = [.transaction(malleated)]
        assertRejects(chain, batch) { if case .invalidTransaction(1, 0, .malformed(.highS)) = $0 { true } else { false } }
    }

    // MARK: batches

    func testABatchWithAWrongStateOrWithdrawalsRootIsRefused() throws {
        let chain = Fixture.chain()
        var seq = MiniSequencer(chain)
        let exit = seq.transfer(from: 2, to: ChainConfiguration.withdrawalAddress, value: Fixture.ether)
        let block = seq.block([.tx(exit)])
        let good = seq.batch([block])

        var root = good
        root.postStateRoot = Hash32(UInt256(7))
        assertRejects(chain, root) { $0 == .wrongStateRoot(expected: block.header.stateRoot, got: Hash32(UInt256(7))) }
        var withdrawals = good
        withdrawals.blocks[0].withdrawalsRoot = Hash32(UInt256(9))
        assertRejects(chain, withdrawals) { if case .wrongWithdrawalsRoot(1, _, _) = $0 { true } else { false } }

        var accepted = chain
        XCTAssertNoThrow(try accepted.apply(good, l1BlockNumber: 1), "the untampered batch is accepted")
        assertRejects(accepted, good) { if case .wrongParent = $0 { true } else { false } }
    }

    func testABatchThatForgesOrReplaysATransactionIsRefused() throws {
        let chain = Fixture.chain()
        var seq = MiniSequencer(chain)
        let real = seq.transfer(from: 0, to: a[1], value: UInt256(10))
        let good = seq.batch([seq.block([.tx(real)])])
        var inflated = real.transaction
        inflated.value = UInt256(50) * Fixture.ether
        var forged = good
        forged.blocks[0].items = [.transaction(SignedTransaction(transaction: inflated, r: real.r, s: real.s, yParity: real.yParity))]
        assertRejects(chain, forged) { if case .invalidTransaction(1, 0, _) = $0 { true } else { false } }
        var replayed = good
        replayed.blocks[0].items = [.transaction(real), .transaction(real)]
        assertRejects(chain, replayed) { if case .invalidTransaction(1, 1, .nonceTooLow) = $0 { true } else { false } }
    }

    func testABatchThatSkipsAnOverdueForcedItemIsRefused() throws {
        var chain = Fixture.chain(delay: 10)
        chain.enqueue(.transaction(ForcedTransaction(queueIndex: 0, raw: Fixture.transfer(from: 3, nonce: 0, to: a[4], value: UInt256(1)).raw)),
                      l1BlockNumber: 2)
        var seq = MiniSequencer(chain)
        let skipping = seq.batch([seq.block([.tx(seq.transfer(from: 0, to: a[1], value: UInt256(1)))])])
        assertRejects(chain, skipping, l1Block: 12) { $0 == .skipsOverdueForcedItem(queueIndex: 0, deadline: 12) }
        var early = chain
        XCTAssertNoThrow(try early.apply(skipping, l1BlockNumber: 11), "before the deadline the sequencer may still wait")

        var honest = MiniSequencer(chain)
        let including = honest.batch([honest.block([.forced(0)], queue: chain.queue)])
        var accepted = chain
        XCTAssertNoThrow(try accepted.apply(including, l1BlockNumber: 12))
        XCTAssertEqual(accepted.forcedQueueCursor, 1)
        XCTAssertEqual(accepted.state[a[3]].nonce, 1)
    }

    // MARK: withdrawal proofs

    func testOnlyTheExactWithdrawalVerifiesAgainstItsRoot() throws {
        let tx = Hash32(UInt256(0xabc))
        let withdrawals = (0..<5).map {
            Withdrawal(l2BlockNumber: 3, index: UInt32($0), sender: a[$0], recipient: a[$0 + 1], amount: UInt256(UInt64($0 + 1)) * Fixture.ether,
                       transactionHash: tx)
        }
        let leaves = withdrawals.map(\.leafHash)
        let root = WithdrawalTree.root(leaves)
        let w = withdrawals[2]
        let proof = WithdrawalTree.proof(leaves, index: 2)
        XCTAssertTrue(WithdrawalTree.verify(leaf: w.leafHash, index: 2, proof: proof, root: root))

        var amount = w
        amount.amount = w.amount + UInt256(1)
        var recipient = w
        recipient.recipient = a[9]
        var sender = w
        sender.sender = a[9]
        var block = w
        block.l2BlockNumber = 4
        for (name, forged) in [("amount", amount), ("recipient", recipient), ("sender", sender), ("block", block)] {
            XCTAssertFalse(WithdrawalTree.verify(leaf: forged.leafHash, index: 2, proof: proof, root: root), "altered \(name)")
        }
        XCTAssertFalse(WithdrawalTree.verify(leaf: w.leafHash, index: 3, proof: proof, root: root), "another index")
        XCTAssertFalse(WithdrawalTree.verify(leaf: w.leafHash, index: 2, proof: WithdrawalTree.proof(leaves, index: 1), root: root),
                       "another leaf's proof")
        XCTAssertFalse(WithdrawalTree.verify(leaf: w.leafHash, index: 2, proof: Array(proof.dropLast()), root: root), "a short proof")
        XCTAssertFalse(WithdrawalTree.verify(leaf: w.leafHash, index: 2, proof: proof + [root], root: root), "a long proof")
        for i in proof.indices {
            var tampered = proof
            tampered[i] = Hash32(UInt256(UInt64(i + 1)))
            XCTAssertFalse(WithdrawalTree.verify(leaf: w.leafHash, index: 2, proof: tampered, root: root), "sibling \(i) replaced")
        }
    }
}
