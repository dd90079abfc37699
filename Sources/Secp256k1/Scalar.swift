/// An integer modulo the group order
/// n = 0xFFFFFFFF_FFFFFFFF_FFFFFFFF_FFFFFFFE_BAAEDCE6_AF48A03B_BFD25E8C_D0364141:
/// private keys, nonces, signature components, multipliers of points.
///
/// Four little-endian 64-bit limbs, always fully reduced (0 ≤ value < n).
/// Reduction of 512-bit products uses 2^256 ≡ 2^256 − n (a 129-bit
/// constant), folding three times, then one conditional subtraction of n.
/// Arithmetic is branch-free on the values unless a name says `_var`.
struct Scalar: Sendable, Hashable {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    static let n0: UInt64 = 0xBFD2_5E8C_D036_4141, n1: UInt64 = 0xBAAE_DCE6_AF48_A03B
    static let n2: UInt64 = 0xFFFF_FFFF_FFFF_FFFE, n3: UInt64 = 0xFFFF_FFFF_FFFF_FFFF
    /// 2^256 − n = nc0 + nc1·2^64 + 2^128.
    static let nc0: UInt64 = 0x402D_A173_2FC9_BEBF, nc1: UInt64 = 0x4551_2319_50B7_5FC4
    static let zero = Scalar(0, 0, 0, 0)
    static let one = Scalar(1, 0, 0, 0)

    /// From limbs that the caller guarantees are below n.
    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    /// From 32 big-endian bytes, reduced mod n; `overflowed` tells whether
    /// the value was ≥ n (a signature's r or s must not be; a digest may be).
    init(bigEndian p: UnsafeRawPointer, overflowed: inout Bool) {
        let (a, b, c, d) = Limbs.load(bigEndian: p)
        let r = Scalar.reduceOnce(a, b, c, d, extraCarry: 0)
        overflowed = r.l0 != a || r.l1 != b || r.l2 != c || r.l3 != d
        self = r
    }

    /// From 32 big-endian bytes in an array; nil unless the count is 32 and
    /// the value is < n.
    init?(exactly bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        var overflow = false
        let s = bytes.withUnsafeBytes { Scalar(bigEndian: $0.baseAddress!, overflowed: &overflow) }
        guard !overflow else { return nil }
        self = s
    }

    /// 32 bytes (a digest) as a scalar, reduced mod n as ECDSA prescribes.
    init(reducing bytes: [UInt8]) {
        precondition(bytes.count == 32)
        var overflow = false
        self = bytes.withUnsafeBytes { Scalar(bigEndian: $0.baseAddress!, overflowed: &overflow) }
    }

    /// The 32 big-endian bytes.
    var bytes: [UInt8] { Limbs.bytes(l0, l1, l2, l3) }

    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// Whether the value exceeds n/2, the "high-s" half that Ethereum (EIP-2)
    /// and Bitcoin reject in signatures.
    var isHigh: Bool {
        // n/2 = 7FFFFFFF_FFFFFFFF_FFFFFFFF_FFFFFFFF_5D576E73_57A4501D_DFE92F46_681B20A0.
        let h0: UInt64 = 0xDFE9_2F46_681B_20A0, h1: UInt64 = 0x5D57_6E73_57A4_501D
        let h2: UInt64 = .max, h3: UInt64 = 0x7FFF_FFFF_FFFF_FFFF
        var borrow: UInt64 = 0
        _ = subBorrow(h0, l0, &borrow)
        _ = subBorrow(h1, l1, &borrow)
        _ = subBorrow(h2, l2, &borrow)
        _ = subBorrow(h3, l3, &borrow)
        return borrow == 1
    }

