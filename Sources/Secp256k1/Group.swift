/// A point (x, y) on y² = x³ + 7 over the field, in affine coordinates.
///
/// Never the point at infinity: public keys, table entries and lifted
/// r-values are all finite, and `JacobianPoint` carries infinity where a
/// computation can produce it. Coordinates are normalized field elements,
/// so `==` compares points. 64 bytes, the unit of the precomputed tables.
struct AffinePoint: Sendable, Hashable {
    var x: FieldElement
    var y: FieldElement

    /// The standard generator G.
    static let generator = AffinePoint(
        x: FieldElement(0x59F2_815B_16F8_1798, 0x029B_FCDB_2DCE_28D9, 0x55A0_6295_CE87_0B07, 0x79BE_667E_F9DC_BBAC),
        y: FieldElement(0x9C47_D08F_FB10_D4B8, 0xFD17_B448_A685_5419, 0x5DA4_FBFC_0E11_08A8, 0x483A_DA77_26A3_C465))

    /// β, a cube root of unity mod p: (β·x, y) = λ·(x, y).
    static let beta = FieldElement(0xC139_6C28_7195_01EE, 0x9CF0_4975_12F5_8995, 0x6E64_479E_AC34_34E9, 0x7AE9_6A2B_657C_0710)

    init(x: FieldElement, y: FieldElement) {
        self.x = x
        self.y = y
    }

    /// The point with abscissa x whose ordinate has the given parity, or nil
    /// when x³ + 7 is not a square (no such point). Variable time.
    init?(x: FieldElement, odd: Bool) {
        guard var y = (x.squared * x + .seven).squareRoot else { return nil }
        if y.isOdd != odd { y = -y }
        self.init(x: x, y: y)
    }

    /// Whether y² = x³ + 7.
    var isOnCurve: Bool { y.squared == x.squared * x + .seven }

    var negated: AffinePoint { AffinePoint(x: x, y: -y) }

    /// λ·P, by the endomorphism (one field multiplication).
    var timesLambda: AffinePoint { AffinePoint(x: x * AffinePoint.beta, y: y) }
}

/// A point in Jacobian coordinates (X, Y, Z), standing for the affine point
/// (X/Z², Y/Z³), or the point at infinity when `isInfinity` is set (the
/// coordinates are then meaningless). Coordinates are normalized field
/// elements. Formulas follow bitcoin-core/secp256k1 `group_impl.h` (a = 0).
struct JacobianPoint: Sendable {
    var x: FieldElement
    var y: FieldElement
    var z: FieldElement
    var isInfinity: Bool

    static let infinity = JacobianPoint(x: .zero, y: .zero, z: .zero, isInfinity: true)

    init(x: FieldElement, y: FieldElement, z: FieldElement, isInfinity: Bool = false) {
        self.x = x; self.y = y; self.z = z; self.isInfinity = isInfinity
    }

    init(_ a: AffinePoint) { self.init(x: a.x, y: a.y, z: .one) }

