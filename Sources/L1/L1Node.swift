import Foundation
import Primitives
import Storage

/// The simulated L1 as a running service: one `L1Chain` and its
/// append-only log. Every accepted call is applied, appended and fsync'd
/// before it returns, so a restart replays the log to the same state
/// (blocks, balances, inbox, queue and both accumulators).
///
/// Any thread may call it; calls are serialized by one lock. After a
/// storage failure the node refuses every further call (the call that hit
/// it is applied in memory but not durable, and its caller got the error);
/// restarting recovers the durable prefix.
public final class L1Node: @unchecked Sendable {
    public let configuration: L1Configuration
    /// How many log records the last open replayed.
    public let recoveredRecords: Int
    // Guards `chain`, `writer` and `failure`; the log order is the apply order.
    private let lock = NSLock()
    private var chain: L1Chain
    private var writer: LogWriter
    private var failure: StorageError?
    /// Dev snapshots of the whole chain by id (taken with the L2's, for `evm_snapshot`).
    private var snapshots: [UInt64: L1Chain] = [:]

    /// Opens the log in `file` and replays it. A torn tail (a call whose
    /// fsync never finished) is dropped; a record that does not replay
    /// means the log belongs to another configuration and is an error.
    public init(configuration: L1Configuration, file: LogFile) throws(L1Error) {
        self.configuration = configuration
        let opened: (writer: LogWriter, recovered: LogRecordFormat.Scan)
        do throws(StorageError) { opened = try LogWriter.open(file) } catch { throw .storage(error) }
        var chain = L1Chain(configuration: configuration)
        var snapshots: [UInt64: L1Chain] = [:]
        var senders: [Address]?
        for (i, record) in opened.recovered.records.enumerated() {
            if let dev = NodeRecord(encoded: record) {
                switch dev {
                case let .batchSenders(s): senders = s
                case let .snapshot(id): snapshots[id] = chain
                case let .revert(id):
                    guard let saved = id == 0 ? L1Chain(configuration: configuration) : snapshots[id] else {
                        throw .corruptLog(record: i, reason: "revert to unknown snapshot \(id)")
                    }
                    chain = saved
                    snapshots = snapshots.filter { $0.key < id }
                }
                continue
            }
            guard let tx = L1Transaction(encoded: record) else { throw .corruptLog(record: i, reason: "undecodable record") }
            do throws(L1Error) { try chain.apply(tx, knownSenders: senders) } catch { throw .corruptLog(record: i, reason: error.description) }
            senders = nil
        }
        self.chain = chain
        self.snapshots = snapshots
        self.writer = opened.writer
        self.recoveredRecords = opened.recovered.records.count
    }

    /// Opens (creating if needed) `directory/l1.log`.
    public convenience init(configuration: L1Configuration, directory: String) throws(L1Error) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .storage(.openFailed(path: directory, errno: 2))
        }
        let file: PosixLogFile
        do throws(StorageError) { file = try PosixLogFile(path: directory + "/l1.log", preallocationChunk: 1 << 20) } catch {
            throw .storage(error)
        }
        try self.init(configuration: configuration, file: file)
    }

    /// Performs `tx` and makes it durable before returning what it did.
    @discardableResult
    public func submit(_ tx: L1Transaction) throws(L1Error) -> L1Outcome {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw .storage(failure) }
        let outcome = try chain.apply(tx)
        do throws(StorageError) {
            if case .postBatch = tx { try writer.append(NodeRecord.batchSenders(chain.canonical.lastBatchSenders).encoded) }
            try writer.append(tx.encoded)
            try writer.flush()
        } catch {
            failure = error
            throw .storage(error)
        }
        return outcome
    }

    /// Dev: saves the whole chain as snapshot `id` (with the L2's snapshot of the same id), durably.
    public func saveSnapshot(id: UInt64) throws(L1Error) {
        try appendNodeRecord(.snapshot(id)) { snapshots[id] = chain }
    }

    /// Dev: returns to snapshot `id` (0: genesis), consuming it and every later one; false when unknown.
    public func revert(toSnapshot id: UInt64) throws(L1Error) -> Bool {
        var known = false
        try appendNodeRecord(.revert(id)) {
            guard let saved = id == 0 ? L1Chain(configuration: configuration) : snapshots[id] else { return }
            known = true
            chain = saved
            snapshots = snapshots.filter { $0.key < id }
        }
        return known
    }

    private func appendNodeRecord(_ record: NodeRecord, apply: () -> Void) throws(L1Error) {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw .storage(failure) }
        apply()
        do throws(StorageError) {
            try writer.append(record.encoded)
            try writer.flush()
        } catch {
            failure = error
            throw .storage(error)
        }
    }

    /// Mines `count` blocks at `now` (seconds since the epoch).
    @discardableResult
    public func mine(count: UInt64 = 1, now: UInt64) throws(L1Error) -> L1Outcome {
        try submit(.mine(count: count, timestamp: now))
    }

    /// A consistent snapshot of the whole L1 (a cheap copy-on-write value).
    public var snapshot: L1Chain {
        lock.lock()
        defer { lock.unlock() }
        return chain
    }

    /// Reads under the lock without copying, for small answers.
    public func read<R>(_ body: (borrowing L1Chain) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(chain)
    }
}

/// A record of the L1 log beside the L1 transactions: the senders a batch's
/// application recovered (written just before the batch, so a replay need
/// not recover them again), or a dev snapshot or revert. Tags 0x70–0x72
/// never start an `L1Transaction` record.
enum NodeRecord {
    case snapshot(UInt64)
    case revert(UInt64)
    case batchSenders([Address])

    var encoded: [UInt8] {
        switch self {
        case let .snapshot(id): [0x70] + withUnsafeBytes(of: id.bigEndian, Array.init)
        case let .revert(id): [0x71] + withUnsafeBytes(of: id.bigEndian, Array.init)
        case let .batchSenders(senders): [0x72] + senders.flatMap(\.bytes)
        }
    }

    init?(encoded bytes: [UInt8]) {
        guard let tag = bytes.first else { return nil }
        switch tag {
        case 0x70, 0x71:
            guard bytes.count == 9 else { return nil }
            let id = bytes[1...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = tag == 0x70 ? .snapshot(id) : .revert(id)
        case 0x72:
            guard (bytes.count - 1) % 20 == 0 else { return nil }
            self = .batchSenders(stride(from: 1, to: bytes.count, by: 20).map { Address(Array(bytes[$0..<($0 + 20)]))! })
        default:
            return nil
        }
    }
}
