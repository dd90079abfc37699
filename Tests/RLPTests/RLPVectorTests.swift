import Foundation
import Primitives
import RLP
import TestSupport
import Testing

/// ethereum/tests RLPTests: every valid case encodes to its "out", every
/// invalid one fails to decode, and the random valid ones decode and
/// re-encode to the same bytes.
@Suite struct RLPVectorTests {
    @Test func ethereumTests() throws {
        guard let dir = Vectors.path("ethereum-tests/RLPTests") else {
            print(Vectors.missingMessage)
            return
        }
        var valid = 0, invalid = 0, random = 0
        for (name, test) in try load(dir.appendingPathComponent("rlptest.json")) {
            let expected = try #require(Hex.decode(test.out), "\(name): bad hex")
            let tree = try #require(item(fromJSON: test.input), "\(name): unsupported input")
            var encoder = RLPEncoder()
            try encode(test.input, into: &encoder)
            let ok = RLP.encode(tree) == expected && encoder.bytes == expected && (try? RLP.decode(expected)) == tree
            #expect(ok, "\(name)")
            if ok { valid += 1 }
        }
        for (name, test) in try load(dir.appendingPathComponent("invalidRLPTest.json")) {
            let bytes = try #require(Hex.decode(test.out), "\(name): bad hex")
            do {
                let item = try RLP.decode(bytes)
                Issue.record("\(name): decoded \(item) from invalid input")
            } catch {
                invalid += 1
            }
        }
        let randomDir = dir.appendingPathComponent("RandomRLPTests")
        for file in try FileManager.default.contentsOfDirectory(atPath: randomDir.path).sorted() where file.hasSuffix(".json") {
            for (name, test) in try load(randomDir.appendingPathComponent(file)) {
                let bytes = try #require(Hex.decode(test.out), "\(name): bad hex")
                let item = try RLP.decode(bytes)
                #expect(RLP.encode(item) == bytes, "\(name)")
                random += 1
            }
        }
        print("RLPTests: \(valid) valid, \(invalid) invalid, \(random) random passed")
        #expect(valid >= 28 && invalid >= 26 && random >= 1)
    }

    private struct Case {
        var input: Any
        var out: String
    }

    private func load(_ url: URL) throws -> [(String, Case)] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        return json.keys.sorted().compactMap { name in
            guard let entry = json[name] as? [String: Any], let out = entry["out"] as? String else { return nil }
            return (name, Case(input: entry["in"] as Any, out: out))
        }
    }

    /// The JSON "in" as an item: strings are UTF-8, "#digits" are big
    /// integers, numbers are integers, arrays are lists.
    private func item(fromJSON value: Any) -> RLPItem? {
        if let s = value as? String {
            if s.hasPrefix("#") { return bigInteger(String(s.dropFirst())).map { .bytes($0) } }
            return .string(s)
        }
        if let list = value as? [Any] {
            let items = list.compactMap(item(fromJSON:))
            return items.count == list.count ? .list(items) : nil
        }
        if let n = value as? NSNumber { return .uint(n.uint64Value) }
        return nil
    }

    /// The same input through the streaming encoder's typed appends.
    private func encode(_ value: Any, into encoder: inout RLPEncoder) throws {
        if let s = value as? String {
            if s.hasPrefix("#") {
                if let v = UInt256(decimal: s.dropFirst()) {
                    encoder.append(v)
                } else {
                    encoder.append(bytes: try #require(bigInteger(String(s.dropFirst()))))
                }
            } else {
                encoder.append(string: s)
            }
        } else if let list = value as? [Any] {
            try encoder.appendList { (inner: inout RLPEncoder) throws in
                for element in list { try encode(element, into: &inner) }
            }
        } else if let n = value as? NSNumber {
            encoder.append(n.uint64Value)
        }
    }
}

/// Minimal big-endian bytes of a decimal of any size (the vectors include 2^256).
func bigInteger(_ decimal: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    for c in decimal.utf8 {
        guard c >= 48 && c <= 57 else { return nil }
        var carry = Int(c - 48)
        for i in stride(from: bytes.count - 1, through: 0, by: -1) {
            let v = Int(bytes[i]) * 10 + carry
            bytes[i] = UInt8(v & 0xff)
            carry = v >> 8
        }
        while carry > 0 {
            bytes.insert(UInt8(carry & 0xff), at: 0)
            carry >>= 8
        }
    }
    return bytes
}
