/// The GLV endomorphism of secp256k1: λ·(x, y) = (β·x, y) for the cube roots
/// of unity λ (mod n) and β (mod p). Splitting a scalar k into
/// k₁ + k₂·λ with |k₁|, |k₂| < 2^128 halves the doublings of a
/// multiplication (Gallant–Lambert–Vanstone; constants and method as in
/// bitcoin-core/secp256k1 `scalar_split_lambda`).
extension Scalar {
    static let lambda = Scalar(0xDF02_967C_1B23_BD72, 0x122E_22EA_2081_6678, 0xA526_1C02_8812_645A, 0x5363_AD4C_C05C_30E0)

    /// −b₁ and −b₂ of the reduced lattice basis {a₁ + b₁λ, a₂ + b₂λ} of the
    /// kernel of (a, b) ↦ a + bλ mod n.
    private static let minusB1 = Scalar(0x6F54_7FA9_0ABF_E4C3, 0xE443_7ED6_010E_8828, 0, 0)
    private static let minusB2 = Scalar(0xD765_CDA8_3DB1_562C, 0x8A28_0AC5_0774_346D, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF)
    /// round(2^384·b₂/n) and round(2^384·(−b₁)/n).
    private static let g1 = Scalar(0xE893_209A_45DB_B031, 0x3DAA_8A14_71E8_CA7F, 0xE86C_90E4_9284_EB15, 0x3086_D221_A7D4_6BCD)
    private static let g2 = Scalar(0x1571_B4AE_8AC4_7F71, 0x2212_08AC_9DF5_06C6, 0x6F54_7FA9_0ABF_E4C4, 0xE443_7ED6_010E_8828)

    /// (k₁, k₂) with k₁ + k₂·λ ≡ k (mod n), where each of k₁, k₂ is below
    /// 2^128 or its negation is. Constant time.
    var splitLambda: (Scalar, Scalar) {
        let c1 = Scalar.mulShift384(self, Scalar.g1) * Scalar.minusB1
        let c2 = Scalar.mulShift384(self, Scalar.g2) * Scalar.minusB2
        let k2 = c1 + c2
        let k1 = self - k2 * Scalar.lambda
        return (k1, k2)
    }

    /// `count` (≤ 32) bits starting at bit `offset`, for recoding into wNAF.
    /// Variable time.
    @inline(__always)
    func bits_var(at offset: Int, count: Int) -> UInt32 {
        let word = offset >> 6, shift = UInt64(offset & 63)
        let w0: UInt64, w1: UInt64
        switch word {
        case 0: (w0, w1) = (l0, l1)
        case 1: (w0, w1) = (l1, l2)
        case 2: (w0, w1) = (l2, l3)
        default: (w0, w1) = (l3, 0)
        }
        let v = shift == 0 ? w0 : (w0 >> shift) | (w1 << (64 - shift))
        return UInt32(truncatingIfNeeded: v & ((1 << UInt64(count)) - 1))
    }
}
