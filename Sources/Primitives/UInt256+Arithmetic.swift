/// Addition, subtraction and multiplication, with overflow reported,
/// trapping, or wrapping as Swift's integer types do.
///
/// The trapping operators trap even in `-Ounchecked` builds (where Swift's
/// own integers would silently wrap): a wrapped balance is worse than a
/// crash. Code that handles untrusted amounts should use the
/// `ReportingOverflow` forms and reject the input instead.
extension UInt256 {
    /// `self + other`, and whether it overflowed 256 bits.
    @inlinable
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, c0) = w0.addingReportingOverflow(other.w0)
        let (s1, c1a) = w1.addingReportingOverflow(other.w1)
        let (r1, c1b) = s1.addingReportingOverflow(c0 ? 1 : 0)
        let (s2, c2a) = w2.addingReportingOverflow(other.w2)
        let (r2, c2b) = s2.addingReportingOverflow((c1a || c1b) ? 1 : 0)
        let (s3, c3a) = w3.addingReportingOverflow(other.w3)
        let (r3, c3b) = s3.addingReportingOverflow((c2a || c2b) ? 1 : 0)
        return (UInt256(w0: r0, w1: r1, w2: r2, w3: r3), c3a || c3b)
    }

    /// `self - other`, and whether it underflowed.
    @inlinable
    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, b0) = w0.subtractingReportingOverflow(other.w0)
        let (s1, b1a) = w1.subtractingReportingOverflow(other.w1)
        let (r1, b1b) = s1.subtractingReportingOverflow(b0 ? 1 : 0)
        let (s2, b2a) = w2.subtractingReportingOverflow(other.w2)
        let (r2, b2b) = s2.subtractingReportingOverflow((b1a || b1b) ? 1 : 0)
        let (s3, b3a) = w3.subtractingReportingOverflow(other.w3)
        let (r3, b3b) = s3.subtractingReportingOverflow((b2a || b2b) ? 1 : 0)
        return (UInt256(w0: r0, w1: r1, w2: r2, w3: r3), b3a || b3b)
    }

    /// The full 512-bit product of `self` and `other`.
    public func multipliedFullWidth(by other: UInt256) -> (high: UInt256, low: UInt256) {
        var r: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &r) { raw in
            let out = raw.bindMemory(to: UInt64.self)
            for i in 0..<4 {
                let a = self[limb: i]
                if a == 0 { continue }
                var carry: UInt64 = 0
                for j in 0..<4 {
                    let p = a.multipliedFullWidth(by: other[limb: j])
                    let (lo1, c1) = p.low.addingReportingOverflow(out[i + j])
                    let (lo2, c2) = lo1.addingReportingOverflow(carry)
                    out[i + j] = lo2
                    carry = p.high &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
                }
                out[i + 4] = carry
            }
        }
        return (UInt256(w0: r.4, w1: r.5, w2: r.6, w3: r.7), UInt256(w0: r.0, w1: r.1, w2: r.2, w3: r.3))
    }

    /// The 320-bit product of `self` and a one-limb factor, as the limb that
    /// overflows and the low 256 bits.
    @inlinable
    public func multipliedFullWidth(byWord factor: UInt64) -> (high: UInt64, low: UInt256) {
        let p0 = w0.multipliedFullWidth(by: factor)
        let p1 = w1.multipliedFullWidth(by: factor)
        let p2 = w2.multipliedFullWidth(by: factor)
        let p3 = w3.multipliedFullWidth(by: factor)
        let (r1, c1) = p1.low.addingReportingOverflow(p0.high)
        let (r2a, c2a) = p2.low.addingReportingOverflow(p1.high)
        let (r2, c2b) = r2a.addingReportingOverflow(c1 ? 1 : 0)
        let (r3a, c3a) = p3.low.addingReportingOverflow(p2.high)
        let (r3, c3b) = r3a.addingReportingOverflow((c2a || c2b) ? 1 : 0)
        let high = p3.high &+ ((c3a || c3b) ? 1 : 0)
        return (high, UInt256(w0: p0.low, w1: r1, w2: r2, w3: r3))
    }

    /// `self * other`, and whether the product exceeded 256 bits.
    public func multipliedReportingOverflow(by other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (high, low) = multipliedFullWidth(by: other)
        return (low, !high.isZero)
    }

    /// `self * other` modulo 2^256, computing only the limbs that are kept.
    public func multipliedWrapping(by other: UInt256) -> UInt256 {
        let p00 = w0.multipliedFullWidth(by: other.w0)
        let p01 = w0.multipliedFullWidth(by: other.w1)
        let p10 = w1.multipliedFullWidth(by: other.w0)
        let p02 = w0.multipliedFullWidth(by: other.w2)
        let p11 = w1.multipliedFullWidth(by: other.w1)
        let p20 = w2.multipliedFullWidth(by: other.w0)

        let r0 = p00.low
        var carry2: UInt64 = 0
        var r1 = p00.high
        r1 = addCounting(r1, p01.low, &carry2)
        r1 = addCounting(r1, p10.low, &carry2)
        var carry3: UInt64 = 0
        var r2 = carry2
        r2 = addCounting(r2, p01.high, &carry3)
        r2 = addCounting(r2, p10.high, &carry3)
        r2 = addCounting(r2, p02.low, &carry3)
        r2 = addCounting(r2, p11.low, &carry3)
        r2 = addCounting(r2, p20.low, &carry3)
        let r3 = carry3 &+ p02.high &+ p11.high &+ p20.high
            &+ w0 &* other.w3 &+ w1 &* other.w2 &+ w2 &* other.w1 &+ w3 &* other.w0
        return UInt256(w0: r0, w1: r1, w2: r2, w3: r3)
    }

    /// Sum; traps on overflow.
    @inlinable
    public static func + (a: UInt256, b: UInt256) -> UInt256 {
        let (r, o) = a.addingReportingOverflow(b)
        if o { arithmeticTrap("UInt256 addition overflow") }
        return r
    }

    /// Difference; traps on underflow.
    @inlinable
    public static func - (a: UInt256, b: UInt256) -> UInt256 {
        let (r, o) = a.subtractingReportingOverflow(b)
        if o { arithmeticTrap("UInt256 subtraction underflow") }
        return r
    }

    /// Product; traps on overflow.
    @inlinable
    public static func * (a: UInt256, b: UInt256) -> UInt256 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { arithmeticTrap("UInt256 multiplication overflow") }
        return r
    }

    /// Wrapping sum.
    @inlinable
    public static func &+ (a: UInt256, b: UInt256) -> UInt256 { a.addingReportingOverflow(b).partialValue }

    /// Wrapping difference.
    @inlinable
    public static func &- (a: UInt256, b: UInt256) -> UInt256 { a.subtractingReportingOverflow(b).partialValue }

    /// Wrapping product.
    @inlinable
    public static func &* (a: UInt256, b: UInt256) -> UInt256 { a.multipliedWrapping(by: b) }

    /// Quotient; traps on division by zero.
    @inlinable
    public static func / (a: UInt256, b: UInt256) -> UInt256 { a.quotientAndRemainder(dividingBy: b).quotient }

    /// Remainder; traps on division by zero.
    @inlinable
    public static func % (a: UInt256, b: UInt256) -> UInt256 { a.quotientAndRemainder(dividingBy: b).remainder }

    /// Compound assignment forms of the trapping operators.
    @inlinable
    public static func += (a: inout UInt256, b: UInt256) { a = a + b }

    @inlinable
    public static func -= (a: inout UInt256, b: UInt256) { a = a - b }

    @inlinable
    public static func *= (a: inout UInt256, b: UInt256) { a = a * b }

    @inlinable
    public static func /= (a: inout UInt256, b: UInt256) { a = a / b }

    @inlinable
    public static func %= (a: inout UInt256, b: UInt256) { a = a % b }
}

@inline(__always)
private func addCounting(_ a: UInt64, _ b: UInt64, _ carries: inout UInt64) -> UInt64 {
    let (r, c) = a.addingReportingOverflow(b)
    carries &+= c ? 1 : 0
    return r
}

/// Stops the process on a trapping operator's overflow or division by zero.
/// Unlike `precondition`, this survives `-Ounchecked`.
@usableFromInline
@inline(never)
func arithmeticTrap(_ message: StaticString) -> Never {
    fatalError("\(message)")
}
