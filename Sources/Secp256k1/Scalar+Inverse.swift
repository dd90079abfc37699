extension Scalar {
    /// The exponent n − 2, little-endian limbs.
    private static let nMinus2: (UInt64, UInt64, UInt64, UInt64) =
        (0xBFD2_5E8C_D036_413F, 0xBAAE_DCE6_AF48_A03B, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF)

    /// a⁻¹ = a^(n−2) by Fermat's little theorem (0 maps to 0), with a fixed
    /// 4-bit window: 252 squarings and at most 78 multiplications. Constant
    /// time in the value (the window positions depend only on the public
    /// exponent). Slower than the safegcd `inverse`; kept as an independent
    /// check of it.
    var fermatInverse: Scalar {
        var table = InlineArray<16, Scalar>(repeating: .one)
        table[1] = self
        for i in 2..<16 { table[i] = table[i - 1] * self }
        let e = Scalar.nMinus2
        let limbs = [e.3, e.2, e.1, e.0]
        var r = Scalar.one
        for (i, limb) in limbs.enumerated() {
            for nibble in stride(from: 60, through: 0, by: -4) {
                if i > 0 || nibble < 60 {
                    r = r.squared.squared.squared.squared
                }
                let digit = Int((limb >> UInt64(nibble)) & 15)
                if digit != 0 { r = r * table[digit] }
            }
        }
        return r
    }
}
