import Ethereum

/// Why bytes are not a batch. Decoding is strict: anything but the one
/// canonical encoding of a batch is refused, so a batch has one hash.
public enum BatchDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case unsupportedVersion(UInt8)
    case truncated(offset: Int)
    case varintOverflow(offset: Int)
    /// A count exceeds its limit or what the remaining bytes could hold.
    case countTooLarge(field: String, count: UInt64, limit: Int)
    case invalidItemHeader(offset: Int, byte: UInt8)
    case indexOutOfRange(field: String, index: UInt64, count: Int)
    case valueOverflow(offset: Int)
    /// A legacy or access-list fee profile with different tip and fee cap.
    case legacyFeeMismatch(offset: Int)
    case invalidTransaction(offset: Int, TransactionDecodingError)
    case trailingBytes(count: Int)
    /// The bytes decode, but are not the canonical encoding of what they hold.
    case nonCanonical
    case empty

    public var description: String {
        switch self {
        case let .tooLarge(bytes, limit): "batch of \(bytes) bytes exceeds the limit of \(limit)"
        case let .unsupportedVersion(v): "unsupported batch version \(v)"
        case let .truncated(offset): "truncated at offset \(offset)"
        case let .varintOverflow(offset): "varint overflow at offset \(offset)"
        case let .countTooLarge(field, count, limit): "\(field) count \(count) exceeds \(limit)"
        case let .invalidItemHeader(offset, byte): "invalid item header 0x\(String(byte, radix: 16)) at offset \(offset)"
        case let .indexOutOfRange(field, index, count): "\(field) index \(index) out of range (table has \(count))"
        case let .valueOverflow(offset): "value overflows 256 bits at offset \(offset)"
        case let .legacyFeeMismatch(offset): "legacy transaction with a separate tip at offset \(offset)"
        case let .invalidTransaction(offset, e): "invalid raw transaction at offset \(offset): \(e.message)"
        case let .trailingBytes(count): "\(count) bytes after the batch"
        case .nonCanonical: "not the canonical encoding"
        case .empty: "a batch holds at least one block"
        }
    }
}
