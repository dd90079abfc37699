import Ethereum
import Hashing
import JSON
import Primitives
import Secp256k1
import XCTest

/// EIP-712: the EIP's own "Mail" example, and the strict value rules.
final class TypedDataTests: XCTestCase {

    /// The example of EIP-712 (its Example.js), as `eth_signTypedData_v4` sends it.
    static let mail = """
    {"types": {
       "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                        {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
       "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
       "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]},
     "primaryType": "Mail",
     "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
     "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                 "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                 "contents": "Hello, Bob!"}}
    """

    /// Every intermediate value the EIP publishes, and its signature by
    /// keccak256("cow").
    func testEIPMailExample() throws {
        let data = try TypedData(jsonText: Self.mail)
        XCTAssertEqual(data.encodeType("Mail"), "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        XCTAssertEqual(data.typeHash("Mail")?.description, "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2")
        XCTAssertEqual(try data.domainSeparator().description, "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        XCTAssertEqual(try data.messageHash()?.description, "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        XCTAssertEqual(try data.signingHash().description, "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        let cow = try Secp256k1.PrivateKey(bytes: Keccak256.hash(Array("cow".utf8)).bytes)
        XCTAssertEqual(Address(publicKey: cow.publicKey).checksummed, "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
        let signature = try data.sign(with: cow)
        XCTAssertEqual(hex(signature[0..<32]), "4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d")
        XCTAssertEqual(hex(signature[32..<64]), "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562")
        XCTAssertEqual(signature[64], 28)
    }

    /// Numbers as decimal or hex strings, the primary type inferred, and the
    /// domain type inferred from the domain's members give the same hash.
    func testEquivalentSpellings() throws {
        let reference = try TypedData(jsonText: Self.mail).signingHash()
        let variants = [
            Self.mail.replacingOccurrences(of: "\"chainId\": 1,", with: "\"chainId\": \"1\","),
            Self.mail.replacingOccurrences(of: "\"chainId\": 1,", with: "\"chainId\": \"0x01\","),
            Self.mail.replacingOccurrences(of: "\"primaryType\": \"Mail\",", with: ""),
            Self.mail.replacingOccurrences(of: """
               "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            """, with: ""),
        ]
        for v in variants {
            XCTAssertNotEqual(v, Self.mail)
            XCTAssertEqual(try TypedData(jsonText: v).signingHash(), reference, v)
        }
    }

    /// Signing the domain alone (primary type EIP712Domain) leaves out the message hash.
    func testDomainAsPrimaryType() throws {
        let data = try TypedData(jsonText: Self.mail.replacingOccurrences(of: "\"primaryType\": \"Mail\"", with: "\"primaryType\": \"EIP712Domain\""))
        XCTAssertNil(try data.messageHash())
        XCTAssertEqual(try data.signingHash(), Keccak256.hash([0x19, 0x01] + (try data.domainSeparator().bytes)))
    }

    /// Atomic encodings by hand: negative ints sign-extend, bytesN pads on
    /// the right, bool is 0/1, nested and fixed arrays hash their elements.
    func testAtomicEncodings() throws {
        func messageHash(_ fields: String, _ message: String) throws -> Hash32? {
            try TypedData(jsonText: """
            {"types": {"T": [\(fields)]}, "primaryType": "T", "domain": {}, "message": \(message)}
            """).messageHash()
        }
        func expected(_ encodeType: String, _ words: [[UInt8]]) -> Hash32 {
            Keccak256.hash(Keccak256.hash(Array(encodeType.utf8)).bytes + words.flatMap { $0 })
        }
        let minusOne = [UInt8](repeating: 0xff, count: 32)
        XCTAssertEqual(try messageHash(#"{"name": "a", "type": "int8"}"#, #"{"a": -1}"#), expected("T(int8 a)", [minusOne]))
        XCTAssertEqual(try messageHash(#"{"name": "a", "type": "int256"}"#, #"{"a": "-1"}"#), expected("T(int256 a)", [minusOne]))
        XCTAssertEqual(try messageHash(#"{"name": "a", "type": "int16"}"#, #"{"a": -32768}"#),
                       expected("T(int16 a)", [[UInt8](repeating: 0xff, count: 30) + [0x80, 0x00]]))
        XCTAssertEqual(try messageHash(#"{"name": "a", "type": "bytes4"}"#, #"{"a": "0x0102"}"#),
                       expected("T(bytes4 a)", [[1, 2] + [UInt8](repeating: 0, count: 30)]))
        XCTAssertEqual(try messageHash(#"{"name": "a", "type": "bool"}, {"name": "b", "type": "bool"}"#, #"{"a": true, "b": false}"#),
                       expected("T(bool a,bool b)", [UInt256(1).bigEndianBytes, UInt256.zero.bigEndianBytes]))
        XCTAssertEqual(try messageHash(#"{"name": "a", "type": "bytes"}"#, #"{"a": "0x"}"#),
                       expected("T(bytes a)", [Keccak256.hash([]).bytes]))
        let inner = [Keccak256.hash(UInt256(1).bigEndianBytes + UInt256(2).bigEndianBytes).bytes, Keccak256.hash([]).bytes]
        XCTAssertEqual(try messageHash(#"{"name": "a", "type": "uint8[][2]"}"#, #"{"a": [[1, "0x2"], []]}"#),
                       expected("T(uint8[][2] a)", [Keccak256.hash(inner.flatMap { $0 }).bytes]))
    }

    func testStrictErrors() throws {
        func error(_ fields: String, _ message: String, types extra: String = "") -> TypedDataError? {
            do {
                _ = try TypedData(jsonText: """
                {"types": {"T": [\(fields)]\(extra)}, "primaryType": "T", "domain": {}, "message": \(message)}
                """).signingHash()
                return nil
            } catch { return error }
        }
        XCTAssertEqual(error(#"{"name": "a", "type": "uint8"}"#, #"{"a": 256}"#), .numberOutOfRange(path: "message.a", type: "uint8", value: "256"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint8"}"#, #"{"a": -1}"#), .numberOutOfRange(path: "message.a", type: "uint8", value: "-1"))
        XCTAssertEqual(error(#"{"name": "a", "type": "int8"}"#, #"{"a": 128}"#), .numberOutOfRange(path: "message.a", type: "int8", value: "128"))
        XCTAssertEqual(error(#"{"name": "a", "type": "int8"}"#, #"{"a": -129}"#), .numberOutOfRange(path: "message.a", type: "int8", value: "-129"))
        XCTAssertNil(error(#"{"name": "a", "type": "int8"}"#, #"{"a": -128}"#))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint256"}"#, #"{"a": 1.5}"#), .invalidNumber(path: "message.a", type: "uint256", value: "1.5"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint256"}"#, #"{"a": 1e3}"#), .invalidNumber(path: "message.a", type: "uint256", value: "1e3"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint256"}"#, #"{"a": "12ab"}"#), .invalidNumber(path: "message.a", type: "uint256", value: "12ab"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint256"}"#, #"{"a": "0x"}"#), .invalidNumber(path: "message.a", type: "uint256", value: "0x"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint256"}"#, #"{"a": true}"#),
                       .wrongKind(path: "message.a", type: "uint256", expected: "an integer (number, decimal or 0x hex string)", got: "boolean"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint256"}"#, #"{"a": "0x1\#(String(repeating: "0", count: 64))"}"#),
                       .numberOutOfRange(path: "message.a", type: "uint256", value: "0x1" + String(repeating: "0", count: 64)))
        XCTAssertEqual(error(#"{"name": "a", "type": "bool"}"#, #"{"a": "true"}"#),
                       .wrongKind(path: "message.a", type: "bool", expected: "true or false", got: "string"))
        XCTAssertEqual(error(#"{"name": "a", "type": "bytes2"}"#, #"{"a": "0x010203"}"#), .bytesTooLong(path: "message.a", type: "bytes2", length: 3))
        XCTAssertEqual(error(#"{"name": "a", "type": "bytes"}"#, #"{"a": "hello"}"#), .invalidHex(path: "message.a", type: "bytes", value: "hello"))
        XCTAssertEqual(error(#"{"name": "a", "type": "bytes"}"#, #"{"a": "0x123"}"#), .invalidHex(path: "message.a", type: "bytes", value: "0x123"))
        XCTAssertEqual(error(#"{"name": "a", "type": "bytes"}"#, #"{"a": "0x0x12"}"#), .invalidHex(path: "message.a", type: "bytes", value: "0x0x12"))
        XCTAssertEqual(error(#"{"name": "a", "type": "address"}"#, #"{"a": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827"}"#),
                       .invalidHex(path: "message.a", type: "address", value: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827"))
        XCTAssertEqual(error(#"{"name": "a", "type": "address"}"#, #"{"a": "cd2a3d9f938e13cd947ec05abc7fe734df8dd826"}"#),
                       .invalidHex(path: "message.a", type: "address", value: "cd2a3d9f938e13cd947ec05abc7fe734df8dd826"))
        XCTAssertEqual(error(#"{"name": "a", "type": "string"}"#, #"{}"#), .missingValue(path: "message.a", type: "string"))
        XCTAssertEqual(error(#"{"name": "a", "type": "string"}"#, #"{"a": null}"#), .missingValue(path: "message.a", type: "string"))
        XCTAssertEqual(error(#"{"name": "a", "type": "string"}"#, #"{"a": 5}"#),
                       .wrongKind(path: "message.a", type: "string", expected: "a string", got: "number"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint8[2]"}"#, #"{"a": [1]}"#), .arrayLength(path: "message.a", type: "uint8[2]", expected: 2, got: 1))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint8[]"}"#, #"{"a": [1, "x"]}"#), .invalidNumber(path: "message.a[1]", type: "uint8", value: "x"))
        XCTAssertEqual(error(#"{"name": "a", "type": "U"}"#, #"{"a": {"b": 1}}"#, types: #", "U": [{"name": "b", "type": "uint8"}, {"name": "c", "type": "bool"}]"#),
                       .missingValue(path: "message.a.c", type: "bool"))
        XCTAssertEqual(error(#"{"name": "a", "type": "Missing"}"#, #"{}"#), .undefinedType("Missing", path: "types.T.a"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint7"}"#, #"{}"#), .undefinedType("uint7", path: "types.T.a"))
        XCTAssertEqual(error(#"{"name": "a", "type": "bytes33"}"#, #"{}"#), .undefinedType("bytes33", path: "types.T.a"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint8[x]"}"#, #"{}"#), .undefinedType("uint8[x]", path: "types.T.a"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint8"}, {"name": "a", "type": "bool"}"#, #"{}"#),
                       .invalidTypeDefinition(path: "types.T[1]", reason: "field 'a' is declared twice"))
        XCTAssertEqual(error(#"{"name": "a"}"#, #"{}"#), .invalidTypeDefinition(path: "types.T[0]", reason: "expected {\"name\": string, \"type\": string}"))
        XCTAssertEqual(error(#"{"name": "a", "type": "uint8"}"#, #"[]"#), .notAnObject(path: "message", got: "array"))

        func documentError(_ text: String) -> TypedDataError? {
            do { _ = try TypedData(jsonText: text).signingHash(); return nil } catch { return error }
        }
        if case .invalidJSON = documentError("{") {} else { XCTFail("'{' must be invalid JSON") }
        XCTAssertEqual(documentError("[]"), .notAnObject(path: "typed data", got: "array"))
        XCTAssertEqual(documentError(#"{"domain": {}, "message": {}}"#), .missingMember("types"))
        XCTAssertEqual(documentError(#"{"types": {}, "message": {}}"#), .missingMember("domain"))
        XCTAssertEqual(documentError(#"{"types": {"T": []}, "domain": {"foo": 1}, "message": {}}"#), .unknownDomainField("foo"))
        XCTAssertEqual(documentError(#"{"types": {"T": []}, "primaryType": "X", "domain": {}, "message": {}}"#), .unknownPrimaryType("X"))
        XCTAssertEqual(documentError(#"{"types": {"A": [], "B": []}, "domain": {}, "message": {}}"#), .ambiguousPrimaryType(["A", "B"]))
        XCTAssertTrue(TypedDataError.numberOutOfRange(path: "message.a", type: "uint8", value: "256").description.contains("message.a"))
    }

    /// A recursive type (a tree) hashes: encodeType lists it once.
    func testRecursiveType() throws {
        let data = try TypedData(jsonText: """
        {"types": {"Node": [{"name": "v", "type": "uint8"}, {"name": "kids", "type": "Node[]"}]}, "primaryType": "Node",
         "domain": {"name": "t"}, "message": {"v": 1, "kids": [{"v": 2, "kids": []}, {"v": 3, "kids": [{"v": 4, "kids": []}]}]}}
        """)
        XCTAssertEqual(data.encodeType("Node"), "Node(uint8 v,Node[] kids)")
        XCTAssertNoThrow(try data.signingHash())
    }
}
