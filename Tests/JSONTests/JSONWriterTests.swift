import JSON
import Testing

@Suite struct JSONWriterTests {
    private func text(_ body: (inout JSONWriter) -> Void) -> String {
        var w = JSONWriter()
        body(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test func escapesStrings() {
        #expect(text { $0.writeString("a\"b\\c/d") } == #""a\"b\\c/d""#)
        #expect(text { $0.writeString("\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}") } == #""\n\r\t\b\f\u0000\u001f"# + "\u{7F}\"")
        #expect(text { $0.writeString("é€😀") } == "\"é€😀\"")
        #expect(text { $0.writeString("") } == "\"\"")
        let long = String(repeating: "abcdefgh", count: 10) + "\"" + String(repeating: "x", count: 9)
        #expect(text { $0.writeString(long) } == "\"" + String(repeating: "abcdefgh", count: 10) + "\\\"" + String(repeating: "x", count: 9) + "\"")
    }

    @Test func writesNumbers() {
        #expect(text { $0.writeInt(0) } == "0")
        #expect(text { $0.writeInt(-42) } == "-42")
        #expect(text { $0.writeInt(Int.min) } == "-9223372036854775808")
        #expect(text { $0.writeUInt64(UInt64.max) } == "18446744073709551615")
        #expect(text { $0.writeNumber(JSONNumber(text: "1.50e+3")!) } == "1.50e+3")
        #expect(JSONNumber(text: "01") == nil)
        #expect(JSONNumber(text: "1.") == nil)
        #expect(JSONNumber(2.5)?.text == "2.5")
        #expect(JSONNumber(3.0)?.text == "3")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
    }

    @Test func hexQuantities() {
        #expect(text { $0.writeHexQuantity(0) } == "\"0x0\"")
        #expect(text { $0.writeHexQuantity(1) } == "\"0x1\"")
        #expect(text { $0.writeHexQuantity(0x10) } == "\"0x10\"")
        #expect(text { $0.writeHexQuantity(0xABCDEF) } == "\"0xabcdef\"")
        #expect(text { $0.writeHexQuantity(UInt64.max) } == "\"0xffffffffffffffff\"")
        for shift in 0..<64 {
            let v = UInt64(1) << shift
            #expect(text { $0.writeHexQuantity(v) } == "\"0x" + String(v, radix: 16) + "\"")
        }
    }

    @Test func hexBytes() {
        #expect(text { $0.writeHexBytes([UInt8]()) } == "\"0x\"")
        #expect(text { $0.writeHexBytes([0x00, 0x0F, 0xF0, 0xFF]) } == "\"0x000ff0ff\"")
        let big = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let expected = "\"0x" + big.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\""
        #expect(text { $0.writeHexBytes(big) } == expected)
        #expect(text { $0.writeHexBytes(big[10..<20]) } == "\"0x" + big[10..<20].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\"")
    }

    @Test func containersAndCommas() {
        let s = text { w in
            w.writeObject { o in
                o.writeKey("a")
                o.writeArray { a in
                    a.writeInt(1)
                    a.writeHexQuantity(2)
                    a.writeObject { _ in }
                    a.writeArray { _ in }
                    a.writeRaw(Array("{\"x\":[1,2]}".utf8))
                    a.writeNull()
                }
                o.writeMember("b", ["c": true, "d": [1.5, "x"]])
                o.writeKey("e")
                o.writeHexBytes([0xAB])
            }
        }
        #expect(s == #"{"a":[1,"0x2",{},[],{"x":[1,2]},null],"b":{"c":true,"d":[1.5,"x"]},"e":"0xab"}"#)
    }

    @Test func valueRoundTrips() throws {
        let docs = [
            #"{"jsonrpc":"2.0","id":123456789012345678901234567890,"result":["0x1",{"a":null,"b":-1.5e-7}]}"#,
            #"["\u0000\u001f\"\\/é😀",true,false,[],{}]"#,
            #"-0.0"#,
        ]
        for doc in docs {
            let v = try JSONParser.parse(doc)
            #expect(try JSONParser.parse(v.serialized()) == v)
        }
        #expect(String(decoding: try JSONParser.parse(#" { "a" : [ 1 , 2 ] } "#).serialized(), as: UTF8.self) == #"{"a":[1,2]}"#)
        #expect(JSONValue.object([(key: "k", value: 1)]).description == #"{"k":1}"#)
    }
}
