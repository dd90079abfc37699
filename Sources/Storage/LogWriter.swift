/// The synchronous core of the write-ahead log: buffers framed records and
/// writes and syncs them in one go. Deterministic and single-owner; the
/// threaded `GroupCommitLog` drives it in production, a simulation drives it
/// directly.
public struct LogWriter {
    public let file: LogFile
    /// Bytes of intact log on the file: where the next record is written.
    public private(set) var end: Int
    /// Records appended since the last flush.
    public private(set) var pendingCount = 0
    /// Number of records that are durable (recovered plus flushed).
    public private(set) var durableCount: Int
    private var pending: [UInt8] = []

    /// Opens the log in `file`, returning the writer and the intact records;
    /// a torn or corrupt tail is cut off so new records follow the last good one.
    public static func open(_ file: LogFile) throws(StorageError) -> (writer: LogWriter, recovered: LogRecordFormat.Scan) {
        let scan = LogRecordFormat.scan(try file.readAll())
        if scan.discardedBytes > 0 { try file.truncate(to: scan.validLength) }
        return (LogWriter(file: file, end: scan.validLength, durableCount: scan.records.count), scan)
    }

    private init(file: LogFile, end: Int, durableCount: Int) {
        self.file = file
        self.end = end
        self.durableCount = durableCount
    }

    /// Buffers one record; it is durable only after the next `flush()`.
    public mutating func append(_ payload: [UInt8]) throws(StorageError) {
        guard payload.count <= LogRecordFormat.maxPayload, !payload.isEmpty else {
            throw .recordTooLarge(bytes: payload.count, limit: LogRecordFormat.maxPayload)
        }
        LogRecordFormat.append(payload, to: &pending)
        pendingCount += 1
    }

    /// Writes and syncs every buffered record; returns how many became durable.
    /// On failure nothing is counted durable and the records stay buffered.
    @discardableResult
    public mutating func flush() throws(StorageError) -> Int {
        guard pendingCount > 0 else { return 0 }
        let offset = end
        let file = self.file
        let writeError: StorageError? = pending.withUnsafeBytes { raw in
            do throws(StorageError) { try file.write(raw, at: offset); return nil } catch { return error }
        }
        if let writeError { throw writeError }
        try file.sync()
        end += pending.count
        let n = pendingCount
        durableCount += n
        pending.removeAll(keepingCapacity: true)
        pendingCount = 0
        return n
    }
}
