import Secp256k1

/// secp256k1 hot paths, one operation per sample: sender recovery (what
/// every incoming transaction costs), signing (pre-confirmations), public
/// key derivation and verification. Prints median and p99 in µs/op.
func runSecp256k1Bench() {
    let clock = ContinuousClock()
    let start = clock.now
    Secp256k1.precomputeTables()
    let cold = clock.now - start
    print("  tables       built once in \(format(Double(cold.components.attoseconds) / 1e15 + Double(cold.components.seconds) * 1e3)) ms (first use)")

    var rng = BenchRandom(seed: 0x5EC9_256B)
    let count = 256
    let keys = (0..<count).map { _ in
        try! Secp256k1.PrivateKey(bytes: (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }
    let digests = (0..<count).map { _ in (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
    let signatures = zip(keys, digests).map { $0.sign(digest: $1) }
    let publicKeys = keys.map(\.publicKey)
    let runs = 2000

    func report(_ name: String, _ samples: [Double]) {
        let pad = String(repeating: " ", count: max(0, 12 - name.count))
        print("  \(name)\(pad) median \(format(quantile(samples, 0.5) / 1000)) us/op   p99 \(format(quantile(samples, 0.99) / 1000)) us/op")
    }

    var i = 0
    report("recover", measure(warmup: 50, runs: runs) {
        blackHole(try! Secp256k1.recover(digest: digests[i % count], signature: signatures[i % count]))
        i += 1
    })
    report("sign", measure(warmup: 50, runs: runs) {
        blackHole(keys[i % count].sign(digest: digests[i % count]))
        i += 1
    })
    report("publicKey", measure(warmup: 50, runs: runs) {
        blackHole(keys[i % count].publicKey)
        i += 1
    })
    report("verify", measure(warmup: 50, runs: runs) {
        let j = i % count
        blackHole(Secp256k1.verify(digest: digests[j], r: signatures[j].r, s: signatures[j].s, publicKey: publicKeys[j]))
        i += 1
    })
}

/// SplitMix64, so the inputs are the same on every run.
private struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
