/// A log file in memory for deterministic tests and simulation. `crash()`
/// models power loss: bytes written since the last sync are lost, except a
/// prefix of them that the "disk" happened to persist, chosen by the caller
/// (from a seeded generator), which is how torn records arise.
public final class SimulatedLogFile: LogFile {
    /// What survives a crash.
    public private(set) var durable: [UInt8] = []
    /// What the running process sees: durable bytes plus unsynced writes.
    public private(set) var visible: [UInt8] = []
    /// Counts calls to `sync`, so tests can assert group commit batches them.
    public private(set) var syncCount = 0
    /// When set, the next write or sync fails with this error (fault injection).
    public var failNext: StorageError?

    public init(contents: [UInt8] = []) {
        durable = contents
        visible = contents
    }

    public func readAll() throws(StorageError) -> [UInt8] { visible }

    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(StorageError) {
        if let e = failNext { failNext = nil; throw e }
        if visible.count < offset { visible.append(contentsOf: repeatElement(0, count: offset - visible.count)) }
        let overlap = min(bytes.count, visible.count - offset)
        for i in 0..<overlap { visible[offset + i] = bytes[i] }
        visible.append(contentsOf: bytes[overlap...])
    }

    public func sync() throws(StorageError) {
        if let e = failNext { failNext = nil; throw e }
        durable = visible
        syncCount += 1
    }

    public func truncate(to length: Int) throws(StorageError) {
        visible.removeLast(max(0, visible.count - length))
        durable = visible
    }

    /// Loses unsynced bytes beyond the first `keepingUnsynced` of them.
    public func crash(keepingUnsynced kept: Int = 0) {
        let extra = Array(visible[min(durable.count, visible.count)...])
        durable.append(contentsOf: extra.prefix(kept))
        visible = durable
    }
}
