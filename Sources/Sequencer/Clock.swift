#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where the sequencer reads the time, so a simulation can replace it.
public protocol WallClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> UInt64
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}
    public func nowMillis() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
    }
}

/// A clock that moves only when told to, for tests and simulation.
public final class ManualClock: WallClock {
    private let millis: Atomic<UInt64>
    public init(startMillis: UInt64 = 1_700_000_000_000) { millis = Atomic(startMillis) }
    public func nowMillis() -> UInt64 { millis.load(ordering: .relaxed) }
    public func advance(byMillis d: UInt64) { millis.wrappingAdd(d, ordering: .relaxed) }
}
