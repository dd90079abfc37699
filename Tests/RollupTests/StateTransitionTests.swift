import Ethereum
import Primitives
import XCTest
@testable import Rollup

final class StateTransitionTests: XCTestCase {
    let a = Fixture.addresses

    private func builder() -> BlockBuilder {
        let g = Fixture.genesis()
        return BlockBuilder(parent: g.block.header, state: g.state, timestamp: 1_001, l1OriginNumber: 0, configuration: Fixture.config)
    }

    func testTransferChargesIntrinsicGasBurnsBaseFeeAndPaysTheTip() throws {
        var b = builder()
        let baseFee = b.baseFee
        XCTAssertEqual(baseFee, Fixture.config.baseFeeFloor, "an empty genesis drives the base fee to its floor")
        let value = UInt256(12345)
        let tip = UInt256(7_000_000)
        let tx = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: value, maxFee: Fixture.gwei, tip: tip)
        let before = b.state
        let receipt = try b.apply(tx, sender: a[0])
        XCTAssertEqual(receipt.gasUsed, 21_000)
        XCTAssertEqual(receipt.effectiveGasPrice, baseFee + tip)
        XCTAssertEqual(b.state[a[0]].balance, before[a[0]].balance - value - UInt256(21_000) * (baseFee + tip))
        XCTAssertEqual(b.state[a[0]].nonce, 1)
        XCTAssertEqual(b.state[a[1]].balance, before[a[1]].balance + value)
        XCTAssertEqual(b.state[Fixture.feeRecipient].balance, UInt256(21_000) * tip)
        let supplyBefore = a.reduce(UInt256.zero) { $0 + before[$1].balance }
        let supplyAfter = a.reduce(UInt256.zero) { $0 + b.state[$1].balance } + b.state[Fixture.feeRecipient].balance
        XCTAssertEqual(supplyBefore - supplyAfter, UInt256(21_000) * baseFee, "exactly the base fee is burned")
    }

    func testTipIsCappedByMaxFeeMinusBaseFee() throws {
        var b = builder()
        let maxFee = b.baseFee + UInt256(5)
        let tx = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: .zero, maxFee: maxFee, tip: UInt256(1_000_000))
        let r = try b.apply(tx, sender: a[0])
        XCTAssertEqual(r.effectiveGasPrice, maxFee)
        XCTAssertEqual(b.state[Fixture.feeRecipient].balance, UInt256(21_000 * 5))
    }

    func testLegacyAndAccessListTransactionsPayTheirGasPrice() throws {
        var b = builder()
        let price = UInt256(50_000_000)
        let legacy = Fixture.transfer(from: 2, nonce: 0, to: a[3], value: UInt256(1), maxFee: price, type: .legacy)
        let r = try b.apply(legacy, sender: a[2])
        XCTAssertEqual(r.effectiveGasPrice, price)
        XCTAssertEqual(b.state[Fixture.feeRecipient].balance, UInt256(21_000) * (price - b.baseFee))
        let data: [UInt8] = [0, 1, 0, 2]
        let typed1 = Fixture.transfer(from: 2, nonce: 1, to: a[3], value: .zero, maxFee: price, gas: 21_000 + 4 * 2 + 16 * 2,
                                      data: data, type: .accessList)
        XCTAssertEqual(try b.apply(typed1, sender: a[2]).gasUsed, 21_040)
    }

    func testBaseFeeMovesByAnEighthAndNeverBelowTheFloor() {
        let c = Fixture.config
        let start = UInt256(1_000_000_000)
        XCTAssertEqual(BaseFee.next(parentBaseFee: start, parentGasUsed: c.gasTarget, configuration: c), start)
        XCTAssertEqual(BaseFee.next(parentBaseFee: start, parentGasUsed: c.blockGasLimit, configuration: c), start + start / UInt256(8))
        XCTAssertEqual(BaseFee.next(parentBaseFee: start, parentGasUsed: 0, configuration: c), start - start / UInt256(8))
        XCTAssertEqual(BaseFee.next(parentBaseFee: c.baseFeeFloor, parentGasUsed: 0, configuration: c), c.baseFeeFloor)
        let half = c.gasTarget + c.gasTarget / 2
        XCTAssertEqual(BaseFee.next(parentBaseFee: start, parentGasUsed: half, configuration: c), start + start / UInt256(16))
    }

    func testWithdrawalBurnsValueAndCommitsToTheRecipient() throws {
        var b = builder()
        let amount = Fixture.ether
        let toSelf = Fixture.transfer(from: 4, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: amount)
        let other = Address(hex: "0x1111111111111111111111111111111111111111")!
        let toOther = Fixture.transfer(from: 4, nonce: 1, to: ChainConfiguration.withdrawalAddress, value: amount,
                                       gas: 21_000 + 20 * 16, data: other.bytes)
        let r1 = try b.apply(toSelf, sender: a[4])
        let r2 = try b.apply(toOther, sender: a[4])
        XCTAssertEqual(r1.withdrawal?.recipient, a[4])
        XCTAssertEqual(r2.withdrawal?.recipient, other)
        XCTAssertEqual(r2.withdrawal?.index, 1)
        XCTAssertEqual(b.state[ChainConfiguration.withdrawalAddress].balance, .zero)
        XCTAssertEqual(b.state[other].balance, .zero, "paid on L1 later, not on L2")

        let block = b.seal()
        let leaves = block.withdrawals.map(\.leafHash)
        XCTAssertEqual(block.header.withdrawalsRoot, WithdrawalTree.root(leaves))
        for i in leaves.indices {
            let proof = WithdrawalTree.proof(leaves, index: i)
            XCTAssertTrue(WithdrawalTree.verify(leaf: leaves[i], index: i, proof: proof, root: block.header.withdrawalsRoot))
            XCTAssertFalse(WithdrawalTree.verify(leaf: leaves[i], index: i ^ 1, proof: proof, root: block.header.withdrawalsRoot))
        }
    }

    func testEveryRejectionLeavesTheStateUntouched() {
        var b = builder()
        let rootBefore = b.state.root
        let big = UInt256(1_000) * Fixture.ether
        let cases: [(SignedTransaction, StateTransitionError)] = [
            (Fixture.transfer(from: 0, nonce: 1, to: a[1], value: .zero), .nonceTooHigh(expected: 0, got: 1)),
            (Fixture.transfer(from: 0, nonce: 0, to: a[1], value: big),
             .insufficientFunds(balance: UInt256(100) * Fixture.ether, cost: big + UInt256(21_000) * Fixture.gwei)),
            (Fixture.transfer(from: 0, nonce: 0, to: a[1], value: .zero, gas: 20_999), .intrinsicGasTooLow(gasLimit: 20_999, required: 21_000)),
            (Fixture.transfer(from: 0, nonce: 0, to: a[1], value: .zero, maxFee: UInt256(1), tip: UInt256(1)),
             .feeCapBelowBaseFee(maxFeePerGas: UInt256(1), baseFee: Fixture.config.baseFeeFloor)),
            (Fixture.transfer(from: 0, nonce: 0, to: a[1], value: .zero, chainID: 1), .invalidChainID(expected: 31337, got: 1)),
            (Fixture.transfer(from: 0, nonce: 0, to: ChainConfiguration.withdrawalAddress, value: .zero, gas: 21_000 + 16 * 3, data: [1, 2, 3]),
             .invalidWithdrawalRecipient(dataLength: 3)),
            (Fixture.transfer(from: 0, nonce: 0, to: a[1], value: .zero, gas: 40_000_000), .gasLimitExceedsBlock(gasLimit: 40_000_000, available: 30_000_000)),
        ]
        for (tx, expected) in cases {
            XCTAssertThrowsError(try b.apply(tx, sender: a[0])) { XCTAssertEqual($0 as? StateTransitionError, expected) }
        }
        let creation = Transaction(type: .dynamicFee, chainID: 31337, nonce: 0, maxPriorityFeePerGas: .zero,
                                   maxFeePerGas: Fixture.gwei, gasLimit: 60_000, to: nil).signed(with: Fixture.keys[0])
        XCTAssertThrowsError(try b.apply(creation, sender: a[0])) { XCTAssertEqual($0 as? StateTransitionError, .contractCreationNotSupported) }
        let oversized = Fixture.transfer(from: 0, nonce: 0, to: a[1], value: .zero, gas: 29_000_000,
                                         data: [UInt8](repeating: 1, count: 130 * 1024))
        XCTAssertThrowsError(try b.apply(oversized, sender: a[0])) {
            guard case .oversized? = $0 as? StateTransitionError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(b.state.root, rootBefore)
        XCTAssertTrue(b.isEmpty)

        XCTAssertNoThrow(try b.apply(Fixture.transfer(from: 0, nonce: 0, to: a[1], value: .zero), sender: a[0]))
        XCTAssertThrowsError(try b.apply(Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(1)), sender: a[0])) {
            XCTAssertEqual($0 as? StateTransitionError, .nonceTooLow(expected: 1, got: 0))
            XCTAssertEqual(($0 as? StateTransitionError)?.message, "nonce too low: next nonce 1, tx nonce 0")
        }
    }

    func testBlocksAreDeterministicAndTheStateRootIsRecomputable() throws {
        func build() throws -> (L2Block, WorldState) {
            var b = builder()
            for n in 0..<5 {
                try b.apply(Fixture.transfer(from: n % 3, nonce: UInt64(n / 3), to: a[5 + n % 2], value: UInt256(UInt64(n + 1))), sender: a[n % 3])
            }
            return (b.seal(), b.state)
        }
        let (b1, s1) = try build()
        let (b2, _) = try build()
        XCTAssertEqual(b1.hash, b2.hash)
        XCTAssertEqual(b1.header.number, 1)
        XCTAssertEqual(b1.header.gasUsed, 5 * 21_000)

        var fresh = WorldState()
        for address in a + [Fixture.feeRecipient] { fresh[address] = s1[address] }
        XCTAssertEqual(fresh.root, b1.header.stateRoot, "the root depends only on the accounts, not on history")
    }
}
