/// Builds compact JSON text into a byte buffer, inserting commas itself.
///
/// Write a container with `beginObject`/`writeKey`/…/`endObject` (or the
/// `writeObject { }` form); every `write…` call is one value. The writer does
/// not check the shape (a key outside an object is the caller's bug); `raw`
/// fragments are trusted to be valid JSON. A value owned by one thread at a time.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public var bytes: [UInt8]
    private var needsComma = false

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// A writer that appends to `bytes`, e.g. after a prefix written by hand.
    public init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Structure

    /// Opens an object.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name and the colon; the next write is its value.
    public mutating func writeKey(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes an object whose members `body` writes.
    public mutating func writeObject(_ body: (inout JSONWriter) -> Void) {
        beginObject()
        body(&self)
        endObject()
    }

    /// Writes an array whose elements `body` writes.
    public mutating func writeArray(_ body: (inout JSONWriter) -> Void) {
        beginArray()
        body(&self)
        endArray()
    }

    /// Writes one member, `"key":value`.
    public mutating func writeMember(_ key: String, _ value: JSONValue) {
        writeKey(key)
        writeValue(value)
    }

    // MARK: Scalars

    /// Writes `null`.
    public mutating func writeNull() {
        separate()
        appendRaw("null")
    }

    /// Writes `true` or `false`.
    public mutating func writeBool(_ value: Bool) {
        separate()
        appendRaw(value ? "true" : "false")
    }

    /// Writes a decimal integer.
    public mutating func writeInt(_ value: Int) {
        separate()
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(value.magnitude))
        } else {
            appendDecimal(UInt64(value))
        }
    }

    /// Writes a decimal unsigned integer.
    public mutating func writeUInt64(_ value: UInt64) {
        separate()
        appendDecimal(value)
    }

    /// Writes a number exactly as its text.
    public mutating func writeNumber(_ number: JSONNumber) {
        separate()
        appendUTF8(number.text)
    }

    /// Writes a string with `"`, `\` and control characters escaped; other
    /// characters, including non-ASCII, are written as UTF-8.
    public mutating func writeString(_ string: String) {
        separate()
        var string = string
        string.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0)) }
    }

    /// Writes a string given as UTF-8 bytes (trusted to be valid UTF-8), escaped.
    public mutating func writeString(utf8: UnsafeRawBufferPointer) {
        separate()
        appendEscaped(utf8)
    }

    /// Writes an already-serialized JSON value verbatim.
    public mutating func writeRaw(_ fragment: [UInt8]) {
        separate()
        bytes.append(contentsOf: fragment)
    }

    /// Writes an already-serialized JSON value verbatim.
    public mutating func writeRaw(_ fragment: UnsafeRawBufferPointer) {
        separate()
        bytes.append(contentsOf: fragment)
    }

    /// Writes any value.
    public mutating func writeValue(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .number(let n): writeNumber(n)
        case .string(let s): writeString(s)
        case .array(let elements):
            beginArray()
            for e in elements { writeValue(e) }
            endArray()
        case .object(let members):
            beginObject()
            for m in members {
                writeKey(m.key)
                writeValue(m.value)
            }
            endObject()
        }
    }

    // MARK: Verbatim appends (no separators)

    /// Appends ASCII text verbatim, without a comma; for hand-written envelopes.
    public mutating func appendRaw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 of `text` verbatim, without a comma or escaping.
    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Marks that a value was just written by hand with the `append…` methods,
    /// so the next value is preceded by a comma.
    public mutating func markValueWritten() {
        needsComma = true
    }

    // MARK: Internals

    @inline(__always)
    mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    private mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var v = value
            var i = 20
            while v != 0 {
                i -= 1
                digits[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    private mutating func appendEscaped(_ s: UnsafeRawBufferPointer) {
        bytes.reserveCapacity(bytes.count + s.count + 2)
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        let n = s.count
        while i < n {
            while i &+ 8 <= n {
                let special = bytesToEscape(s.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if special != 0 {
                    i &+= special.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            guard i < n else { break }
            let b = s[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[runStart..<i]))
            appendEscape(b)
            i += 1
            runStart = i
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: s[runStart..<n]))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ b: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            appendRaw("u00")
            bytes.append(lowerHexDigit(b >> 4))
            bytes.append(lowerHexDigit(b & 0xF))
        }
    }
}

/// The high bit of each byte of `w` that is a quote, a backslash or below 0x20;
/// the lowest set bit is exact (borrows only run upwards from a flagged byte).
@inline(__always)
private func bytesToEscape(_ w: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = w ^ (ones &* 0x22)
    let backslash = w ^ (ones &* 0x5C)
    let control = (w &- ones &* 0x20) & ~w
    let zeroQuote = (quote &- ones) & ~quote
    let zeroBackslash = (backslash &- ones) & ~backslash
    return (control | zeroQuote | zeroBackslash) & highs
}

@inline(__always)
func lowerHexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &- 10 &+ nibble
}
