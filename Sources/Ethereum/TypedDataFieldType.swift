/// The type of one EIP-712 struct member, parsed from its Solidity spelling
/// (`uint256`, `bytes32`, `Person[]`, `uint8[2][]`, …).
indirect enum TypedDataFieldType: Sendable, Equatable {
    /// uintN (N = 8…256 in steps of 8; `uint` is uint256).
    case unsigned(bits: Int)
    /// intN, two's complement.
    case signed(bits: Int)
    case bool
    case address
    /// bytesN, N = 1…32.
    case fixedBytes(Int)
    case bytes
    case string
    /// A struct declared in `types`.
    case structure(String)
    /// `element[length]`, or `element[]` when `length` is nil.
    case array(TypedDataFieldType, length: Int?)

    /// Parses `text`; `structs` are the declared struct names. Nil when the
    /// text names no atomic type and no declared struct, or has a malformed suffix.
    init?(_ text: String, structs: Set<String>) {
        if text.hasSuffix("]") {
            guard let open = text.lastIndex(of: "[") else { return nil }
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
            var length: Int?
            if !inside.isEmpty {
                guard inside.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      inside.count <= 9, let n = Int(inside) else { return nil }
                length = n
            }
            guard let element = TypedDataFieldType(String(text[..<open]), structs: structs) else { return nil }
            self = .array(element, length: length)
            return
        }
        if let atomic = Self.atomic(text) {
            self = atomic
        } else if structs.contains(text) {
            self = .structure(text)
        } else {
            return nil
        }
    }

    private static func atomic(_ text: String) -> TypedDataFieldType? {
        switch text {
        case "bool": return .bool
        case "address": return .address
        case "bytes": return .bytes
        case "string": return .string
        case "uint": return .unsigned(bits: 256)
        case "int": return .signed(bits: 256)
        default: break
        }
        for (prefix, make) in [("uint", { TypedDataFieldType.unsigned(bits: $0) }), ("int", { .signed(bits: $0) })]
        where text.hasPrefix(prefix) {
            guard let bits = decimal(text.dropFirst(prefix.count)), bits % 8 == 0, (8...256).contains(bits) else { return nil }
            return make(bits)
        }
        if text.hasPrefix("bytes") {
            guard let n = decimal(text.dropFirst(5)), (1...32).contains(n) else { return nil }
            return .fixedBytes(n)
        }
        return nil
    }

    /// Digits without a sign or leading zero.
    private static func decimal(_ s: Substring) -> Int? {
        guard let first = s.utf8.first, first != UInt8(ascii: "0"), s.count <= 3,
              s.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(s)
    }

    /// The innermost element type's struct name, if it is a struct: what
    /// `encodeType` follows to find dependencies.
    var structName: String? {
        switch self {
        case let .structure(name): name
        case let .array(element, _): element.structName
        default: nil
        }
    }
}
