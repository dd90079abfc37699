/// What went wrong with durable storage, with the system error number so an
/// operator can act on it (disk full, permissions, a vanished directory).
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    case openFailed(path: String, errno: Int32)
    case writeFailed(offset: Int, errno: Int32)
    case syncFailed(errno: Int32)
    case readFailed(errno: Int32)
    case truncateFailed(errno: Int32)
    case recordTooLarge(bytes: Int, limit: Int)
    case closed

    public var description: String {
        switch self {
        case let .openFailed(path, e): "cannot open \(path): \(StorageError.describe(e))"
        case let .writeFailed(offset, e): "write at offset \(offset) failed: \(StorageError.describe(e))"
        case let .syncFailed(e): "fsync failed: \(StorageError.describe(e))"
        case let .readFailed(e): "read failed: \(StorageError.describe(e))"
        case let .truncateFailed(e): "truncate failed: \(StorageError.describe(e))"
        case let .recordTooLarge(bytes, limit): "record of \(bytes) bytes exceeds the limit of \(limit)"
        case .closed: "the log is closed"
        }
    }

    static func describe(_ e: Int32) -> String {
        switch e {
        case 28: "no space left on device (ENOSPC)"
        case 13: "permission denied (EACCES)"
        case 2: "no such file or directory (ENOENT)"
        case 5: "input/output error (EIO)"
        default: "errno \(e)"
        }
    }
}
