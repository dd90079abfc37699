import Hashing
import Primitives

/// Keccak-256 throughput on 1 MiB and latency on a 32-byte input (the size of
/// the hash chains and Merkle nodes the rollup computes), median and p99.
func runKeccakBench() {
    var rng = Xoshiro256StarStar(seed: 0x6b656363616b)
    let large = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let largeRuns = measure(runs: 60) {
        blackHole(large.withUnsafeBytes { Keccak256.hash(buffer: $0) })
    }
    let mbps = { (ns: Double) in Double(large.count) / ns * 1e3 }
    print("  keccak256 1 MiB: median \(format(quantile(largeRuns, 0.5) / 1e6, 3)) ms = \(format(mbps(quantile(largeRuns, 0.5)), 1)) MB/s, p99 \(format(mbps(quantile(largeRuns, 0.99)), 1)) MB/s")

    let inner = 1000
    var word = Hash32(large[0..<32])!
    let smallRuns = measure(runs: 200) {
        for _ in 0..<inner {
            word = word.withUnsafeBytes { Keccak256.hash(buffer: $0) }
        }
    }
    blackHole(word)
    print("  keccak256 32 B: median \(format(quantile(smallRuns, 0.5) / Double(inner), 1)) ns/hash, p99 \(format(quantile(smallRuns, 0.99) / Double(inner), 1)) ns/hash")

    var h = Keccak256()
    let streamRuns = measure(runs: 60) {
        h = Keccak256()
        large.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + 1000)
                h.update(buffer: UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                offset = end
            }
        }
        blackHole(h.finalize())
    }
    print("  keccak256 1 MiB streamed in 1000-byte updates: median \(format(mbps(quantile(streamRuns, 0.5)), 1)) MB/s")
}
