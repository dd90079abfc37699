/// An unsigned 256-bit integer: Ethereum's word for balances, values and fees.
///
/// Stored inline as four `UInt64` limbs in little-endian limb order (`w0` is
/// the least significant), so it never touches the heap and copies are cheap.
/// Arithmetic operators trap on overflow like Swift's integers; the `&`
/// operators wrap.
public struct UInt256: Sendable {
    /// Bits 0-63.
    public var w0: UInt64
    /// Bits 64-127.
    public var w1: UInt64
    /// Bits 128-191.
    public var w2: UInt64
    /// Bits 192-255.
    public var w3: UInt64

    /// Creates a value from its limbs, least significant first.
    @inlinable
    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Creates a value equal to `v`.
    @inlinable
    public init(_ v: UInt64) {
        self.init(w0: v, w1: 0, w2: 0, w3: 0)
    }

    /// Zero.
    public static let zero = UInt256(w0: 0, w1: 0, w2: 0, w3: 0)

    /// 2^256 - 1.
    public static let max = UInt256(w0: .max, w1: .max, w2: .max, w3: .max)

    /// Whether the value is zero.
    @inlinable
    public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// The value as a `UInt64`, or nil when it does not fit.
    @inlinable
    public var uint64: UInt64? { (w1 | w2 | w3) == 0 ? w0 : nil }

    /// The number of significant bits (0 for zero).
    @inlinable
    public var bitWidthUsed: Int { 256 - leadingZeroBitCount }

    /// The number of leading zero bits in the 256-bit representation.
    @inlinable
    public var leadingZeroBitCount: Int {
        if w3 != 0 { return w3.leadingZeroBitCount }
        if w2 != 0 { return 64 + w2.leadingZeroBitCount }
        if w1 != 0 { return 128 + w1.leadingZeroBitCount }
        return 192 + w0.leadingZeroBitCount
    }

    /// The limb at `index` (0 is least significant).
    @inlinable
    public subscript(limb index: Int) -> UInt64 {
        get {
            switch index {
            case 0: return w0
            case 1: return w1
            case 2: return w2
            default: return w3
            }
        }
        set {
            switch index {
            case 0: w0 = newValue
            case 1: w1 = newValue
            case 2: w2 = newValue
            default: w3 = newValue
            }
        }
    }
}

extension UInt256: Hashable {
    @inlinable
    public static func == (a: UInt256, b: UInt256) -> Bool {
        ((a.w0 ^ b.w0) | (a.w1 ^ b.w1) | (a.w2 ^ b.w2) | (a.w3 ^ b.w3)) == 0
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(w0)
        hasher.combine(w1)
        hasher.combine(w2)
        hasher.combine(w3)
    }
}

extension UInt256: Comparable {
    @inlinable
    public static func < (a: UInt256, b: UInt256) -> Bool {
        if a.w3 != b.w3 { return a.w3 < b.w3 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        return a.w0 < b.w0
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    /// Integer literals up to `UInt64.max`; larger constants use `init?(decimal:)` or `init?(hexQuantity:)`.
    @inlinable
    public init(integerLiteral value: UInt64) {
        self.init(value)
    }
}

extension UInt256 {
    /// Creates a value from big-endian bytes (at most 32; shorter input is
    /// left-padded with zeros). Returns nil for more than 32 bytes.
    @inlinable
    public init?(bigEndianBytes bytes: some Collection<UInt8>) {
        let fast: UInt256?? = bytes.withContiguousStorageIfAvailable {
            UInt256(bigEndianBuffer: UnsafeRawBufferPointer($0))
        }
        if let fast {
            guard let value = fast else { return nil }
            self = value
            return
        }
        guard let value = Array(bytes).withUnsafeBytes({ UInt256(bigEndianBuffer: $0) }) else { return nil }
        self = value
    }

    /// Creates a value from big-endian bytes in a buffer (at most 32).
    public init?(bigEndianBuffer buffer: UnsafeRawBufferPointer) {
        let n = buffer.count
        guard n <= 32 else { return nil }
        var word: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        if n > 0 {
            withUnsafeMutableBytes(of: &word) { out in
                UnsafeMutableRawBufferPointer(rebasing: out[(32 - n)...]).copyMemory(from: buffer)
            }
        }
        self.init(w0: UInt64(bigEndian: word.3), w1: UInt64(bigEndian: word.2),
                  w2: UInt64(bigEndian: word.1), w3: UInt64(bigEndian: word.0))
    }

    /// The value as exactly 32 big-endian bytes.
    public var bigEndianBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            writeBigEndian(to: UnsafeMutableRawBufferPointer(out))
            count = 32
        }
    }

    /// The value as big-endian bytes with no leading zeros (empty for zero),
    /// which is how RLP encodes integers.
    public var minimalBigEndianBytes: [UInt8] {
        let n = minimalByteCount
        return [UInt8](unsafeUninitializedCapacity: n) { out, count in
            writeMinimalBigEndian(to: UnsafeMutableRawBufferPointer(out))
            count = n
        }
    }

    /// The number of bytes in `minimalBigEndianBytes`.
    @inlinable
    public var minimalByteCount: Int { (bitWidthUsed + 7) >> 3 }

    /// Writes the 32 big-endian bytes to `out`, which must hold at least 32 bytes.
    @inlinable
    public func writeBigEndian(to out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= 32)
        out.storeBytes(of: w3.bigEndian, toByteOffset: 0, as: UInt64.self)
        out.storeBytes(of: w2.bigEndian, toByteOffset: 8, as: UInt64.self)
        out.storeBytes(of: w1.bigEndian, toByteOffset: 16, as: UInt64.self)
        out.storeBytes(of: w0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Writes the minimal big-endian bytes to `out` (which must hold
    /// `minimalByteCount` bytes) and returns how many were written.
    @discardableResult
    public func writeMinimalBigEndian(to out: UnsafeMutableRawBufferPointer) -> Int {
        let n = minimalByteCount
        precondition(out.count >= n)
        let word = (w3.bigEndian, w2.bigEndian, w1.bigEndian, w0.bigEndian)
        Swift.withUnsafeBytes(of: word) { all in
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[(32 - n)...]))
        }
        return n
    }
}
