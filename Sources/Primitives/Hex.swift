/// Lowercase hexadecimal encoding and strict decoding of byte strings, as
/// Ethereum's JSON-RPC writes data ("0x…").
///
/// The generic entry points copy nothing when the input is contiguous and
/// hand off to non-generic buffer functions, so callers in other modules pay
/// no generic dispatch per byte.
public enum Hex {
    /// `bytes` as lowercase hex, with a "0x" prefix unless `prefix` is false.
    @inlinable
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ encode(buffer: UnsafeRawBufferPointer($0), prefix: prefix) }) {
            return s
        }
        return Array(bytes).withUnsafeBytes { encode(buffer: $0, prefix: prefix) }
    }

    /// The bytes of `buffer` as lowercase hex, with a "0x" prefix unless `prefix` is false.
    public static func encode(buffer: UnsafeRawBufferPointer, prefix: Bool = true) -> String {
        let length = buffer.count * 2 + (prefix ? 2 : 0)
        return String(unsafeUninitializedCapacity: length) { out in
            var o = 0
            if prefix {
                out[0] = UInt8(ascii: "0")
                out[1] = UInt8(ascii: "x")
                o = 2
            }
            encode(buffer, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[o...]))
            return length
        }
    }

    /// Writes `source` as lowercase hex digits (no prefix) into `out`, which
    /// must hold `2 * source.count` bytes: for writers that build a response
    /// in place.
    public static func encode(_ source: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= source.count * 2)
        let table: StaticString = "0123456789abcdef"
        let digits = table.utf8Start
        var o = 0
        for byte in source {
            out[o] = digits[Int(byte >> 4)]
            out[o + 1] = digits[Int(byte & 0x0f)]
            o += 2
        }
    }

    /// Decodes hex with an optional "0x"/"0X" prefix; nil on odd length or a
    /// non-hex character. "0x" and "" decode to no bytes.
    @inlinable
    public static func decode(_ string: some StringProtocol) -> [UInt8]? {
        withUTF8(of: string) { decode(utf8: $0) }
    }

    /// Calls `body` with the UTF-8 bytes of `string`, copying only when the
    /// string is not stored contiguously (bridged or a non-native substring).
    @inlinable
    public static func withUTF8<R>(of string: some StringProtocol, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let r = try string.utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return r
        }
        var copy = String(string)
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    /// Decodes hex held as UTF-8 bytes (the JSON fast path), with an optional
    /// "0x"/"0X" prefix; nil on odd length or a non-hex character.
    public static func decode(utf8 input: UnsafeRawBufferPointer) -> [UInt8]? {
        let digits = stripPrefix(input)
        guard digits.count & 1 == 0 else { return nil }
        let n = digits.count >> 1
        var ok = true
        let result = [UInt8](unsafeUninitializedCapacity: n) { out, count in
            ok = decodeDigits(digits, into: UnsafeMutableRawBufferPointer(out))
            count = ok ? n : 0
        }
        return ok ? result : nil
    }

    /// Decodes hex UTF-8 (optional prefix) into `out`, which it must fill
    /// exactly; false on a wrong length or a non-hex character. Fixed-size
    /// values (hashes, addresses) parse this way with no allocation.
    public static func decode(utf8 input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        let digits = stripPrefix(input)
        guard digits.count == out.count * 2 else { return false }
        return decodeDigits(digits, into: out)
    }

    /// The value of one hex digit, or nil.
    @inlinable
    public static func nibble(_ c: UInt8) -> UInt8? {
        let d = c &- UInt8(ascii: "0")
        if d < 10 { return d }
        let l = (c | 0x20) &- UInt8(ascii: "a")
        if l < 6 { return l + 10 }
        return nil
    }

    static func stripPrefix(_ input: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if input.count >= 2 && input[0] == UInt8(ascii: "0") && (input[1] | 0x20) == UInt8(ascii: "x") {
            return UnsafeRawBufferPointer(rebasing: input[2...])
        }
        return input
    }

    private static func decodeDigits(_ digits: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        var bad: UInt8 = 0
        for i in 0..<(digits.count >> 1) {
            let hi = nibbleOrFlag(digits[2 * i])
            let lo = nibbleOrFlag(digits[2 * i + 1])
            bad |= (hi | lo) & 0x10
            out[i] = (hi << 4) | (lo & 0x0f)
        }
        return bad == 0
    }

    /// A digit's value, or a value with bit 4 set for a non-digit, so a whole
    /// string is validated with one branch at the end.
    @inline(__always)
    private static func nibbleOrFlag(_ c: UInt8) -> UInt8 {
        let d = c &- UInt8(ascii: "0")
        if d < 10 { return d }
        let l = (c | 0x20) &- UInt8(ascii: "a")
        if l < 6 { return l &+ 10 }
        return 0x10
    }
}
