import Primitives

/// A running 64-bit FNV-1a hash over everything a run does, so two runs of
/// one seed can be compared by one number: equal traces, equal runs. Uses no
/// process-seeded hashing, so it is stable across processes and machines.
public struct EventTrace: Sendable {
    public private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    public private(set) var events = 0
    /// Print each event as it is recorded (`simulate --trace`), to read a failing run.
    public var echo = false

    public init() {}

    public mutating func record(_ text: String) {
        events += 1
        if echo { print(text) }
        for byte in text.utf8 { absorb(byte) }
        absorb(0x0A)
    }

    public mutating func record(_ text: String, _ hash: Hash32) {
        record(echo ? "\(text) \(hash)" : text)
        for byte in hash.bytes { absorb(byte) }
    }

    private mutating func absorb(_ byte: UInt8) {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// The hash as 16 hex digits.
    public var hex: String {
        let s = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
