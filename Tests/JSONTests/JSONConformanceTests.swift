import JSON
import Testing

/// Accept/reject cases in the spirit of JSONTestSuite (y_ must parse, n_ must not).
@Suite struct JSONConformanceTests {
    static let accepted: [String] = [
        "[]", "{}", "[null]", "[true]", "[false]", "null", "true", "false",
        "0", "-0", "1", "-1", "1.5", "-1.5e10", "1E+2", "1e-2", "0.0", "0e0", "-0.0e-0", "1E22", "[1e400]",
        "123456789012345678901234567890", "-123456789012345678901234567890.5e-7",
        "\"\"", "\"abc\"", "\"\\u0000\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\uD834\\uDD1E\"", "\"\\ud834\\udd1e\"",
        "\"\\u00e9\\u00E9\"", "\"é\"", "\"€\"", "\"𝄞\"", "\"\u{7F}\"", "\"\\uFFFF\"", "\"\u{FFFF}\"", "\"\u{10FFFF}\"",
        " [1] ", "\t\n\r [ 1 , 2 ] \n", "{\"a\":1,\"a\":2}", "[[[]]]", "{\"\":0}", "{ \"a\" : [ { } , [ ] ] }",
        "[1,\"a\",null,true,false,{\"b\":[]},-2.5E-3]", "\"\\u002F\"", "\"a/b\"", "[\"\\u2028\\u2029\"]",
    ]

    static let rejected: [String] = [
        "", " ", "[1,]", "{\"a\":1,}", "[,1]", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":}", "{1:1}", "[,]", "{,}",
        "01", "-01", "00", "1.", ".1", "-", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "1.e1",
        "[1.]", "01.5", "2.e3", "- 1", "1e1.5", "[012]", "-.5",
        "\"abc", "\"\t\"", "\"\n\"", "\"\u{1F}\"", "\"\\x\"", "\"\\u12\"", "\"\\uZZZZ\"", "\"\\U0041\"", "\"\\'\"",
        "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\\uD800\\\"", "\"\\uDBFF\\uDBFF\"", "\"\\\"",
        "[1] x", "[1]]", "{}{}", "1 2", "tru", "nul", "True", "[true false]", "[\"a\": 1]", "{\"a\":1 \"b\":2}",
        "[", "{", "[1", "{\"a\"", "{\"a\":1", "/* */[]", "[] // c", "'a'", "[\u{0}]", "\u{0C}[]", "\u{A0}[]",
        "[\"a\",,]", "{\"a\":1}}", "[}", "{]", "nulll", "[nan]", "[-]", "[1e]", "\"\\", "[\"\\u",
    ]

