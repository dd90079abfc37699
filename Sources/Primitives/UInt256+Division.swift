/// Division by Knuth's algorithm D over 64-bit limbs, with a short-division
/// fast path when the divisor fits in one limb.
extension UInt256 {
    /// The quotient and remainder of `self / divisor`; traps when `divisor` is zero.
    public func quotientAndRemainder(dividingBy divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        if divisor.isZero { arithmeticTrap("UInt256 division by zero") }
        if self < divisor { return (.zero, self) }
        if divisor.w1 | divisor.w2 | divisor.w3 == 0 {
            let (q, r) = quotientAndRemainder(dividingByWord: divisor.w0)
            return (q, UInt256(r))
        }
        return longDivision(by: divisor)
    }

    /// The quotient and remainder of `self / divisor` for a one-limb divisor,
    /// the common case in decimal formatting and fee arithmetic.
    public func quotientAndRemainder(dividingByWord divisor: UInt64) -> (quotient: UInt256, remainder: UInt64) {
        if divisor == 0 { arithmeticTrap("UInt256 division by zero") }
        var r: UInt64 = 0
        var q = UInt256.zero
        for i in stride(from: 3, through: 0, by: -1) {
            let limb = self[limb: i]
            if r == 0 && limb < divisor {
                r = limb
                continue
            }
            let (qi, ri) = divisor.dividingFullWidth((high: r, low: limb))
            q[limb: i] = qi
            r = ri
        }
        return (q, r)
    }

    private func longDivision(by divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        let n = (divisor.bitWidthUsed + 63) >> 6
        let m = (bitWidthUsed + 63) >> 6 - n
        let shift = divisor[limb: n - 1].leadingZeroBitCount
        let v = divisor << shift
        let overflowLimb = shift == 0 ? 0 : w3 >> UInt64(64 - shift)
        let shifted = self << shift

        var u: (UInt64, UInt64, UInt64, UInt64, UInt64) = (shifted.w0, shifted.w1, shifted.w2, shifted.w3, overflowLimb)
        var q = UInt256.zero
        withUnsafeMutableBytes(of: &u) { raw in
            let u = raw.bindMemory(to: UInt64.self)
            let vTop = v[limb: n - 1]
            let vNext = v[limb: n - 2]
            for j in stride(from: m, through: 0, by: -1) {
                var qhat: UInt64
                var rhat: UInt64
                var rhatOverflow = false
                if u[j + n] >= vTop {
                    qhat = .max
                    (rhat, rhatOverflow) = u[j + n - 1].addingReportingOverflow(vTop)
                } else {
                    (qhat, rhat) = vTop.dividingFullWidth((high: u[j + n], low: u[j + n - 1]))
                }
                while !rhatOverflow {
                    let p = qhat.multipliedFullWidth(by: vNext)
                    if p.high < rhat || (p.high == rhat && p.low <= u[j + n - 2]) { break }
                    qhat -= 1
                    (rhat, rhatOverflow) = rhat.addingReportingOverflow(vTop)
                }

                var borrow: UInt64 = 0
                var carry: UInt64 = 0
                for i in 0..<n {
                    let p = qhat.multipliedFullWidth(by: v[limb: i])
                    let (pl, c) = p.low.addingReportingOverflow(carry)
                    carry = p.high &+ (c ? 1 : 0)
                    let (d1, b1) = u[i + j].subtractingReportingOverflow(pl)
                    let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                    u[i + j] = d2
                    borrow = (b1 ? 1 : 0) &+ (b2 ? 1 : 0)
                }
                let (top1, tb1) = u[j + n].subtractingReportingOverflow(carry)
                let (top2, tb2) = top1.subtractingReportingOverflow(borrow)
                u[j + n] = top2

                if tb1 || tb2 {
                    qhat -= 1
                    var c: UInt64 = 0
                    for i in 0..<n {
                        let (s1, c1) = u[i + j].addingReportingOverflow(v[limb: i])
                        let (s2, c2) = s1.addingReportingOverflow(c)
                        u[i + j] = s2
                        c = (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
                    }
                    u[j + n] &+= c
                }
                q[limb: j] = qhat
            }
        }
        return (q, UInt256(w0: u.0, w1: u.1, w2: u.2, w3: u.3) >> shift)
    }
}
