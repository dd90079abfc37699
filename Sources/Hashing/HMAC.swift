/// HMAC (RFC 2104) over any `HashFunction`, streaming.
///
/// ```swift
/// let tag = HMAC<SHA256>.authenticate(key: key, message: message)
/// var mac = HMAC<SHA256>(key: key)
/// mac.update(bytes: part1); mac.update(bytes: part2)
/// let same = mac.finalize()
/// ```
///
/// The key's inner and outer padded blocks are absorbed once at `init`, so a
/// copy of a fresh `HMAC` value authenticates further messages under the same
/// key at the cost of the message alone.
///
/// The methods are `@inlinable` so callers in other modules get them
/// specialized for their `H`: unspecialized, every byte went through
/// witness tables, which dominated RFC 6979 nonce generation in profiles.
public struct HMAC<H: HashFunction>: Sendable {
    @usableFromInline var inner: H
    @usableFromInline let outer: H

    /// Prepares to authenticate under `key`; keys longer than a block are
    /// hashed first, as RFC 2104 requires.
    @inlinable
    public init(key: some Collection<UInt8>) {
        var padded = key.count > H.blockSize ? H.hash(key) : Array(key)
        padded.append(contentsOf: repeatElement(0, count: H.blockSize - padded.count))
        var inner = H()
        inner.update(bytes: padded.map { $0 ^ 0x36 })
        var outer = H()
        outer.update(bytes: padded.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// Absorbs more of the message.
    @inlinable
    public mutating func update(bytes: some Collection<UInt8>) {
        inner.update(bytes: bytes)
    }

    /// The tag of everything absorbed so far (`H.digestSize` bytes); the value
    /// is left unchanged.
    @inlinable
    public func finalize() -> [UInt8] {
        var outer = self.outer
        outer.update(bytes: inner.finalize())
        return outer.finalize()
    }

    /// The tag of `message` under `key` in one call.
    @inlinable
    public static func authenticate(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var mac = HMAC(key: key)
        mac.update(bytes: message)
        return mac.finalize()
    }
}
