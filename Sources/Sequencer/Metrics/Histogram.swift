import Synchronization

/// A Prometheus histogram with fixed buckets, updated lock-free from any thread.
public final class Histogram: Sendable {
    /// Upper bounds in seconds.
    public let bounds: [Double]
    private let buckets: [Counter]
    private let sumNanos = Atomic<UInt64>(0)
    private let total = Atomic<UInt64>(0)

    public init(bounds: [Double] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]) {
        self.bounds = bounds
        buckets = bounds.map { _ in Counter() }
    }

    /// Records one observation of `nanoseconds`.
    public func observe(nanoseconds: UInt64) {
        let seconds = Double(nanoseconds) / 1e9
        if let i = bounds.firstIndex(where: { seconds <= $0 }) { buckets[i].add() }
        sumNanos.wrappingAdd(nanoseconds, ordering: .relaxed)
        total.wrappingAdd(1, ordering: .relaxed)
    }

    public var count: UInt64 { total.load(ordering: .relaxed) }

    /// The histogram's lines in Prometheus text format (cumulative buckets).
    func render(name: String, help: String, into out: inout String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        var cumulative: UInt64 = 0
        for (i, bound) in bounds.enumerated() {
            cumulative += buckets[i].current
            out += "\(name)_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(count)\n"
        out += "\(name)_sum \(Double(sumNanos.load(ordering: .relaxed)) / 1e9)\n"
        out += "\(name)_count \(count)\n"
    }
}
