/// SHA-256 (FIPS 180-4), streaming.
///
/// ```swift
/// var h = SHA256()
/// h.update(bytes: header)
/// h.update(bytes: body)
/// let digest = h.finalize()       // 32 bytes
/// let same = SHA256.hash(header + body)
/// ```
///
/// A value type with no heap storage: copying it forks the hash, which HMAC
/// and RFC 6979 use to reuse a key's padded state.
public struct SHA256: HashFunction {
    public static let blockSize = 64
    public static let digestSize = 32

    /// The eight-word chaining value; `compress` lives in `SHA256+Rounds.swift`.
    struct State: Sendable {
        var h0: UInt32 = 0x6a09_e667, h1: UInt32 = 0xbb67_ae85, h2: UInt32 = 0x3c6e_f372, h3: UInt32 = 0xa54f_f53a
        var h4: UInt32 = 0x510e_527f, h5: UInt32 = 0x9b05_688c, h6: UInt32 = 0x1f83_d9ab, h7: UInt32 = 0x5be0_cd19
    }

    typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private(set) var state = State()
    /// Bytes not yet compressed; only the first `pending` are meaningful.
    private var block: Block = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pending = 0
    /// Total bytes absorbed, for the length suffix of the padding.
    private var length: UInt64 = 0

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
            let take = min(64 - pending, n)
            withUnsafeMutableBytes(of: &block) { b in
                b.baseAddress!.advanced(by: pending).copyMemory(from: p, byteCount: take)
            }
            pending += take
            p += take
            n -= take
            guard pending == 64 else { return }
            withUnsafeBytes(of: block) { state.compress($0.baseAddress!) }
            pending = 0
        }
        while n >= 64 {
            state.compress(p)
            p += 64
            n -= 64
        }
        if n > 0 {
            withUnsafeMutableBytes(of: &block) { b in b.baseAddress!.copyMemory(from: p, byteCount: n) }
            pending = n
        }
    }

    public func finalize() -> [UInt8] {
        let s = finalState()
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { o in
            o.storeBytes(of: s.h0.bigEndian, toByteOffset: 0, as: UInt32.self)
            o.storeBytes(of: s.h1.bigEndian, toByteOffset: 4, as: UInt32.self)
            o.storeBytes(of: s.h2.bigEndian, toByteOffset: 8, as: UInt32.self)
            o.storeBytes(of: s.h3.bigEndian, toByteOffset: 12, as: UInt32.self)
            o.storeBytes(of: s.h4.bigEndian, toByteOffset: 16, as: UInt32.self)
            o.storeBytes(of: s.h5.bigEndian, toByteOffset: 20, as: UInt32.self)
            o.storeBytes(of: s.h6.bigEndian, toByteOffset: 24, as: UInt32.self)
            o.storeBytes(of: s.h7.bigEndian, toByteOffset: 28, as: UInt32.self)
        }
        return out
    }

    /// The chaining value after padding, i.e. the digest as eight big-endian
    /// words; lets HMAC and RFC 6979 avoid allocating intermediate digests.
    func finalState() -> State {
        var s = state
        var last = block
        let bitLength = length &* 8
        withUnsafeMutableBytes(of: &last) { b in
            b[pending] = 0x80
            for i in (pending + 1)..<64 { b[i] = 0 }
            if pending >= 56 {
                s.compress(b.baseAddress!)
                for i in 0..<56 { b[i] = 0 }
            }
            b.storeBytes(of: bitLength.bigEndian, toByteOffset: 56, as: UInt64.self)
            s.compress(b.baseAddress!)
        }
        return s
    }
}
