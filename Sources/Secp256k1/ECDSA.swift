extension Secp256k1 {
    /// An ECDSA signature (r, s) with the recovery id that names the point R
    /// whose x-coordinate gave r: bit 0 is the parity of R.y, bit 1 says
    /// R.x = r + n (astronomically rare; see `recover`).
    ///
    /// Holds 0 < r, s < n (checked by the initializer). s may be high when
    /// parsed from outside; `sign` always produces low s.
    public struct RecoverableSignature: Sendable, Hashable {
        let rScalar: Scalar
        let sScalar: Scalar
        /// 0…3.
        public let recoveryID: UInt8

        /// From big-endian r and s of at most 32 significant bytes each
        /// (shorter values are left-padded). Throws `rOutOfRange` or
        /// `sOutOfRange` for 0 or ≥ n, `invalidRecoveryID` above 3.
        public init(r: some Collection<UInt8>, s: some Collection<UInt8>, recoveryID: UInt8) throws(Secp256k1Error) {
            guard let r32 = Limbs.padded32(r), let rs = Scalar(exactly: r32), !rs.isZero else { throw .rOutOfRange }
            guard let s32 = Limbs.padded32(s), let ss = Scalar(exactly: s32), !ss.isZero else { throw .sOutOfRange }
            guard recoveryID <= 3 else { throw .invalidRecoveryID(recoveryID) }
            self.init(r: rs, s: ss, recoveryID: recoveryID)
        }

        init(r: Scalar, s: Scalar, recoveryID: UInt8) {
            rScalar = r
            sScalar = s
            self.recoveryID = recoveryID
        }

        /// r, 32 big-endian bytes.
        public var r: [UInt8] { rScalar.bytes }
        /// s, 32 big-endian bytes.
        public var s: [UInt8] { sScalar.bytes }
        /// Whether s ≤ n/2, the canonical half Ethereum requires (EIP-2).
        public var isLowS: Bool { !sScalar.isHigh }
    }

    /// Whether (r, s) is a valid signature of the 32-byte `digest` under
    /// `publicKey`. False for malformed input (digest not 32 bytes, r or s
    /// out of 1 ..< n) and, when `requireLowS`, for s > n/2.
    public static func verify(digest: some Collection<UInt8>, r: some Collection<UInt8>, s: some Collection<UInt8>,
                              publicKey: PublicKey, requireLowS: Bool = true) -> Bool {
        guard digest.count == 32,
              let r32 = Limbs.padded32(r), let rs = Scalar(exactly: r32), !rs.isZero,
              let s32 = Limbs.padded32(s), let ss = Scalar(exactly: s32), !ss.isZero
        else { return false }
        if requireLowS && ss.isHigh { return false }
        return ECDSA.verify_var(digest: Scalar(reducing: Array(digest)), r: rs, s: ss, publicKey: publicKey.point)
    }
}

extension Secp256k1.PrivateKey {
    /// Signs a 32-byte digest (the caller hashes; Ethereum uses Keccak-256)
    /// with the RFC 6979 deterministic nonce, normalized to low s, with the
    /// recovery id. Equals libsecp256k1's `secp256k1_ecdsa_sign_recoverable`
    /// with its default nonce function. Precondition: `digest.count == 32`.
    public func sign(digest: some Collection<UInt8>) -> Secp256k1.RecoverableSignature {
        let message = Array(digest)
        precondition(message.count == 32, "secp256k1 signs 32-byte digests, got \(message.count) bytes")
        let z = Scalar(reducing: message)
        var nonces = RFC6979(key: scalar.bytes, message: z.bytes)
        while true {
            if let k = Scalar(exactly: nonces.next()), !k.isZero,
               let signature = ECDSA.sign(digest: z, privateKey: scalar, nonce: k) {
                return signature
            }
        }
    }
}

/// The ECDSA equations on scalars and points.
enum ECDSA {
    /// s = k⁻¹·(z + r·d) with r = (k·G).x mod n, normalized to low s; nil
    /// when r or s is 0 (the caller draws the next nonce).
    static func sign(digest z: Scalar, privateKey d: Scalar, nonce k: Scalar) -> Secp256k1.RecoverableSignature? {
        guard let point = ECMultGen.multiply(k).affine else { return nil }
        var xBytes = [UInt8](repeating: 0, count: 32)
        xBytes.withUnsafeMutableBytes { point.x.write(bigEndian: $0.baseAddress!) }
        var overflow = false
        let r = xBytes.withUnsafeBytes { Scalar(bigEndian: $0.baseAddress!, overflowed: &overflow) }
        var recoveryID: UInt8 = (overflow ? 2 : 0) | (point.y.isOdd ? 1 : 0)
        var s = k.inverse * (z + r * d)
        if r.isZero || s.isZero { return nil }
        if s.isHigh {
            s = -s
            recoveryID ^= 1
        }
        return Secp256k1.RecoverableSignature(r: r, s: s, recoveryID: recoveryID)
    }

    /// Whether (u₁·G + u₂·Q).x ≡ r (mod n) for u₁ = z/s, u₂ = r/s, compared
    /// in Jacobian coordinates (no inversion). Variable time.
    static func verify_var(digest z: Scalar, r: Scalar, s: Scalar, publicKey q: AffinePoint) -> Bool {
        let sInverse = s.inverse_var
        let point = ECMult.multiply_var(point: q, r * sInverse, generator: z * sInverse)
        if point.isInfinity { return false }
        // r < n < p, so r is a field element; x ≡ r (mod n) means x = r or x = r + n < p.
        let zz = point.z.squared
        var candidate = FieldElement(r.l0, r.l1, r.l2, r.l3)
        if candidate * zz == point.x { return true }
        var carry: UInt64 = 0
        let c0 = addCarry(candidate.l0, Scalar.n0, &carry)
        let c1 = addCarry(candidate.l1, Scalar.n1, &carry)
        let c2 = addCarry(candidate.l2, Scalar.n2, &carry)
        let c3 = addCarry(candidate.l3, Scalar.n3, &carry)
        if carry != 0 || FieldElement.isAtLeastP(c0, c1, c2, c3) { return false }
        candidate = FieldElement(c0, c1, c2, c3)
        return candidate * zz == point.x
    }
}
