import Primitives
import Testing

/// Hash32 and Address: exact lengths, hex forms, ordering and hashing.
@Suite struct FixedBytesTests {
    @Test func hash32() {
        let bytes = (0..<32).map { UInt8($0) }
        let h = Hash32(bytes)!
        #expect(h.bytes == bytes)
        #expect(h.description == "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        #expect(Hash32(hex: h.description) == h && Hash32(hex: String(h.description.dropFirst(2)).uppercased()) == h)
        #expect(Hash32(bytes.dropLast()) == nil && Hash32(bytes + [0]) == nil)
        #expect(Hash32(hex: "0x00") == nil && Hash32(hex: h.description + "00") == nil)
        #expect(Hash32(bytes.lazy.map { $0 }) == h)
        #expect(Hash32.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(h.withUnsafeBytes { Array($0) } == bytes)
        #expect(bytes.withUnsafeBytes { Hash32(uncheckedBytes: $0) } == h)
        #expect(Hash32(littleEndianWords: 0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908, 0x1716_1514_1312_1110, 0x1f1e_1d1c_1b1a_1918) == h)
        #expect(Hash32.zero < h && !(h < h))
        var last = bytes
        last[31] = 0xff
        #expect(h < Hash32(last)! && h != Hash32(last)!)
        #expect(Set([h, Hash32(bytes)!, .zero]).count == 2)
    }

    @Test func address() {
        let text = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        let a = Address(hex: text)!
        #expect(a.hex == text.lowercased() && a.description == a.hex)
        #expect(Address(hex: text.dropFirst(2)) == a)
        #expect(Address(a.bytes) == a && a.bytes.count == 20)
        #expect(Address(hex: "0x1234") == nil && Address(hex: text + "00") == nil && Address(hex: "0x" + String(repeating: "g", count: 40)) == nil)
        #expect(Address([UInt8](repeating: 1, count: 19)) == nil && Address([UInt8](repeating: 1, count: 21)) == nil)
        #expect(Address.zero.bytes == [UInt8](repeating: 0, count: 20))
        #expect(Address.zero < a && !(a < a))
        var bytes = a.bytes
        bytes[19] &+= 1
        let b = Address(bytes)!
        #expect(a < b && a != b && Set([a, b, Address(a.bytes)!]).count == 2)
        var rng = Xoshiro256StarStar(seed: 20)
        for _ in 0..<500 {
            let x = (0..<20).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let y = (0..<20).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect((Address(x)! < Address(y)!) == x.lexicographicallyPrecedes(y))
        }
    }
}
