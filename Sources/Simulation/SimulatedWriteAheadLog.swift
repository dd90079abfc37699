import Storage

/// The sequencer's write-ahead log on a simulated disk, with the production
/// framing and recovery (`LogWriter`, `LogRecordFormat`). Records are durable
/// only after `sync()`, the simulated fsync of a group commit. A crash loses
/// what was appended since the last sync, except that a write in flight may
/// leave some of its bytes on the disk, possibly a torn record, which
/// recovery cuts off as the real node does.
///
/// The disk (`file`) outlives the process; the writer dies with it.
struct SimulatedWriteAheadLog {
    let file: SimulatedLogFile
    private var writer: LogWriter
    /// Payloads appended since the last sync, kept to model a write in flight at a crash.
    private var unsynced: [[UInt8]] = []

    /// Records appended in this process's lifetime plus those recovered.
    var appendedCount: Int { writer.durableCount + writer.pendingCount }
    /// Records that survive a crash.
    var durableCount: Int { writer.durableCount }

    /// Opens the log on `file` as the node does at start, returning the intact records.
    static func open(_ file: SimulatedLogFile) throws(StorageError) -> (log: SimulatedWriteAheadLog, records: [[UInt8]], discardedBytes: Int) {
        let (writer, scan) = try LogWriter.open(file)
        return (SimulatedWriteAheadLog(file: file, writer: writer), scan.records, scan.discardedBytes)
    }

    private init(file: SimulatedLogFile, writer: LogWriter) {
        self.file = file
        self.writer = writer
    }

    /// Buffers one record; returns how many records have been appended, this one included.
    mutating func append(_ payload: [UInt8]) throws(StorageError) -> Int {
        try writer.append(payload)
        unsynced.append(payload)
        return appendedCount
    }

    /// The fsync point: writes and syncs every buffered record; returns the durable count.
    @discardableResult
    mutating func sync() throws(StorageError) -> Int {
        try writer.flush()
        unsynced.removeAll()
        return durableCount
    }

    /// Power loss. When `inFlight` is set, the buffered records were being
    /// written and the first `inFlight` of their bytes reached the platter
    /// (clamped to what was written); otherwise none did.
    func crash(inFlight: Int?) {
        if let kept = inFlight, !unsynced.isEmpty {
            var bytes: [UInt8] = []
            for payload in unsynced { LogRecordFormat.append(payload, to: &bytes) }
            let end = writer.end
            let file = self.file
            let failed: StorageError? = bytes.withUnsafeBytes { raw in
                do throws(StorageError) { try file.write(raw, at: end); return nil } catch { return error }
            }
            file.crash(keepingUnsynced: failed == nil ? min(kept, bytes.count) : 0)
        } else {
            file.crash()
        }
    }

    /// The bytes buffered and not yet synced (what a write in flight could leave behind).
    var unsyncedBytes: Int { unsynced.reduce(0) { $0 + $1.count + LogRecordFormat.headerSize } }
}
