import Synchronization

/// One lock-free counter; a class so counters can live in arrays (`Atomic` cannot be copied).
public final class Counter: Sendable {
    private let value = Atomic<UInt64>(0)

    public init() {}

    public func add(_ n: UInt64 = 1) { value.wrappingAdd(n, ordering: .relaxed) }

    public var current: UInt64 { value.load(ordering: .relaxed) }
}
