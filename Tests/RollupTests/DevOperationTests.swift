import Ethereum
import Primitives
import Rollup
import XCTest

/// Dev operations are block items: they round-trip through the batch codec,
/// a dev chain's L1 re-executes them to the same block, and any other
/// chain refuses them.
final class DevOperationTests: XCTestCase {
    private func devBlock(config: ChainConfiguration) throws -> (L2Block, WorldState, [DevOperation]) {
        let (genesis, state) = Genesis.make(allocations: Fixture.addresses.map { ($0, UInt256(100) * Fixture.ether) },
                                            timestamp: 1_000, configuration: config)
        let stranger = Address(hex: "0x000000000000000000000000000000000000bEEF")!
        let t = Transaction(type: .dynamicFee, chainID: 31337, nonce: 0, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: Fixture.gwei,
                            gasLimit: 21_000, to: Fixture.addresses[1], value: UInt256(5))
        let ops: [DevOperation] = [.setBalance(stranger, Fixture.ether), .setNonce(Fixture.addresses[2], 7),
                                   .impersonated(DevOperation.impersonating(t, sender: stranger), sender: stranger)]
        var builder = BlockBuilder(parent: genesis.header, state: state, timestamp: 2_000, l1OriginNumber: 0, configuration: config)
        for op in ops { try builder.applyDev(op) }
        return (builder.seal(), builder.state, ops)
    }

    func testEncodingRoundTripsAndRejectsGarbage() throws {
        var config = Fixture.config
        config.allowsDevOperations = true
        let (_, _, ops) = try devBlock(config: config)
        for op in ops { XCTAssertEqual(DevOperation(encoded: op.encoded), op) }
        XCTAssertNil(DevOperation(encoded: [9, 0xc0]))
        XCTAssertNil(DevOperation(encoded: []))
    }

    func testADevChainAppliesThemAndItsL1RebuildsTheSameBlock() throws {
        var config = Fixture.config
        config.allowsDevOperations = true
        let (block, state, _) = try devBlock(config: config)
        let stranger = Address(hex: "0x000000000000000000000000000000000000bEEF")!
        XCTAssertEqual(state[Fixture.addresses[2]].nonce, 7)
        XCTAssertEqual(state[stranger].nonce, 1, "the impersonated transfer ran from the stranger")
        XCTAssertEqual(state[Fixture.addresses[1]].balance, UInt256(100) * Fixture.ether + UInt256(5))
        XCTAssertEqual(block.transactions.map(\.sender), [stranger])

        let (genesis, genesisState) = Genesis.make(allocations: Fixture.addresses.map { ($0, UInt256(100) * Fixture.ether) },
                                                   timestamp: 1_000, configuration: config)
        var chain = CanonicalChain(genesis: genesis, state: genesisState, configuration: config, forceInclusionDelay: 10)
        let batch = try Batch(encoded: Batch(chainID: 31337, previousBatchHash: .zero, blocks: [block]).encoded())
        let rebuilt = try chain.apply(batch, l1BlockNumber: 1)
        XCTAssertEqual(rebuilt.map(\.hash), [block.hash])
    }

    func testAChainWithoutDevOperationsRefusesTheBatch() throws {
        var dev = Fixture.config
        dev.allowsDevOperations = true
        let (block, _, _) = try devBlock(config: dev)
        let (genesis, state) = Genesis.make(allocations: Fixture.addresses.map { ($0, UInt256(100) * Fixture.ether) },
                                            timestamp: 1_000, configuration: Fixture.config)
        var chain = CanonicalChain(genesis: genesis, state: state, configuration: Fixture.config, forceInclusionDelay: 10)
        XCTAssertThrowsError(try chain.apply(Batch(chainID: 31337, previousBatchHash: .zero, blocks: [block]), l1BlockNumber: 1)) { error in
            XCTAssertEqual(error as? BatchRejection, .invalidTransaction(l2BlockNumber: 1, index: 0, reason: .devOperationsNotAllowed))
        }
        var builder = BlockBuilder(parent: genesis.header, state: state, timestamp: 2_000, l1OriginNumber: 0, configuration: Fixture.config)
        XCTAssertThrowsError(try builder.applyDev(.setNonce(Fixture.addresses[0], 1)))
    }
}
