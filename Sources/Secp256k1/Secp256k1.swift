/// ECDSA over secp256k1 as Ethereum uses it: private and public keys,
/// deterministic (RFC 6979) low-s recoverable signatures, verification and
/// public-key recovery. Pure Swift, layered like bitcoin-core/secp256k1:
/// field (`FieldElement`), scalar (`Scalar`), group (`AffinePoint`,
/// `JacobianPoint`), multiplication (`ECMult` for public a·P + b·G,
/// `ECMultGen` for secret k·G), then ECDSA and recovery on top.
///
/// Signatures match libsecp256k1's `secp256k1_ecdsa_sign_recoverable` with
/// its default nonce function byte for byte.
public enum Secp256k1 {}

extension Secp256k1 {
    /// Builds the precomputed point tables now instead of during the first
    /// signature or recovery (a few milliseconds in release builds), to keep
    /// that latency off the first request. Safe to call from any thread, any
    /// number of times.
    public static func precomputeTables() {
        _ = ECMult.generatorTable.count
        _ = ECMultGen.table.count
    }
}
