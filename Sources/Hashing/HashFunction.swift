/// A streaming cryptographic hash: absorb bytes with `update`, read the digest
/// with `finalize`.
///
/// `HMAC` is generic over this protocol, so SHA-512 (or any other
/// Merkle–Damgård hash) plugs in by conforming. Conforming types are values:
/// copying one forks the computation, which HMAC uses to reuse padded keys.
public protocol HashFunction: Sendable {
    /// The size in bytes of the blocks the compression function absorbs;
    /// HMAC pads (or hashes) its key to exactly this length.
    static var blockSize: Int { get }

    /// The size of the digest in bytes.
    static var digestSize: Int { get }

    /// A hash of the empty message, ready to absorb input.
    init()

    /// Absorbs `bytes`; any number of calls is equivalent to one call on the
    /// concatenation.
    mutating func update(bytes: some Collection<UInt8>)

    /// The digest of everything absorbed so far. The value is left unchanged,
    /// so it may keep absorbing afterwards.
    func finalize() -> [UInt8]
}

extension HashFunction {
    /// The digest of `bytes` in one call.
    @inlinable
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var h = Self()
        h.update(bytes: bytes)
        return h.finalize()
    }
}
