extension FieldElement {
    /// a^(2^n): n successive squarings.
    @inline(__always)
    func squared(times n: Int) -> FieldElement {
        var r = self
        for _ in 0..<n { r = r.squared }
        return r
    }

    /// The powers a^(2^k − 1) for the block lengths k that the exponents
    /// p − 2 and (p + 1)/4 are made of: 1, [2], 3, 6, 9, 11, [22], 44, 88,
    /// 176, 220, [223] (bitcoin-core/secp256k1's addition chain).
    private func onesChain() -> (x2: FieldElement, x3: FieldElement, x22: FieldElement, x223: FieldElement) {
        let x2 = squared * self
        let x3 = x2.squared * self
        let x6 = x3.squared(times: 3) * x3
        let x9 = x6.squared(times: 3) * x3
        let x11 = x9.squared(times: 2) * x2
        let x22 = x11.squared(times: 11) * x11
        let x44 = x22.squared(times: 22) * x22
        let x88 = x44.squared(times: 44) * x44
        let x176 = x88.squared(times: 88) * x88
        let x220 = x176.squared(times: 44) * x44
        let x223 = x220.squared(times: 3) * x3
        return (x2, x3, x22, x223)
    }

    /// a⁻¹ = a^(p−2) by Fermat's little theorem (0 maps to 0): 255 squarings
    /// and 15 multiplications, constant time. Slower than the safegcd
    /// `inverse`; kept as an independent check of it.
    var fermatInverse: FieldElement {
        // p − 2 = 1^223 0 1^22 0000101101 (binary, high to low).
        let c = onesChain()
        var t = c.x223.squared(times: 23) * c.x22
        t = t.squared(times: 5) * self
        t = t.squared(times: 3) * c.x2
        return t.squared(times: 2) * self
    }

    /// A square root, a^((p+1)/4) (valid because p ≡ 3 mod 4), or nil when a
    /// is not a square. The root returned is itself a square; either root's
    /// negation is the other.
    var squareRoot: FieldElement? {
        // (p + 1)/4 = 1^223 0 1^22 000011 00 (binary, high to low).
        let c = onesChain()
        var t = c.x223.squared(times: 23) * c.x22
        t = t.squared(times: 6) * c.x2
        let r = t.squared(times: 2)
        return r.squared == self ? r : nil
    }
}
