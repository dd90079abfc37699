/// Why `eth_signTypedData_v4` input could not be hashed. `path` names the
/// offending value from the top of the document, e.g. `message.to.wallet`
/// or `types.Mail[1]`, so a dapp developer can find it.
public enum TypedDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not JSON (the parser's message).
    case invalidJSON(String)
    /// A value that must be a JSON object (the document, `types`, a struct value) is not.
    case notAnObject(path: String, got: String)
    /// A required member (`types`, `domain`, `message`) is absent.
    case missingMember(String)
    /// A type definition that is not an array of `{"name", "type"}` objects with
    /// non-empty strings, or that declares a field name twice.
    case invalidTypeDefinition(path: String, reason: String)
    /// A field's type is neither a Solidity atomic type nor a struct in `types`.
    case undefinedType(String, path: String)
    /// `primaryType` names no struct in `types`, or is not a string.
    case unknownPrimaryType(String)
    /// No `primaryType` was given and `types` has no single root to infer it from (the candidates).
    case ambiguousPrimaryType([String])
    /// A domain member outside name, version, chainId, verifyingContract and salt,
    /// when `types` does not declare `EIP712Domain`.
    case unknownDomainField(String)
    /// A field the type declares has no value, or null.
    case missingValue(path: String, type: String)
    /// A value of the wrong JSON kind for its type (`expected` says what is accepted).
    case wrongKind(path: String, type: String, expected: String, got: String)
    /// An integer that is not a JSON integer, a decimal string or a 0x hex string.
    case invalidNumber(path: String, type: String, value: String)
    /// An integer outside its type's range (negative for uintN, ≥ 2^N, …).
    case numberOutOfRange(path: String, type: String, value: String)
    /// A bytes or address value that is not "0x" and an even number of hex digits
    /// (or, for an address, not 20 bytes with a valid EIP-55 checksum when mixed case).
    case invalidHex(path: String, type: String, value: String)
    /// A bytesN value longer than N bytes (the length given).
    case bytesTooLong(path: String, type: String, length: Int)
    /// A fixed-size array value with the wrong number of elements.
    case arrayLength(path: String, type: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .invalidJSON(m): "typed data is not valid JSON: \(m)"
        case let .notAnObject(p, got): "\(p) must be a JSON object, not \(got)"
        case let .missingMember(m): "typed data has no '\(m)' member"
        case let .invalidTypeDefinition(p, reason): "invalid type definition \(p): \(reason)"
        case let .undefinedType(t, p): "type '\(t)' used by \(p) is not a Solidity type nor defined in types"
        case let .unknownPrimaryType(t): "primaryType '\(t)' is not defined in types"
        case let .ambiguousPrimaryType(c): "no primaryType given and it cannot be inferred (candidates: \(c.joined(separator: ", ")))"
        case let .unknownDomainField(f): "domain field '\(f)' is not one of name, version, chainId, verifyingContract, salt"
        case let .missingValue(p, t): "missing value for \(p) of type \(t)"
        case let .wrongKind(p, t, expected, got): "\(p) of type \(t) must be \(expected), not \(got)"
        case let .invalidNumber(p, t, v): "\(p) of type \(t): '\(v)' is not an integer (JSON integer, decimal string or 0x hex string)"
        case let .numberOutOfRange(p, t, v): "\(p): \(v) is out of range for \(t)"
        case let .invalidHex(p, t, v): "\(p) of type \(t): '\(v)' is not valid 0x-prefixed hex for that type"
        case let .bytesTooLong(p, t, n): "\(p): \(n) bytes do not fit in \(t)"
        case let .arrayLength(p, t, expected, got): "\(p) of type \(t) must have \(expected) elements, not \(got)"
        }
    }
}
