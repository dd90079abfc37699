import Ethereum
import Primitives
import Rollup
import XCTest
@testable import Sequencer

/// The dev controls of the core: mining modes, time travel, dev operations,
/// snapshots and reverts, and their replay from the write-ahead log.
final class DevControlTests: XCTestCase {
    let keys = DevAccounts.keys
    let a = DevAccounts.addresses
    let gwei = UInt256(1_000_000_000)

    private func makeCore(blockTime: UInt64 = 0, dev: Bool = true) -> SequencerCore {
        var chain = ChainConfiguration(chainID: 31337, feeRecipient: Address(hex: "0x00000000000000000000000000000000000000fe")!)
        chain.allowsDevOperations = dev
        let (g, s) = Genesis.make(allocations: a.map { ($0, UInt256(100) * gwei * gwei) }, timestamp: 0, configuration: chain)
        return SequencerCore(configuration: .init(chain: chain, blockTimeMillis: blockTime), genesis: g, genesisState: s)
    }

    private func tx(_ i: Int, nonce: UInt64) -> SignedTransaction {
        Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: gwei,
                    gasLimit: 21_000, to: a[9], value: UInt256(1)).signed(with: keys[i])
    }

    private func records(_ actions: [SequencerCore.Action]) -> [LogRecord] {
        actions.compactMap { if case let .log(r, _) = $0 { r } else { nil } }
    }

    func testSnapshotAndRevertRestoreTheChainAndConsumeLaterSnapshots() throws {
        var core = makeCore()
        var log: [SequencerCore.Action] = []
        log += core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 1_000)
        let (first, taken) = core.takeSnapshot()
        log += taken
        let saved = (core.head.hash, core.headState.root)
        log += core.submit(tx(0, nonce: 1), sender: a[0], ticket: 2, nowMillis: 2_000)
        log += try core.applyDev(.setBalance(a[5], UInt256(3)), nowMillis: 2_000).get()
        let (second, taken2) = core.takeSnapshot()
        log += taken2
        XCTAssertEqual(core.head.number, 3)
        log += try XCTUnwrap(core.revert(toSnapshot: first))
        XCTAssertEqual(core.head.hash, saved.0)
        XCTAssertEqual(core.headState.root, saved.1)
        XCTAssertNil(core.revert(toSnapshot: first), "a revert consumes its snapshot")
        XCTAssertNil(core.revert(toSnapshot: second), "and every later one")
        log += core.submit(tx(0, nonce: 1), sender: a[0], ticket: 3, nowMillis: 3_000)

        var replayed = makeCore()
        for (i, r) in records(log).enumerated() { _ = try replayed.replay(XCTUnwrap(LogRecord(encoded: r.encoded)), index: i, nowMillis: 0) }
        XCTAssertEqual(replayed.head.hash, core.head.hash)
        XCTAssertEqual(replayed.headState.root, core.headState.root)
    }

    func testResetReturnsToGenesis() {
        var core = makeCore()
        _ = core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 1_000)
        _ = core.revert(toSnapshot: 0)
        XCTAssertEqual(core.head.number, 0)
        XCTAssertEqual(core.headState[a[0]].nonce, 0)
    }

    func testManualMiningAndTimeTravel() throws {
        var core = makeCore(blockTime: 250)
        _ = core.setBlockTime(nil, nowMillis: 0)
        _ = core.submit(tx(1, nonce: 0), sender: a[1], ticket: 1, nowMillis: 10_000)
        XCTAssertNil(core.sealDeadline, "with mining off nothing seals on the clock")
        XCTAssertTrue(core.tick(nowMillis: 1_000_000).isEmpty)
        XCTAssertEqual(core.increaseTime(by: 3_600), 3_600)
        _ = try core.mine(count: 3, intervalSeconds: 12, timestamp: nil, nowMillis: 20_000).get()
        XCTAssertEqual(core.head.number, 3, "the open block, then two empty ones")
        XCTAssertEqual(core.head.header.timestamp, 20 + 3_600 + 12)
        try core.setNextBlockTimestamp(50_000).get()
        _ = try core.mine(count: 1, intervalSeconds: nil, timestamp: nil, nowMillis: 21_000).get()
        XCTAssertEqual(core.head.header.timestamp, 50_000)
        XCTAssertEqual(core.setNextBlockTimestamp(10).map { 0 }, .failure(.timestampBeforeHead(requested: 10, head: 50_000)))
    }

    func testDevOperationsAreRefusedOnAChainThatDoesNotAllowThem() {
        var core = makeCore(dev: false)
        XCTAssertEqual(core.applyDev(.setBalance(a[0], .zero), nowMillis: 0).map { _ in 0 }, .failure(.notAllowed))
    }

    func testSettingANonceReleasesAWaitingTransaction() throws {
        var core = makeCore(blockTime: 250)
        _ = core.submit(tx(2, nonce: 4), sender: a[2], ticket: 1, nowMillis: 0)
        XCTAssertEqual(core.mempool.count, 1)
        let actions = try core.applyDev(.setNonce(a[2], 4), nowMillis: 0).get()
        XCTAssertEqual(core.mempool.count, 0)
        XCTAssertTrue(actions.contains { if case .sequenced = $0 { true } else { false } })
    }
}
