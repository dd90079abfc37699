/// a·P + b·G for public P, a, b: verification and public-key recovery.
/// Variable time throughout (the inputs are public).
///
/// Strauss–Shamir interleaving over four ~128-bit wNAF streams: a and b are
/// each split by the GLV endomorphism (a = a₁ + a₂λ), P's odd multiples
/// (window 5, 8 points) are computed per call on an isomorphic curve so they
/// share one Z and can be added as affine points, and G's odd multiples
/// (window `generatorWindow`) come from a table built once, lazily, on first
/// use. The λ-streams reuse both tables through (x, y) ↦ (β·x, y).
enum ECMult {
    static let pointWindow = 5
    static let generatorWindow = 14
    static let pointTableSize = 1 << (pointWindow - 2)

    /// (2i + 1)·G for i < 2^(generatorWindow − 2), affine: 4096 points,
    /// 256 KiB. Built on first use (Swift runs a static's initializer
    /// exactly once, thread-safely).
    static let generatorTable: [AffinePoint] = oddMultiples(of: .generator, count: 1 << (generatorWindow - 2))

    /// (2i + 1)·p for i < count, affine; one batched inversion.
    static func oddMultiples(of p: AffinePoint, count: Int) -> [AffinePoint] {
        let twice = JacobianPoint(p).doubled().affine_var!
        var points: [JacobianPoint] = []
        points.reserveCapacity(count)
        var current = JacobianPoint(p)
        for _ in 0..<count {
            points.append(current)
            current = current.adding_var(twice)
        }
        return JacobianPoint.batchAffine_var(points)
    }

    /// a·P + b·G. Variable time.
    static func multiply_var(point: AffinePoint, _ a: Scalar, generator b: Scalar) -> JacobianPoint {
        let (a1, a2) = a.splitLambda
        let (b1, b2) = b.splitLambda
        let wa1 = WNAF(a1, window: pointWindow), wa2 = WNAF(a2, window: pointWindow)
        let wb1 = WNAF(b1, window: generatorWindow), wb2 = WNAF(b2, window: generatorWindow)
        let length = max(wa1.length, wa2.length, wb1.length, wb2.length)

        // P's odd multiples as affine points of the isomorphic curve on
        // which a Jacobian (X, Y, Z) stands for the true point (X, Y, Z·globalZ).
        // The accumulator r lives on that curve too; G's truly affine entries
        // join it with Z = 1/globalZ, and r.z is scaled back at the end.
        var table = InlineArray<8, AffinePoint>(repeating: point)
        var globalZ = FieldElement.one
        if !a.isZero {
            globalZ = commonZOddMultiples(of: point, into: &table)
        }
        var lambdaX = InlineArray<8, FieldElement>(repeating: .zero)
        for i in 0..<pointTableSize { lambdaX[i] = table[i].x * AffinePoint.beta }

        let g = generatorTable
        var r = JacobianPoint.infinity
        for i in stride(from: length - 1, through: 0, by: -1) {
            r = r.doubled()
            var d = Int(wa1.digits[i])
            if d != 0 {
                let e = table[(abs(d) - 1) >> 1]
                r = r.adding_var(d > 0 ? e : e.negated)
            }
            d = Int(wa2.digits[i])
            if d != 0 {
                let k = (abs(d) - 1) >> 1
                let e = AffinePoint(x: lambdaX[k], y: table[k].y)
                r = r.adding_var(d > 0 ? e : e.negated)
            }
            d = Int(wb1.digits[i])
            if d != 0 {
                let e = g[(abs(d) - 1) >> 1]
                r = r.adding_var(d > 0 ? e : e.negated, zInverse: globalZ)
            }
            d = Int(wb2.digits[i])
            if d != 0 {
                let e = g[(abs(d) - 1) >> 1].timesLambda
                r = r.adding_var(d > 0 ? e : e.negated, zInverse: globalZ)
            }
        }
        if !r.isInfinity { r.z = r.z * globalZ }
        return r
    }

    /// Fills `table` with P, 3P, …, 15P expressed with one common Z, which it
    /// returns: the entries are affine points on the curve y² = x³ + 7·Z⁶,
    /// isomorphic to secp256k1 by (x, y) ↦ (x/Z², y/Z³). Needs no inversion.
    private static func commonZOddMultiples(of p: AffinePoint, into table: inout InlineArray<8, AffinePoint>) -> FieldElement {
        let d = JacobianPoint(p).doubled()
        // On the curve scaled by C = d.z, 2P is affine (d.x, d.y) and P is (x·C², y·C³).
        let c = d.z
        let twice = AffinePoint(x: d.x, y: d.y)
        let c2 = c.squared
        var ai = JacobianPoint(x: p.x * c2, y: p.y * c2 * c, z: .one)
        table[0] = AffinePoint(x: ai.x, y: ai.y)
        var zRatios = InlineArray<8, FieldElement>(repeating: .one)
        zRatios[0] = c
        for i in 1..<pointTableSize {
            ai = ai.adding_var(twice, zRatio: &zRatios[i])
            table[i] = AffinePoint(x: ai.x, y: ai.y)
        }
        let globalZ = ai.z * c
        // Walk back, rescaling each entry to the last entry's Z.
        var zs = zRatios[pointTableSize - 1]
        for i in stride(from: pointTableSize - 2, through: 0, by: -1) {
            if i != pointTableSize - 2 { zs = zs * zRatios[i + 1] }
            let zs2 = zs.squared
            table[i] = AffinePoint(x: table[i].x * zs2, y: table[i].y * zs2 * zs)
        }
        return globalZ
    }
}