    /// Reduces a value below 2^256 + n (given as 256-bit limbs and a carry
    /// bit worth 2^256) to [0, n) by adding 2^256 − n when it is ≥ n.
    @inline(__always)
    static func reduceOnce(_ r0: UInt64, _ r1: UInt64, _ r2: UInt64, _ r3: UInt64, extraCarry: UInt64) -> Scalar {
        var c: UInt64 = 0
        let s0 = addCarry(r0, nc0, &c)
        let s1 = addCarry(r1, nc1, &c)
        let s2 = addCarry(r2, 1, &c)
        let s3 = addCarry(r3, 0, &c)
        let m = mask(c | extraCarry)
        return Scalar((s0 & m) | (r0 & ~m), (s1 & m) | (r1 & ~m), (s2 & m) | (r2 & ~m), (s3 & m) | (r3 & ~m))
    }

    static func + (a: Scalar, b: Scalar) -> Scalar {
        var c: UInt64 = 0
        let r0 = addCarry(a.l0, b.l0, &c)
        let r1 = addCarry(a.l1, b.l1, &c)
        let r2 = addCarry(a.l2, b.l2, &c)
        let r3 = addCarry(a.l3, b.l3, &c)
        return reduceOnce(r0, r1, r2, r3, extraCarry: c)
    }

    /// n − a, and 0 for 0.
    static prefix func - (a: Scalar) -> Scalar {
        let any = a.l0 | a.l1 | a.l2 | a.l3
        let nonzero = mask((any | (0 &- any)) >> 63)
        var borrow: UInt64 = 0
        let r0 = subBorrow(n0, a.l0, &borrow)
        let r1 = subBorrow(n1, a.l1, &borrow)
        let r2 = subBorrow(n2, a.l2, &borrow)
        let r3 = subBorrow(n3, a.l3, &borrow)
        return Scalar(r0 & nonzero, r1 & nonzero, r2 & nonzero, r3 & nonzero)
    }

    static func - (a: Scalar, b: Scalar) -> Scalar { a + (-b) }

    static func * (a: Scalar, b: Scalar) -> Scalar {
        let t = product(a, b)
        return reduce(t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7)
    }

    var squared: Scalar { self * self }

    /// The full 512-bit product, little-endian limbs.
    @inline(__always)
    static func product(_ a: Scalar, _ b: Scalar)
        -> (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) {
        var c0: UInt64 = 0, c1: UInt64 = 0, c2: UInt64 = 0
        mulAccumulate(a.l0, b.l0, &c0, &c1, &c2)
        let t0 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(a.l0, b.l1, &c0, &c1, &c2)
        mulAccumulate(a.l1, b.l0, &c0, &c1, &c2)
        let t1 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(a.l0, b.l2, &c0, &c1, &c2)
        mulAccumulate(a.l1, b.l1, &c0, &c1, &c2)
        mulAccumulate(a.l2, b.l0, &c0, &c1, &c2)
        let t2 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(a.l0, b.l3, &c0, &c1, &c2)
        mulAccumulate(a.l1, b.l2, &c0, &c1, &c2)
        mulAccumulate(a.l2, b.l1, &c0, &c1, &c2)
        mulAccumulate(a.l3, b.l0, &c0, &c1, &c2)
        let t3 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(a.l1, b.l3, &c0, &c1, &c2)
        mulAccumulate(a.l2, b.l2, &c0, &c1, &c2)
        mulAccumulate(a.l3, b.l1, &c0, &c1, &c2)
        let t4 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(a.l2, b.l3, &c0, &c1, &c2)
        mulAccumulate(a.l3, b.l2, &c0, &c1, &c2)
        let t5 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(a.l3, b.l3, &c0, &c1, &c2)
        return (t0, t1, t2, t3, t4, t5, c0, c1)
    }

