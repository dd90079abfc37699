/// xoshiro256** (Blackman, Vigna 2018): the fast, high-quality seeded
/// generator for simulations and randomized tests, so one printed seed
/// replays a run exactly. Not for cryptography.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    /// The seed this generator started from, for printing in failing tests.
    public let seed: UInt64
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose state is expanded from `seed` with SplitMix64,
    /// as the authors recommend (this never yields the all-zero state).
    public init(seed: UInt64) {
        self.seed = seed
        var sm = SplitMix64(seed: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    /// Creates a generator from a fresh system-random seed (print `seed` to replay).
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
