/// The 1600-bit Keccak state as 25 lanes, lane `x + 5y` at tuple position
/// `x + 5y`, each lane a little-endian word of the byte-oriented state.
/// A tuple keeps it inline in `Keccak256` with no heap and no availability
/// requirement (unlike `InlineArray`).
@usableFromInline
enum KeccakState {
    @usableFromInline
    typealias Lanes = (
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64
    )

    @usableFromInline
    static let zero: Lanes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// XORs `bytes` into the state starting at byte `offset` of the rate;
    /// `offset + bytes.count` must not exceed the rate.
    static func xor(_ lanes: inout Lanes, _ bytes: UnsafeRawBufferPointer, at offset: Int) {
        withUnsafeMutableBytes(of: &lanes) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            let n = bytes.count
            var position = offset
            var i = 0
            while i < n && position & 7 != 0 {
                words[position >> 3] ^= UInt64(bytes[i]) << UInt64((position & 7) << 3)
                position += 1
                i += 1
            }
            while n - i >= 8 {
                words[position >> 3] ^= UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                position += 8
                i += 8
            }
            while i < n {
                words[position >> 3] ^= UInt64(bytes[i]) << UInt64((position & 7) << 3)
                position += 1
                i += 1
            }
        }
    }

    /// Applies keccak-f[1600] alone, for the final padded block of a stream.
    static func permute(_ lanes: inout Lanes) {
        let zeros: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeBytes(of: zeros) { absorb(&lanes, $0.baseAddress!, blockCount: 1) }
    }
}

@inline(__always)
func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
    x &<< n | x &>> (64 &- n)
}
