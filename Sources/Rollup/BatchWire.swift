import Primitives

/// Appends the primitive fields of the batch format.
struct BatchWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    /// Unsigned LEB128.
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A 256-bit amount as mantissa × 10^exponent: wei amounts are round in
    /// decimal, so 1.5 ETH takes 2 bytes instead of 8. Form: exponent byte
    /// (0…77) then the mantissa as a varint (not divisible by 10 unless the
    /// value is zero); or 0xFF, a length byte and the minimal big-endian bytes
    /// when the mantissa does not fit 64 bits.
    mutating func amount(_ value: UInt256) {
        var m = value
        var e: UInt8 = 0
        if !m.isZero {
            while true {
                let (q, r) = m.quotientAndRemainder(dividingByWord: 10)
                if r != 0 { break }
                m = q
                e += 1
            }
        }
        if let small = m.uint64 {
            byte(e)
            varint(small)
        } else {
            let b = value.minimalBigEndianBytes
            byte(0xFF)
            byte(UInt8(b.count))
            raw(b)
        }
    }
}

/// Reads the primitive fields of the batch format, refusing anything out of
/// bounds. Never traps on hostile input.
struct BatchReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(BatchDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func raw(_ count: Int) throws(BatchDecodingError) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func hash() throws(BatchDecodingError) -> Hash32 {
        Hash32(try raw(32))!
    }

    mutating func varint() throws(BatchDecodingError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw .varintOverflow(offset: start) }
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw .varintOverflow(offset: start) }
        }
    }

    /// A count of entries at least `minimumSize` bytes each, bounded by
    /// `limit` and by what the rest of the input could hold.
    mutating func count(_ field: String, limit: Int, minimumSize: Int) throws(BatchDecodingError) -> Int {
        let n = try varint()
        let bound = Swift.min(limit, remaining / Swift.max(minimumSize, 1))
        guard n <= UInt64(bound) else { throw .countTooLarge(field: field, count: n, limit: bound) }
        return Int(n)
    }

    mutating func amount() throws(BatchDecodingError) -> UInt256 {
        let start = offset
        let e = try byte()
        if e == 0xFF {
            let n = Int(try byte())
            guard n <= 32 else { throw .valueOverflow(offset: start) }
            return UInt256(bigEndianBytes: try raw(n))!
        }
        guard e <= 77 else { throw .valueOverflow(offset: start) }
        var value = UInt256(try varint())
        for _ in 0..<e {
            let (high, low) = value.multipliedFullWidth(byWord: 10)
            guard high == 0 else { throw .valueOverflow(offset: start) }
            value = low
        }
        return value
    }
}