    /// 2·self: 3 multiplications, 4 squarings. On secp256k1 no finite point
    /// doubles to infinity (y = 0 has no solution), so only infinity itself
    /// needs a branch. Variable time only in that branch.
    func doubled() -> JacobianPoint {
        if isInfinity { return self }
        // L = 3X²/2, S = Y², T = −X·S; X' = L² + 2T, Y' = −(L·(X' + T) + S²), Z' = Y·Z.
        let z3 = z * y
        var s = y.squared
        let l = x.squared.times(3).halved
        var t = -s * x
        let x3 = l.squared + t + t
        s = s.squared
        t = t + x3
        let y3 = -(t * l + s)
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// The shared tail of the addition formulas: given U₁ = X₁·Z₂², S₁ = Y₁·Z₂³,
    /// H = U₂ − U₁ ≠ 0 and I = S₁ − S₂, returns X₃ and Y₃ (Z₃ is the caller's
    /// Z₁·Z₂·H).
    @inline(__always)
    private static func addTail(u1: FieldElement, s1: FieldElement, h: FieldElement, i: FieldElement)
        -> (FieldElement, FieldElement) {
        let h2 = -h.squared
        let h3 = h2 * h
        var t = u1 * h2
        let x3 = i.squared + h3 + t + t
        t = t + x3
        let y3 = t * i + h3 * s1
        return (x3, y3)
    }

    /// self + b for an affine b: 8 multiplications, 3 squarings. `zRatio`
    /// receives Z₃/Z₁ (= H), which the odd-multiples table uses to bring its
    /// entries to one common Z. Variable time.
    func adding_var(_ b: AffinePoint, zRatio: inout FieldElement) -> JacobianPoint {
        if isInfinity {
            zRatio = .one
            return JacobianPoint(b)
        }
        let z12 = z.squared
        let u2 = b.x * z12
        let s2 = b.y * z12 * z
        let h = u2 - x
        let i = y - s2
        if h.isZero {
            zRatio = .zero
            return i.isZero ? doubled() : .infinity
        }
        zRatio = h
        let (x3, y3) = JacobianPoint.addTail(u1: x, s1: y, h: h, i: i)
        return JacobianPoint(x: x3, y: y3, z: z * h)
    }

    /// self + b for an affine b. Variable time (branches on infinity and on
    /// equal abscissas).
    @inline(__always)
    func adding_var(_ b: AffinePoint) -> JacobianPoint {
        var unused = FieldElement.zero
        return adding_var(b, zRatio: &unused)
    }

    /// self + b where b = (b.x, b.y, 1/bzInverse) in Jacobian terms, i.e. b
    /// lives on the isomorphic curve that a common-Z table uses: 9
    /// multiplications, 3 squarings. Variable time.
    func adding_var(_ b: AffinePoint, zInverse bzInverse: FieldElement) -> JacobianPoint {
        if isInfinity {
            let zi2 = bzInverse.squared
            return JacobianPoint(x: b.x * zi2, y: b.y * zi2 * bzInverse, z: .one)
        }
        // Scaling both Z coordinates by bzInverse leaves b with Z = 1; the
        // result's Z is then too small by that factor, so Z₃ uses the unscaled Z₁.
        let az = z * bzInverse
        let z12 = az.squared
        let u2 = b.x * z12
        let s2 = b.y * z12 * az
        let h = u2 - x
        let i = y - s2
        if h.isZero {
            return i.isZero ? doubled() : .infinity
        }
        let (x3, y3) = JacobianPoint.addTail(u1: x, s1: y, h: h, i: i)
        return JacobianPoint(x: x3, y: y3, z: z * h)
    }

    /// self + b for Jacobian b: 12 multiplications, 4 squarings. Variable time.
    func adding_var(_ b: JacobianPoint) -> JacobianPoint {
        if isInfinity { return b }
        if b.isInfinity { return self }
        let z22 = b.z.squared, z12 = z.squared
        let u1 = x * z22, u2 = b.x * z12
        let s1 = y * z22 * b.z, s2 = b.y * z12 * z
        let h = u2 - u1
        let i = s1 - s2
        if h.isZero {
            return i.isZero ? doubled() : .infinity
        }
        let (x3, y3) = JacobianPoint.addTail(u1: u1, s1: s1, h: h, i: i)
        return JacobianPoint(x: x3, y: y3, z: z * b.z * h)
    }

    var negated: JacobianPoint { JacobianPoint(x: x, y: -y, z: z, isInfinity: isInfinity) }

    /// The affine point given Z⁻¹; nil for infinity.
    func affine(zInverse zi: FieldElement) -> AffinePoint? {
        if isInfinity { return nil }
        let zi2 = zi.squared
        return AffinePoint(x: x * zi2, y: y * zi2 * zi)
    }

    /// The affine point (one constant-time field inversion); nil for infinity.
    var affine: AffinePoint? { isInfinity ? nil : affine(zInverse: z.inverse) }

    /// The affine point (one variable-time field inversion); nil for infinity.
    var affine_var: AffinePoint? { isInfinity ? nil : affine(zInverse: z.inverse_var) }

    /// Converts many finite points with a single inversion (Montgomery's
    /// trick: 3 multiplications per point). Variable time. Precondition: no
    /// point is infinity.
    static func batchAffine_var(_ points: [JacobianPoint]) -> [AffinePoint] {
        guard !points.isEmpty else { return [] }
        var prefix = [FieldElement](repeating: .one, count: points.count)
        var acc = FieldElement.one
        for (i, p) in points.enumerated() {
            precondition(!p.isInfinity)
            prefix[i] = acc
            acc = acc * p.z
        }
        var inv = acc.inverse_var
        var out = [AffinePoint](repeating: AffinePoint.generator, count: points.count)
        for i in stride(from: points.count - 1, through: 0, by: -1) {
            let zi = inv * prefix[i]
            inv = inv * points[i].z
            out[i] = points[i].affine(zInverse: zi)!
        }
        return out
    }
}
