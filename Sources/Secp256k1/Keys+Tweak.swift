extension Secp256k1.PrivateKey {
    /// (self + tweak) mod n, the private half of BIP-32 child derivation.
    /// nil when `tweak` is not 32 bytes, is ≥ n, or the sum is zero: the
    /// cases BIP-32 declares an invalid child, which its caller must skip.
    public func adding(tweak: some Collection<UInt8>) -> Secp256k1.PrivateKey? {
        guard let t = Scalar(exactly: Array(tweak)) else { return nil }
        let sum = scalar + t
        return sum.isZero ? nil : Secp256k1.PrivateKey(scalar: sum)
    }
}
