import Hashing

/// k·G for secret k: public keys and signature nonces.
///
/// A fixed-window table: row j (of 64) holds i·16^j·G + Oⱼ for the sixteen
/// 4-bit digits i, so k·G is the sum of one entry per row, 63 mixed additions
/// and no doublings. The offsets Oⱼ are multiples of a point H with no known
/// discrete logarithm (hashed to the curve) and sum to zero across the rows;
/// they keep every entry and every partial sum away from infinity and from
/// each other, so the additions never meet their special cases (except with
/// negligible probability, where a correct fallback runs).
///
/// Side channels: each row is read by scanning all sixteen entries with
/// masks, so no memory address depends on k, and the field arithmetic is
/// branch-free. The Swift compiler gives no constant-time guarantee, and the
/// final inversion and the addition's fallback branch are not hardened, so
/// treat this as "no secret-dependent table indices", not as audited
/// constant-time code. The table (64 KiB) is built on first use.
enum ECMultGen {
    static let rows = 64
    static let digits = 16

    /// rows × digits affine points, row-major.
    static let table: [AffinePoint] = buildTable()

    /// A point whose discrete logarithm nobody knows: the first x of
    /// SHA-256("secp256k1 ECMultGen offset" ‖ counter) on the curve, even y.
    static func offsetPoint() -> AffinePoint {
        var counter: UInt8 = 0
        while true {
            let digest = SHA256.hash(Array("secp256k1 ECMultGen offset".utf8) + [counter])
            if let x = FieldElement(bytes: digest), let p = AffinePoint(x: x, odd: false) { return p }
            counter += 1
        }
    }

    static func buildTable() -> [AffinePoint] {
        let h = JacobianPoint(offsetPoint())
        var offsets: [JacobianPoint] = []
        var power = h
        var sum = JacobianPoint.infinity
        for _ in 0..<(rows - 1) {
            offsets.append(power)
            sum = sum.adding_var(power)
            power = power.doubled()
        }
        offsets.append(sum.negated)

        var points: [JacobianPoint] = []
        points.reserveCapacity(rows * digits)
        var base = JacobianPoint(.generator)
        for j in 0..<rows {
            let baseAffine = base.affine_var!
            var entry = offsets[j]
            for _ in 0..<digits {
                points.append(entry)
                entry = entry.adding_var(baseAffine)
            }
            for _ in 0..<4 { base = base.doubled() }
        }
        return JacobianPoint.batchAffine_var(points)
    }

    /// k·G as a Jacobian point (infinity exactly when k = 0).
    static func multiply(_ k: Scalar) -> JacobianPoint {
        table.withUnsafeBufferPointer { t in
            let limbs = (k.l0, k.l1, k.l2, k.l3)
            var r = JacobianPoint.infinity
            for j in 0..<rows {
                let limb: UInt64
                switch j >> 4 {
                case 0: limb = limbs.0
                case 1: limb = limbs.1
                case 2: limb = limbs.2
                default: limb = limbs.3
                }
                let digit = (limb >> UInt64((j & 15) * 4)) & 15
                let e = select(row: t.baseAddress! + j * digits, digit: digit)
                r = j == 0 ? JacobianPoint(e) : r.adding_var(e)
            }
            return r
        }
    }

    /// The entry `digit` of a row, reading all sixteen entries.
    @inline(__always)
    private static func select(row: UnsafePointer<AffinePoint>, digit: UInt64) -> AffinePoint {
        var x0: UInt64 = 0, x1: UInt64 = 0, x2: UInt64 = 0, x3: UInt64 = 0
        var y0: UInt64 = 0, y1: UInt64 = 0, y2: UInt64 = 0, y3: UInt64 = 0
        for i in 0..<UInt64(digits) {
            let m = mask(((i ^ digit) &- 1) >> 63)
            let e = row[Int(i)]
            x0 |= e.x.l0 & m; x1 |= e.x.l1 & m; x2 |= e.x.l2 & m; x3 |= e.x.l3 & m
            y0 |= e.y.l0 & m; y1 |= e.y.l1 & m; y2 |= e.y.l2 & m; y3 |= e.y.l3 & m
        }
        return AffinePoint(x: FieldElement(x0, x1, x2, x3), y: FieldElement(y0, y1, y2, y3))
    }
}
