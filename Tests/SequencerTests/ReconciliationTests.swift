import Ethereum
import Primitives
import Rollup
import XCTest
@testable import Sequencer

/// The L1 forced blocks in while the sequencer held blocks it had not posted:
/// the sequencer adopts the L1's blocks, replays its own on top and reports
/// each pre-confirmation it could not keep.
final class ReconciliationTests: XCTestCase {
    let keys = DevAccounts.keys
    let a = DevAccounts.addresses
    let gwei = UInt256(1_000_000_000)
    let chain = ChainConfiguration(chainID: 31337, feeRecipient: Address(hex: "0x00000000000000000000000000000000000000fe")!)

    private func genesis() -> (L2Block, WorldState) {
        Genesis.make(allocations: a.map { ($0, UInt256(100) * gwei * gwei) }, timestamp: 0, configuration: chain)
    }

    private func makeCore(blockTime: UInt64 = 0) -> SequencerCore {
        let (g, s) = genesis()
        return SequencerCore(configuration: .init(chain: chain, blockTimeMillis: blockTime), genesis: g, genesisState: s)
    }

    private func tx(_ i: Int, nonce: UInt64, to: Int = 9, value: UInt64 = 1) -> SignedTransaction {
        Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: gwei,
                    gasLimit: 21_000, to: a[to], value: UInt256(value)).signed(with: keys[i])
    }

    /// Promised positions by hash, from the core's `sequenced` actions.
    private func positions(_ actions: [SequencerCore.Action]) -> [Hash32: ChainPosition] {
        var result: [Hash32: ChainPosition] = [:]
        for case let .sequenced(e, p, _) in actions { result[e.transaction.hash] = p }
        return result
    }

    private func records(_ actions: [SequencerCore.Action]) -> [LogRecord] {
        actions.compactMap { if case let .log(r, _) = $0 { r } else { nil } }
    }

    /// The L1's view: our first `posted` blocks in a batch, then one forced block holding `forced`.
    private func l1Chain(posting blocks: [L2Block], forced: [ForcedItem], l1Block: UInt64 = 20, timestamp: UInt64 = 5_000) throws -> [L2Block] {
        let (g, s) = genesis()
        var canonical = CanonicalChain(genesis: g, state: s, configuration: chain, forceInclusionDelay: 10)
        if !blocks.isEmpty {
            _ = try canonical.apply(Batch(chainID: 31337, previousBatchHash: .zero, blocks: blocks), l1BlockNumber: 1)
        }
        for item in forced { canonical.enqueue(item, l1BlockNumber: 2) }
        return [try XCTUnwrap(canonical.applyForcedBlock(l1BlockNumber: l1Block, timestamp: timestamp))]
    }

    func testUnpostedBlocksAreReplayedOnTopOfTheForcedBlockAndBrokenPromisesReported() throws {
        var core = makeCore()
        var log: [SequencerCore.Action] = []
        log += core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 1_000)
        let posted = core.head
        log += core.submit(tx(2, nonce: 0), sender: a[2], ticket: 2, nowMillis: 2_000)
        log += core.submit(tx(2, nonce: 1), sender: a[2], ticket: 3, nowMillis: 3_000)
        log += core.submit(tx(1, nonce: 0), sender: a[1], ticket: 4, nowMillis: 3_000)
        let promised = positions(log)
        XCTAssertEqual(core.head.number, 4)

        // While the sequencer was away, account 1 forced a transaction with the nonce it had used here.
        let forcedTx = tx(1, nonce: 0, to: 5, value: 7)
        let canonical = try l1Chain(posting: [posted], forced: [.transaction(ForcedTransaction(queueIndex: 0, raw: forcedTx.raw)),
                                                                 .deposit(Deposit(queueIndex: 1, from: a[3], to: a[4], amount: UInt256(9)))])
        let result = try core.reconcile(with: canonical, nowMillis: 9_000).get()

        XCTAssertEqual(result.adoptedBlocks, 1)
        XCTAssertEqual(core.head.number, 4, "forced block 2, then one block per replayed transaction (block time 0)")
        XCTAssertEqual(try XCTUnwrap(core.unposted[2]).block.hash, canonical[0].hash)
        XCTAssertEqual(core.headState[a[1]].nonce, 1)
        XCTAssertEqual(core.headState[a[5]].balance, UInt256(100) * gwei * gwei + UInt256(7), "the forced transfer ran")
        XCTAssertEqual(core.headState[a[4]].balance, UInt256(100) * gwei * gwei + UInt256(9), "the deposit arrived")
        XCTAssertEqual(core.headState[a[2]].nonce, 2, "account 2's transactions were replayed")
        XCTAssertEqual(core.nextForcedIndex, 2)

        let byHash = Dictionary(uniqueKeysWithValues: result.broken.map { ($0.transactionHash, $0) })
        let own1 = tx(1, nonce: 0)
        XCTAssertEqual(byHash[own1.hash]?.promised, promised[own1.hash])
        guard case .dropped(let reason)? = byHash[own1.hash]?.fate else { return XCTFail("account 1's own transaction lost its nonce: \(result.broken)") }
        XCTAssertTrue(reason.contains("nonce"), reason)
        for (nonce, from, to) in [(UInt64(0), UInt64(2), UInt64(3)), (1, 3, 4)] {
            let moved = tx(2, nonce: nonce)
            XCTAssertEqual(promised[moved.hash], ChainPosition(blockNumber: from, index: 0))
            XCTAssertEqual(byHash[moved.hash]?.fate, .moved(to: ChainPosition(blockNumber: to, index: 0)))
        }
        XCTAssertEqual(result.broken.count, 3)
        let actions = result.actions
        XCTAssertEqual(actions.filter { if case .preconfirmationBroken = $0 { true } else { false } }.count, result.broken.count)
    }

    func testAPrefixChainAdoptsTheL1BlocksAndBreaksNothing() throws {
        var core = makeCore()
        _ = core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 1_000)
        let canonical = try l1Chain(posting: [core.head], forced: [.deposit(Deposit(queueIndex: 0, from: a[3], to: a[4], amount: UInt256(9)))])
        let result = try core.reconcile(with: canonical, nowMillis: 9_000).get()
        XCTAssertEqual(result.broken, [])
        XCTAssertEqual(core.head.hash, canonical[0].hash)
    }

    func testAForcedBlockThatDoesNotRebuildToTheL1HashChangesNothing() throws {
        var core = makeCore()
        _ = core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 1_000)
        let posted = core.head
        _ = core.submit(tx(1, nonce: 0), sender: a[1], ticket: 2, nowMillis: 2_000)
        let head = core.head
        let good = try l1Chain(posting: [posted], forced: [.deposit(Deposit(queueIndex: 0, from: a[3], to: a[4], amount: UInt256(9)))])[0]
        var header = good.header
        header.stateRoot = .zero
        let forged = L2Block(header: header, transactions: good.transactions, items: good.items)
        guard case .failure(.hashMismatch(number: 2, l1: forged.hash, rebuilt: good.hash)) = core.reconcile(with: [forged], nowMillis: 9_000) else {
            return XCTFail("a block that does not rebuild must be refused")
        }
        XCTAssertEqual(core.head.hash, head.hash)
    }

    func testReplayingTheLogAfterAReconciliationRebuildsTheSameChain() throws {
        var core = makeCore(blockTime: 250)
        var all: [SequencerCore.Action] = []
        all += core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 1_000)
        all += core.tick(nowMillis: 1_250)
        let posted = core.head
        all += core.submit(tx(1, nonce: 0), sender: a[1], ticket: 2, nowMillis: 2_000)
        all += core.tick(nowMillis: 2_250)
        all += core.submit(tx(2, nonce: 0), sender: a[2], ticket: 3, nowMillis: 3_000)
        XCTAssertNotNil(core.open, "a block with a pre-confirmed transaction is open")
        let canonical = try l1Chain(posting: [posted], forced: [.transaction(ForcedTransaction(queueIndex: 0, raw: tx(1, nonce: 0, to: 6).raw))])
        all += try core.reconcile(with: canonical, nowMillis: 9_000).get().actions
        all += core.submit(tx(3, nonce: 0), sender: a[3], ticket: 4, nowMillis: 9_500)
        all += core.tick(nowMillis: 10_000)

        var replayed = makeCore(blockTime: 250)
        for (i, record) in records(all).enumerated() {
            let decoded = try XCTUnwrap(LogRecord(encoded: record.encoded))
            XCTAssertEqual(decoded, record)
            _ = try replayed.replay(decoded, index: i, nowMillis: 0)
        }
        XCTAssertEqual(replayed.head.hash, core.head.hash)
        XCTAssertEqual(replayed.headState.root, core.headState.root)
        XCTAssertEqual(replayed.head.number, core.head.number)
    }

    func testACrashRightAfterTheRewindRecordLosesNoTransactionSilently() throws {
        var core = makeCore()
        var log: [SequencerCore.Action] = []
        log += core.submit(tx(0, nonce: 0), sender: a[0], ticket: 1, nowMillis: 1_000)
        let posted = core.head
        log += core.submit(tx(2, nonce: 0), sender: a[2], ticket: 2, nowMillis: 2_000)
        log += core.submit(tx(1, nonce: 0), sender: a[1], ticket: 3, nowMillis: 3_000)
        let canonical = try l1Chain(posting: [posted], forced: [.transaction(ForcedTransaction(queueIndex: 0, raw: tx(1, nonce: 0, to: 5).raw))])
        let reconciliation = try core.reconcile(with: canonical, nowMillis: 9_000).get()
        let all = records(log) + records(reconciliation.actions)
        let rewound = try XCTUnwrap(all.firstIndex { if case .rewound = $0 { true } else { false } })
        // Only the records up to the rewind reached the disk.
        var recovered = makeCore()
        for (i, r) in all[...rewound].enumerated() { _ = try recovered.replay(r, index: i, nowMillis: 0) }
        let finished = recovered.finishRecovery(nowMillis: 10_000)
        let reported = finished.compactMap { if case let .preconfirmationBroken(b) = $0 { b } else { nil } }
        let placed = Set(finished.compactMap { if case let .sequenced(e, _, _) = $0 { e.transaction.hash } else { nil } })
        for hash in [tx(2, nonce: 0).hash, tx(1, nonce: 0).hash] {
            XCTAssertTrue(placed.contains(hash) || reported.contains { $0.transactionHash == hash },
                          "\(hash) is neither placed again nor reported")
        }
        XCTAssertTrue(placed.contains(tx(2, nonce: 0).hash))
        // With the whole reconciliation on disk, the recovery only repeats the reports.
        var whole = makeCore()
        for (i, r) in all.enumerated() { _ = try whole.replay(r, index: i, nowMillis: 0) }
        let repeated = whole.finishRecovery(nowMillis: 10_000)
        XCTAssertEqual(whole.head.hash, core.head.hash, "nothing placed twice")
        XCTAssertEqual(Set(repeated.compactMap { if case let .preconfirmationBroken(b) = $0 { b.transactionHash } else { nil } }),
                       Set(reconciliation.broken.map(\.transactionHash)))
    }

    func testPruningTheUnpostedBlocksLimitsHowFarARewindCanGo() throws {
        var core = makeCore()
        for n in 0..<4 { _ = core.submit(tx(0, nonce: UInt64(n)), sender: a[0], ticket: UInt64(n), nowMillis: 1_000) }
        XCTAssertEqual(core.rewindBase, 0)
        core.markPosted(through: 3)
        XCTAssertEqual(core.rewindBase, 3)
        let stale = try l1Chain(posting: [], forced: [.deposit(Deposit(queueIndex: 0, from: a[3], to: a[4], amount: UInt256(9)))])
        guard case .failure(.unknownAncestor(number: 0)) = core.reconcile(with: stale, nowMillis: 9_000) else {
            return XCTFail("a rewind below the posted blocks must be refused")
        }
    }
}

