/// An append-only file as the write-ahead log sees it. The real one is a
/// POSIX file; the simulated one lives in memory and can "crash", losing
/// what was not synced, so recovery is tested without killing processes.
/// Not thread-safe: one owner (the log's flusher) at a time.
public protocol LogFile: AnyObject {
    /// Every byte written so far that a restart would see (synced or not).
    func readAll() throws(StorageError) -> [UInt8]
    /// Writes `bytes` at `offset`; offsets only grow, there are no holes.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(StorageError)
    /// Makes everything written so far durable.
    func sync() throws(StorageError)
    /// Cuts the file at `length` (used once, at recovery, to drop a torn tail).
    func truncate(to length: Int) throws(StorageError)
}
