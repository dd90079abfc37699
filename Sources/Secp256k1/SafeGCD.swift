/// Modular inversion by Bernstein–Yang "safegcd" divsteps (as laid out in
/// bitcoin-core/secp256k1's doc/safegcd_implementation.md), on signed
/// 62-bit limbs: a few thousand instructions instead of the ~270
/// multiplications of Fermat's method.
///
/// `inverse_var` branches on the values (for public inputs: verification,
/// recovery, table building); `inverse` runs a fixed 590 divsteps with
/// masks instead of branches (for secrets: nonces, signing).
enum SafeGCD {
    /// A number Σ vᵢ·2^(62i): limbs 0…3 in [0, 2^62) when normalized, limb 4
    /// signed; intermediate values may have any sign.
    struct Signed62 {
        var v = InlineArray<5, Int64>(repeating: 0)

        init(_ v0: Int64, _ v1: Int64, _ v2: Int64, _ v3: Int64, _ v4: Int64) {
            v[0] = v0; v[1] = v1; v[2] = v2; v[3] = v3; v[4] = v4
        }

        /// From a value below 2^256 in four 64-bit limbs.
        init(limbs l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
            let m = SafeGCD.m62
            self.init(Int64(bitPattern: l0 & m), Int64(bitPattern: (l0 >> 62 | l1 << 2) & m),
                      Int64(bitPattern: (l1 >> 60 | l2 << 4) & m), Int64(bitPattern: (l2 >> 58 | l3 << 6) & m),
                      Int64(bitPattern: l3 >> 56))
        }

        /// The four 64-bit limbs of a normalized value below 2^256.
        var limbs: (UInt64, UInt64, UInt64, UInt64) {
            let a = UInt64(bitPattern: v[0]), b = UInt64(bitPattern: v[1]), c = UInt64(bitPattern: v[2])
            let d = UInt64(bitPattern: v[3]), e = UInt64(bitPattern: v[4])
            return (a | b << 62, b >> 2 | c << 60, c >> 4 | d << 58, d >> 6 | e << 56)
        }
    }

    /// A modulus and its inverse mod 2^62.
    struct Modulus {
        let m: Signed62
        let inverse62: UInt64
    }

    static let m62: UInt64 = .max >> 2
    /// p = 2^256 − 0x1000003D1.
    static let fieldModulus = Modulus(m: Signed62(-0x1_0000_03D1, 0, 0, 0, 256), inverse62: 0x27C7_F6E2_2DDA_CACF)
    /// n.
    static let orderModulus = Modulus(m: Signed62(0x3FD2_5E8C_D036_4141, 0x2ABB_739A_BD22_80EE, -0x15, 0, 256),
                                      inverse62: 0x34F2_0099_AA77_4EC1)

    /// The transition matrix [u v; q r] of a batch of divsteps, scaled by 2^62.
    struct Transition { var u: Int64, v: Int64, q: Int64, r: Int64 }

    /// 62 divsteps on the low limbs of f and g, skipping runs of zero bits
    /// and cancelling up to 6 bits of g per step. Returns the new η (= −δ).
    static func divsteps62_var(eta: Int64, f0: UInt64, g0: UInt64, _ t: inout Transition) -> Int64 {
        var u: UInt64 = 1, v: UInt64 = 0, q: UInt64 = 0, r: UInt64 = 1
        var f = f0, g = g0, eta = eta
        var i = 62
        while true {
            let zeros = (g | (UInt64.max &<< UInt64(i))).trailingZeroBitCount
            g = g &>> UInt64(zeros); u = u &<< UInt64(zeros); v = v &<< UInt64(zeros)
            eta -= Int64(zeros)
            i -= zeros
            if i == 0 { break }
            var w: UInt64
            let limit = min(Int(eta < 0 ? -eta : eta) + 1, i)
            if eta < 0 {
                eta = -eta
                (f, g) = (g, 0 &- f)
                (u, q) = (q, 0 &- u)
                (v, r) = (r, 0 &- v)
                let m = (UInt64.max &>> UInt64(64 - limit)) & 63
                w = (f &* g &* (f &* f &- 2)) & m
            } else {
                let m = (UInt64.max &>> UInt64(64 - limit)) & 15
                w = f &+ (((f &+ 1) & 4) &<< 1)
                w = ((0 &- w) &* g) & m
            }
            g = g &+ f &* w
            q = q &+ u &* w
            r = r &+ v &* w
        }
        t = Transition(u: Int64(bitPattern: u), v: Int64(bitPattern: v), q: Int64(bitPattern: q), r: Int64(bitPattern: r))
        return eta
    }

