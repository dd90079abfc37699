import Foundation

/// Lets a dev snapshot or revert change the L2 and the embedded L1 together:
/// each step of the batch poster and the forced-queue watcher runs inside the
/// gate, and so does a revert, so no step sees one layer reverted and the
/// other not (it would re-post or re-adopt the abandoned blocks).
public final class L1LinkGate: @unchecked Sendable {
    // Held for one watcher or poster step, or one dev snapshot/revert.
    private let lock = NSLock()

    public init() {}

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
