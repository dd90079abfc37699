import Primitives

/// A decoded RLP value as a tree: a byte string or a list of items.
///
/// The convenient form for tests, tools and small messages; hot paths read
/// fields straight from the input with `RLPReader` instead, which copies
/// nothing.
public enum RLPItem: Hashable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])

    /// The UTF-8 bytes of `string`.
    public static func string(_ string: String) -> RLPItem { .bytes(Array(string.utf8)) }

    /// An unsigned integer as RLP writes it: minimal big-endian, zero as the empty string.
    public static func uint(_ value: UInt64) -> RLPItem { .bytes(UInt256(value).minimalBigEndianBytes) }

    /// A 256-bit unsigned integer as minimal big-endian bytes.
    public static func uint256(_ value: UInt256) -> RLPItem { .bytes(value.minimalBigEndianBytes) }

    /// The byte string, or nil for a list.
    public var bytes: [UInt8]? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    /// The list's items, or nil for a byte string.
    public var list: [RLPItem]? {
        if case .list(let items) = self { return items }
        return nil
    }
}
