import Ethereum
import Foundation
import Primitives
import Rollup
import Storage
import XCTest
@testable import L1

final class L1NodeTests: XCTestCase {
    let a = L1Fixture.addresses

    func testReplayAfterACrashRebuildsTheSameStateAndAccumulators() throws {
        let file = SimulatedLogFile()
        let node = try L1Node(configuration: L1Fixture.config, file: file)
        try node.mine(count: 2, now: 50)
        try node.submit(.deposit(L1Fixture.depositRequest(from: 1, to: a[5], amount: L1Fixture.ether, nonce: 0)))
        try node.submit(.enqueueTransaction(raw: L1Fixture.transfer(from: 3, nonce: 0, to: ChainConfiguration.withdrawalAddress,
                                                                value: L1Fixture.ether).raw))
        let posted = try L1Fixture.batch(on: node.snapshot, txs: [L1Fixture.transfer(from: 0, nonce: 0, to: a[1], value: UInt256(1))], forced: 1)
        try node.submit(.postBatch(batch: posted.bytes, signature: posted.signature))
        XCTAssertThrowsError(try node.submit(.forceInclude))
        try node.mine(count: 10, now: 60)
        try node.submit(.forceInclude)
        try node.mine(count: 5, now: 70)
        let withdrawal = try XCTUnwrap(node.snapshot.canonical.record(2))
        _ = withdrawal
        let before = node.snapshot

        file.crash()
        let restarted = try L1Node(configuration: L1Fixture.config, file: file)
        let after = restarted.snapshot
        XCTAssertEqual(restarted.recoveredRecords, 8, "refused calls are not logged; the batch's senders are")
        XCTAssertEqual(after.head, before.head)
        XCTAssertEqual(after.blocks, before.blocks)
        XCTAssertEqual(after.inbox, before.inbox)
        XCTAssertEqual(after.queueAccumulators, before.queueAccumulators)
        XCTAssertEqual(after.inboxAccumulator, before.inboxAccumulator)
        XCTAssertEqual(after.balances, before.balances)
        XCTAssertEqual(after.canonical.head, before.canonical.head)
        XCTAssertEqual(after.canonical.state.root, before.canonical.state.root)

        try restarted.mine(count: 1, now: 80)
        XCTAssertEqual(try LogWriter.open(file).recovered.records.count, 9)
    }

    func testABatchReplaysWithTheLoggedSendersAndWithoutThem() throws {
        let file = SimulatedLogFile()
        let node = try L1Node(configuration: L1Fixture.config, file: file)
        try node.mine(count: 1, now: 50)
        let txs = (0..<3).map { L1Fixture.transfer(from: $0, nonce: 0, to: a[9], value: UInt256(7)) }
        let posted = try L1Fixture.batch(on: node.snapshot, txs: txs, forced: 0)
        try node.submit(.postBatch(batch: posted.bytes, signature: posted.signature))
        XCTAssertEqual(node.snapshot.canonical.lastBatchSenders, [a[0], a[1], a[2]])
        let records = try LogWriter.open(file).recovered.records
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[1].first, 0x72, "the senders go just before their batch")

        let withSenders = try L1Node(configuration: L1Fixture.config, file: file).snapshot
        let legacy = SimulatedLogFile()
        var (writer, _) = try LogWriter.open(legacy)
        for r in records where r.first != 0x72 { try writer.append(r) }
        try writer.flush()
        let withoutSenders = try L1Node(configuration: L1Fixture.config, file: legacy).snapshot
        for replayed in [withSenders, withoutSenders] {
            XCTAssertEqual(replayed.canonical.head, node.snapshot.canonical.head)
            XCTAssertEqual(replayed.canonical.state.root, node.snapshot.canonical.state.root)
        }
    }

    func testANodeOnDiskReopensWhereItStopped() throws {
        let dir = NSTemporaryDirectory() + "l1-node-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try L1Node(configuration: L1Fixture.config, directory: dir)
        try node.mine(count: 4, now: 10)
        try node.submit(.enqueueTransaction(raw: [1, 2, 3]))
        let before = node.snapshot
        let reopened = try L1Node(configuration: L1Fixture.config, directory: dir)
        XCTAssertEqual(reopened.recoveredRecords, 2)
        XCTAssertEqual(reopened.snapshot.head, before.head)
        XCTAssertEqual(reopened.snapshot.queueAccumulator, before.queueAccumulator)
    }

    func testATornTailIsDroppedAndAFailedSyncStopsTheNode() throws {
        let file = SimulatedLogFile()
        let node = try L1Node(configuration: L1Fixture.config, file: file)
        try node.mine(count: 1, now: 1)
        let garbage: [UInt8] = [0x20, 0, 0, 0, 1, 2, 3, 4, 5]
        let end = try file.readAll().count
        garbage.withUnsafeBytes { _ = try? file.write($0, at: end) }
        file.crash(keepingUnsynced: 7)
        let reopened = try L1Node(configuration: L1Fixture.config, file: file)
        XCTAssertEqual(reopened.snapshot.head.number, 1)
        file.failNext = .syncFailed(errno: 5)
        XCTAssertThrowsError(try reopened.mine(count: 1, now: 2)) { XCTAssertEqual($0 as? L1Error, .storage(.syncFailed(errno: 5))) }
        XCTAssertThrowsError(try reopened.mine(count: 1, now: 3)) { XCTAssertEqual($0 as? L1Error, .storage(.syncFailed(errno: 5))) }
        file.crash()
        XCTAssertEqual(try L1Node(configuration: L1Fixture.config, file: file).snapshot.head.number, 1)
    }

    func testALogFromAnotherConfigurationDoesNotReplay() throws {
        let file = SimulatedLogFile()
        let node = try L1Node(configuration: L1Fixture.config, file: file)
        try node.submit(.deposit(L1Fixture.depositRequest(from: 0, to: a[0], amount: UInt256(1), nonce: 0)))
        var other = L1Configuration()
        other.l1Allocations = []
        XCTAssertThrowsError(try L1Node(configuration: other, file: file)) {
            guard case .corruptLog(record: 0, _) = $0 as? L1Error else { return XCTFail("\($0)") }
        }
    }
}
