import Rollup
import Sequencer
import Storage

/// Why the simulated sequencer process could not start.
enum SequencerStartError: Error, CustomStringConvertible {
    case storage(StorageError)
    case recovery(RecoveryError)

    var description: String {
        switch self {
        case let .storage(e): "the write-ahead log cannot be opened: \(e)"
        case let .recovery(e): "the write-ahead log does not replay: \(e)"
        }
    }
}

/// One life of the sequencer process: `SequencerCore` with its `ChainStore`
/// and write-ahead log, doing what `SequencerRuntime` does but one step at a
/// time. Log records are appended when a step returns them and the store
/// sees the step at once; an answer that promises something (a place, a
/// queued hash) is released only when its record is durable, as the runtime
/// releases it from the log's completion. Starting replays the durable log
/// on a fresh core and reseals a block the crash left open, as the node does.
///
/// Dies with the process (`crash`); only the disk survives.
final class SimulatedSequencer {
    var core: SequencerCore
    let store: ChainStore
    private var wal: SimulatedWriteAheadLog
    /// Answers owed once the log holds `count` durable records.
    private var owed: [(count: Int, reply: SequencerCore.Reply)] = []
    /// The head each step left, by its last record's count: the store's durable head follows the fsyncs.
    private var stepHeads: [(count: Int, head: UInt64)] = []
    /// Records the start replayed and the bytes of torn tail it cut off.
    let recoveredRecords: Int
    let discardedBytes: Int
    /// When the L1-facing roles next run.
    var nextPollMillis: UInt64
    /// The L1 inbox length up to which this node's chain is known to agree with the L1.
    var agreedInboxLength: UInt64?
    /// Whether the defect `repliesBeforeDurable` is active.
    private let repliesEarly: Bool

    /// Starts on `disk`: replays its intact records on a core configured as
    /// the operator left it, then reseals a block left open.
    init(core fresh: SequencerCore, disk: SimulatedLogFile, nowMillis: UInt64, repliesEarly: Bool) throws(SequencerStartError) {
        var core = fresh
        let opened: (log: SimulatedWriteAheadLog, records: [[UInt8]], discardedBytes: Int)
        do throws(StorageError) { opened = try SimulatedWriteAheadLog.open(disk) } catch { throw .storage(error) }
        store = ChainStore(genesis: core.head, state: core.headState, baseFee: core.currentBaseFee)
        for (i, bytes) in opened.records.enumerated() {
            guard let record = LogRecord(encoded: bytes) else { throw .recovery(.undecodableRecord(index: i)) }
            do throws(RecoveryError) {
                let actions = try core.replay(record, index: i, nowMillis: nowMillis)
                store.publish(actions, headState: core.headState, pendingState: core.pendingState, baseFee: core.currentBaseFee)
            } catch {
                throw .recovery(error)
            }
        }
        store.setDurableHead(core.head.number)
        self.core = core
        self.wal = opened.log
        self.recoveredRecords = opened.records.count
        self.discardedBytes = opened.discardedBytes
        self.nextPollMillis = nowMillis
        self.repliesEarly = repliesEarly
    }

    /// Performs a step's actions as the runtime does: appends the log records
    /// (holding back the answers they carry), answers rejections now, and
    /// publishes everything to the store. Returns the answers due now.
    func perform(_ actions: [SequencerCore.Action]) throws(StorageError) -> [SequencerCore.Reply] {
        guard !actions.isEmpty else { return [] }
        var now: [SequencerCore.Reply] = []
        var lastAppended: Int?
        for action in actions {
            switch action {
            case let .log(record, reply):
                let count = try wal.append(record.encoded)
                lastAppended = count
                if let reply {
                    if repliesEarly { now.append(reply) } else { owed.append((count, reply)) }
                }
            case let .reply(reply):
                now.append(reply)
            default:
                break
            }
        }
        store.publish(actions, headState: core.headState, pendingState: core.pendingState, baseFee: core.currentBaseFee)
        if let lastAppended { stepHeads.append((lastAppended, core.head.number)) }
        return now
    }

    /// The group commit's fsync: makes every appended record durable and returns the answers that were waiting for it.
    func sync() throws(StorageError) -> [SequencerCore.Reply] {
        let durable = try wal.sync()
        let settled = stepHeads.prefix { $0.count <= durable }
        if let last = settled.last { store.setDurableHead(last.head) }
        stepHeads.removeFirst(settled.count)
        let due = owed.prefix { $0.count <= durable }.map(\.reply)
        owed.removeFirst(due.count)
        return due
    }

    /// The process dies; the answers it owed are never sent. `inFlight` as in `SimulatedWriteAheadLog.crash`.
    func crash(inFlight: Int?) {
        owed.removeAll()
        stepHeads.removeAll()
        wal.crash(inFlight: inFlight)
    }

    var unsyncedBytes: Int { wal.unsyncedBytes }
    var hasUnsyncedRecords: Bool { wal.appendedCount > wal.durableCount }
    var owesAnswers: Bool { !owed.isEmpty }
}
