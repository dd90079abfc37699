import Foundation

/// Times `body` over `runs` repetitions after `warmup` ones and returns the
/// per-run durations in nanoseconds, sorted, for median and p99.
func measure(warmup: Int = 3, runs: Int, _ body: () -> Void) -> [Double] {
    for _ in 0..<warmup { body() }
    let clock = ContinuousClock()
    var samples: [Double] = []
    samples.reserveCapacity(runs)
    for _ in 0..<runs {
        let start = clock.now
        body()
        let d = clock.now - start
        samples.append(Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9)
    }
    return samples.sorted()
}

/// The value at quantile `q` (0...1) of already-sorted samples.
func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let i = min(sorted.count - 1, max(0, Int((Double(sorted.count - 1) * q).rounded())))
    return sorted[i]
}

/// Keeps a value alive so the optimiser cannot delete the work producing it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

func format(_ x: Double, _ digits: Int = 2) -> String {
    var s = String(Int((x * pow10(digits)).rounded()))
    if digits > 0 {
        while s.count <= digits { s = "0" + s }
        s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
    }
    return s
}

private func pow10(_ n: Int) -> Double { var r = 1.0; for _ in 0..<n { r *= 10 }; return r }
