import JSON
import Testing

@Suite struct JSONLimitsTests {
    @Test func deepNestingIsRejectedWithoutRecursingDeeper() {
        let open = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParseError.nestingTooDeep(offset: 64, limit: 64)) { try JSONParser.parse(open) }
        let balanced = open + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000)
        #expect(throws: JSONParseError.nestingTooDeep(offset: 64, limit: 64)) { try JSONParser.parse(balanced) }
        let objects = Array(String(repeating: "{\"a\":", count: 100_000).utf8)
        #expect(throws: JSONParseError.nestingTooDeep(offset: 64 * 5, limit: 64)) { try JSONParser.parse(objects) }
        #expect(throws: JSONParseError.self) {
            try balanced.withUnsafeBytes { try JSONParser.validate($0) }
        }
    }

    @Test func depthLimitIsExactAndClamped() throws {
        func nested(_ n: Int) -> [UInt8] {
            [UInt8](repeating: UInt8(ascii: "["), count: n) + [UInt8](repeating: UInt8(ascii: "]"), count: n)
        }
        _ = try JSONParser.parse(nested(64))
        #expect(throws: JSONParseError.nestingTooDeep(offset: 64, limit: 64)) { try JSONParser.parse(nested(65)) }
        _ = try JSONParser.parse(nested(3), limits: JSONLimits(maxDepth: 3))
        #expect(throws: JSONParseError.self) { try JSONParser.parse(nested(4), limits: JSONLimits(maxDepth: 3)) }
        let huge = JSONLimits(maxDepth: 1_000_000)
        #expect(huge.maxDepth == JSONLimits.hardMaxDepth)
        _ = try JSONParser.parse(nested(JSONLimits.hardMaxDepth), limits: huge)
        #expect(throws: JSONParseError.nestingTooDeep(offset: 512, limit: 512)) {
            try JSONParser.parse([UInt8](repeating: UInt8(ascii: "["), count: 100_000), limits: huge)
        }
    }

    @Test func inputSizeLimit() throws {
        let doc = Array("[1,2,3]".utf8)
        _ = try JSONParser.parse(doc, limits: JSONLimits(maxInputSize: 7))
        #expect(throws: JSONParseError.inputTooLarge(size: 7, limit: 6)) {
            try JSONParser.parse(doc, limits: JSONLimits(maxInputSize: 6))
        }
    }

    @Test func errorDescriptionsAreReadable() {
        #expect(JSONParseError.unexpectedByte(UInt8(ascii: "]"), offset: 3, expected: .value).description
            == "unexpected ']' at offset 3, expected a value")
        #expect(JSONParseError.controlCharacterInString(0x0A, offset: 2).description
            == "unescaped control character byte 0x0A in string at offset 2")
        #expect(JSONParseError.nestingTooDeep(offset: 64, limit: 64).description == "nesting deeper than 64 at offset 64")
    }
}
