/// Bitwise operators and shifts. Shifts by 256 or more give zero, and
/// negative amounts shift the other way, as Swift's smart shifts do.
extension UInt256 {
    /// Bitwise AND.
    @inlinable
    public static func & (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(w0: a.w0 & b.w0, w1: a.w1 & b.w1, w2: a.w2 & b.w2, w3: a.w3 & b.w3)
    }

    /// Bitwise OR.
    @inlinable
    public static func | (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(w0: a.w0 | b.w0, w1: a.w1 | b.w1, w2: a.w2 | b.w2, w3: a.w3 | b.w3)
    }

    /// Bitwise XOR.
    @inlinable
    public static func ^ (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(w0: a.w0 ^ b.w0, w1: a.w1 ^ b.w1, w2: a.w2 ^ b.w2, w3: a.w3 ^ b.w3)
    }

    /// Bitwise NOT.
    @inlinable
    public static prefix func ~ (a: UInt256) -> UInt256 {
        UInt256(w0: ~a.w0, w1: ~a.w1, w2: ~a.w2, w3: ~a.w3)
    }

    @inlinable
    public static func &= (a: inout UInt256, b: UInt256) { a = a & b }

    @inlinable
    public static func |= (a: inout UInt256, b: UInt256) { a = a | b }

    @inlinable
    public static func ^= (a: inout UInt256, b: UInt256) { a = a ^ b }

    /// `a` shifted left by `amount` bits; bits past 256 are dropped.
    public static func << (a: UInt256, amount: Int) -> UInt256 {
        if amount < 0 { return a >> -amount }
        if amount >= 256 { return .zero }
        let limbShift = amount >> 6
        let bitShift = UInt64(amount & 63)
        var r = UInt256.zero
        for i in stride(from: 3, through: limbShift, by: -1) {
            var limb = a[limb: i - limbShift] << bitShift
            if bitShift != 0 && i - limbShift > 0 {
                limb |= a[limb: i - limbShift - 1] >> (64 - bitShift)
            }
            r[limb: i] = limb
        }
        return r
    }

    /// `a` shifted right by `amount` bits.
    public static func >> (a: UInt256, amount: Int) -> UInt256 {
        if amount < 0 { return a << -amount }
        if amount >= 256 { return .zero }
        let limbShift = amount >> 6
        let bitShift = UInt64(amount & 63)
        var r = UInt256.zero
        for i in 0..<(4 - limbShift) {
            var limb = a[limb: i + limbShift] >> bitShift
            if bitShift != 0 && i + limbShift < 3 {
                limb |= a[limb: i + limbShift + 1] << (64 - bitShift)
            }
            r[limb: i] = limb
        }
        return r
    }

    @inlinable
    public static func <<= (a: inout UInt256, amount: Int) { a = a << amount }

    @inlinable
    public static func >>= (a: inout UInt256, amount: Int) { a = a >> amount }

    /// Whether bit `index` (0 is least significant) is set.
    @inlinable
    public func bit(_ index: Int) -> Bool {
        guard index >= 0 && index < 256 else { return false }
        return (self[limb: index >> 6] >> UInt64(index & 63)) & 1 == 1
    }
}