    static let rejectedBytes: [[UInt8]] = [
        [0x22, 0xC0, 0xAF, 0x22],              // overlong '/'
        [0x22, 0xC1, 0xBF, 0x22],              // overlong
        [0x22, 0xE0, 0x80, 0xAF, 0x22],        // overlong 3-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],        // UTF-8 encoded surrogate
        [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // lead byte beyond U+10FFFF
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // U+110000
        [0x22, 0xF0, 0x80, 0x80, 0x80, 0x22],  // overlong 4-byte
        [0x22, 0x80, 0x22],                    // lone continuation byte
        [0x22, 0xE2, 0x82, 0x22],              // truncated sequence
        [0x22, 0xE2, 0x82],                    // truncated at end of input
        [0x22, 0xFF, 0x22],
        [0xFF],
        [0xEF, 0xBB, 0xBF, 0x5B, 0x5D],        // BOM before []
        [0x5B, 0x5D, 0x00],                    // NUL after the value
    ]

    @Test(arguments: accepted)
    func accepts(_ text: String) throws {
        _ = try JSONParser.parse(text)
        try JSONParser.validate(text: text)
    }

    @Test(arguments: rejected)
    func rejects(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(throws: JSONParseError.self) { try JSONParser.validate(text: text) }
    }

    @Test(arguments: rejectedBytes)
    func rejectsBytes(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    }

    @Test func everyPrefixOfAValidDocumentParsesOrFailsCleanly() throws {
        let doc = Array("{\"a\":[1,-2.5e3,\"x\\u00e9\\uD834\\uDD1E\",true,false,null,{\"b\":{}}],\"c\":\"é\"}".utf8)
        for n in 0..<doc.count {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(doc[0..<n])) }
        }
        _ = try JSONParser.parse(doc)
    }

    @Test func errorsSayWhereAndWhat() {
        func error(_ text: String) -> JSONParseError? {
            do { _ = try JSONParser.parse(text); return nil } catch { return error }
        }
        #expect(error("") == .unexpectedEnd(offset: 0, expected: .value))
        #expect(error("[1,]") == .unexpectedByte(UInt8(ascii: "]"), offset: 3, expected: .value))
        #expect(error("{\"a\":1,}") == .unexpectedByte(UInt8(ascii: "}"), offset: 7, expected: .memberName))
        #expect(error("[1 2]") == .unexpectedByte(UInt8(ascii: "2"), offset: 3, expected: .commaOrCloseBracket))
        #expect(error("{\"a\" 1}") == .unexpectedByte(UInt8(ascii: "1"), offset: 5, expected: .colon))
        #expect(error("01") == .leadingZero(offset: 0))
        #expect(error("[-01]") == .leadingZero(offset: 1))
        #expect(error("1.") == .unexpectedEnd(offset: 2, expected: .digit))
        #expect(error("\"a\tb\"") == .controlCharacterInString(0x09, offset: 2))
        #expect(error("\"\\x\"") == .invalidEscape(UInt8(ascii: "x"), offset: 1), "offset of the backslash")
        #expect(error("\"ab\\uD800x\"") == .loneSurrogate(offset: 3))
        #expect(error("\"\\uDC00\"") == .loneSurrogate(offset: 1))
        #expect(error("\"\\u12G4\"") == .unexpectedByte(UInt8(ascii: "G"), offset: 5, expected: .hexDigit))
        #expect(error("[1] x") == .unexpectedByte(UInt8(ascii: "x"), offset: 4, expected: .endOfInput))
        #expect(error("tru") == .unexpectedEnd(offset: 3, expected: .literal("true")))
        #expect(error("[nul]") == .unexpectedByte(UInt8(ascii: "]"), offset: 4, expected: .literal("null")))
        #expect(error("\"abc") == .unexpectedEnd(offset: 4, expected: .closingQuote))
        #expect(error("\u{FEFF}[]") == .unexpectedByte(0xEF, offset: 0, expected: .value))
    }

    @Test func invalidUTF8OffsetIsTheLeadByte() {
        #expect(throws: JSONParseError.invalidUTF8(offset: 2)) { try JSONParser.parse([0x22, 0x61, 0xED, 0xA0, 0x80, 0x22]) }
        #expect(throws: JSONParseError.invalidUTF8(offset: 10)) {
            try JSONParser.parse(Array("\"abcdefghi".utf8) + [0xC0, 0x80, 0x22])
        }
    }

    @Test func decodesEscapesAndUnicode() throws {
        #expect(try JSONParser.parse("\"\\uD834\\uDD1E\"") == .string("𝄞"))
        #expect(try JSONParser.parse("\"\\u0000x\"") == .string("\u{0}x"))
        #expect(try JSONParser.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"") == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONParser.parse("\"a\\u00e9b€c\"") == .string("aéb€c"))
        #expect(try JSONParser.parse("{\"k\\u0065y\":1}")["key"] == 1)
    }

    @Test func keepsNumberTextAndOrder() throws {
        let v = try JSONParser.parse("{\"b\":123456789012345678901234567890,\"a\":-0.50e+01,\"b\":2}")
        #expect(v.objectValue?.map(\.key) == ["b", "a", "b"])
        #expect(v.objectValue?[0].value.numberValue?.text == "123456789012345678901234567890")
        #expect(v["a"]?.numberValue?.text == "-0.50e+01")
        #expect(v["b"] == 2, "lookup returns the last duplicate")
    }
}

extension JSONParser {
    fileprivate static func validate(text: String) throws {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { try validate($0) }
    }
}