/// A withheld transaction that its sender forces in through the L1 leaves the queue.
final class ForcedWithheldTransactionTests: XCTestCase {
    func testTheQueuedCopyLeavesAndItsClientHearsThePlace() throws {
        let a = DevAccounts.addresses, gwei = UInt256(1_000_000_000)
        let chain = ChainConfiguration(chainID: 31337, feeRecipient: Address(hex: "0x00000000000000000000000000000000000000fe")!)
        let (g, s) = Genesis.make(allocations: a.map { ($0, UInt256(100) * gwei * gwei) }, timestamp: 0, configuration: chain)
        var core = SequencerCore(configuration: .init(chain: chain, blockTimeMillis: 250), genesis: g, genesisState: s)
        _ = core.setCensored([a[3]], nowMillis: 0)
        let victim = Transaction(type: .dynamicFee, chainID: 31337, nonce: 0, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: gwei,
                                 gasLimit: 21_000, to: a[4], value: UInt256(5)).signed(with: DevAccounts.keys[3])
        _ = core.submit(victim, sender: a[3], ticket: 7, nowMillis: 0)
        XCTAssertEqual(core.mempool.count, 1, "withheld")
        let actions = core.includeForced([.transaction(ForcedTransaction(queueIndex: 0, raw: victim.raw))], nowMillis: 10)
        XCTAssertEqual(core.mempool.count, 0, "the queued copy is gone once the forced one ran")
        let replies = actions.compactMap { if case let .log(_, r?) = $0 { r } else { nil } }
        XCTAssertEqual(replies, [SequencerCore.Reply(ticket: 7, hash: victim.hash,
                                                     outcome: .sequenced(ChainPosition(blockNumber: 1, index: 0), timestamp: 0))])
        XCTAssertTrue(actions.contains { if case .dropped(victim.hash, _) = $0 { true } else { false } })
    }
}
