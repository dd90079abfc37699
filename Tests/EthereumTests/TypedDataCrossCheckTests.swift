import Ethereum
import JSON
import Primitives
import Secp256k1
import XCTest

/// Random EIP-712 documents (nested structs, fixed and dynamic arrays of
/// arrays, every atomic type, negative integers, numbers spelled three ways)
/// hashed by us and by eth-account's `encode_typed_data(full_message=…)`;
/// our signatures must recover, in eth-account, to the signer.
final class TypedDataCrossCheckTests: XCTestCase {
    func testEthAccountHashesAndVerifiesRandomTypedData() throws {
        let seed = testSeed()
        var random = RandomTypedData(seed: seed)
        var documents: [(JSONValue, Secp256k1.PrivateKey)] = []
        for _ in 0..<60 { documents.append((random.document(), random.key())) }
        var lines: [String] = []
        var ours: [String] = []
        for (document, key) in documents {
            let data = try TypedData(json: document)
            let signature = try data.sign(with: key)
            lines.append("\(document.description)\t\(hex(signature))")
            ours.append("\(try data.signingHash().description) \(Address(publicKey: key.publicKey).checksummed)")
        }
        let script = """
        import sys, json
        from eth_account import Account
        from eth_account.messages import encode_typed_data, _hash_eip191_message
        for line in sys.stdin.read().split('\\n'):
            if not line: continue
            doc, sig = line.split('\\t')
            m = encode_typed_data(full_message=json.loads(doc))
            print('0x' + _hash_eip191_message(m).hex(), Account.recover_message(m, signature=bytes.fromhex(sig)))
        """
        let theirs = try runPython(script, input: lines, requiring: "eth_account")
        XCTAssertEqual(theirs.count, documents.count)
        for (i, (expected, got)) in zip(theirs, ours).enumerated() {
            XCTAssertEqual(got, expected, "seed \(seed), document \(i): \(documents[i].0.description)")
        }
        print("TypedDataCrossCheckTests: \(documents.count) random typed-data documents matched eth-account, signatures recovered (seed \(seed))")
    }
}

/// Builds random but valid `eth_signTypedData_v4` documents. Struct k only
/// refers to structs after it, and each of those is used by an earlier one,
/// so the primary type (S0) is the only root, as eth-account requires.
struct RandomTypedData {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func key() -> Secp256k1.PrivateKey {
        while true {
            if let k = try? Secp256k1.PrivateKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }) { return k }
        }
    }

    mutating func document() -> JSONValue {
        let structCount = int(1...4)
        var fields: [[(String, String)]] = (0..<structCount).map { _ in [] }
        for s in 0..<structCount {
            for f in 0..<int(1...5) { fields[s].append(("f\(f)", atomicOrArrayType())) }
        }
        for s in 1..<max(structCount, 1) {
            let user = int(0...(s - 1))
            fields[user].append(("s\(s)", "S\(s)" + arraySuffix(maxDepth: 1)))
            if int(0...3) == 0 {
                let later = int(s...(structCount - 1))
                fields[s - 1].append(("t\(later)", "S\(later)" + arraySuffix(maxDepth: 2)))
            }
        }
        var types: [(key: String, value: JSONValue)] = []
        let domainNames = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                           ("verifyingContract", "address"), ("salt", "bytes32")].filter { _ in int(0...1) == 1 }
        if int(0...2) > 0 {
            types.append((key: "EIP712Domain", value: .array(domainNames.map { ["name": .string($0.0), "type": .string($0.1)] })))
        }
        for (s, list) in fields.enumerated() {
            types.append((key: "S\(s)", value: .array(list.map { ["name": .string($0.0), "type": .string($0.1)] })))
        }
        let domain = JSONValue.object(domainNames.map { (key: $0.0, value: value(of: $0.1, fields: fields)) })
        return .object([(key: "types", value: .object(types)), (key: "primaryType", value: "S0"),
                        (key: "domain", value: domain), (key: "message", value: structValue(0, fields: fields))])
    }

    mutating func atomicOrArrayType() -> String {
        let atomic: String
        switch int(0...7) {
        case 0: atomic = "uint\(8 * int(1...32))"
        case 1: atomic = "int\(8 * int(1...32))"
        case 2: atomic = "bool"
        case 3: atomic = "address"
        case 4: atomic = "bytes\(int(1...32))"
        case 5: atomic = "bytes"
        case 6: atomic = "string"
        default: atomic = ["uint256", "int256", "int8"][int(0...2)]
        }
        return atomic + (int(0...3) == 0 ? arraySuffix(maxDepth: 2) : "")
    }

    mutating func arraySuffix(maxDepth: Int) -> String {
        (0..<int(0...maxDepth)).map { _ in int(0...1) == 0 ? "[]" : "[\(int(0...3))]" }.joined()
    }

    mutating func structValue(_ s: Int, fields: [[(String, String)]]) -> JSONValue {
        .object(fields[s].map { (key: $0.0, value: value(of: $0.1, fields: fields)) })
    }

    mutating func value(of type: String, fields: [[(String, String)]]) -> JSONValue {
        if type.hasSuffix("]") {
            let open = type.lastIndex(of: "[")!
            let inner = String(type[..<open])
            let length = Int(type[type.index(after: open)..<type.index(before: type.endIndex)]) ?? int(0...3)
            return .array((0..<length).map { _ in value(of: inner, fields: fields) })
        }
        if type.hasPrefix("S") { return structValue(Int(type.dropFirst())!, fields: fields) }
        if type == "bool" { return .bool(int(0...1) == 1) }
        if type == "string" {
            let alphabet = Array("abc XYZ 0123 é漢字🙂\"\\\n\t")
            return .string(String((0..<int(0...12)).map { _ in alphabet[int(0...(alphabet.count - 1))] }))
        }
        if type == "address" {
            let address = Address((0..<20).map { _ in UInt8.random(in: 0...255, using: &rng) })!
            return .string(int(0...1) == 0 ? address.checksummed : address.hex)
        }
        if type == "bytes" { return .string(Hex.encode(bytes(int(0...40)))) }
        if type.hasPrefix("bytes") { return .string(Hex.encode(bytes(int(0...Int(type.dropFirst(5))!)))) }
        let signed = type.hasPrefix("int")
        let bits = Int(type.dropFirst(signed ? 3 : 4))!
        let magnitudeBits = signed ? bits - 1 : bits
        let largest = magnitudeBits == 256 ? UInt256.max : (UInt256(1) << magnitudeBits) - UInt256(1)
        var magnitude: UInt256
        switch int(0...3) {
        case 0: magnitude = UInt256(UInt64(int(0...300))) & largest
        case 1: magnitude = largest
        default: magnitude = UInt256(bigEndianBytes: bytes(32))! >> (256 - int(1...magnitudeBits))
        }
        let negative = signed && int(0...1) == 1
        if negative && int(0...3) == 0 { magnitude = UInt256(1) << (bits - 1) }
        let decimal = (negative ? "-" : "") + magnitude.description
        switch int(0...2) {
        case 0: return .number(JSONNumber(text: decimal)!)
        case 1: return .string(decimal)
        default: return negative ? .string(decimal) : .string(magnitude.hexQuantity)
        }
    }

    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }
}
