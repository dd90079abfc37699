/// A JSON number kept as its exact text, so that ids and integers wider than
/// 64 bits round-trip byte for byte; conversions are on demand.
///
/// Invariant: `text` matches the RFC 8259 number grammar
/// (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as written.
    public let text: String

    init(uncheckedText text: String) {
        self.text = text
    }

    /// A number from its JSON text, or nil if the text is not a JSON number.
    public init?(text: String) {
        var text = text
        let valid = text.withUTF8 { JSONNumber.isValid(UnsafeRawBufferPointer($0)) }
        guard valid else { return nil }
        self.text = text
    }

    /// The decimal form of an integer.
    public init(_ value: Int) { text = String(value) }

    /// The decimal form of an unsigned integer.
    public init(_ value: UInt64) { text = String(value) }

    /// The shortest round-tripping form of a finite double; nil for NaN and infinities,
    /// which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if abs(value) < 1e15, value == Double(Int64(value)) {
            text = String(Int64(value))
        } else {
            text = value.description
        }
    }

    public var description: String { text }

    /// Whether the text has neither a fraction nor an exponent.
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as an `Int` when written as an integer that fits (no fraction or exponent).
    public var int: Int? {
        isInteger ? Int(text, radix: 10) : nil
    }

    /// The value as a `UInt64` when written as a non-negative integer that fits.
    public var uint64: UInt64? {
        guard isInteger, text.utf8.first != UInt8(ascii: "-") else { return nil }
        return UInt64(text, radix: 10)
    }

    /// The value as a `Double`, rounded to nearest; nil when it overflows to infinity.
    public var double: Double? {
        guard let d = Double(text), d.isFinite else { return nil }
        return d
    }

    /// Whether `bytes` is exactly one JSON number.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var reader = JSONReader(bytes)
        guard (try? reader.scanNumber()) != nil else { return false }
        return reader.offset == bytes.count
    }
}
