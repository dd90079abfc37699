/// An element of the base field of secp256k1: integers modulo
/// p = 2^256 − 2^32 − 977.
///
/// Representation: four little-endian 64-bit limbs holding any value in
/// [0, 2^256) congruent to the element; values in [p, 2^256) are the
/// second representatives of 0 … 2^32 + 976. In libsecp256k1's terms every
/// element has magnitude 1 and is *weakly* normalized; every arithmetic
/// function here accepts such values and returns such a value, so results
/// can be chained without ever tracking magnitudes. `normalized` gives the
/// canonical representative (< p); comparisons (`==`, `isZero`, `isOdd`),
/// hashing and serialization go through it. Reduction uses
/// 2^256 ≡ 0x1000003D1 (mod p): a 512-bit product folds its high half twice.
///
/// All arithmetic here is branch-free on the values (constant time as far as
/// the compiler preserves it), except where a name carries the `_var` suffix.
struct FieldElement: Sendable, Hashable {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    /// 2^256 mod p: what a carry out of the top limb is worth.
    static let foldConstant: UInt64 = 0x1_0000_03D1
    static let zero = FieldElement(0, 0, 0, 0)
    static let one = FieldElement(1, 0, 0, 0)
    /// b in y² = x³ + 7.
    static let seven = FieldElement(7, 0, 0, 0)
    /// The low limb of p (the other three are all ones).
    static let p0: UInt64 = 0xFFFF_FFFE_FFFF_FC2F

    /// From limbs of any value below 2^256.
    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    /// A small integer.
    init(_ small: UInt64) { self.init(small, 0, 0, 0) }

    /// From 32 big-endian bytes; nil when the value is ≥ p (encodings must
    /// be canonical). The result is normalized.
    init?(bigEndian p: UnsafeRawPointer) {
        let (a, b, c, d) = Limbs.load(bigEndian: p)
        guard !FieldElement.isAtLeastP(a, b, c, d) else { return nil }
        self.init(a, b, c, d)
    }

