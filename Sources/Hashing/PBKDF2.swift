/// PBKDF2 (RFC 8018 §5.2) with HMAC over any `HashFunction`: what BIP-39
/// turns a mnemonic into a seed with (HMAC-SHA-512, 2048 iterations).
///
/// ```swift
/// let seed = PBKDF2.deriveKey(using: SHA512.self, password: Array(mnemonic.utf8),
///                             salt: Array("mnemonic".utf8), iterations: 2048, keyLength: 64)
/// ```
///
/// With SHA-512 every iteration after the first is two compressions from
/// the password's inner and outer padded states, which are computed once,
/// with the running value kept in words: no allocation inside the loop.
public enum PBKDF2 {
    /// The first `keyLength` bytes of T1 ‖ T2 ‖ …, where Ti is the XOR of
    /// `iterations` chained HMAC-`H` values under `password`, starting from
    /// `salt` ‖ INT(i). `iterations` and `keyLength` must be at least 1, and
    /// `keyLength` at most (2³² − 1) blocks (RFC 8018 bounds).
    public static func deriveKey<H: HashFunction>(using hash: H.Type, password: some Collection<UInt8>,
                                                  salt: some Collection<UInt8>, iterations: Int,
                                                  keyLength: Int) -> [UInt8] {
        precondition(iterations >= 1, "PBKDF2 needs at least one iteration")
        precondition(keyLength >= 1 && keyLength / H.digestSize < Int(UInt32.max), "PBKDF2 key length out of range")
        if H.self == SHA512.self {
            return sha512(password: password, salt: salt, iterations: iterations, keyLength: keyLength)
        }
        return generic(using: hash, password: password, salt: salt, iterations: iterations, keyLength: keyLength)
    }

    /// The definition read literally: one HMAC value copied per iteration.
    /// Used for hashes without a fast path, and by tests as the reference.
    static func generic<H: HashFunction>(using hash: H.Type, password: some Collection<UInt8>,
                                         salt: some Collection<UInt8>, iterations: Int, keyLength: Int) -> [UInt8] {
        let keyed = HMAC<H>(key: password)
        var out: [UInt8] = []
        out.reserveCapacity(keyLength)
        var index: UInt32 = 1
        while out.count < keyLength {
            var mac = keyed
            mac.update(bytes: salt)
            mac.update(bytes: bigEndianBytes(index))
            var u = mac.finalize()
            var t = u
            for _ in 1..<max(iterations, 1) {
                var next = keyed
                next.update(bytes: u)
                u = next.finalize()
                for i in t.indices { t[i] ^= u[i] }
            }
            out.append(contentsOf: t.prefix(keyLength - out.count))
            index &+= 1
        }
        return out
    }

    static func sha512(password: some Collection<UInt8>, salt: some Collection<UInt8>,
                       iterations: Int, keyLength: Int) -> [UInt8] {
        let keyed = HMAC<SHA512>(key: password)
        let inner = keyed.inner.state, outer = keyed.outer.state
        var out: [UInt8] = []
        out.reserveCapacity(keyLength)
        var index: UInt32 = 1
        while out.count < keyLength {
            var mac = keyed
            mac.update(bytes: salt)
            mac.update(bytes: bigEndianBytes(index))
            var first = mac.outer
            first.update(bytes: mac.inner.finalState().bytes)
            var u = first.finalState()
            var t = u
            for _ in 1..<max(iterations, 1) {
                u = outer.digestAfterOneBlock(of: inner.digestAfterOneBlock(of: u))
                t ^= u
            }
            out.append(contentsOf: t.bytes.prefix(keyLength - out.count))
            index &+= 1
        }
        return out
    }

    private static func bigEndianBytes(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }
}
