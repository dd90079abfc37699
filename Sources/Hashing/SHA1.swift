/// SHA-1 (FIPS 180-4), streaming.
///
/// Broken for collision resistance and used here only where a protocol
/// demands it: the WebSocket opening handshake (RFC 6455 §4.2.2) derives
/// `Sec-WebSocket-Accept` from it. A value type with no heap storage, like
/// ``SHA256``.
public struct SHA1: HashFunction {
    public static let blockSize = 64
    public static let digestSize = 20

    struct State: Sendable {
        var h0: UInt32 = 0x6745_2301, h1: UInt32 = 0xefcd_ab89, h2: UInt32 = 0x98ba_dcfe
        var h3: UInt32 = 0x1032_5476, h4: UInt32 = 0xc3d2_e1f0
    }

    typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private var state = State()
    /// Bytes not yet compressed; only the first `pending` are meaningful.
    private var block: Block = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pending = 0
    /// Total bytes absorbed, for the length suffix of the padding.
    private var length: UInt64 = 0

    public init() {}

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
        var out = [UInt8](repeating: 0, count: 20)
        out.withUnsafeMutableBytes { o in
            o.storeBytes(of: s.h0.bigEndian, toByteOffset: 0, as: UInt32.self)
            o.storeBytes(of: s.h1.bigEndian, toByteOffset: 4, as: UInt32.self)
            o.storeBytes(of: s.h2.bigEndian, toByteOffset: 8, as: UInt32.self)
            o.storeBytes(of: s.h3.bigEndian, toByteOffset: 12, as: UInt32.self)
            o.storeBytes(of: s.h4.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return out
    }
}

extension SHA1.State {
    /// Absorbs the 64-byte block at `block` (FIPS 180-4 §6.1.2), keeping the
    /// message schedule in a 16-word ring instead of 80 words.
    mutating func compress(_ block: UnsafeRawPointer) {
        var w: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var a = h0, b = h1, c = h2, d = h3, e = h4
        withUnsafeMutableBytes(of: &w) { raw in
            let ring = raw.bindMemory(to: UInt32.self)
            for t in 0..<16 {
                ring[t] = block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self).bigEndian
            }
            for t in 0..<80 {
                let word: UInt32
                if t < 16 {
                    word = ring[t]
                } else {
                    let mixed = ring[(t - 3) & 15] ^ ring[(t - 8) & 15] ^ ring[(t - 14) & 15] ^ ring[t & 15]
                    word = mixed.rotatedLeft(1)
                    ring[t & 15] = word
                }
                let f: UInt32, k: UInt32
                switch t {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5a82_7999
                case 20..<40: f = b ^ c ^ d; k = 0x6ed9_eba1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8f1b_bcdc
                default: f = b ^ c ^ d; k = 0xca62_c1d6
                }
                let temp = a.rotatedLeft(5) &+ f &+ e &+ k &+ word
                e = d
                d = c
                c = b.rotatedLeft(30)
                b = a
                a = temp
            }
        }
        h0 &+= a
        h1 &+= b
        h2 &+= c
        h3 &+= d
        h4 &+= e
    }
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedLeft(_ n: UInt32) -> UInt32 {
        (self << n) | (self >> (32 - n))
    }
}
