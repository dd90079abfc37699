extension Secp256k1 {
    /// The public key that produced `signature` over the 32-byte `digest`:
    /// Q = r⁻¹·(s·R − z·G), where R is the point named by r and the
    /// recovery id. Ethereum derives a transaction's sender this way.
    ///
    /// Throws `invalidDigestLength`, `highS` (when `requireLowS` and
    /// s > n/2), `xCoordinateOverflow` (id 2 or 3 with r + n ≥ p),
    /// `noCurvePointForR`, or `recoveredPointAtInfinity`. Variable time (all
    /// inputs are public). Costs one GLV/wNAF double multiplication, a square
    /// root, one field and one scalar inversion.
    public static func recover(digest: some Collection<UInt8>, signature: RecoverableSignature,
                               requireLowS: Bool = true) throws(Secp256k1Error) -> PublicKey {
        guard digest.count == 32 else { throw .invalidDigestLength(digest.count) }
        if requireLowS && signature.sScalar.isHigh { throw .highS }
        let r = signature.rScalar
        var x = FieldElement(r.l0, r.l1, r.l2, r.l3)
        if signature.recoveryID & 2 != 0 {
            var carry: UInt64 = 0
            let x0 = addCarry(r.l0, Scalar.n0, &carry)
            let x1 = addCarry(r.l1, Scalar.n1, &carry)
            let x2 = addCarry(r.l2, Scalar.n2, &carry)
            let x3 = addCarry(r.l3, Scalar.n3, &carry)
            guard carry == 0, !FieldElement.isAtLeastP(x0, x1, x2, x3) else { throw .xCoordinateOverflow }
            x = FieldElement(x0, x1, x2, x3)
        }
        guard let bigR = AffinePoint(x: x, odd: signature.recoveryID & 1 != 0) else { throw .noCurvePointForR }
        let z = Scalar(reducing: Array(digest))
        let rInverse = r.inverse_var
        let q = ECMult.multiply_var(point: bigR, signature.sScalar * rInverse, generator: -(z * rInverse))
        guard let affine = q.affine_var else { throw .recoveredPointAtInfinity }
        return PublicKey(point: affine)
    }
}