    /// Reduces a 512-bit value mod n.
    static func reduce(_ t0: UInt64, _ t1: UInt64, _ t2: UInt64, _ t3: UInt64,
                       _ t4: UInt64, _ t5: UInt64, _ t6: UInt64, _ t7: UInt64) -> Scalar {
        // 512 → 386 bits: m = t_lo + t_hi·(2^256 − n).
        var c0 = t0, c1: UInt64 = 0, c2: UInt64 = 0
        mulAccumulate(t4, nc0, &c0, &c1, &c2)
        let m0 = c0; c0 = c1; c1 = c2; c2 = 0
        addAccumulate(t1, &c0, &c1, &c2)
        mulAccumulate(t5, nc0, &c0, &c1, &c2)
        mulAccumulate(t4, nc1, &c0, &c1, &c2)
        let m1 = c0; c0 = c1; c1 = c2; c2 = 0
        addAccumulate(t2, &c0, &c1, &c2)
        mulAccumulate(t6, nc0, &c0, &c1, &c2)
        mulAccumulate(t5, nc1, &c0, &c1, &c2)
        addAccumulate(t4, &c0, &c1, &c2)
        let m2 = c0; c0 = c1; c1 = c2; c2 = 0
        addAccumulate(t3, &c0, &c1, &c2)
        mulAccumulate(t7, nc0, &c0, &c1, &c2)
        mulAccumulate(t6, nc1, &c0, &c1, &c2)
        addAccumulate(t5, &c0, &c1, &c2)
        let m3 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(t7, nc1, &c0, &c1, &c2)
        addAccumulate(t6, &c0, &c1, &c2)
        let m4 = c0; c0 = c1; c1 = c2; c2 = 0
        addAccumulate(t7, &c0, &c1, &c2)
        let m5 = c0, m6 = c1
        // 386 → 260 bits: p = m_lo + m_hi·(2^256 − n), m6 < 4.
        c0 = m0; c1 = 0; c2 = 0
        mulAccumulate(m4, nc0, &c0, &c1, &c2)
        let p0 = c0; c0 = c1; c1 = c2; c2 = 0
        addAccumulate(m1, &c0, &c1, &c2)
        mulAccumulate(m5, nc0, &c0, &c1, &c2)
        mulAccumulate(m4, nc1, &c0, &c1, &c2)
        let p1 = c0; c0 = c1; c1 = c2; c2 = 0
        addAccumulate(m2, &c0, &c1, &c2)
        mulAccumulate(m6, nc0, &c0, &c1, &c2)
        mulAccumulate(m5, nc1, &c0, &c1, &c2)
        addAccumulate(m4, &c0, &c1, &c2)
        let p2 = c0; c0 = c1; c1 = c2; c2 = 0
        addAccumulate(m3, &c0, &c1, &c2)
        mulAccumulate(m6, nc1, &c0, &c1, &c2)
        addAccumulate(m5, &c0, &c1, &c2)
        let p3 = c0
        let p4 = c1 &+ m6
        // 260 → 257 bits: r = p_lo + p4·(2^256 − n), p4 < 16; then below 2n, so subtract n at most once.
        let (h0, l0) = p4.multipliedFullWidth(by: nc0)
        let (h1, l1) = p4.multipliedFullWidth(by: nc1)
        var c: UInt64 = 0
        let r0 = addCarry(p0, l0, &c)
        let r1 = addCarry(p1, l1, &c)
        let r2 = addCarry(p2, p4, &c)
        let r3 = addCarry(p3, 0, &c)
        var d: UInt64 = 0
        let s1 = addCarry(r1, h0, &d)
        let s2 = addCarry(r2, h1, &d)
        let s3 = addCarry(r3, 0, &d)
        return reduceOnce(r0, s1, s2, s3, extraCarry: c | d)
    }

    /// round(a·b / 2^384), the estimate the GLV split needs.
    static func mulShift384(_ a: Scalar, _ b: Scalar) -> Scalar {
        let t = product(a, b)
        var c = t.5 >> 63
        let r0 = addCarry(t.6, 0, &c)
        let r1 = addCarry(t.7, 0, &c)
        return Scalar(r0, r1, c, 0)
    }
}

/// Adds a 64-bit value into the column accumulator `(c0, c1, c2)`.
@inline(__always)
func addAccumulate(_ x: UInt64, _ c0: inout UInt64, _ c1: inout UInt64, _ c2: inout UInt64) {
    var c: UInt64 = 0
    c0 = addCarry(c0, x, &c)
    c1 = addCarry(c1, 0, &c)
    c2 &+= c
}
