import Primitives

/// Keccak-256 as Ethereum uses it (the original Keccak padding 0x01…0x80,
/// not SHA3-256's 0x06), streaming in swift-crypto's shape:
///
/// ```swift
/// var h = Keccak256()
/// h.update(bytes: header)
/// h.update(buffer: body)
/// let digest: Hash32 = h.finalize()
/// let same = Keccak256.hash(header + body)
/// ```
///
/// A value with no heap storage (200 bytes of state): copying it forks the
/// hash. Full 136-byte blocks are absorbed straight from the caller's memory;
/// a partial block is XORed into the state as it arrives, so there is no
/// separate buffer.
public struct Keccak256: Sendable {
    /// The rate in bytes: 1600 bits minus twice the 256-bit capacity.
    public static let blockSize = 136

    /// The digest size in bytes.
    public static let digestSize = 32

    private var lanes: KeccakState.Lanes = KeccakState.zero
    /// Bytes already XORed into the current block (always < `blockSize`).
    private var pending = 0

    /// A hash of the empty message, ready to absorb input.
    public init() {}

    /// Absorbs `bytes`; any sequence of calls equals one call on the concatenation.
    @inlinable
    public mutating func update(bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(bytes).withUnsafeBytes { update(buffer: $0) }
        }
    }

    /// Absorbs raw memory; the fast path behind `update(bytes:)`.
    public mutating func update(buffer: UnsafeRawBufferPointer) {
        guard var p = buffer.baseAddress, buffer.count > 0 else { return }
        var n = buffer.count
        if pending > 0 {
            let take = min(Self.blockSize - pending, n)
            KeccakState.xor(&lanes, UnsafeRawBufferPointer(start: p, count: take), at: pending)
            pending += take
            p += take
            n -= take
            guard pending == Self.blockSize else { return }
            KeccakState.permute(&lanes)
            pending = 0
        }
        let blocks = n / Self.blockSize
        if blocks > 0 {
            KeccakState.absorb(&lanes, p, blockCount: blocks)
            p += blocks * Self.blockSize
            n -= blocks * Self.blockSize
        }
        if n > 0 {
            KeccakState.xor(&lanes, UnsafeRawBufferPointer(start: p, count: n), at: 0)
            pending = n
        }
    }

    /// The digest of everything absorbed so far. The value is left unchanged,
    /// so it may keep absorbing afterwards.
    public func finalize() -> Hash32 {
        var final = lanes
        let padding: (UInt8, UInt8) = (0x01, 0x80)
        withUnsafeBytes(of: padding) { pad in
            KeccakState.xor(&final, UnsafeRawBufferPointer(rebasing: pad[0..<1]), at: pending)
            KeccakState.xor(&final, UnsafeRawBufferPointer(rebasing: pad[1..<2]), at: Self.blockSize - 1)
        }
        KeccakState.permute(&final)
        return Hash32(littleEndianWords: final.0, final.1, final.2, final.3)
    }

    /// The digest of `bytes` in one call.
    @inlinable
    public static func hash(_ bytes: some Collection<UInt8>) -> Hash32 {
        if let h = bytes.withContiguousStorageIfAvailable({ hash(buffer: UnsafeRawBufferPointer($0)) }) {
            return h
        }
        return Array(bytes).withUnsafeBytes { hash(buffer: $0) }
    }

    /// The digest of raw memory in one call: full blocks are absorbed in
    /// place, and only the tail is copied into one padded block on the stack.
    public static func hash(buffer: UnsafeRawBufferPointer) -> Hash32 {
        var lanes = KeccakState.zero
        let blocks = buffer.count / blockSize
        let tail = buffer.count - blocks * blockSize
        if blocks > 0, let base = buffer.baseAddress {
            KeccakState.absorb(&lanes, base, blockCount: blocks)
        }
        var last: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &last) { block in
            if tail > 0 {
                block.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - tail)...]))
            }
            block[tail] ^= 0x01
            block[blockSize - 1] ^= 0x80
            KeccakState.absorb(&lanes, UnsafeRawPointer(block.baseAddress!), blockCount: 1)
        }
        return Hash32(littleEndianWords: lanes.0, lanes.1, lanes.2, lanes.3)
    }
}