    /// 59 divsteps in constant time (masks, no branches), the matrix scaled
    /// by 2^62 all the same. Returns the new ζ (= −(δ + 1/2)).
    static func divsteps59(zeta: Int64, f0: UInt64, g0: UInt64, _ t: inout Transition) -> Int64 {
        var u: UInt64 = 8, v: UInt64 = 0, q: UInt64 = 0, r: UInt64 = 8
        var f = f0, g = g0, zeta = zeta
        for _ in 3..<62 {
            var c1 = UInt64(bitPattern: zeta &>> 63)
            let c2 = 0 &- (g & 1)
            let x = (f ^ c1) &- c1, y = (u ^ c1) &- c1, z = (v ^ c1) &- c1
            g = g &+ (x & c2); q = q &+ (y & c2); r = r &+ (z & c2)
            c1 &= c2
            zeta = (zeta ^ Int64(bitPattern: c1)) &- 1
            f = f &+ (g & c1); u = u &+ (q & c1); v = v &+ (r & c1)
            g = g &>> 1; u = u &<< 1; v = v &<< 1
        }
        t = Transition(u: Int64(bitPattern: u), v: Int64(bitPattern: v), q: Int64(bitPattern: q), r: Int64(bitPattern: r))
        return zeta
    }

    /// [d, e] ← t·[d, e] / 2^62 (mod the modulus), adding the multiple of the
    /// modulus that makes the division exact. Inputs and outputs in (−2m, m).
    static func updateDE(_ d: inout Signed62, _ e: inout Signed62, _ t: Transition, _ mod: Modulus) {
        let (u, v, q, r) = (t.u, t.v, t.q, t.r)
        let sd = d.v[4] >> 63, se = e.v[4] >> 63
        var md = (u & sd) &+ (v & se)
        var me = (q & sd) &+ (r & se)
        var cd = Int128(u) * Int128(d.v[0]) + Int128(v) * Int128(e.v[0])
        var ce = Int128(q) * Int128(d.v[0]) + Int128(r) * Int128(e.v[0])
        md &-= Int64(bitPattern: (mod.inverse62 &* UInt64(truncatingIfNeeded: cd) &+ UInt64(bitPattern: md)) & m62)
        me &-= Int64(bitPattern: (mod.inverse62 &* UInt64(truncatingIfNeeded: ce) &+ UInt64(bitPattern: me)) & m62)
        cd += Int128(mod.m.v[0]) * Int128(md)
        ce += Int128(mod.m.v[0]) * Int128(me)
        cd >>= 62
        ce >>= 62
        for i in 1..<5 {
            cd += Int128(u) * Int128(d.v[i]) + Int128(v) * Int128(e.v[i])
            ce += Int128(q) * Int128(d.v[i]) + Int128(r) * Int128(e.v[i])
            let mi = mod.m.v[i]
            if mi != 0 {
                cd += Int128(mi) * Int128(md)
                ce += Int128(mi) * Int128(me)
            }
            d.v[i - 1] = Int64(bitPattern: UInt64(truncatingIfNeeded: cd) & m62)
            e.v[i - 1] = Int64(bitPattern: UInt64(truncatingIfNeeded: ce) & m62)
            cd >>= 62
            ce >>= 62
        }
        d.v[4] = Int64(truncatingIfNeeded: cd)
        e.v[4] = Int64(truncatingIfNeeded: ce)
    }

    /// [f, g] ← t·[f, g] / 2^62 over the low `length` limbs (exact).
    static func updateFG(_ f: inout Signed62, _ g: inout Signed62, length: Int, _ t: Transition) {
        let (u, v, q, r) = (t.u, t.v, t.q, t.r)
        var cf = Int128(u) * Int128(f.v[0]) + Int128(v) * Int128(g.v[0])
        var cg = Int128(q) * Int128(f.v[0]) + Int128(r) * Int128(g.v[0])
        cf >>= 62
        cg >>= 62
        for i in 1..<length {
            cf += Int128(u) * Int128(f.v[i]) + Int128(v) * Int128(g.v[i])
            cg += Int128(q) * Int128(f.v[i]) + Int128(r) * Int128(g.v[i])
            f.v[i - 1] = Int64(bitPattern: UInt64(truncatingIfNeeded: cf) & m62)
            g.v[i - 1] = Int64(bitPattern: UInt64(truncatingIfNeeded: cg) & m62)
            cf >>= 62
            cg >>= 62
        }
        f.v[length - 1] = Int64(truncatingIfNeeded: cf)
        g.v[length - 1] = Int64(truncatingIfNeeded: cg)
    }