    /// From 32 big-endian bytes in an array; nil when the count is not 32 or
    /// the value is ≥ p.
    init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        guard let v = bytes.withUnsafeBytes({ FieldElement(bigEndian: $0.baseAddress!) }) else { return nil }
        self = v
    }

    /// The 32 big-endian bytes of the canonical representative.
    var bytes: [UInt8] {
        let n = normalized
        return Limbs.bytes(n.l0, n.l1, n.l2, n.l3)
    }

    /// Writes the canonical representative as 32 big-endian bytes.
    func write(bigEndian p: UnsafeMutableRawPointer) {
        let n = normalized
        Limbs.store(n.l0, n.l1, n.l2, n.l3, bigEndian: p)
    }

    @inline(__always)
    static func isAtLeastP(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Bool {
        (d & c & b) == .max && a >= p0
    }

    /// The canonical representative, in [0, p).
    @inline(__always)
    var normalized: FieldElement { FieldElement.reduceOnce(l0, l1, l2, l3, extraCarry: 0) }

    static func == (a: FieldElement, b: FieldElement) -> Bool {
        let x = a.normalized, y = b.normalized
        return ((x.l0 ^ y.l0) | (x.l1 ^ y.l1) | (x.l2 ^ y.l2) | (x.l3 ^ y.l3)) == 0
    }

    func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.l0); hasher.combine(n.l1); hasher.combine(n.l2); hasher.combine(n.l3)
    }

    /// Whether the element is 0 (limbs 0 or p).
    var isZero: Bool {
        let n = normalized
        return (n.l0 | n.l1 | n.l2 | n.l3) == 0
    }

    /// Whether the canonical representative is odd (the "sign" of a y-coordinate).
    var isOdd: Bool { normalized.l0 & 1 == 1 }

    /// Reduces a value below 2^256 + p (limbs plus a carry bit worth 2^256)
    /// to [0, p) by adding 2^256 − p and keeping the sum when it carries out.
    @inline(__always)
    static func reduceOnce(_ r0: UInt64, _ r1: UInt64, _ r2: UInt64, _ r3: UInt64, extraCarry: UInt64) -> FieldElement {
        var c: UInt64 = 0
        let s0 = addCarry(r0, foldConstant, &c)
        let s1 = addCarry(r1, 0, &c)
        let s2 = addCarry(r2, 0, &c)
        let s3 = addCarry(r3, 0, &c)
        let m = mask(c | extraCarry)
        return FieldElement((s0 & m) | (r0 & ~m), (s1 & m) | (r1 & ~m), (s2 & m) | (r2 & ~m), (s3 & m) | (r3 & ~m))
    }

    /// a + b.
    @inline(__always)
    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        var c: UInt64 = 0
        var r0 = addCarry(a.l0, b.l0, &c)
        var r1 = addCarry(a.l1, b.l1, &c)
        var r2 = addCarry(a.l2, b.l2, &c)
        var r3 = addCarry(a.l3, b.l3, &c)
        // A carry is worth 2^256 ≡ 0x1000003D1. Folding it can carry once
        // more, and then the limbs hold less than 0x1000003D1, so the second
        // fold cannot carry out of the low limb.
        var c2: UInt64 = 0
        r0 = addCarry(r0, foldConstant & mask(c), &c2)
        r1 = addCarry(r1, 0, &c2)
        r2 = addCarry(r2, 0, &c2)
        r3 = addCarry(r3, 0, &c2)
        return FieldElement(r0 &+ (foldConstant & mask(c2)), r1, r2, r3)
    }

    /// a − b.
    @inline(__always)
    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        var borrow: UInt64 = 0
        var r0 = subBorrow(a.l0, b.l0, &borrow)
        var r1 = subBorrow(a.l1, b.l1, &borrow)
        var r2 = subBorrow(a.l2, b.l2, &borrow)
        var r3 = subBorrow(a.l3, b.l3, &borrow)
        // A borrow leaves a − b + 2^256; subtracting 0x1000003D1 makes it
        // a − b + p. That borrows again only when b − a > p (b not
        // normalized); once more then gives a − b + 2p, which is ≥ 0.
        for _ in 0..<2 {
            let m = foldConstant & mask(borrow)
            borrow = 0
            r0 = subBorrow(r0, m, &borrow)
            r1 = subBorrow(r1, 0, &borrow)
            r2 = subBorrow(r2, 0, &borrow)
            r3 = subBorrow(r3, 0, &borrow)
        }
        return FieldElement(r0, r1, r2, r3)
    }

    /// −a.
    @inline(__always)
    static prefix func - (a: FieldElement) -> FieldElement { .zero - a }

    /// 2a.
    @inline(__always)
    var doubled: FieldElement { self + self }

    /// a / 2 (multiplication by the inverse of 2).
    var halved: FieldElement {
        // An odd representative gets p added first (a 257-bit sum, even);
        // halving that is below 2^256.
        let m = mask(l0 & 1)
        var c: UInt64 = 0
        let t0 = addCarry(l0, FieldElement.p0 & m, &c)
        let t1 = addCarry(l1, m, &c)
        let t2 = addCarry(l2, m, &c)
        let t3 = addCarry(l3, m, &c)
        return FieldElement(t0 >> 1 | t1 << 63, t1 >> 1 | t2 << 63, t2 >> 1 | t3 << 63, t3 >> 1 | c << 63)
    }

    /// a·b.
    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
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
        return reduce(t0, t1, t2, t3, t4, t5, c0, c1)
    }

    /// a². Ten limb products instead of
    /// sixteen: the cross terms are computed once and doubled.
    var squared: FieldElement {
        var c0: UInt64 = 0, c1: UInt64 = 0, c2: UInt64 = 0
        mulAccumulate(l0, l1, &c0, &c1, &c2)
        let t1 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(l0, l2, &c0, &c1, &c2)
        let t2 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(l0, l3, &c0, &c1, &c2)
        mulAccumulate(l1, l2, &c0, &c1, &c2)
        let t3 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(l1, l3, &c0, &c1, &c2)
        let t4 = c0; c0 = c1; c1 = c2; c2 = 0
        mulAccumulate(l2, l3, &c0, &c1, &c2)
        let t5 = c0, t6 = c1
        // Double the cross terms (a 7-limb shift), then add the squares a_i² at limb 2i.
        let d7 = t6 >> 63, d6 = t6 << 1 | t5 >> 63, d5 = t5 << 1 | t4 >> 63, d4 = t4 << 1 | t3 >> 63
        let d3 = t3 << 1 | t2 >> 63, d2 = t2 << 1 | t1 >> 63, d1 = t1 << 1
        let (h0, s0) = l0.multipliedFullWidth(by: l0)
        let (h1, s1) = l1.multipliedFullWidth(by: l1)
        let (h2, s2) = l2.multipliedFullWidth(by: l2)
        let (h3, s3) = l3.multipliedFullWidth(by: l3)
        var c: UInt64 = 0
        let r1 = addCarry(d1, h0, &c)
        let r2 = addCarry(d2, s1, &c)
        let r3 = addCarry(d3, h1, &c)
        let r4 = addCarry(d4, s2, &c)
        let r5 = addCarry(d5, h2, &c)
        let r6 = addCarry(d6, s3, &c)
        let r7 = addCarry(d7, h3, &c)
        return FieldElement.reduce(s0, r1, r2, r3, r4, r5, r6, r7)
    }

    /// Reduces a 512-bit value t (little-endian limbs) mod p, to below 2^256.
    @inline(__always)
    static func reduce(_ t0: UInt64, _ t1: UInt64, _ t2: UInt64, _ t3: UInt64,
                       _ t4: UInt64, _ t5: UInt64, _ t6: UInt64, _ t7: UInt64) -> FieldElement {
        let k = foldConstant
        // First fold: t_lo + t_hi·k, a 290-bit value in r0…r3 plus r4 < 2^34.
        var (h, l) = t4.multipliedFullWidth(by: k)
        var c: UInt64 = 0
        let r0 = addCarry(t0, l, &c)
        var hi = h &+ c
        (h, l) = t5.multipliedFullWidth(by: k)
        c = 0
        var r1 = addCarry(t1, l, &c)
        var c2: UInt64 = 0
        r1 = addCarry(r1, hi, &c2)
        hi = h &+ c &+ c2
        (h, l) = t6.multipliedFullWidth(by: k)
        c = 0; c2 = 0
        var r2 = addCarry(t2, l, &c)
        r2 = addCarry(r2, hi, &c2)
        hi = h &+ c &+ c2
        (h, l) = t7.multipliedFullWidth(by: k)
        c = 0; c2 = 0
        var r3 = addCarry(t3, l, &c)
        r3 = addCarry(r3, hi, &c2)
        let r4 = h &+ c &+ c2
        // Second fold: r4·k < 2^67.
        (h, l) = r4.multipliedFullWidth(by: k)
        c = 0
        var s0 = addCarry(r0, l, &c)
        var s1 = addCarry(r1, h, &c)
        let s2 = addCarry(r2, 0, &c)
        let s3 = addCarry(r3, 0, &c)
        // A carry out here leaves s < 2^67, so adding k for it cannot carry past s1.
        var c3: UInt64 = 0
        s0 = addCarry(s0, k & mask(c), &c3)
        s1 &+= c3
        return FieldElement(s0, s1, s2, s3)
    }

    /// a·k for a small k.
    func times(_ k: UInt64) -> FieldElement {
        let (h0, m0) = l0.multipliedFullWidth(by: k)
        let (h1, m1) = l1.multipliedFullWidth(by: k)
        let (h2, m2) = l2.multipliedFullWidth(by: k)
        let (h3, m3) = l3.multipliedFullWidth(by: k)
        var c: UInt64 = 0
        let r1 = addCarry(m1, h0, &c)
        let r2 = addCarry(m2, h1, &c)
        let r3 = addCarry(m3, h2, &c)
        return FieldElement.reduce(m0, r1, r2, r3, h3 &+ c, 0, 0, 0)
    }
}
