import Hashing

/// The deterministic nonce generator of RFC 6979 §3.2 with HMAC-SHA256, as
/// bitcoin-core/secp256k1's default nonce function runs it: seeded with the
/// private key and the digest reduced mod n (no extra data), each call to
/// `next()` yields the next 32-byte candidate.
///
/// Keeps the HMAC keyed with the current K, since every K is used for at
/// least two MACs in a row.
struct RFC6979 {
    private var v = [UInt8](repeating: 1, count: 32)
    private var mac: HMAC<SHA256>
    private var started = false

    /// Steps b–g of §3.2 for the seed `key32 ‖ message32`.
    init(key: [UInt8], message: [UInt8]) {
        mac = HMAC(key: [UInt8](repeating: 0, count: 32))
        rekey(v, [0x00], key, message)
        v = tag(v)
        rekey(v, [0x01], key, message)
        v = tag(v)
    }

    /// Step h: the next candidate; after the first, K and V are updated as
    /// §3.2 h.3 requires before generating again.
    mutating func next() -> [UInt8] {
        if started {
            rekey(v, [0x00])
            v = tag(v)
        }
        started = true
        v = tag(v)
        return v
    }

    /// K ← HMAC_K(parts…), then keys the MAC with the new K.
    private mutating func rekey(_ parts: [UInt8]...) {
        var h = mac
        for part in parts { h.update(bytes: part) }
        mac = HMAC(key: h.finalize())
    }

    /// HMAC_K(message).
    private func tag(_ message: [UInt8]) -> [UInt8] {
        var h = mac
        h.update(bytes: message)
        return h.finalize()
    }
}
