import Foundation

/// Helpers shared by the test targets.

/// Bytes from a hex string (no prefix, even length); traps on bad input,
/// which in a test is the right outcome.
public func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var it = hex.utf8.makeIterator()
    while let hi = it.next(), let lo = it.next() {
        out.append(UInt8(nibble(hi) << 4 | nibble(lo)))
    }
    return out
}

private func nibble(_ c: UInt8) -> Int {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(c - UInt8(ascii: "A") + 10)
    default: fatalError("bad hex digit \(c)")
    }
}

public func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// SplitMix64: a tiny seeded generator so a failing random test can be
/// replayed from the seed it prints.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The seed for a randomized test: `SEED` from the environment to replay a
/// failure, otherwise fresh.
public func testSeed() -> UInt64 {
    if let s = ProcessInfo.processInfo.environment["SEED"], let v = UInt64(s) { return v }
    return UInt64.random(in: 0...UInt64.max)
}
