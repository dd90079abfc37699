extension JSONReader {
    /// Validates the string starting at the opening quote at `offset`, moves past
    /// the closing quote, and returns the range between the quotes and whether it
    /// contains escapes. Checks control characters, escapes, surrogate pairs and UTF-8.
    @usableFromInline
    mutating func scanString() throws(JSONParseError) -> (content: Range<Int>, escaped: Bool) {
        let buffer = bytes
        let count = buffer.count
        let start = offset + 1
        var i = start
        var escaped = false
        while true {
            while i &+ 8 <= count {
                let special = specialBytes(buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if special != 0 {
                    i &+= special.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            guard i < count else {
                offset = i
                throw .unexpectedEnd(offset: i, expected: .closingQuote)
            }
            let b = buffer[i]
            if b == UInt8(ascii: "\"") {
                offset = i + 1
                return (start..<i, escaped)
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                offset = i
                try scanEscape()
                i = offset
            } else if b < 0x20 {
                offset = i
                throw .controlCharacterInString(b, offset: i)
            } else if b < 0x80 {
                i += 1
            } else {
                offset = i
                try scanUTF8Sequence()
                i = offset
            }
        }
    }

    /// Passes the decoded bytes of the string at `offset` to `body`.
    @inlinable
    mutating func stringContents<R>(_ body: (UnsafeRawBufferPointer) -> R) throws(JSONParseError) -> R {
        let (range, escaped) = try scanString()
        if !escaped { return body(UnsafeRawBufferPointer(rebasing: bytes[range])) }
        scratch.removeAll(keepingCapacity: true)
        unescape(range, into: &scratch)
        return scratch.withUnsafeBytes(body)
    }

    /// Validates one escape at `offset` (the backslash) and moves past it.
    private mutating func scanEscape() throws(JSONParseError) {
        let start = offset
        guard offset + 1 < bytes.count else { throw .unexpectedEnd(offset: offset + 1, expected: .closingQuote) }
        let e = bytes[offset + 1]
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 2
        case UInt8(ascii: "u"):
            offset += 2
            let unit = try hex4()
            if unit & 0xFC00 == 0xD800 {
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                      bytes[offset + 1] == UInt8(ascii: "u")
                else { throw .loneSurrogate(offset: start) }
                offset += 2
                let low = try hex4()
                guard low & 0xFC00 == 0xDC00 else { throw .loneSurrogate(offset: start) }
            } else if unit & 0xFC00 == 0xDC00 {
                throw .loneSurrogate(offset: start)
            }
        default:
            throw .invalidEscape(e, offset: offset)
        }
    }

    /// Reads four hex digits at `offset`.
    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard offset < bytes.count else { throw .unexpectedEnd(offset: offset, expected: .hexDigit) }
            guard let d = hexValue(bytes[offset]) else {
                throw .unexpectedByte(bytes[offset], offset: offset, expected: .hexDigit)
            }
            v = v << 4 | UInt32(d)
            offset += 1
        }
        return v
    }

    /// Validates one multi-byte UTF-8 sequence at `offset` (Unicode Table 3-7:
    /// no overlongs, no encoded surrogates, nothing above U+10FFFF).
    private mutating func scanUTF8Sequence() throws(JSONParseError) {
        let start = offset
        let lead = bytes[offset]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw .invalidUTF8(offset: start)
        }
        guard start + length <= bytes.count else { throw .invalidUTF8(offset: start) }
        let second = bytes[start + 1]
        guard second >= low && second <= high else { throw .invalidUTF8(offset: start) }
        var i = start + 2
        while i < start + length {
            guard bytes[i] & 0xC0 == 0x80 else { throw .invalidUTF8(offset: start) }
            i += 1
        }
        offset = start + length
    }

    /// Decodes an already validated string body with escapes into UTF-8.
    @usableFromInline
    func unescape(_ range: Range<Int>, into out: inout [UInt8]) {
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        var runStart = i
        while i < range.upperBound {
            guard bytes[i] == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: i)
                i += 4
                if scalar & 0xFC00 == 0xD800 {
                    let low = hex4(at: i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)
            }
            runStart = i
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<range.upperBound]))
    }

    private func hex4(at i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | UInt32(hexValue(bytes[i + k]) ?? 0) }
        return v
    }
}

/// The high bit of each of the 8 little-endian bytes of `w` that is a quote, a
/// backslash, below 0x20 or above 0x7F. Borrows only run upwards from a flagged
/// byte, so the lowest set bit is exact: `trailingZeroBitCount / 8` is the
/// index of the first byte the bytewise code must look at.
@inline(__always)
private func specialBytes(_ w: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = w ^ (ones &* 0x22)
    let backslash = w ^ (ones &* 0x5C)
    let control = w &- ones &* 0x20
    let zeroQuote = (quote &- ones) & ~quote
    let zeroBackslash = (backslash &- ones) & ~backslash
    return (control | w | zeroQuote | zeroBackslash) & highs
}

@inline(__always)
func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): b &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): b &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): b &- UInt8(ascii: "A") &+ 10
    default: nil
    }
}

private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        out.append(UInt8(scalar))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | scalar >> 6))
        out.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | scalar >> 12))
        out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        out.append(UInt8(0x80 | scalar & 0x3F))
    default:
        out.append(UInt8(0xF0 | scalar >> 18))
        out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
        out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        out.append(UInt8(0x80 | scalar & 0x3F))
    }
}
