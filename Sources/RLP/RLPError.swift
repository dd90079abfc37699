/// Why an RLP input was rejected. Every case names the byte offset (from the
/// start of the decoded buffer) of the item header at fault, so a caller can
/// report exactly where a transaction is malformed.
///
/// Decoding is strict: only the one canonical encoding of a value is
/// accepted, as Ethereum consensus requires (a transaction hash is the hash
/// of its bytes, so two encodings of the same value would be two
/// transactions).
public enum RLPError: Error, Hashable, Sendable {
    /// The input ended where an item header (or its length bytes) should be.
    case truncated(offset: Int)
    /// The header declares a payload longer than the bytes left in the input
    /// or in the enclosing list.
    case lengthBeyondInput(offset: Int, declared: UInt64, available: Int)
    /// A long-form header (0xb8…/0xf8…) holds a length below 56, which has a
    /// short form.
    case nonCanonicalLength(offset: Int, length: Int)
    /// The length bytes of a long-form header start with zero.
    case leadingZeroInLength(offset: Int)
    /// A single byte below 0x80 was wrapped as a one-byte string (0x81 xx);
    /// it must encode as itself.
    case nonCanonicalSingleByte(offset: Int)
    /// Bytes follow the complete top-level item (or the last item of a list
    /// the caller expected to consume completely).
    case trailingBytes(offset: Int)
    /// A byte string was found where a list was expected.
    case expectedList(offset: Int)
    /// A list was found where a byte string was expected.
    case expectedBytes(offset: Int)
    /// An integer's bytes start with zero (zero itself must be the empty string).
    case integerLeadingZero(offset: Int)
    /// An integer has more bytes than the target type holds.
    case integerTooLarge(offset: Int, byteCount: Int, maxBytes: Int)
    /// Lists are nested deeper than the decoder's limit, which bounds the
    /// recursion (and stack) an attacker's input can cause.
    case nestingTooDeep(offset: Int, limit: Int)
    /// A fixed-size field (an address, a hash) has the wrong length.
    case wrongByteCount(offset: Int, byteCount: Int, expected: Int)
}

extension RLPError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let o):
            return "rlp: input truncated at offset \(o)"
        case .lengthBeyondInput(let o, let declared, let available):
            return "rlp: item at offset \(o) declares \(declared) bytes but only \(available) remain"
        case .nonCanonicalLength(let o, let length):
            return "rlp: non-canonical size information at offset \(o) (long form for length \(length))"
        case .leadingZeroInLength(let o):
            return "rlp: non-canonical size information at offset \(o) (leading zero in length)"
        case .nonCanonicalSingleByte(let o):
            return "rlp: non-canonical single byte at offset \(o) (byte below 0x80 must encode as itself)"
        case .trailingBytes(let o):
            return "rlp: unexpected trailing bytes at offset \(o)"
        case .expectedList(let o):
            return "rlp: expected list at offset \(o)"
        case .expectedBytes(let o):
            return "rlp: expected string at offset \(o)"
        case .integerLeadingZero(let o):
            return "rlp: non-canonical integer at offset \(o) (leading zero bytes)"
        case .integerTooLarge(let o, let count, let max):
            return "rlp: integer at offset \(o) has \(count) bytes, more than \(max)"
        case .nestingTooDeep(let o, let limit):
            return "rlp: lists nested deeper than \(limit) at offset \(o)"
        case .wrongByteCount(let o, let count, let expected):
            return "rlp: field at offset \(o) has \(count) bytes, expected \(expected)"
        }
    }
}