    /// Brings r from (−2m, m) to [0, m), negating it first when `sign` < 0.
    /// Constant time.
    static func normalize(_ r: inout Signed62, sign: Int64, _ mod: Modulus) {
        var a = r
        var add = a.v[4] >> 63
        for i in 0..<5 { a.v[i] &+= mod.m.v[i] & add }
        let negate = sign >> 63
        for i in 0..<5 { a.v[i] = (a.v[i] ^ negate) &- negate }
        for i in 0..<4 { a.v[i + 1] &+= a.v[i] >> 62; a.v[i] &= Int64(bitPattern: m62) }
        add = a.v[4] >> 63
        for i in 0..<5 { a.v[i] &+= mod.m.v[i] & add }
        for i in 0..<4 { a.v[i + 1] &+= a.v[i] >> 62; a.v[i] &= Int64(bitPattern: m62) }
        r = a
    }

    /// x⁻¹ mod m (0 for 0). Variable time.
    static func inverse_var(_ x: Signed62, _ mod: Modulus) -> Signed62 {
        var d = Signed62(0, 0, 0, 0, 0), e = Signed62(1, 0, 0, 0, 0)
        var f = mod.m, g = x
        var eta: Int64 = -1
        var length = 5
        var t = Transition(u: 0, v: 0, q: 0, r: 0)
        while true {
            eta = divsteps62_var(eta: eta, f0: UInt64(bitPattern: f.v[0]), g0: UInt64(bitPattern: g.v[0]), &t)
            updateDE(&d, &e, t, mod)
            updateFG(&f, &g, length: length, t)
            if g.v[0] == 0 {
                var any: Int64 = 0
                for j in 1..<length { any |= g.v[j] }
                if any == 0 { break }
            }
            let fn = f.v[length - 1], gn = g.v[length - 1]
            var cond = Int64(length - 2) >> 63
            cond |= fn ^ (fn >> 63)
            cond |= gn ^ (gn >> 63)
            if cond == 0 {
                f.v[length - 2] |= Int64(bitPattern: UInt64(bitPattern: fn) << 62)
                g.v[length - 2] |= Int64(bitPattern: UInt64(bitPattern: gn) << 62)
                length -= 1
            }
        }
        normalize(&d, sign: f.v[length - 1], mod)
        return d
    }

    /// x⁻¹ mod m (0 for 0). Constant time: ten batches of 59 divsteps, which
    /// suffice for any 256-bit input.
    static func inverse(_ x: Signed62, _ mod: Modulus) -> Signed62 {
        var d = Signed62(0, 0, 0, 0, 0), e = Signed62(1, 0, 0, 0, 0)
        var f = mod.m, g = x
        var zeta: Int64 = -1
        var t = Transition(u: 0, v: 0, q: 0, r: 0)
        for _ in 0..<10 {
            zeta = divsteps59(zeta: zeta, f0: UInt64(bitPattern: f.v[0]), g0: UInt64(bitPattern: g.v[0]), &t)
            updateDE(&d, &e, t, mod)
            updateFG(&f, &g, length: 5, t)
        }
        normalize(&d, sign: f.v[4], mod)
        return d
    }
}

extension FieldElement {
    /// a⁻¹ (0 maps to 0) by safegcd. Variable time: public values only.
    /// The result is normalized.
    var inverse_var: FieldElement {
        let n = normalized
        let r = SafeGCD.inverse_var(SafeGCD.Signed62(limbs: n.l0, n.l1, n.l2, n.l3), SafeGCD.fieldModulus).limbs
        return FieldElement(r.0, r.1, r.2, r.3)
    }

    /// a⁻¹ (0 maps to 0) by constant-time safegcd. The result is normalized.
    var inverse: FieldElement {
        let n = normalized
        let r = SafeGCD.inverse(SafeGCD.Signed62(limbs: n.l0, n.l1, n.l2, n.l3), SafeGCD.fieldModulus).limbs
        return FieldElement(r.0, r.1, r.2, r.3)
    }
}

extension Scalar {
    /// a⁻¹ mod n (0 maps to 0) by safegcd. Variable time: public values only.
    var inverse_var: Scalar {
        let r = SafeGCD.inverse_var(SafeGCD.Signed62(limbs: l0, l1, l2, l3), SafeGCD.orderModulus).limbs
        return Scalar(r.0, r.1, r.2, r.3)
    }

    /// a⁻¹ mod n (0 maps to 0) by constant-time safegcd.
    var inverse: Scalar {
        let r = SafeGCD.inverse(SafeGCD.Signed62(limbs: l0, l1, l2, l3), SafeGCD.orderModulus).limbs
        return Scalar(r.0, r.1, r.2, r.3)
    }
}
