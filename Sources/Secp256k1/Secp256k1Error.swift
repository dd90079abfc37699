/// Why a key, signature or recovery was rejected.
public enum Secp256k1Error: Error, Equatable, Sendable {
    /// A private key that is not 32 bytes or not in 1 ..< n.
    case invalidPrivateKey
    /// A message digest that is not 32 bytes long (the count given).
    case invalidDigestLength(Int)
    /// A signature's r is 0, ≥ n, or longer than 32 significant bytes.
    case rOutOfRange
    /// A signature's s is 0, ≥ n, or longer than 32 significant bytes.
    case sOutOfRange
    /// s > n/2 where low-s signatures are required (EIP-2, BIP-62).
    case highS
    /// A recovery id outside 0…3.
    case invalidRecoveryID(UInt8)
    /// Recovery id 2 or 3 names the x-coordinate r + n, which is not below p.
    case xCoordinateOverflow
    /// No curve point has the x-coordinate named by r and the recovery id.
    case noCurvePointForR
    /// The recovered key would be the point at infinity.
    case recoveredPointAtInfinity
    /// Public key coordinates that are ≥ p or do not satisfy y² = x³ + 7.
    case pointNotOnCurve
    /// A public key encoding of the wrong length or prefix byte (the length given).
    case invalidPublicKeyEncoding(Int)
}
