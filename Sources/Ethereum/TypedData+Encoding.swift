import Hashing
import JSON
import Primitives
import Secp256k1

extension TypedData {
    /// `Name(type1 name1,…)` followed by the same for every struct it uses,
    /// directly or not, sorted by name (EIP-712 `encodeType`); nil for an
    /// undeclared name.
    public func encodeType(_ name: String) -> String? {
        guard types[name] != nil else { return nil }
        var found = Set<String>()
        var pending = [name]
        while let next = pending.popLast() {
            for field in types[next] ?? [] {
                if let s = field.parsed.structName, s != name, found.insert(s).inserted { pending.append(s) }
            }
        }
        let order = [name] + found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return order.map { type in
            type + "(" + (types[type] ?? []).map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        }.joined()
    }

    /// keccak256(encodeType(name)); nil for an undeclared name.
    public func typeHash(_ name: String) -> Hash32? {
        encodeType(name).map { Keccak256.hash(Array($0.utf8)) }
    }

    /// keccak256(typeHash ‖ encodeData(value)) for struct `name`. `path`
    /// names `value` in error messages.
    public func hashStruct(_ name: String, _ value: JSONValue, path: String) throws(TypedDataError) -> Hash32 {
        guard let fields = types[name], let typeHash = typeHash(name) else { throw .undefinedType(name, path: path) }
        guard case .object = value else { throw .notAnObject(path: path, got: value.kindName) }
        var hasher = Keccak256()
        hasher.update(bytes: typeHash.bytes)
        for field in fields {
            hasher.update(bytes: try encode(value[field.name], as: field.parsed, spelled: field.type, path: "\(path).\(field.name)"))
        }
        return hasher.finalize()
    }

    /// hashStruct(EIP712Domain, domain).
    public func domainSeparator() throws(TypedDataError) -> Hash32 {
        try hashStruct("EIP712Domain", domain, path: "domain")
    }

    /// hashStruct(primaryType, message), or nil when the primary type is
    /// `EIP712Domain` (the domain is signed alone, as MetaMask does).
    public func messageHash() throws(TypedDataError) -> Hash32? {
        primaryType == "EIP712Domain" ? nil : try hashStruct(primaryType, message, path: "message")
    }

    /// keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)): the digest that is signed.
    public func signingHash() throws(TypedDataError) -> Hash32 {
        var hasher = Keccak256()
        hasher.update(bytes: [0x19, 0x01])
        hasher.update(bytes: try domainSeparator().bytes)
        if let message = try messageHash() { hasher.update(bytes: message.bytes) }
        return hasher.finalize()
    }

    /// The 65-byte signature r ‖ s ‖ v (v = 27 + y parity) that
    /// `eth_signTypedData_v4` returns.
    public func sign(with key: Secp256k1.PrivateKey) throws(TypedDataError) -> [UInt8] {
        let signature = try signingHash().withUnsafeBytes { key.sign(digest: $0) }
        return signature.r + signature.s + [27 + (signature.recoveryID & 1)]
    }

    /// The 32-byte encoding of one value (EIP-712 `encodeData` of a member).
    private func encode(_ value: JSONValue?, as type: TypedDataFieldType, spelled: String, path: String) throws(TypedDataError) -> [UInt8] {
        guard let value, !value.isNull else { throw .missingValue(path: path, type: spelled) }
        func wrong(_ expected: String) -> TypedDataError {
            .wrongKind(path: path, type: spelled, expected: expected, got: value.kindName)
        }
        switch type {
        case let .structure(name):
            return try hashStruct(name, value, path: path).bytes
        case let .array(element, length):
            guard let items = value.arrayValue else { throw wrong("an array") }
            if let length, items.count != length {
                throw .arrayLength(path: path, type: spelled, expected: length, got: items.count)
            }
            let elementSpelling = String(spelled[..<(spelled.lastIndex(of: "[") ?? spelled.endIndex)])
            var hasher = Keccak256()
            for (i, item) in items.enumerated() {
                hasher.update(bytes: try encode(item, as: element, spelled: elementSpelling, path: "\(path)[\(i)]"))
            }
            return hasher.finalize().bytes
        case .bool:
            guard let b = value.boolValue else { throw wrong("true or false") }
            return UInt256(b ? 1 : 0).bigEndianBytes
        case .string:
            guard let s = value.stringValue else { throw wrong("a string") }
            return Keccak256.hash(Array(s.utf8)).bytes
        case .bytes:
            return Keccak256.hash(try hexBytes(value, spelled: spelled, path: path)).bytes
        case let .fixedBytes(n):
            let b = try hexBytes(value, spelled: spelled, path: path)
            guard b.count <= n else { throw .bytesTooLong(path: path, type: spelled, length: b.count) }
            return b + [UInt8](repeating: 0, count: 32 - b.count)
        case .address:
            guard let s = value.stringValue else { throw wrong("a 0x-prefixed address string") }
            guard s.utf8.count == 42, s.hasPrefix("0x"), let a = Address(checksummed: s) else {
                throw .invalidHex(path: path, type: spelled, value: s)
            }
            return [UInt8](repeating: 0, count: 12) + a.bytes
        case let .unsigned(bits):
            let (negative, magnitude, text) = try integer(value, spelled: spelled, path: path)
            guard !negative || magnitude.isZero, bits == 256 || (magnitude >> bits).isZero else {
                throw .numberOutOfRange(path: path, type: spelled, value: text)
            }
            return magnitude.bigEndianBytes
        case let .signed(bits):
            let (negative, magnitude, text) = try integer(value, spelled: spelled, path: path)
            let limit = UInt256(1) << (bits - 1)
            guard negative ? magnitude <= limit : magnitude < limit else {
                throw .numberOutOfRange(path: path, type: spelled, value: text)
            }
            return (negative ? UInt256.zero &- magnitude : magnitude).bigEndianBytes
        }
    }

    /// "0x" then an even number of hex digits.
    private func hexBytes(_ value: JSONValue, spelled: String, path: String) throws(TypedDataError) -> [UInt8] {
        guard let s = value.stringValue else {
            throw .wrongKind(path: path, type: spelled, expected: "a 0x-prefixed hex string", got: value.kindName)
        }
        let digits = s.utf8.dropFirst(2)
        guard s.hasPrefix("0x"), digits.allSatisfy({ Hex.nibble($0) != nil }), let b = Hex.decode(s.dropFirst(2)) else {
            throw .invalidHex(path: path, type: spelled, value: s)
        }
        return b
    }

    /// A JSON integer, a decimal string (optionally negative) or a 0x hex
    /// string, as sign and magnitude, with the text for error messages.
    private func integer(_ value: JSONValue, spelled: String, path: String) throws(TypedDataError) -> (Bool, UInt256, String) {
        let text: String
        switch value {
        case let .number(n): text = n.text
        case let .string(s): text = s
        default: throw .wrongKind(path: path, type: spelled, expected: "an integer (number, decimal or 0x hex string)", got: value.kindName)
        }
        if case .string = value, text.hasPrefix("0x") {
            guard let v = UInt256(hexQuantity: text) else {
                let digits = text.utf8.dropFirst(2)
                if !digits.isEmpty && digits.allSatisfy({ Hex.nibble($0) != nil }) {
                    throw .numberOutOfRange(path: path, type: spelled, value: text)
                }
                throw .invalidNumber(path: path, type: spelled, value: text)
            }
            return (false, v, text)
        }
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidNumber(path: path, type: spelled, value: text)
        }
        guard let v = UInt256(decimal: digits) else { throw .numberOutOfRange(path: path, type: spelled, value: text) }
        return (negative, v, text)
    }
}
