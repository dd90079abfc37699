import Primitives
import RLP
import Testing

/// One hand case per `RLPError`, integer decoding, the zero-copy reader, and
/// truncation of valid encodings at every point.
@Suite struct RLPDecoderTests {
    private func decodeError(_ hex: String, maxDepth: Int = RLP.defaultMaxDepth) -> RLPError? {
        do {
            _ = try RLP.decode(Hex.decode(hex) ?? [0xff], maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyError() {
        #expect(decodeError("") == .truncated(offset: 0))
        #expect(decodeError("c280b9") == .truncated(offset: 2))
        #expect(decodeError("c2b901") == .truncated(offset: 1))
        #expect(decodeError("836162") == .lengthBeyondInput(offset: 0, declared: 3, available: 2))
        #expect(decodeError("c283616263") == .lengthBeyondInput(offset: 1, declared: 3, available: 1))
        #expect(decodeError("b9ffff00") == .lengthBeyondInput(offset: 0, declared: 0xffff, available: 1))
        #expect(decodeError("b80100") == .nonCanonicalLength(offset: 0, length: 1))
        #expect(decodeError("f80180") == .nonCanonicalLength(offset: 0, length: 1))
        #expect(decodeError("b90040" + String(repeating: "00", count: 64)) == .leadingZeroInLength(offset: 0))
        #expect(decodeError("8100") == .nonCanonicalSingleByte(offset: 0))
        #expect(decodeError("c28105") == .nonCanonicalSingleByte(offset: 1))
        #expect(decodeError("8180") == nil)
        #expect(decodeError("8000") == .trailingBytes(offset: 1))
        #expect(decodeError("c0c0") == .trailingBytes(offset: 1))
        var nested = RLPItem.list([])
        for _ in 0..<10 { nested = .list([nested]) }
        let deep = Hex.encode(RLP.encode(nested))
        #expect(decodeError(deep, maxDepth: 10) == .nestingTooDeep(offset: 10, limit: 10))
        #expect(decodeError(deep, maxDepth: 11) == nil)

        let bytes: [UInt8] = [0xc3, 0x82, 0x00, 0x01, 0x83, 0x61, 0x62, 0x63]
        bytes.withUnsafeBytes { buffer in
            var top = RLPReader(buffer)
            #expect(throws: RLPError.expectedBytes(offset: 0)) { try top.readBytes() }
            #expect(throws: RLPError.expectedList(offset: 0)) {
                var r = RLPReader(UnsafeRawBufferPointer(rebasing: buffer[4...]))
                _ = try r.readList()
            }
            var list = try! top.readList()
            #expect(throws: RLPError.integerLeadingZero(offset: 1)) { try list.readUInt64() }
            #expect(list.position == 1)
            #expect(throws: RLPError.wrongByteCount(offset: 1, byteCount: 2, expected: 20)) { try list.readBytes(count: 20) }
            #expect(try! list.readBytes().count == 2)
            #expect(throws: RLPError.truncated(offset: 4)) { try list.readBytes() }
            #expect(throws: RLPError.trailingBytes(offset: 4)) { try top.finish() }
        }
        let big = [UInt8(0xa1), 1] + [UInt8](repeating: 0, count: 32)
        big.withUnsafeBytes { buffer in
            var r = RLPReader(buffer)
            #expect(throws: RLPError.integerTooLarge(offset: 0, byteCount: 33, maxBytes: 32)) { try r.readUInt256() }
            #expect(throws: RLPError.integerTooLarge(offset: 0, byteCount: 33, maxBytes: 8)) { try r.readUInt64() }
        }
    }

    @Test func integers() throws {
        for value: UInt64 in [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff_ffff, .max] {
            var e = RLPEncoder()
            e.append(value)
            #expect(e.bytes.count == RLP.encodedLength(of: value))
            let decoded = try e.bytes.withUnsafeBytes { buffer in
                var reader = RLPReader(buffer)
                return (try reader.readUInt64(), try RLPReader(buffer).readUInt256WithCopy())
            }
            #expect(decoded.0 == value && decoded.1 == UInt256(value))
        }
        var e = RLPEncoder()
        e.append(UInt256.max)
        #expect(e.bytes == [0xa0] + [UInt8](repeating: 0xff, count: 32))
        #expect(e.bytes.count == RLP.encodedLength(of: UInt256.max))
        #expect(try e.bytes.withUnsafeBytes { try RLPReader($0).readUInt256WithCopy() } == .max)
        #expect(RLP.encode(.uint(0)) == [0x80] && RLP.encode(.uint256(UInt256(0x400))) == [0x82, 0x04, 0x00])
        var rng = Xoshiro256StarStar(seed: 256)
        for _ in 0..<2000 {
            let v = UInt256(w0: rng.next(), w1: rng.next(), w2: rng.next(), w3: rng.next()) >> Int(rng.next() % 256)
            var enc = RLPEncoder()
            enc.append(v)
            #expect(enc.bytes == RLP.encode(.uint256(v)) && enc.bytes.count == RLP.encodedLength(of: v))
            #expect(try enc.bytes.withUnsafeBytes { try RLPReader($0).readUInt256WithCopy() } == v)
        }
        // A canonical single byte 0x00 is a valid string but a non-canonical integer.
        #expect(try RLP.decode([0x00]) == .bytes([0]))
        #expect(throws: RLPError.integerLeadingZero(offset: 0)) { try [UInt8(0)].withUnsafeBytes { try RLPReader($0).readUInt256WithCopy() } }
    }

    @Test func readerRanges() throws {
        let encoded = RLP.encode(.list([.string("cat"), .list([.uint(1024)]), .bytes([])]))
        try encoded.withUnsafeBytes { buffer in
            var top = RLPReader(buffer)
            let whole = try top.peek()
            #expect(whole.kind == .list && whole.range == 0..<encoded.count)
            var list = try top.readList()
            try top.finish()
            let cat = try list.next()
            #expect(cat.kind == .bytes && cat.offset == 1 && cat.payload == 2..<5)
            var inner = try list.readList()
            #expect(try inner.readUInt64() == 1024)
            try inner.finish()
            #expect(try list.readBytes().isEmpty)
            #expect(list.isAtEnd)
        }
        #expect(RLP.encodeList(encodedItems: [RLP.encode(.string("cat")), RLP.encode(.uint(1024))])
            == RLP.encode(.list([.string("cat"), .uint(1024)])))
        var long = RLPEncoder()
        long.appendList { e in for _ in 0..<30 { e.append(string: "ab") } }
        #expect(long.bytes == RLP.encode(.list(Array(repeating: .string("ab"), count: 30))))
        #expect(long.bytes.prefix(2) == [0xf8, 90])
        var presized = RLPEncoder()
        presized.appendListHeader(payloadLength: 90)
        for _ in 0..<30 { presized.append(bytes: Array("ab".utf8)) }
        #expect(presized.bytes == long.bytes)
    }

    /// Every proper prefix of a valid encoding must be rejected with an
    /// error (never accepted, never a crash), and so must every extension.
    @Test func truncationAtEveryPoint() {
        var rng = Xoshiro256StarStar(seed: UInt64.random(in: 0...UInt64.max))
        var checked = 0
        for _ in 0..<50 {
            let item = randomItem(&rng, depth: 0)
            let encoded = RLP.encode(item)
            #expect((try? RLP.decode(encoded)) == item, "seed \(rng.seed)")
            for cut in 0..<encoded.count {
                let prefix = Array(encoded[..<cut])
                #expect(throws: RLPError.self, "cut \(cut) of \(encoded.count), seed \(rng.seed)") {
                    try RLP.decode(prefix)
                }
                #expect(throws: RLPError.self) {
                    try prefix.withUnsafeBytes { try RLP.validate(buffer: $0) }
                }
                checked += 1
            }
            #expect(throws: RLPError.trailingBytes(offset: encoded.count)) { try RLP.decode(encoded + [0x80]) }
        }
        print("RLP truncation: \(checked) prefixes rejected (seed \(rng.seed))")
    }

    /// Random bytes must only ever decode or throw.
    @Test func randomGarbage() {
        var rng = Xoshiro256StarStar(seed: UInt64.random(in: 0...UInt64.max))
        var decoded = 0
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...40, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if let item = try? RLP.decode(bytes) {
                decoded += 1
                #expect(RLP.encode(item) == bytes, "non-canonical input accepted, seed \(rng.seed)")
            }
        }
        #expect(decoded > 0)
    }
}

private func randomItem(_ rng: inout Xoshiro256StarStar, depth: Int) -> RLPItem {
    if depth < 4 && rng.next() % 3 == 0 {
        return .list((0..<Int.random(in: 0...6, using: &rng)).map { _ in randomItem(&rng, depth: depth + 1) })
    }
    let lengths = [0, 1, 1, 2, 20, 55, 56, 57, 200, 1100]
    let n = lengths[Int(rng.next() % UInt64(lengths.count))]
    return .bytes((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
}

extension RLPReader {
    /// Reads a UInt256 from a reader taken by value (for one-line checks).
    fileprivate consuming func readUInt256WithCopy() throws(RLPError) -> UInt256 {
        var r = self
        return try r.readUInt256()
    }
}
