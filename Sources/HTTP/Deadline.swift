import Glibc

/// A point on the monotonic clock, in nanoseconds since boot.
///
/// Event-loop timers and connection timeouts are measured in it. It is a plain
/// integer rather than `ContinuousClock.Instant` so that state machines can be
/// driven by a fake clock in tests and compared without arithmetic overhead.
public struct Deadline: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds on `CLOCK_MONOTONIC`.
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// The current monotonic time (one vDSO call, no system call).
    public static func now() -> Deadline {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Deadline(nanoseconds: UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec))
    }

    /// A deadline that never passes.
    public static let distantFuture = Deadline(nanoseconds: .max)

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// `lhs` moved later by `rhs`, saturating at ``distantFuture``; negative durations count as zero.
    public static func + (lhs: Deadline, rhs: Duration) -> Deadline {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.clampedNanoseconds)
        return overflow ? .distantFuture : Deadline(nanoseconds: sum)
    }

    /// `lhs` moved later by `nanoseconds`, saturating at ``distantFuture``.
    public func adding(nanoseconds: UInt64) -> Deadline {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        return overflow ? .distantFuture : Deadline(nanoseconds: sum)
    }

    public var description: String {
        "Deadline(\(nanoseconds)ns)"
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to `0...UInt64.max`.
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (sum, overflow2) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return overflow2 ? .max : sum
    }
}
