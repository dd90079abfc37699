import Primitives
import Testing

@Suite struct HexTests {
    @Test func encode() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "0x000fabff")
        #expect(Hex.encode([0xde, 0xad], prefix: false) == "dead")
        #expect(Hex.encode([]) == "0x" && Hex.encode([], prefix: false) == "")
        #expect(Hex.encode((0..<3).lazy.map { UInt8($0) }) == "0x000102")
        let all = (0...255).map { UInt8($0) }
        #expect(Hex.decode(Hex.encode(all)) == all)
    }

    @Test func decode() {
        #expect(Hex.decode("0xDEADbeef") == [0xde, 0xad, 0xbe, 0xef])
        #expect(Hex.decode("0XdeAD") == [0xde, 0xad])
        #expect(Hex.decode("dead") == [0xde, 0xad])
        #expect(Hex.decode("0x") == [] && Hex.decode("") == [])
        #expect(Hex.decode("0x1") == nil && Hex.decode("abc") == nil)
        #expect(Hex.decode("0xgg") == nil && Hex.decode("0x0g") == nil && Hex.decode("zz") == nil)
        #expect(Hex.decode("0x:0") == nil && Hex.decode("0x/0") == nil && Hex.decode("0x@0") == nil && Hex.decode("0x`0") == nil)
        #expect(Hex.decode("0x0x") == nil)
        #expect(Hex.decode("xx0x12".dropFirst(2)) == [0x12])
        let utf8 = Array("0x0102".utf8)
        #expect(utf8.withUnsafeBytes { Hex.decode(utf8: $0) } == [1, 2])
        var out: (UInt8, UInt8) = (0, 0)
        let ok = utf8.withUnsafeBytes { src in withUnsafeMutableBytes(of: &out) { Hex.decode(utf8: src, into: $0) } }
        #expect(ok && out == (1, 2))
        var short: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let wrong = utf8.withUnsafeBytes { src in withUnsafeMutableBytes(of: &short) { Hex.decode(utf8: src, into: $0) } }
        #expect(!wrong)
    }

    /// Every byte value as a digit: exactly 0-9, a-f, A-F are accepted.
    @Test func everyCharacter() {
        for c in 0...255 {
            let valid = (48...57).contains(c) || (65...70).contains(c) || (97...102).contains(c)
            #expect((Hex.nibble(UInt8(c)) != nil) == valid, "char \(c)")
            let pair = [UInt8(c), 0x30]
            #expect((pair.withUnsafeBytes { Hex.decode(utf8: $0) } != nil) == valid)
        }
    }
}
