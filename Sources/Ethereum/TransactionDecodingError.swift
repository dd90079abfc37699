import Primitives
import RLP
import Secp256k1

/// Why raw transaction bytes were rejected: one case per way an encoding
/// can be malformed, with the data to say where. Decoding is strict, as
/// consensus requires (a transaction's hash is the hash of its bytes, so
/// a second encoding of the same fields would be a second transaction).
///
/// Field names are those of Ethereum's JSON-RPC transaction object
/// ("nonce", "gasPrice", "maxFeePerGas", "to", "accessList", "r", …).
/// `message` is the text a JSON-RPC error carries.
public enum TransactionDecodingError: Error, Equatable, Sendable {
    /// No bytes at all.
    case emptyInput
    /// An EIP-2718 type byte other than 1 or 2 (blob and set-code
    /// transactions, types 3 and 4, included).
    case unsupportedType(UInt8)
    /// The RLP structure itself is malformed (offsets are from the first byte of the input).
    case rlp(RLPError)
    /// The transaction list has the wrong number of fields.
    case wrongFieldCount(expected: Int, got: Int)
    /// A field that must be a byte string is a list.
    case unexpectedList(field: String)
    /// An integer field has leading zero bytes (zero must be the empty string).
    case fieldNotCanonical(field: String)
    /// An integer field is too long for its type (32 bytes; 8 for the chain id).
    case integerTooLarge(field: String)
    /// An address is neither 20 bytes nor (for `to`) empty.
    case addressWrongLength(field: String, length: Int)
    /// An access-list storage key is not 32 bytes (the length given).
    case storageKeyWrongLength(Int)
    /// An access-list entry is not a list of an address and a list of keys (its index).
    case malformedAccessListEntry(index: Int)
    /// The nonce is 2^64 − 1 or more (EIP-2681).
    case nonceOverflow
    /// The gas limit does not fit in 64 bits.
    case gasLimitOverflow
    /// A legacy v that is neither 27/28 nor chainId·2 + 35/36 for a 64-bit chain id.
    case invalidV(UInt256)
    /// A typed transaction's y parity is neither 0 nor 1.
    case invalidYParity(UInt256)
    /// r or s is out of range, or no public key recovers from the signature.
    case signatureInvalid(Secp256k1Error)
    /// s > n/2 (EIP-2 makes the lower half the only valid form).
    case highS
    /// maxPriorityFeePerGas > maxFeePerGas.
    case priorityFeeAboveMaxFee
    /// gasLimit × maxFeePerGas exceeds 2^256 − 1.
    case gasCostOverflow
    /// Bytes follow the transaction.
    case trailingBytes

    /// The error text, in the style of Ethereum clients (geth's wording
    /// where it has one), for JSON-RPC errors and logs.
    public var message: String {
        switch self {
        case .emptyInput:
            return "typed transaction too short"
        case .unsupportedType:
            return "transaction type not supported"
        case .rlp(let e):
            return e.description
        case .wrongFieldCount(let expected, let got) where got < expected:
            return "rlp: too few elements for transaction (expected \(expected), got \(got))"
        case .wrongFieldCount(let expected, let got):
            return "rlp: input list has too many elements for transaction (expected \(expected), got \(got))"
        case .unexpectedList(let field):
            return "rlp: expected input string or byte for \(field)"
        case .fieldNotCanonical(let field):
            return "rlp: non-canonical integer (leading zero bytes) for \(field)"
        case .integerTooLarge(let field):
            return "rlp: input string too long for \(field)"
        case .addressWrongLength(let field, let length):
            return "rlp: input string too \(length > 20 ? "long" : "short") for common.Address (\(field), \(length) bytes)"
        case .storageKeyWrongLength(let length):
            return "rlp: input string too \(length > 32 ? "long" : "short") for common.Hash (storage key, \(length) bytes)"
        case .malformedAccessListEntry(let index):
            return "rlp: malformed access list entry \(index)"
        case .nonceOverflow:
            return "nonce has max value"
        case .gasLimitOverflow:
            return "rlp: input string too long for uint64 (gas)"
        case .invalidV, .invalidYParity:
            return "invalid transaction v, r, s values"
        case .signatureInvalid(.rOutOfRange), .signatureInvalid(.sOutOfRange):
            return "invalid transaction v, r, s values"
        case .signatureInvalid:
            return "invalid sender"
        case .highS:
            return "invalid transaction v, r, s values (s above secp256k1n/2, EIP-2)"
        case .priorityFeeAboveMaxFee:
            return "max priority fee per gas higher than max fee per gas"
        case .gasCostOverflow:
            return "gas limit × max fee per gas exceeds 2^256-1"
        case .trailingBytes:
            return "rlp: input contains more than one value"
        }
    }
}

extension TransactionDecodingError: CustomStringConvertible {
    public var description: String { message }
}

extension RLPError {
    /// The same error with its offset moved by `delta`: a typed transaction's
    /// RLP is read after the type byte, but errors report input offsets.
    func shifted(by delta: Int) -> RLPError {
        guard delta != 0 else { return self }
        switch self {
        case .truncated(let o): return .truncated(offset: o + delta)
        case .lengthBeyondInput(let o, let d, let a): return .lengthBeyondInput(offset: o + delta, declared: d, available: a)
        case .nonCanonicalLength(let o, let l): return .nonCanonicalLength(offset: o + delta, length: l)
        case .leadingZeroInLength(let o): return .leadingZeroInLength(offset: o + delta)
        case .nonCanonicalSingleByte(let o): return .nonCanonicalSingleByte(offset: o + delta)
        case .trailingBytes(let o): return .trailingBytes(offset: o + delta)
        case .expectedList(let o): return .expectedList(offset: o + delta)
        case .expectedBytes(let o): return .expectedBytes(offset: o + delta)
        case .integerLeadingZero(let o): return .integerLeadingZero(offset: o + delta)
        case .integerTooLarge(let o, let c, let m): return .integerTooLarge(offset: o + delta, byteCount: c, maxBytes: m)
        case .nestingTooDeep(let o, let l): return .nestingTooDeep(offset: o + delta, limit: l)
        case .wrongByteCount(let o, let c, let e): return .wrongByteCount(offset: o + delta, byteCount: c, expected: e)
        }
    }
}
