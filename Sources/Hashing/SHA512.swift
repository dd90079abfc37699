/// SHA-512 (FIPS 180-4), streaming: what BIP-32 and BIP-39 (through HMAC and
/// PBKDF2) build dev-account keys from.
///
/// ```swift
/// var h = SHA512()
/// h.update(bytes: header)
/// h.update(bytes: body)
/// let digest = h.finalize()       // 64 bytes
/// let same = SHA512.hash(header + body)
/// ```
///
/// A value type with no heap storage: copying it forks the hash, which HMAC
/// and PBKDF2 use to reuse a key's padded state.
public struct SHA512: HashFunction {
    public static let blockSize = 128
    public static let digestSize = 64

    /// The eight-word chaining value; `compress` and the initial value live in
    /// `SHA512+Rounds.swift`.
    struct State: Sendable {
        var h0: UInt64, h1: UInt64, h2: UInt64, h3: UInt64
        var h4: UInt64, h5: UInt64, h6: UInt64, h7: UInt64
    }

    typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                       UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private(set) var state = State.initial
    /// Bytes not yet compressed; only the first `pending` are meaningful.
    private var block: Block = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var pending = 0
    /// Total bytes absorbed; the padding's 128-bit bit count is derived from it.
    private(set) var length: UInt64 = 0

    public init() {}

    /// Absorbs `bytes`. Inlinable so that callers in other modules get it
    /// specialized for their collection type instead of a generic path.
    @inlinable
    public mutating func update(bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(buffer: UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { update(buffer: $0) }
        }
    }

    /// Absorbs raw memory; the fast path behind `update(bytes:)`.
    public mutating func update(buffer: UnsafeRawBufferPointer) {
        guard var p = buffer.baseAddress, buffer.count > 0 else { return }
        var n = buffer.count
        length &+= UInt64(n)
        if pending > 0 {
            let take = min(128 - pending, n)
            withUnsafeMutableBytes(of: &block) { b in
                b.baseAddress!.advanced(by: pending).copyMemory(from: p, byteCount: take)
            }
            pending += take
            p += take
            n -= take
            guard pending == 128 else { return }
            withUnsafeBytes(of: block) { state.compress($0.baseAddress!) }
            pending = 0
        }
        while n >= 128 {
            state.compress(p)
            p += 128
            n -= 128
        }
        if n > 0 {
            withUnsafeMutableBytes(of: &block) { b in b.baseAddress!.copyMemory(from: p, byteCount: n) }
            pending = n
        }
    }

    public func finalize() -> [UInt8] {
        finalState().bytes
    }

    /// The chaining value after padding, i.e. the digest as eight big-endian
    /// words; lets PBKDF2 stay in words between iterations.
    func finalState() -> State {
        var s = state
        var last = block
        let bitsHigh = length >> 61
        let bitsLow = length << 3
        withUnsafeMutableBytes(of: &last) { b in
            b[pending] = 0x80
            for i in (pending + 1)..<128 { b[i] = 0 }
            if pending >= 112 {
                s.compress(b.baseAddress!)
                for i in 0..<112 { b[i] = 0 }
            }
            b.storeBytes(of: bitsHigh.bigEndian, toByteOffset: 112, as: UInt64.self)
            b.storeBytes(of: bitsLow.bigEndian, toByteOffset: 120, as: UInt64.self)
            s.compress(b.baseAddress!)
        }
        return s
    }
}

extension SHA512.State {
    /// The 64-byte digest this chaining value spells, big-endian word by word.
    var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 64) { out, count in
            let o = UnsafeMutableRawBufferPointer(out)
            o.storeBytes(of: h0.bigEndian, toByteOffset: 0, as: UInt64.self)
            o.storeBytes(of: h1.bigEndian, toByteOffset: 8, as: UInt64.self)
            o.storeBytes(of: h2.bigEndian, toByteOffset: 16, as: UInt64.self)
            o.storeBytes(of: h3.bigEndian, toByteOffset: 24, as: UInt64.self)
            o.storeBytes(of: h4.bigEndian, toByteOffset: 32, as: UInt64.self)
            o.storeBytes(of: h5.bigEndian, toByteOffset: 40, as: UInt64.self)
            o.storeBytes(of: h6.bigEndian, toByteOffset: 48, as: UInt64.self)
            o.storeBytes(of: h7.bigEndian, toByteOffset: 56, as: UInt64.self)
            count = 64
        }
    }

    /// The digest of a message whose first 128 bytes gave this chaining value
    /// and whose remaining 64 bytes are `m`'s eight words: one compression of
    /// `m` with its padding. HMAC-SHA-512 of a 64-byte message is two of these
    /// (inner, then outer), which is all a PBKDF2 iteration costs.
    @inline(__always)
    func digestAfterOneBlock(of m: SHA512.State) -> SHA512.State {
        var s = self
        s.compress(m.h0, m.h1, m.h2, m.h3, m.h4, m.h5, m.h6, m.h7,
                   0x8000_0000_0000_0000, 0, 0, 0, 0, 0, 0, (128 + 64) * 8)
        return s
    }

    @inline(__always)
    static func ^= (a: inout SHA512.State, b: SHA512.State) {
        a.h0 ^= b.h0; a.h1 ^= b.h1; a.h2 ^= b.h2; a.h3 ^= b.h3
        a.h4 ^= b.h4; a.h5 ^= b.h5; a.h6 ^= b.h6; a.h7 ^= b.h7
    }
}
