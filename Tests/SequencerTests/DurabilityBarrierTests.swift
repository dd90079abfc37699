import Ethereum
import Foundation
import Primitives
import Rollup
import Storage
import XCTest
@testable import Sequencer

/// A log file whose syncs wait until the test opens its gate, so a record
/// stays appended-but-not-durable for as long as the test needs.
private final class GatedLogFile: LogFile, @unchecked Sendable {
    private let inner = SimulatedLogFile()
    // Guards `open` and `inner`.
    private let condition = NSCondition()
    private var open = false

    func openGate() {
        condition.lock()
        open = true
        condition.broadcast()
        condition.unlock()
    }

    func readAll() throws(StorageError) -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return try inner.readAll()
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(StorageError) {
        condition.lock()
        defer { condition.unlock() }
        try inner.write(bytes, at: offset)
    }

    func sync() throws(StorageError) {
        condition.lock()
        defer { condition.unlock() }
        while !open { condition.wait() }
        try inner.sync()
    }

    func truncate(to length: Int) throws(StorageError) {
        condition.lock()
        defer { condition.unlock() }
        try inner.truncate(to: length)
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Bool?
    func set(_ v: Bool) { lock.lock(); value = v; lock.unlock() }
    var get: Bool? { lock.lock(); defer { lock.unlock() }; return value }
}

/// Readers see a sequenced transaction in the store before its log record is
/// fsync'd; anything that answers a client about it (a resubmission, a
/// `seq_getPreconfirmation`) must wait for that record to be durable.
final class DurabilityBarrierTests: XCTestCase {
    func testATransactionSeenInTheStoreIsPromisedOnlyOnceItsRecordIsDurable() throws {
        let chain = ChainConfiguration(chainID: 31337, feeRecipient: Address(hex: "0x00000000000000000000000000000000000000fe")!)
        let (genesis, state) = Genesis.make(allocations: DevAccounts.addresses.map { ($0, UInt256(1_000_000_000_000_000_000)) },
                                            timestamp: 0, configuration: chain)
        let core = SequencerCore(configuration: .init(chain: chain, blockTimeMillis: 60_000), genesis: genesis, genesisState: state)
        let file = GatedLogFile()
        let (writer, scan) = try LogWriter.open(file)
        let runtime = try SequencerRuntime(core: core, writer: writer, recovered: scan.records, clock: SystemClock())
        let tx = Transaction(type: .dynamicFee, chainID: 31337, nonce: 0, maxPriorityFeePerGas: UInt256(1),
                             maxFeePerGas: UInt256(1_000_000_000), gasLimit: 21_000, to: DevAccounts.addresses[1],
                             value: UInt256(1)).signed(with: DevAccounts.keys[0])

        let answered = Flag(), barrier = Flag()
        runtime.submit(tx, sender: DevAccounts.addresses[0]) { _ in answered.set(true) }
        let deadline = Date().addingTimeInterval(5)
        while runtime.store.transaction(tx.hash) == nil, Date() < deadline { usleep(1000) }
        XCTAssertNotNil(runtime.store.transaction(tx.hash), "the store shows the transaction before its fsync")
        runtime.whenAppendedRecordsAreDurable { barrier.set($0) }
        usleep(50_000)
        XCTAssertNil(answered.get, "the submitter is answered only after the fsync")
        XCTAssertNil(barrier.get, "nor is anyone else told about the transaction")

        file.openGate()
        while barrier.get == nil || answered.get == nil, Date() < deadline { usleep(1000) }
        XCTAssertEqual(barrier.get, true)
        XCTAssertEqual(answered.get, true)
        let immediate = Flag()
        runtime.whenAppendedRecordsAreDurable { immediate.set($0) }
        XCTAssertEqual(immediate.get, true, "with nothing pending the barrier runs at once")
        runtime.stop()
    }
}
